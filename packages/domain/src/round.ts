import { z } from "zod";
import { addWorkingDays, defaultCalendar, type WorkingCalendar } from "./calendar";
import {
  evaluatedLevels,
  hasThroughTrain,
  type Level,
  levels,
  otherAuthorityFor,
  type Series,
  series as seriesList,
  type Track,
  tracks,
  ZLevel,
  ZSeries,
  ZTrack,
} from "./catalog";
import { compareDates, type IsoDate, isIsoDate, yearOf } from "./dates";
import { DomainError, type Result } from "./errors";
import { daysLeft, isWithinWindow, windowStatus } from "./time";

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });

/**
 * One application window of a round: every (series, level, track) in the
 * product of its lists may apply between `opens` and `closes` (whole days,
 * Asia/Shanghai, both included).
 */
export const ZRoundWindow = z.object({
  id: z.string().min(1),
  series: z.array(ZSeries).min(1),
  levels: z.array(ZLevel).min(1),
  tracks: z.array(ZTrack).min(1),
  opens: ZIsoDate,
  closes: ZIsoDate,
  /** Advice only: submit to the employer by this day to leave time for publicity. */
  recommendedSubmitToEmployerBy: ZIsoDate,
  /** Advice only: have the employer publicity finished by this day. */
  recommendedPublicityDoneBy: ZIsoDate,
  /** Through-train: paper files reach the district bureau by this day. */
  districtDeadline: ZIsoDate.optional(),
});
export type RoundWindow = z.infer<typeof ZRoundWindow>;

/** An amount in fen (分, 1/100 yuan): integers only, so sums and comparisons are exact. */
const ZFen = z.number().int().min(0).max(10_000_000);

/**
 * The evaluation fee (notice §2.6): an amount per level, due a number of working days after the
 * agency's approval. Optional in a round's configuration; `defaultRoundFees` applies when absent.
 */
export const ZRoundFees = z.object({
  amountsFen: z.object({
    junior: ZFen,
    intermediate: ZFen,
    "deputy-senior": ZFen,
    senior: ZFen,
  }),
  /** Working days after the approval day (which does not count) to pay. */
  dueWorkingDays: z.number().int().min(1).max(60),
});
export type RoundFees = z.infer<typeof ZRoundFees>;

/**
 * Placeholder amounts: the 2021 notice states no fee. The admin sets each round's real amounts from
 * the price authority's published standard.
 */
export const defaultRoundFees: RoundFees = {
  amountsFen: { junior: 10_000, intermediate: 20_000, "deputy-senior": 30_000, senior: 40_000 },
  dueWorkingDays: 5,
};

