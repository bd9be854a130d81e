import { z } from "zod";
import type { ApplicationEvent } from "./application-state";
import type { Labels, Level, Series } from "./catalog";
import { compareDates, type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";
import { type RoundConfig, type RoundWindow, tryWindowFor } from "./round";
import { isDayOver, shanghaiDate } from "./time";

/**
 * Through-train (直通车, notice §2.5): the applicant sends the paper files to the district bureau by
 * the district deadline; the district reviews them, checks on site, its recommendation committee
 * (推委会) decides, and the district forwards the recommended applicants to the agency.
 */

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });
const ZText = z.string().trim().min(1).max(2000);

type SeriesLevel = { series: Series; level: Level };

function throughTrainWindows(round: RoundConfig, choice?: SeriesLevel): RoundWindow[] {
  return round.windows.filter(
    (w) =>
      w.tracks.includes("through-train") &&
      w.districtDeadline !== undefined &&
      (!choice || (w.series.includes(choice.series) && w.levels.includes(choice.level))),
  );
}

/**
 * The day through-train files must reach the district bureau (2021: 7/29), for one series and level
 * or, without one, the latest of the round; undefined when the round has no through-train.
 */
export function districtDeadlineFor(round: RoundConfig, choice?: SeriesLevel): IsoDate | undefined {
  const deadlines = throughTrainWindows(round, choice).map((w) => w.districtDeadline as IsoDate);
  return deadlines.sort(compareDates).at(-1);
}

/**
 * The district takes files from the day a through-train window opens to the end of its district
 * deadline (Asia/Shanghai): DISTRICT_DEADLINE_PASSED after, WINDOW_NOT_OPEN before; when the round
 * has no such through-train, the error `tryWindowFor` gives (NOT_FOUND without a series and level).
 */
export function districtIntakeError(
  now: Date,
  round: RoundConfig,
  choice?: SeriesLevel,
): DomainError | undefined {
  const windows = throughTrainWindows(round, choice);
  if (windows.length === 0) {
    if (!choice) return new DomainError("NOT_FOUND");
    const none = tryWindowFor(round, { ...choice, track: "through-train" });
    return none.ok ? new DomainError("NOT_FOUND") : none.error;
  }
  const today = shanghaiDate(now);
  const open = windows.find(
    (w) => compareDates(w.opens, today) <= 0 && !isDayOver(now, w.districtDeadline as IsoDate),
  );
  if (open) return undefined;
  const upcoming = windows
    .filter((w) => compareDates(w.opens, today) > 0)
    .sort((a, b) => compareDates(a.opens, b.opens));
  const next = upcoming[0];
  if (next) {
    return new DomainError("WINDOW_NOT_OPEN", {
      opens: next.opens,
      closes: next.districtDeadline as IsoDate,
    });
  }
  return new DomainError("DISTRICT_DEADLINE_PASSED", {
    deadline: districtDeadlineFor(round, choice) as IsoDate,
  });
}

/** Whether the district bureau still takes through-train files at `now`. */
export function districtIntakeOpen(now: Date, round: RoundConfig, choice?: SeriesLevel): boolean {
  return districtIntakeError(now, round, choice) === undefined;
}

export const onSiteCheckOutcomes = ["passed", "failed"] as const;
export type OnSiteCheckOutcome = (typeof onSiteCheckOutcomes)[number];
export const onSiteCheckOutcomeLabels: Readonly<Record<OnSiteCheckOutcome, Labels>> = {
  passed: { "zh-CN": "现场核查通过", en: "On-site check passed" },
  failed: { "zh-CN": "现场核查未通过", en: "On-site check failed" },
};

/**
 * The district's on-site check (the only one: notice §3.3, 不设现场审核（“直通车”除外）): when, by
 * whom, with what outcome. A failed check says what was found.
 */
export const ZOnSiteCheck = z
  .object({
    date: ZIsoDate,
    staff: z.array(z.string().trim().min(1).max(50)).min(1).max(10),
    outcome: z.enum(onSiteCheckOutcomes),
    findings: z.string().trim().max(2000).optional(),
  })
  .refine((c) => c.outcome === "passed" || (c.findings ?? "") !== "", {
    message: "a failed check says what was found",
    path: ["findings"],
  });
export type OnSiteCheck = z.output<typeof ZOnSiteCheck>;

/** A check is recorded after it happened: its date may not be after today (Asia/Shanghai). */
export function onSiteCheckError(check: Pick<OnSiteCheck, "date">, now: Date): DomainError | undefined {
  return compareDates(check.date, shanghaiDate(now)) > 0
    ? new DomainError("VALIDATION", { details: `the on-site check date ${check.date} is in the future` })
    : undefined;
}

/**
 * The recommendation committee's decision on one applicant; those not recommended are told why.
 */
export const ZDistrictDecision = z.discriminatedUnion("recommended", [
  z.object({ recommended: z.literal(true), decidedOn: ZIsoDate }),
  z.object({ recommended: z.literal(false), decidedOn: ZIsoDate, reason: ZText }),
]);
export type DistrictDecision = z.output<typeof ZDistrictDecision>;

/** The state-machine event a decision leads to (`districtRecommend` or `districtDecline{reason}`). */
export function districtDecisionEvent(decision: DistrictDecision): ApplicationEvent {
  return decision.recommended
    ? { type: "districtRecommend" }
    : { type: "districtDecline", reason: decision.reason };
}
