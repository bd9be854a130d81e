import { type Db, roundRepository } from "@titles/db";
import {
  dayNumber,
  daysLeft,
  levelLabels,
  type RoundConfig,
  seriesLabels,
  shanghaiDate,
  trackLabels,
  windowStatus,
  ZRoundConfig,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { db } from "~/lib/db.server";

/** The active round as validated configuration, or null when none runs. */
export async function activeRound(database: Db = db()): Promise<RoundConfig | null> {
  const row = await roundRepository.findActive(database);
  return row ? ZRoundConfig.parse(row.config) : null;
}

/** What a person needs to know of each window of the round, in their language. */
export function windowSummaries(round: RoundConfig | null, now: Date, locale: Locale) {
  const sep = locale === "en" ? ", " : "、";
  return (
    round?.windows.map((w) => {
      const status = windowStatus(now, w);
      return {
        id: w.id,
        series: w.series.map((s) => seriesLabels[s][locale]).join(sep),
        levels: w.levels.map((l) => levelLabels[l][locale]).join(sep),
        tracks: w.tracks.map((t) => trackLabels[t][locale]).join(sep),
        opens: w.opens,
        closes: w.closes,
        status,
        daysLeft: status === "open" ? daysLeft(now, w) : null,
        daysUntil: status === "not-open" ? dayNumber(w.opens) - dayNumber(shanghaiDate(now)) : null,
        recommendedSubmit: w.recommendedSubmitToEmployerBy,
        recommendedPublicity: w.recommendedPublicityDoneBy,
        districtDeadline: w.districtDeadline ?? null,
      };
    }) ?? []
  );
}
export type WindowSummary = ReturnType<typeof windowSummaries>[number];
