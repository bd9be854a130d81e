import { useI18n } from "@titles/ui";

export interface ApplicationSummary {
  id: string;
  seriesLabel: string;
  levelLabel: string;
  trackLabel: string;
  stateLabel: string;
  applicantName: string;
  employerName: string | null;
}

/** Which application this page is about, and where it stands. */
export function ApplicationHeader({ app, current }: { app: ApplicationSummary; current?: string }) {
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <div className="app-header">
      <p className="meta">
        {app.applicantName} · {app.seriesLabel} · {app.levelLabel} · {app.trackLabel}
        {app.employerName ? ` · ${app.employerName}` : ""}
      </p>
      <p>
        <span className="badge badge--upcoming">{app.stateLabel}</span>{" "}
        {current ? <span className="meta">{current}</span> : null}{" "}
        <a href={`/applications/${app.id}`}>{en ? "My application status" : "我的申报状态"}</a>
      </p>
    </div>
  );
}
