import { Card, useI18n } from "@titles/ui";

/** The defense notice as the status page receives it (see defenseNoticeFor in defense.server.ts). */
export interface DefenseNoticeProps {
  title: string;
  date: string;
  slotStart: string | null;
  venue: string;
  requirements: string | null;
  requirementsPublishedAt: string | null;
  attendance: string;
  next: Array<{ step: "defense" | "evaluation" | "publicity"; date: string; by: boolean }>;
}

const stepLabels = {
  defense: { "zh-CN": "现场答辩", en: "On-site defense" },
  evaluation: { "zh-CN": "评审委员会评审", en: "Committee evaluation" },
  publicity: { "zh-CN": "评审结果公示", en: "Result publicity" },
} as const;

const attendanceLabels: Record<string, { "zh-CN": string; en: string }> = {
  present: { "zh-CN": "已签到", en: "Checked in" },
  no_show: { "zh-CN": "未到场（已登记缺席）", en: "Did not attend (recorded as a no-show)" },
};

function time(iso: string, locale: string) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
}

/** The applicant's defense: when and where, the epidemic-prevention requirements, and what follows. */
export function DefenseNotice({ notice }: { notice: DefenseNoticeProps }) {
  const { locale } = useI18n();
  const en = locale === "en";
  const attendance = attendanceLabels[notice.attendance]?.[locale];
  return (
    <Card title={en ? "Defense notice" : "答辩通知"}>
      <section data-testid="defense-notice" aria-label={en ? "Defense notice" : "答辩通知"}>
        <dl className="dates">
          <dt>{en ? "Session" : "答辩场次"}</dt>
          <dd>{notice.title}</dd>
          <dt>{en ? "Date and time" : "答辩时间"}</dt>
          <dd data-testid="defense-when">
            {notice.date} {notice.slotStart ?? ""}
          </dd>
          <dt>{en ? "Venue" : "答辩地点"}</dt>
          <dd data-testid="defense-venue">{notice.venue}</dd>
          {attendance ? (
            <>
              <dt>{en ? "Attendance" : "签到情况"}</dt>
              <dd>{attendance}</dd>
            </>
          ) : null}
        </dl>
        <h3>{en ? "Epidemic-prevention requirements" : "防疫要求"}</h3>
        {notice.requirements ? (
          <>
            <p data-testid="defense-requirements">{notice.requirements}</p>
            {notice.requirementsPublishedAt ? (
              <p className="meta">
                {en ? "Published " : "发布时间："}
                {time(notice.requirementsPublishedAt, locale)}
              </p>
            ) : null}
          </>
        ) : (
          <p data-testid="defense-requirements-pending">
            {en
              ? "The agency publishes them before the session; you will also get them by SMS."
              : "评审机构将在答辩前发布本场防疫要求，届时将同时短信通知您。"}
          </p>
        )}
        <h3>{en ? "What comes next" : "后续安排"}</h3>
        <ol data-testid="defense-next">
          {notice.next.map((n) => (
            <li key={n.step}>
              {stepLabels[n.step][locale]} · {n.by ? (en ? `by ${n.date}` : `${n.date} 前完成`) : n.date}
            </li>
          ))}
        </ol>
      </section>
    </Card>
  );
}
