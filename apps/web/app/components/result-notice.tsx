import { Card, useI18n } from "@titles/ui";
import type { ResultNoticeView } from "~/services/complaints.server";

/**
 * The applicant's published result on the status page: the publicity dates, the re-review link while
 * one may be asked for, and the certificates module once certified.
 */
export function ResultNotice({ notice }: { notice: ResultNoticeView | null }) {
  const { locale } = useI18n();
  const en = locale === "en";
  if (!notice) return null;
  const passed = notice.result === "passed";
  return (
    <Card title={en ? "Evaluation result" : "评审结果"}>
      <section data-testid="result-notice" aria-label={en ? "Evaluation result" : "评审结果"}>
        <dl className="dates">
          <dt>{en ? "Publicity" : "结果公示"}</dt>
          <dd>
            {notice.batchTitle}
            <br />
            {notice.publicityStart} – {notice.publicityEnd}
          </dd>
          <dt>{en ? "Result" : "评审结果"}</dt>
          <dd data-testid="result-notice-result">
            {notice.state === "failed"
              ? en
                ? "Not passed"
                : "未通过"
              : passed
                ? `${en ? "Passed" : "通过"} · ${notice.qualification}`
                : en
                  ? "Not passed"
                  : "未通过"}
            {notice.state === "final" ? (en ? " (final)" : "（已确认）") : null}
            {notice.certified ? (en ? " (certificate issued)" : "（已发证）") : null}
          </dd>
        </dl>
        {notice.openReReview ? (
          <p className="meta">
            {en
              ? `Your re-review request ${notice.openReReview} is being handled.`
              : `您的复查申请（编号${notice.openReReview}）正在办理中。`}
          </p>
        ) : null}
        {notice.reReview ? (
          <p>
            <a href={`/applications/${notice.applicationId}/re-review`} data-testid="re-review-link">
              {en ? "Ask for a re-review" : "申请复查"}
            </a>{" "}
            <span className="meta">
              {en ? `until 24:00 on ${notice.publicityEnd}` : `（${notice.publicityEnd} 24:00 前）`}
            </span>
          </p>
        ) : null}
        {notice.certified ? (
          <p>
            <a href="/certificates" data-testid="certificates-link">
              {en ? "My professional title certificates" : "专业技术人员资格证书"}
            </a>
          </p>
        ) : null}
      </section>
    </Card>
  );
}
