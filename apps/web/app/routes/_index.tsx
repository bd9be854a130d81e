import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { timelineStages } from "@titles/domain";
import { Alert, Card, PageHeading, ProcessSteps, timelineStageKeys, useI18n } from "@titles/ui";
import { WindowList } from "~/components/window-list";
import { getSession } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import { activeRound, windowSummaries } from "~/lib/round.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const locale = localeOf(request);
  const [round, session] = await Promise.all([activeRound(), getSession(request)]);
  const windows = windowSummaries(round, now, locale);
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
      <p data-testid="public-links">
        <a href="/results">{locale === "en" ? "Evaluation results under publicity" : "评审结果公示"}</a> ·{" "}
        <a href="/verify">{locale === "en" ? "Verify a certificate" : "证书核验"}</a>
      </p>
      <div className="grid" style={{ marginTop: 16 }}>
        <Card title={t("home.windows")}>
          <WindowList windows={windows} />
          <Alert tone="info">{t("home.otherAuthority")}</Alert>
        </Card>
        <Card title={t("home.process")}>
          <ProcessSteps
            current={-1}
            steps={timelineStages.map((stage) => ({
              key: timelineStageKeys[stage],
              date:
                stage === "defense" && round
                  ? `${round.defense.from} – ${round.defense.to}`
                  : stage === "result" && round
                    ? `≤ ${round.publicityEndsBy}`
                    : undefined,
            }))}
          />
        </Card>
      </div>
    </>
  );
}