export const ZRoundConfig = z
  .object({
    year: z.number().int().min(2000).max(2999),
    windows: z.array(ZRoundWindow).min(1),
    defenseMonths: z.object({ from: ZIsoDate, to: ZIsoDate }),
    evaluationEndsBy: ZIsoDate,
    publicityEndsBy: ZIsoDate,
    employerPublicityMinWorkingDays: z.number().int().min(1).max(60),
    resultPublicityMinWorkingDays: z.number().int().min(1).max(60),
    /** Absent in older configurations: `defaultRoundFees` applies. */
    fees: ZRoundFees.optional(),
  })
  .superRefine((round, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const covered = new Map<string, string>();
    const ids = new Set<string>();
    round.windows.forEach((w, i) => {
      const at = ["windows", i];
      if (ids.has(w.id)) issue([...at, "id"], `window id ${w.id} is used twice`);
      ids.add(w.id);
      if (yearOf(w.opens) !== round.year) {
        issue([...at, "opens"], `opens outside ${round.year}`);
      }
      if (compareDates(w.opens, w.closes) > 0) {
        issue([...at, "closes"], "closes before it opens");
      }
      for (const key of ["recommendedSubmitToEmployerBy", "recommendedPublicityDoneBy"] as const) {
        if (compareDates(w[key], w.opens) < 0 || compareDates(w[key], w.closes) > 0) {
          issue([...at, key], "must lie inside the window");
        }
      }
      if (compareDates(w.recommendedSubmitToEmployerBy, w.recommendedPublicityDoneBy) > 0) {
        issue(
          [...at, "recommendedPublicityDoneBy"],
          "publicity cannot be done before submission to the employer",
        );
      }
      if (w.tracks.includes("through-train")) {
        if (!w.districtDeadline) {
          issue([...at, "districtDeadline"], "through-train needs a district deadline");
        } else if (compareDates(w.districtDeadline, w.closes) < 0) {
          issue([...at, "districtDeadline"], "district deadline before the window closes");
        }
      }
      for (const s of w.series) {
        for (const l of w.levels) {
          if (otherAuthorityFor(s, l)) {
            issue(at, `${s}/${l} is handled by another authority`);
          }
          if (!evaluatedLevels(s).includes(l)) {
            issue(at, `${s}/${l} is not evaluated`);
          }
          for (const t of w.tracks) {
            if (t === "through-train" && !hasThroughTrain(s, l)) {
              issue(at, `${s}/${l} has no through-train track`);
            }
            const key = `${s}/${l}/${t}`;
            const other = covered.get(key);
            if (other !== undefined) {
              issue(at, `${key} is already in window ${other}`);
            }
            covered.set(key, w.id);
          }
        }
      }
    });
    if (compareDates(round.defenseMonths.from, round.defenseMonths.to) > 0) {
      issue(["defenseMonths"], "defense period ends before it starts");
    }
    if (compareDates(round.evaluationEndsBy, round.defenseMonths.to) < 0) {
      issue(["evaluationEndsBy"], "evaluation ends before the defenses");
    }
    if (compareDates(round.publicityEndsBy, round.evaluationEndsBy) < 0) {
      issue(["publicityEndsBy"], "result publicity ends before evaluation");
    }
  });
export type RoundConfig = z.infer<typeof ZRoundConfig>;

const generalSeries: Series[] = [
  "engineering",
  "agriculture",
  "sports",
  "journalism",
  "publishing",
  "broadcasting",
  "translation",
  "art",
  "arts-crafts",
  "cultural-relics",
  "library",
  "archives",
  "natural-science-research",
  "social-science-research",
  "notary",
];

/** The 2021 Beijing round, from the notice (京人社事业字〔2021〕14号 and the portal announcement). */
export const round2021: RoundConfig = ZRoundConfig.parse({
  year: 2021,
  windows: [
    {
      id: "2021-general",
      series: generalSeries,
      levels: [...levels],
      tracks: ["regular"],
      opens: "2021-07-06",
      closes: "2021-07-26",
      recommendedSubmitToEmployerBy: "2021-07-15",
      recommendedPublicityDoneBy: "2021-07-22",
    },
    {
      id: "2021-accounting-statistics-audit",
      series: ["accounting", "statistics", "audit"],
      levels: ["deputy-senior"],
      tracks: ["regular"],
      opens: "2021-07-06",
      closes: "2021-07-26",
      recommendedSubmitToEmployerBy: "2021-07-15",
      recommendedPublicityDoneBy: "2021-07-22",
    },
    {
      id: "2021-through-train",
      series: ["engineering", "natural-science-research", "social-science-research"],
      levels: ["senior"],
      tracks: ["through-train"],
      opens: "2021-07-06",
      closes: "2021-07-26",
      recommendedSubmitToEmployerBy: "2021-07-15",
      recommendedPublicityDoneBy: "2021-07-22",
      districtDeadline: "2021-07-29",
    },
    {
      id: "2021-economics",
      series: ["economics"],
      levels: ["deputy-senior"],
      tracks: ["regular"],
      opens: "2021-09-01",
      closes: "2021-09-23",
      recommendedSubmitToEmployerBy: "2021-09-10",
      recommendedPublicityDoneBy: "2021-09-18",
    },
    {
      id: "2021-pilot",
      series: ["economics", "accounting"],
      levels: ["senior"],
      tracks: ["pilot"],
      opens: "2021-09-01",
      closes: "2021-09-23",
      recommendedSubmitToEmployerBy: "2021-09-10",
      recommendedPublicityDoneBy: "2021-09-18",
    },
  ],
  defenseMonths: { from: "2021-08-01", to: "2021-11-30" },
  evaluationEndsBy: "2021-12-31",
  publicityEndsBy: "2022-01-31",
  employerPublicityMinWorkingDays: 5,
  resultPublicityMinWorkingDays: 5,
});

