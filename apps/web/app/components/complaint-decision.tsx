import { Form, useNavigation } from "@remix-run/react";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import type { ComplaintPageView } from "~/services/complaints.server";

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * A complaint or re-review request as staff re-review it (the agency's and the bureau's pages share it):
 * what was complained about, the evidence, and the decision with its reasons, which are sent to both sides.
 */
export function ComplaintDecision({
  complaint: c,
  result,
}: {
  complaint: ComplaintPageView;
  result?: { done?: string | null; error?: string | null } | null;
}) {
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const open = c.state === "open";
  return (
    <>
      <PageHeading title={`${c.kindLabel} ${c.reference}`}>
        <p>
          {c.batch.title} · {en ? "publicity" : "公示期"} {c.batch.publicityStart} – {c.batch.publicityEnd}
        </p>
        <p>
          {en ? "State: " : "状态："}
          <strong data-testid="complaint-state">{c.stateLabel}</strong>
        </p>
      </PageHeading>
      <p>
        <a href={c.batch.href}>{en ? "← The batch" : "← 返回公示批次"}</a>
      </p>
      {result?.error ? (
        <Alert tone="error">
          <p data-testid="decision-error">{result.error}</p>
        </Alert>
      ) : null}
      {result?.done ? (
        <Alert tone="success">
          <p data-testid="decision-done">{result.done}</p>
        </Alert>
      ) : null}

      <Card title={en ? "The result" : "所涉评审结果"}>
        <dl className="dates" data-testid="complaint-entry">
          <dt>{en ? "Name" : "姓名"}</dt>
          <dd>{c.entry.name}</dd>
          <dt>{en ? "Unit" : "工作单位"}</dt>
          <dd>{c.entry.unitName}</dd>
          <dt>{en ? "Series" : "系列"}</dt>
          <dd>{c.entry.series}</dd>
          <dt>{en ? "Qualification" : "取得资格"}</dt>
          <dd>{c.entry.qualification}</dd>
          <dt>{en ? "Result / outcome" : "评审结果 / 处理"}</dt>
          <dd>
            {c.entry.result} · {c.entry.outcome}
          </dd>
          <dt>{en ? "Application" : "申报状态"}</dt>
          <dd data-testid="application-state">{c.applicationState}</dd>
        </dl>
      </Card>

      <Card title={en ? "The complaint" : "投诉内容"}>
        <dl className="dates">
          <dt>{en ? "Filed by" : "提出人"}</dt>
          <dd>{c.complainantName}</dd>
          <dt>{en ? "Contact phone" : "联系电话"}</dt>
          <dd>{c.contactPhone}</dd>
          <dt>{en ? "Filed" : "提出时间"}</dt>
          <dd>{c.filedAt}</dd>
        </dl>
        <p style={{ whiteSpace: "pre-wrap" }} data-testid="complaint-facts">
          {c.facts}
        </p>
        {c.attachments.length ? (
          <ul data-testid="complaint-attachments">
            {c.attachments.map((a) => (
              <li key={a.position}>
                <a href={a.href} target="_blank" rel="noreferrer">
                  {a.name}
                </a>{" "}
                <span className="meta">
                  （{a.mime === "application/pdf" ? "PDF" : en ? "image" : "图片"}，{size(a.size)}）
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="meta">{en ? "No attachments." : "未附证明材料。"}</p>
        )}
      </Card>

      <Card title={en ? "Decision after re-review" : "复查结论"}>
        {open ? (
          <Form method="post">
            {c.publicityOver ? (
              <p className="meta">
                {en
                  ? "The publicity is over: the result is settled as soon as this is decided."
                  : "公示期已结束：作出结论后，该结果立即确认或撤销。"}
              </p>
            ) : null}
            <fieldset className="field">
              <legend>{en ? "Outcome" : "结论"}</legend>
              <label>
                <input type="radio" name="outcome" value="dismissed" required />{" "}
                {en ? "Dismissed: the result stands" : "不成立：维持评审结果"}
              </label>
              <br />
              <label>
                <input type="radio" name="outcome" value="upheld" disabled={c.upheldEffect === null} />{" "}
                {en ? "Upheld" : "成立"}
                {c.upheldEffect
                  ? `：${c.upheldEffect}`
                  : en
                    ? " (not possible for this result)"
                    : "（该结果不适用）"}
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor="decision-reason">
                {en ? "Reasons (sent to the complainant and the applicant)" : "理由（将告知投诉人和申报人）"}
              </label>
              <textarea id="decision-reason" name="reason" rows={5} minLength={2} maxLength={2000} required />
            </div>
            <Button type="submit" disabled={busy}>
              {en ? "Record the decision" : "记录复查结论"}
            </Button>
          </Form>
        ) : (
          <dl className="dates" data-testid="complaint-decision">
            <dt>{en ? "Decided" : "办结时间"}</dt>
            <dd>{c.decidedAt}</dd>
            <dt>{en ? "Reasons" : "理由"}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{c.reason}</dd>
          </dl>
        )}
      </Card>
    </>
  );
}
