import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatCertificateNumber, messageFor } from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { findCertificates, revokeCertificate } from "~/services/certificates.server";

export const meta: MetaFunction = () => [{ title: "电子证书管理 · 市人社局" }];

/** The bureau's certificate desk: find a certificate by number or holder name, revoke it with a reason. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 50);
  const found = q.trim() ? await findCertificates(db(), actor, q) : [];
  return {
    q,
    results: found.map((c) => ({
      number: c.number,
      grouped: formatCertificateNumber(c.number),
      holderName: c.holderName,
      qualification: c.qualification,
      issueDate: c.issueDate,
      revokedAt: c.revokedAt?.toISOString() ?? null,
      revokedReason: c.revokedReason,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await request.formData();
  const number = String(form.get("number") ?? "");
  const result = await revokeCertificate(
    db(),
    actor,
    { number, reason: String(form.get("reason") ?? "") },
    now(),
  );
  return result.ok
    ? { number, done: true as const, error: null }
    : { number, done: false as const, error: messageFor(result.error, localeOf(request)) };
}

const day = (iso: string) => new Date(iso).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" });

export default function BureauCertificates() {
  const { q, results } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Electronic certificates" : "电子职称证书管理"}
        lead={
          en
            ? "Find a certificate by its number or the holder's name. A revoked certificate shows as revoked on its verification page and in the status list."
            : "按证书编号或持证人姓名查找证书。撤销后，核验页面和状态列表将显示该证书已撤销。"
        }
      />
      <p>
        <a href="/bureau">{en ? "← Bureau" : "← 返回市人社局工作台"}</a>
      </p>
      <Card>
        <Form method="get" className="filters">
          <TextField label={en ? "Number or name" : "证书编号或姓名"} name="q" defaultValue={q} required />
          <Button variant="secondary">{en ? "Search" : "查找"}</Button>
        </Form>
      </Card>
      {answer?.done ? (
        <Alert tone="success">
          {en
            ? `Certificate ${answer.number} revoked.`
            : `证书 ${answer.number} 已撤销，持证人已收到短信通知。`}
        </Alert>
      ) : null}
      {q && results.length === 0 ? (
        <Alert tone="info">{en ? "No certificate found." : "未找到相符的证书。"}</Alert>
      ) : null}
      {results.map((c) => (
        <Card key={c.number} title={`${c.holderName} · ${c.qualification}`}>
          <section data-testid="certificate-result">
            <dl className="dates">
              <dt>{en ? "Number" : "证书编号"}</dt>
              <dd>{c.grouped}</dd>
              <dt>{en ? "Issued" : "发证日期"}</dt>
              <dd>{c.issueDate}</dd>
              <dt>{en ? "Status" : "状态"}</dt>
              <dd data-testid="certificate-status">
                {c.revokedAt
                  ? `${en ? "Revoked" : "已撤销"} ${day(c.revokedAt)}：${c.revokedReason ?? ""}`
                  : en
                    ? "Valid"
                    : "有效"}
              </dd>
            </dl>
            <p>
              <a href={`/certificates/${c.number}.pdf`}>{en ? "PDF" : "查看 PDF"}</a> ·{" "}
              <a href={`/verify/${c.number}`}>{en ? "Verification page" : "核验页面"}</a>
            </p>
            {c.revokedAt ? null : (
              <Form method="post" data-testid="revoke-form">
                <input type="hidden" name="number" value={c.number} />
                <TextField
                  label={en ? "Reason for revocation" : "撤销原因"}
                  name="reason"
                  required
                  maxLength={500}
                  error={answer && !answer.done && answer.number === c.number ? answer.error : null}
                />
                <Button variant="danger" disabled={busy}>
                  {en ? "Revoke certificate" : "撤销证书"}
                </Button>
              </Form>
            )}
          </section>
        </Card>
      ))}
    </>
  );
}
