import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type ComplaintState, complaintStateLabels, isDomainError, messageFor } from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { EvidenceField } from "~/components/evidence-field";
import { formatBeijingTime } from "~/documents/application-documents.server";
import { env } from "~/env.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  MAX_COMPLAINT_ATTACHMENT_MB,
  MAX_COMPLAINT_ATTACHMENTS,
  readComplaintForm,
  requestReReview,
  reReviewContext,
} from "~/services/complaints.server";
import { fileStore } from "~/uploads/context.server";

export const meta: MetaFunction = () => [{ title: "申请复查 · 北京市职称评审申报系统" }];

function refused(error: unknown): never {
  // Someone else's application is not told apart from a missing one.
  if (isDomainError(error) && (error.code === "NOT_FOUND" || error.code === "RE_REVIEW_NOT_OWN"))
    throw new Response("Not Found", { status: 404 });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const context = await reReviewContext(db(), actor, params.id, now()).catch(refused);
  const t = context.target;
  return {
    applicationId: context.applicationId,
    batch: t ? { title: t.batchTitle, start: t.publicityStart, end: t.publicityEnd } : null,
    entry: t ? { qualification: t.qualification, result: t.result } : null,
    unavailable: context.unavailable ? messageFor(context.unavailable, locale) : null,
    limits: { files: MAX_COMPLAINT_ATTACHMENTS, mb: MAX_COMPLAINT_ATTACHMENT_MB },
    requests: context.requests.map((r) => ({
      reference: r.reference,
      state: complaintStateLabels[r.state as ComplaintState]?.[locale] ?? r.state,
      filedAt: formatBeijingTime(r.filedAt),
      reason: r.reason,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  // Whose result it is comes before reading the form: another person's request ends as the page does.
  await reReviewContext(db(), actor, params.id, now()).catch(refused);
  try {
    const { fields, uploads } = await readComplaintForm(request);
    const result = await requestReReview(
      { db: db(), files: fileStore(), lookupKey: env().LOOKUP_HASH_KEY },
      actor,
      params.id,
      { facts: fields.facts },
      uploads,
      now(),
    );
    if (result.ok) return { reference: result.value.reference, error: null, facts: null };
    if (result.error.code === "RE_REVIEW_NOT_OWN") refused(result.error);
    return { reference: null, error: messageFor(result.error, locale), facts: fields.facts ?? "" };
  } catch (error) {
    if (isDomainError(error) && error.code !== "NOT_FOUND" && error.code !== "RE_REVIEW_NOT_OWN")
      return { reference: null, error: messageFor(error, locale), facts: null };
    refused(error);
  }
}

export default function ReReview() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sending = useNavigation().state === "submitting";
  const { locale } = useI18n();
  const en = locale === "en";
  const back = (
    <p>
      <a href={`/applications/${data.applicationId}`}>{en ? "← My application" : "← 返回申报状态"}</a>
    </p>
  );
  if (result?.reference) {
    return (
      <div className="narrow">
        <PageHeading title={en ? "Re-review requested" : "复查申请已提交"} />
        <Alert tone="success" title={en ? "Keep this reference number" : "请牢记复查申请编号"}>
          <p data-testid="complaint-reference">
            <strong style={{ fontSize: "2rem", letterSpacing: "0.08em" }}>{result.reference}</strong>
          </p>
          <p>
            {en
              ? "The bureau and the agency will re-review your result; the outcome and its reasons will be sent to you by SMS."
              : "市人社局和评审机构将对您的评审结果进行复查，复查结论及理由将以短信告知。"}
          </p>
        </Alert>
        {back}
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageHeading
        title={en ? "Ask for a re-review of my result" : "申请复查评审结果"}
        lead={data.batch ? `${data.batch.title} · ${data.batch.start} – ${data.batch.end}` : undefined}
      />
      {back}
      {data.requests.length ? (
        <Card title={en ? "My requests" : "我的复查申请"}>
          <ul data-testid="re-review-requests">
            {data.requests.map((r) => (
              <li key={r.reference}>
                <code>{r.reference}</code> · {r.filedAt} · <strong>{r.state}</strong>
                {r.reason ? ` · ${r.reason}` : ""}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {data.unavailable ? (
        <Alert tone="info" title={en ? "No re-review now" : "当前不能申请复查"}>
          <p data-testid="re-review-unavailable">{data.unavailable}</p>
          {data.entry?.result === "passed" ? (
            <p>
              {en
                ? `Your result is passed (${data.entry.qualification}); there is nothing to re-review. After the publicity it becomes final.`
                : `您的评审结果为通过（${data.entry.qualification}），无需申请复查；公示期满无异议后即予确认。`}
            </p>
          ) : null}
        </Alert>
      ) : (
        <Form method="post" encType="multipart/form-data" aria-busy={sending}>
          {result?.error ? (
            <Alert tone="error" title={en ? "Not submitted" : "未提交"}>
              <p data-testid="re-review-error">{result.error}</p>
            </Alert>
          ) : null}
          <p className="meta">
            {en
              ? `You may ask for a re-review of your result until 24:00 on ${data.batch?.end} (Beijing time).`
              : `您可在${data.batch?.end} 24:00（北京时间）前对评审结果申请复查。`}
          </p>
          <div className="field">
            <label htmlFor="re-review-facts">{en ? "Facts and reasons" : "申请复查的事实与理由"}</label>
            <textarea
              id="re-review-facts"
              name="facts"
              rows={8}
              minLength={10}
              maxLength={5000}
              required
              defaultValue={result?.facts ?? undefined}
            />
          </div>
          <EvidenceField
            id="re-review-files"
            limits={data.limits}
            sending={sending}
            sendingLabel={{ "zh-CN": "正在提交", en: "Sending" }}
          />
          <Button type="submit" disabled={sending}>
            {en ? "Submit the request" : "提交复查申请"}
          </Button>
        </Form>
      )}
    </div>
  );
}
