import { useI18n } from "@titles/ui";
import type { WindowSummary } from "~/lib/round.server";

/** The round's application windows with their state, days left and the advice dates. */
export function WindowList({ windows }: { windows: WindowSummary[] }) {
  const { t } = useI18n();
  return (
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
  );
}
