import { z } from "zod";
import type { Labels, Series } from "./catalog";
import { DomainError } from "./errors";

/**
 * A defense score sheet: criteria with weights that add up to 100, each scored 0–100 in whole points,
 * and the pass line of the weighted total. Kept as configuration (one per series, a default for the rest).
 */
export const ZScoreSheet = z
  .object({
    criteria: z
      .array(
        z.object({
          key: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
          labels: z.object({ "zh-CN": z.string().min(1), en: z.string().min(1) }),
          weight: z.number().int().min(1).max(100),
        }),
      )
      .min(1),
    passLine: z.number().int().min(0).max(100),
  })
  .refine((s) => s.criteria.reduce((sum, c) => sum + c.weight, 0) === 100, {
    message: "weights add up to 100",
  })
  .refine((s) => new Set(s.criteria.map((c) => c.key)).size === s.criteria.length, {
    message: "criteria keys are unique",
  });
export type ScoreSheet = z.infer<typeof ZScoreSheet>;

const criterion = (key: string, zh: string, en: string, weight: number) => ({
  key,
  labels: { "zh-CN": zh, en } satisfies Labels,
  weight,
});

export const defaultScoreSheet: ScoreSheet = ZScoreSheet.parse({
  criteria: [
    criterion("theory", "专业理论知识", "Professional theory", 30),
    criterion("practice", "专业技术能力与业绩", "Technical ability and achievements", 40),
    criterion("presentation", "答辩陈述与应答", "Presentation and answers", 30),
  ],
  passLine: 60,
});

export const scoreSheets: Readonly<Partial<Record<Series, ScoreSheet>>> = {
  engineering: ZScoreSheet.parse({
    criteria: [
      criterion("theory", "专业理论水平", "Command of engineering theory", 25),
      criterion("achievements", "工程业绩与成果", "Engineering achievements", 35),
      criterion("problem-solving", "解决复杂技术问题能力", "Solving complex technical problems", 25),
      criterion("presentation", "答辩陈述与应答", "Presentation and answers", 15),
    ],
    passLine: 60,
  }),
  economics: ZScoreSheet.parse({
    criteria: [
      criterion("theory", "经济理论与政策掌握", "Economic theory and policy", 30),
      criterion("practice", "业务能力与工作业绩", "Professional ability and results", 45),
      criterion("presentation", "答辩陈述与应答", "Presentation and answers", 25),
    ],
    passLine: 60,
  }),
};

/** The sheet of a series; a series with no sheet of its own (or a string that is no series) gets the default. */
export function scoreSheetFor(series: Series | string): ScoreSheet {
  return (scoreSheets as Readonly<Record<string, ScoreSheet | undefined>>)[series] ?? defaultScoreSheet;
}

/** An expert's scores as they cross the boundary: criterion key → whole points. */
export const ZScores = z.record(z.string().max(41), z.number());
export type Scores = z.infer<typeof ZScores>;

/**
 * Problems with a set of scores against the sheet: unknown criteria, values outside 0–100 or not whole
 * points; when `complete`, every criterion must be scored (a draft may be partial).
 */
export function scoreErrors(sheet: ScoreSheet, scores: Scores, complete: boolean): DomainError[] {
  const known = new Set(sheet.criteria.map((c) => c.key));
  const errors: DomainError[] = [];
  for (const [key, value] of Object.entries(scores)) {
    if (!known.has(key)) {
      errors.push(new DomainError("VALIDATION", { details: `unknown criterion ${key}` }));
    } else if (!Number.isInteger(value) || value < 0 || value > 100) {
      const c = sheet.criteria.find((x) => x.key === key)!;
      errors.push(
        new DomainError("SCORE_OUT_OF_RANGE", { criterion: c.labels["zh-CN"], value: String(value) }),
      );
    }
  }
  if (complete) {
    const missing = sheet.criteria.filter((c) => scores[c.key] === undefined).map((c) => c.labels["zh-CN"]);
    if (missing.length) errors.push(new DomainError("SCORE_INCOMPLETE", { missing: missing.join("、") }));
  }
  return errors;
}

/** The weighted total in hundredths of a point (exact: Σ score × weight, the weights adding to 100). */
export function weightedTotal(sheet: ScoreSheet, scores: Scores): number {
  return sheet.criteria.reduce((sum, c) => sum + (scores[c.key] ?? 0) * c.weight, 0);
}

export interface PanelScore {
  /** Hundredths of a point, rounded half up; null when nobody has submitted. */
  score: number | null;
  /** How many submitted sheets there are, and whether the highest and lowest were dropped. */
  count: number;
  trimmed: boolean;
}

/**
 * The defense panel's score: the mean of the submitted totals, dropping one highest and one lowest when
 * five or more experts scored. Totals and result are in hundredths of a point.
 */
export function panelScore(totals: readonly number[]): PanelScore {
  for (const t of totals) {
    if (!Number.isSafeInteger(t) || t < 0 || t > 10_000) {
      throw new DomainError("VALIDATION", { details: `total ${t} is not 0–10000 hundredths` });
    }
  }
  if (totals.length === 0) return { score: null, count: 0, trimmed: false };
  const sorted = [...totals].sort((a, b) => a - b);
  const trimmed = sorted.length >= 5;
  const kept = trimmed ? sorted.slice(1, -1) : sorted;
  const sum = kept.reduce((s, t) => s + t, 0);
  // Integer rounding half up: floor((2·sum + n) / 2n).
  const score = Math.floor((2 * sum + kept.length) / (2 * kept.length));
  return { score, count: totals.length, trimmed };
}

/** Whether a panel score reaches the sheet's pass line. */
export function defensePassed(scoreHundredths: number, sheet: ScoreSheet): boolean {
  return scoreHundredths >= sheet.passLine * 100;
}

/** `8550` → `"85.50"`. */
export function formatScore(hundredths: number): string {
  return (hundredths / 100).toFixed(2);
}

/** What the committee reads of a defense: the panel score (formatted), how it was formed, and the pass line. */
export interface DefenseReference {
  score: string | null;
  count: number;
  trimmed: boolean;
  passLine: number;
  passed: boolean | null;
}

export function defenseReference(totals: readonly number[], sheet: ScoreSheet): DefenseReference {
  const result = panelScore(totals);
  return {
    score: result.score === null ? null : formatScore(result.score),
    count: result.count,
    trimmed: result.trimmed,
    passLine: sheet.passLine,
    passed: result.score === null ? null : defensePassed(result.score, sheet),
  };
}
