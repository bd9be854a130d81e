import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  daysLeft,
  type Level,
  levelLabels,
  type Series,
  seriesLabels,
  type Track,
  trackLabels,
  windowStatus,
} from "@titles/domain";
import { Alert, Card, PageHeading, ProcessSteps, useI18n } from "@titles/ui";
import { getSession } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import { activeRound } from "~/lib/round.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const locale = localeOf(request);
  const [round, session] = await Promise.all([activeRound(), getSession(request)]);
  const sep = locale === "en" ? ", " : "、";
  const windows =
    round?.windows.map((w) => {
      const status = windowStatus(now, w);
      return {
        id: w.id,
        series: w.series.map((s: Series) => seriesLabels[s][locale]).join(sep),
        levels: w.levels.map((l: Level) => levelLabels[l][locale]).join(sep),
        tracks: w.tracks.map((t: Track) => trackLabels[t][locale]).join(sep),
        opens: w.opens,
        closes: w.closes,
        status,
        daysLeft: status === "open" ? daysLeft(now, w) : null,
        daysUntil:
          status === "not-open"
            ? Math.ceil((Date.parse(`${w.opens}T00:00:00+08:00`) - now.getTime()) / 86_400_000)
            : null,
        recommendedSubmit: w.recommendedSubmitToEmployerBy,
        recommendedPublicity: w.recommendedPublicityDoneBy,
        districtDeadline: w.districtDeadline ?? null,
      };
    }) ?? [];
  return {
    round: round
      ? {
          year: round.year,
          defense: round.defenseMonths,
          evaluationEndsBy: round.evaluationEndsBy,
          publicityEndsBy: round.publicityEndsBy,
        }
      : null,
    windows,
    signedIn: session.state === "active",
  };
}

export default function Home() {
  const { round, windows, signedIn } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeading
        title={round ? `${round.year}${locale === "en" ? " round" : " 年度职称评审申报"}` : t("app.name")}
        lead={round ? t("home.round") : t("home.noRound")}
      >
        {!signedIn ? (
          <div className="button-row">
            <a className="button button--primary" href="/register">
              {t("home.cta.register")}
            </a>
            <a className="button button--secondary" href="/login">
              {t("home.cta.login")}
            </a>
          </div>
        ) : null}
      </PageHeading>
      <div className="grid" style={{ marginTop: 16 }}>
        <Card title={t("home.windows")}>
          <ul className="windows">
            {windows.map((w) => (
              <li key={w.id} className="window">
                <div className="window__head">
                  <span>
                    {w.opens} – {w.closes}
                  </span>
                  {w.status === "open" ? (
                    <span className="badge badge--open">
                      {t("home.open")} · {t("home.daysLeft", { days: w.daysLeft ?? 0 })}
                    </span>
                  ) : w.status === "not-open" ? (
                    <span className="badge badge--upcoming">
                      {t("home.upcoming")} · {t("home.opensIn", { days: w.daysUntil ?? 0 })}
                    </span>
                  ) : (
                    <span className="badge badge--closed">{t("home.closed")}</span>
                  )}
                </div>
                <p className="meta">
                  {w.series} · {w.levels} · {w.tracks}
                </p>
                <p className="meta">
                  {t("home.recommended", { submit: w.recommendedSubmit, publicity: w.recommendedPublicity })}
                </p>
                {w.districtDeadline ? (
                  <p className="meta">{t("home.district", { date: w.districtDeadline })}</p>
                ) : null}
              </li>
            ))}
          </ul>
          <Alert tone="info">{t("home.otherAuthority")}</Alert>
        </Card>
        <Card title={t("home.process")}>
          <ProcessSteps
            current={-1}
            steps={[
              { key: "step.register" },
              { key: "step.employer" },
              { key: "step.publicity" },
              { key: "step.confirm" },
              { key: "step.review" },
              { key: "step.pay" },
              {
                key: "step.defense",
                date: round ? `${round.defense.from} – ${round.defense.to}` : undefined,
              },
              { key: "step.result", date: round ? `≤ ${round.publicityEndsBy}` : undefined },
              { key: "step.certificate" },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