export interface Choice {
  series: Series;
  level: Level;
  track: Track;
}

function covers(w: RoundWindow, c: Choice): boolean {
  return w.series.includes(c.series) && w.levels.includes(c.level) && w.tracks.includes(c.track);
}

/**
 * The window in which this (series, level, track) may apply, or a DomainError
 * saying why none applies: OTHER_AUTHORITY, NO_SUCH_LEVEL, NO_SUCH_TRACK or
 * NOT_THIS_ROUND.
 */
export function windowFor(round: RoundConfig, choice: Choice): RoundWindow {
  const r = tryWindowFor(round, choice);
  if (!r.ok) throw r.error;
  return r.window;
}

/** `windowFor` without throwing. */
export function tryWindowFor(round: RoundConfig, choice: Choice): Result<{ window: RoundWindow }> {
  const { series: s, level, track } = choice;
  const other = otherAuthorityFor(s, level);
  if (other) {
    return fail("OTHER_AUTHORITY", {
      series: s,
      level,
      where: other.where["zh-CN"],
      whereEn: other.where.en,
    });
  }
  if (!evaluatedLevels(s).includes(level)) {
    return fail("NO_SUCH_LEVEL", { series: s, level });
  }
  if (track === "through-train" && !hasThroughTrain(s, level)) {
    return fail("NO_SUCH_TRACK", { series: s, level, track, offered: "" });
  }
  const window = round.windows.find((w) => covers(w, choice));
  if (window) return { ok: true, window };
  const offered = tracks.filter((t) => round.windows.some((w) => covers(w, { series: s, level, track: t })));
  if (offered.length > 0) {
    return fail("NO_SUCH_TRACK", {
      series: s,
      level,
      track,
      offered: offered.join(","),
    });
  }
  return fail("NOT_THIS_ROUND", { year: round.year, series: s, level, track });
}

function fail(
  code: "OTHER_AUTHORITY" | "NO_SUCH_LEVEL" | "NO_SUCH_TRACK" | "NOT_THIS_ROUND",
  params: Record<string, string | number>,
): { ok: false; error: DomainError } {
  return { ok: false, error: new DomainError(code, params) };
}

/** Windows open at an instant. */
export function openWindows(round: RoundConfig, instant: Date): RoundWindow[] {
  return round.windows.filter((w) => isWithinWindow(instant, w));
}

/** Windows that have not opened yet at an instant, soonest first. */
export function upcomingWindows(round: RoundConfig, instant: Date): RoundWindow[] {
  return round.windows
    .filter((w) => windowStatus(instant, w) === "not-open")
    .sort((a, b) => compareDates(a.opens, b.opens));
}

export interface OfferedChoice extends Choice {
  window: RoundWindow;
  daysLeft: number;
}

/** Every (series, level, track) one can apply for at an instant, in catalog order. */
export function offeredChoices(round: RoundConfig, instant: Date): OfferedChoice[] {
  const out: OfferedChoice[] = [];
  for (const window of openWindows(round, instant)) {
    for (const s of window.series) {
      for (const level of window.levels) {
        for (const track of window.tracks) {
          out.push({
            series: s,
            level,
            track,
            window,
            daysLeft: daysLeft(instant, window),
          });
        }
      }
    }
  }
  const order = <T>(list: readonly T[], v: T) => list.indexOf(v);
  return out.sort(
    (a, b) =>
      order(seriesList, a.series) - order(seriesList, b.series) ||
      order(levels, a.level) - order(levels, b.level) ||
      order(tracks, a.track) - order(tracks, b.track),
  );
}

/**
 * The last working day on which an employer publicity of `minDays` working
 * days can start and still end before the window's closing day, leaving that
 * day for HR's stamp and the applicant's upload. Used to warn early.
 */
export function latestPublicityStart(
  window: { closes: IsoDate },
  minDays = 5,
  calendar: WorkingCalendar = defaultCalendar,
): IsoDate {
  const lastEnd = addWorkingDays(window.closes, -1, calendar);
  return addWorkingDays(lastEnd, -(minDays - 1), calendar);
}
