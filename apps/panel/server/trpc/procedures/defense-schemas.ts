import type { Locale } from "@titles/ui";
import { z } from "zod";
import type { MySheet, PanelSummary, ScoreSheetView } from "../../defense/scoring";

/** The score sheet as the reader sees it: criteria labelled in their language, weights, pass line. */
export const ZSheetOutput = z.object({
  criteria: z.array(z.object({ key: z.string(), label: z.string(), weight: z.number().int() })),
  passLine: z.number().int(),
});

export const ZMySheetOutput = z.object({
  status: z.enum(["none", "draft", "submitted"]),
  scores: z.record(z.string(), z.number()),
  /** Hundredths of a point. */
  total: z.number().int(),
  updatedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
});
export type TMySheetOutput = z.infer<typeof ZMySheetOutput>;

/** The chair's view of the panel: counts, and the panel score once every present panelist submitted. */
export const ZPanelSummaryOutput = z.object({
  submitted: z.number().int(),
  expected: z.number().int(),
  complete: z.boolean(),
  /** Hundredths of a point; null until complete. */
  score: z.number().int().nullable(),
  trimmed: z.boolean(),
  passed: z.boolean().nullable(),
});

export const ZSheetViewOutput = z.object({
  applicationId: z.string(),
  attendance: z.string(),
  sheet: ZSheetOutput,
  mine: ZMySheetOutput,
  summary: ZPanelSummaryOutput.nullable(),
});

export function mySheetOut(m: MySheet): TMySheetOutput {
  return {
    status: m.status,
    scores: m.scores,
    total: m.total,
    updatedAt: m.updatedAt?.toISOString() ?? null,
    submittedAt: m.submittedAt?.toISOString() ?? null,
  };
}

export function summaryOut(s: PanelSummary | null): z.infer<typeof ZPanelSummaryOutput> | null {
  return s ? { ...s } : null;
}

export function sheetViewOut(v: ScoreSheetView, locale: Locale): z.infer<typeof ZSheetViewOutput> {
  return {
    applicationId: v.applicationId,
    attendance: v.attendance,
    sheet: {
      criteria: v.sheet.criteria.map((c) => ({ key: c.key, label: c.labels[locale], weight: c.weight })),
      passLine: v.sheet.passLine,
    },
    mine: mySheetOut(v.mine),
    summary: summaryOut(v.summary),
  };
}
