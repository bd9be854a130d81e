import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import {
  isDomainError,
  type Level,
  levelLabels,
  messageFor,
  type Series,
  seriesLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { EvidenceField } from "~/components/evidence-field";
import { env } from "~/env.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  complaintFormContext,
  fileComplaint,
  MAX_COMPLAINT_ATTACHMENT_MB,
  MAX_COMPLAINT_ATTACHMENTS,
  readComplaintForm,
} from "~/services/complaints.server";
import { fileStore } from "~/uploads/context.server";

// The trailing underscores keep this page out of any `results` layout: it is a page of its own.
export const meta: MetaFunction = () => [{ title: "评审结果投诉 · 北京市职称评审" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = localeOf(request);
  const entryId = new URL(request.url).searchParams.get("entry");
  try {
    const context = await complaintFormContext(db(), params.batchId, entryId, now());
    return {
      batchId: context.batchId,
      batchTitle: context.batchTitle,
      publicityStart: context.publicityStart,
      publicityEnd: context.publicityEnd,
      entry: {
        id: context.entry.id,
        name: context.entry.name,
        unitName: context.entry.unitName,
        series: seriesLabels[context.entry.series as Series]?.[locale] ?? context.entry.series,
        level: levelLabels[context.entry.level as Level]?.[locale] ?? context.entry.level,
        qualification: context.entry.qualification,
      },
      closed: context.closed ? messageFor(context.closed, locale) : null,
      limits: { files: MAX_COMPLAINT_ATTACHMENTS, mb: MAX_COMPLAINT_ATTACHMENT_MB },
    };
  } catch (error) {
    if (isDomainError(error)) throw new Response(messageFor(error, locale), { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const locale = localeOf(request);
  const entryId = new URL(request.url).searchParams.get("entry");
  try {
    // The entry must belong to the batch in the address (a stale or edited link is refused).
    await complaintFormContext(db(), params.batchId, entryId, now());
    const { fields, uploads } = await readComplaintForm(request);
    const result = await fileComplaint(
      { db: db(), files: fileStore(), lookupKey: env().LOOKUP_HASH_KEY },
      { entryId, name: fields.name, phone: fields.phone, facts: fields.facts },
      uploads,
      now(),
    );
    if (result.ok) return { reference: result.value.reference, error: null, values: null };
    return { reference: null, error: messageFor(result.error, locale), values: fields };
  } catch (error) {
    if (isDomainError(error)) return { reference: null, error: messageFor(error, locale), values: null };
    throw error;
  }
}

export default function FileComplaint() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting";
  const { locale } = useI18n();
  const en = locale === "en";
  const values = result?.values ?? null;

  if (result?.reference) {
    return (
      <div className="narrow">
        <PageHeading title={en ? "Complaint received" : "投诉已受理"} />
        <Alert tone="success" title={en ? "Keep this reference number" : "请牢记投诉编号"}>
          <p className="complaint-reference" data-testid="complaint-reference">
            <strong style={{ fontSize: "2rem", letterSpacing: "0.08em" }}>{result.reference}</strong>
          </p>
          <p>
            {en
              ? "We have also sent it to your phone by SMS. Follow your complaint with this number and your phone number."
              : "投诉编号已通过短信发送到您的手机。请凭投诉编号和手机号码查询处理进度和结果。"}
          </p>
          <p>
            <a href={`/complaints?reference=${encodeURIComponent(result.reference)}`}>
              {en ? "Follow my complaint" : "查询投诉处理结果"}
            </a>
            {" · "}
            <a href={`/results/${data.batchId}`}>{en ? "Back to the list" : "返回公示名单"}</a>
          </p>
        </Alert>
      </div>
    );
  }

  return (
    <div className="narrow">
      <PageHeading
        title={en ? "File a complaint about a result" : "对评审结果提出投诉"}
        lead={data.batchTitle}
      />
      <Card title={en ? "The result" : "被投诉的评审结果"}>
        <dl className="dates" data-testid="complaint-entry">
          <dt>{en ? "Name" : "姓名"}</dt>
          <dd>{data.entry.name}</dd>
          <dt>{en ? "Unit" : "工作单位"}</dt>
          <dd>{data.entry.unitName}</dd>
          <dt>{en ? "Series" : "系列"}</dt>
          <dd>
            {data.entry.series} · {data.entry.level}
          </dd>
          <dt>{en ? "Qualification" : "取得资格"}</dt>
          <dd>{data.entry.qualification}</dd>
          <dt>{en ? "Publicity" : "公示期"}</dt>
          <dd>
            {data.publicityStart} – {data.publicityEnd}
          </dd>
        </dl>
      </Card>
      {data.closed ? (
        <Alert tone="warning" title={en ? "No complaints now" : "不在受理期内"}>
          <p data-testid="complaint-closed">{data.closed}</p>
        </Alert>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate={false} aria-busy={sending}>
          {result?.error ? (
            <Alert tone="error" title={en ? "Not filed" : "投诉未提交"}>
              <p data-testid="complaint-error">{result.error}</p>
            </Alert>
          ) : null}
          <p className="meta">
            {en
              ? `Complaints are accepted until 24:00 on ${data.publicityEnd} (Beijing time). Give your real name and a phone number we can reach you on; the outcome and its reasons will be sent to you.`
              : `投诉受理至${data.publicityEnd} 24:00（北京时间）。请如实填写姓名和联系电话，复查结论及理由将告知您本人。`}
          </p>
          <TextField
            label={en ? "Your name" : "投诉人姓名"}
            name="name"
            required
            maxLength={50}
            autoComplete="name"
            defaultValue={values?.name}
          />
          <TextField
            label={en ? "Mobile phone" : "联系电话（手机）"}
            name="phone"
            type="tel"
            inputMode="tel"
            required
            maxLength={20}
            autoComplete="tel"
            hint={
              en
                ? "The reference and the outcome are sent to this number."
                : "投诉编号和处理结果将发送到此号码。"
            }
            defaultValue={values?.phone}
          />
          <div className="field">
            <label htmlFor="complaint-facts">{en ? "Facts and reasons" : "投诉事实与理由"}</label>
            <textarea
              id="complaint-facts"
              name="facts"
              rows={8}
              minLength={10}
              maxLength={5000}
              required
              defaultValue={values?.facts}
            />
          </div>
          <EvidenceField
            id="complaint-files"
            limits={data.limits}
            sending={sending}
            sendingLabel={{ "zh-CN": "正在提交投诉", en: "Sending the complaint" }}
          />
          <Button type="submit" disabled={sending}>
            {en ? "Submit the complaint" : "提交投诉"}
          </Button>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  const { locale } = useI18n();
  const error = useRouteError();
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  return (
    <div className="narrow">
      <Alert tone="error" title={locale === "en" ? "Not found" : "未找到"}>
        <p data-testid="complaint-not-listed">
          {message ??
            (locale === "en"
              ? "This result is not on a published list."
              : "该评审结果不在已公布的公示名单中。")}
        </p>
        <p>
          <a href="/results">{locale === "en" ? "All publicity lists" : "全部公示名单"}</a>
        </p>
      </Alert>
    </div>
  );
}
