import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { isDomainError, messageFor } from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { env } from "~/env.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { followComplaint } from "~/services/complaints.server";

export const meta: MetaFunction = () => [{ title: "投诉查询 · 北京市职称评审" }];

/** The reference may come pre-filled from the filing page; the phone never travels in an address. */
export async function loader({ request }: LoaderFunctionArgs) {
  return { reference: new URL(request.url).searchParams.get("reference")?.slice(0, 40) ?? "" };
}

// POST, not GET: the phone number must not end up in addresses, logs or the browser history.
export async function action({ request }: ActionFunctionArgs) {
  const locale = localeOf(request);
  const form = await request.formData();
  const reference = String(form.get("reference") ?? "").slice(0, 40);
  try {
    const found = await followComplaint(
      db(),
      env().LOOKUP_HASH_KEY,
      { reference, phone: String(form.get("phone") ?? "").slice(0, 20) },
      locale,
    );
    return { found, error: null, reference };
  } catch (error) {
    if (isDomainError(error)) return { found: null, error: messageFor(error, locale), reference };
    throw error;
  }
}

export default function FollowComplaint() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const found = result?.found ?? null;
  return (
    <div className="narrow">
      <PageHeading
        title={en ? "Follow a complaint" : "投诉查询"}
        lead={
          en
            ? "Enter the reference number you were given and the phone number you filed it with."
            : "请输入投诉编号（复查申请编号）和提交时填写的手机号码。"
        }
      />
      <Form method="post">
        {result?.error ? (
          <Alert tone="error">
            <p data-testid="follow-error">{result.error}</p>
          </Alert>
        ) : null}
        <TextField
          label={en ? "Reference number" : "投诉编号"}
          name="reference"
          required
          maxLength={40}
          hint={en ? "e.g. TS2026-7K3M9Q2P" : "例如 TS2026-7K3M9Q2P"}
          defaultValue={result?.reference ?? data.reference}
        />
        <TextField
          label={en ? "Mobile phone" : "手机号码"}
          name="phone"
          type="tel"
          inputMode="tel"
          required
          maxLength={20}
          autoComplete="tel"
        />
        <Button type="submit" disabled={busy}>
          {en ? "Look up" : "查询"}
        </Button>
      </Form>
      {found ? (
        <Card title={`${found.kindLabel} ${found.reference}`}>
          <dl className="dates" data-testid="complaint-found">
            <dt>{en ? "About" : "事项"}</dt>
            <dd>
              {found.batchTitle} · {found.applicantName}
            </dd>
            <dt>{en ? "Filed" : "提交时间"}</dt>
            <dd>{found.filedAt}</dd>
            <dt>{en ? "State" : "办理状态"}</dt>
            <dd>
              <strong data-testid="complaint-state">{found.stateLabel}</strong>
            </dd>
            {found.decidedAt ? (
              <>
                <dt>{en ? "Decided" : "办结时间"}</dt>
                <dd>{found.decidedAt}</dd>
                <dt>{en ? "Reasons" : "复查结论及理由"}</dt>
                <dd data-testid="complaint-reason">{found.reason}</dd>
              </>
            ) : (
              <>
                <dt>{en ? "Next" : "说明"}</dt>
                <dd>
                  {en
                    ? "The bureau and the agency are re-reviewing it; the outcome will be sent to you by SMS."
                    : "市人社局和评审机构正在复查，处理结果将以短信告知。"}
                </dd>
              </>
            )}
          </dl>
        </Card>
      ) : null}
    </div>
  );
}
