import { z } from "zod";
import type { MaterialKind } from "./access";
import { formStepsFor } from "./application-form";
import type { ApplicationEvent } from "./application-state";
import type { ApplicationState } from "./application-states";
import { addWorkingDays, defaultCalendar, type WorkingCalendar } from "./calendar";
import type { Level, Series } from "./catalog";
import type { CorrectionItemProblem } from "./correction-problems";
import { type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";
import { reviewChecklistFor, ZMaterialCategory, ZMaterialKind } from "./review-checklist";

/**
 * The one-time correction notice (一次性告知, notice §2.4): the reviewer lists every problem at once,
 * each tied to a form field or a material, with what is wrong and what is needed, and one deadline.
 * A further notice may only concern material that the correction itself added or replaced.
 */

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });
const ZItemText = z.string().trim().min(1).max(500);

export const correctionNoticeLimits = { maxItems: 100, maxTextLength: 500 } as const;

/**
 * What an item is about: a field of the series' form, or a material. A material item always names
 * the kind (so the applicant sees what to fix even when nothing was uploaded) and names the uploaded
 * material by id when the problem is with that upload.
 */
export const ZCorrectionTarget = z.discriminatedUnion("type", [
  z.object({ type: z.literal("field"), fieldId: z.string().min(1).max(64) }),
  z
    .object({
      type: z.literal("material"),
      kind: ZMaterialKind,
      category: ZMaterialCategory.optional(),
      materialId: z.string().trim().min(1).max(100).optional(),
    })
    .refine((t) => t.category === undefined || t.kind === "achievement", {
      message: "only achievement materials have a category",
      path: ["category"],
    }),
]);
export type CorrectionTarget = z.output<typeof ZCorrectionTarget>;

export const ZCorrectionItem = z.object({
  target: ZCorrectionTarget,
  /** The checklist point that failed, when the item came from the review checklist. */
  checklistItemId: z.string().min(1).max(64).optional(),
  /** What is wrong. */
  problem: ZItemText,
  /** What the applicant must provide or change. */
  needed: ZItemText,
});
export type CorrectionItem = z.output<typeof ZCorrectionItem>;

export const ZCorrectionItems = z.array(ZCorrectionItem).min(1).max(correctionNoticeLimits.maxItems);

export const ZCorrectionNotice = z.object({
  items: ZCorrectionItems,
  /** Last day to resubmit (Asia/Shanghai, included); missing it counts as giving up. */
  deadline: ZIsoDate,
});
export type CorrectionNotice = z.output<typeof ZCorrectionNotice>;

/** One refused item: its position in the list (0-based) and why. */
export interface CorrectionItemIssue {
  index: number;
  problem: CorrectionItemProblem;
}

/** A notice check: ok, or the error to show plus each refused item for the reviewer's form. */
export type NoticeCheck = { ok: true } | { ok: false; error: DomainError; issues: CorrectionItemIssue[] };

function refused(
  code: "CORRECTION_TARGET_UNKNOWN" | "CORRECTION_SECOND_NOTICE_REFUSED",
  issues: CorrectionItemIssue[],
): NoticeCheck {
  if (issues.length === 0) return { ok: true };
  // 1-based positions: what the reviewer sees next to each item.
  const itemProblems = issues.map((i) => `${i.index + 1}:${i.problem}`).join(",");
  return { ok: false, error: new DomainError(code, { itemProblems }), issues };
}

export interface NoticeApplication {
  series: Series;
  level: Level;
  /** The application's materials; when given, material ids must be among them with the same kind. */
  materials?: ReadonlyArray<{ id: string; kind: string }>;
}

/**
 * A notice fits the application: field items name fields of its series' form, checklist points
 * belong to its series, material ids (when the materials are given) exist and have the item's kind.
 * The deadline is checked by the state machine (`requestCorrection`).
 */
export function validateCorrectionNotice(notice: CorrectionNotice, app: NoticeApplication): NoticeCheck {
  const fields = new Set(formStepsFor(app.series, app.level).flatMap((s) => s.fields.map((f) => f.name)));
  const checklist = new Set(reviewChecklistFor(app.series, app.level).map((i) => i.id));
  const materials = app.materials ? new Map(app.materials.map((m) => [m.id, m.kind])) : undefined;
  const issues: CorrectionItemIssue[] = [];
  notice.items.forEach((item, index) => {
    const problem = targetProblem(item, fields, checklist, materials);
    if (problem) issues.push({ index, problem });
  });
  return refused("CORRECTION_TARGET_UNKNOWN", issues);
}

function targetProblem(
  item: CorrectionItem,
  fields: ReadonlySet<string>,
  checklist: ReadonlySet<string>,
  materials: ReadonlyMap<string, string> | undefined,
): CorrectionItemProblem | undefined {
  const t = item.target;
  if (t.type === "field" && !fields.has(t.fieldId)) return "unknown-field";
  if (item.checklistItemId !== undefined && !checklist.has(item.checklistItemId)) {
    return "unknown-checklist-item";
  }
  if (t.type === "material" && t.materialId !== undefined && materials) {
    const kind = materials.get(t.materialId);
    if (kind === undefined) return "unknown-material";
    if (kind !== t.kind) return "material-kind-mismatch";
  }
  return undefined;
}

/**
 * Items of a further notice, sent after the first one was answered: each must name a material that
 * the correction added or replaced (`introducedMaterialIds`); anything else belonged in the first
 * notice. Used by `checkSecondNotice` and by the state machine's `requestCorrection` guard.
 */
export function checkFollowUpItems(
  items: readonly CorrectionItem[],
  introducedMaterialIds: readonly string[],
): NoticeCheck {
  if (items.length === 0) {
    return {
      ok: false,
      error: new DomainError("VALIDATION", { details: "a notice has at least one item" }),
      issues: [],
    };
  }
  const introduced = new Set(introducedMaterialIds);
  const issues: CorrectionItemIssue[] = [];
  items.forEach((item, index) => {
    const t = item.target;
    const problem: CorrectionItemProblem | undefined =
      t.type === "field"
        ? "field-after-first-notice"
        : t.materialId === undefined
          ? "material-not-named"
          : introduced.has(t.materialId)
            ? undefined
            : "material-not-introduced";
    if (problem) issues.push({ index, problem });
  });
  return refused("CORRECTION_SECOND_NOTICE_REFUSED", issues);
}

/**
 * Whether a notice with `newItems` may be sent: always when none was sent before (the one-time
 * notice); otherwise only if every item concerns material the correction introduced.
 */
export function checkSecondNotice(
  previousNotices: readonly CorrectionNotice[],
  newItems: readonly CorrectionItem[],
  materialsIntroducedByCorrection: readonly string[],
): NoticeCheck {
  if (previousNotices.length === 0) {
    return newItems.length > 0
      ? { ok: true }
      : {
          ok: false,
          error: new DomainError("VALIDATION", { details: "a notice has at least one item" }),
          issues: [],
        };
  }
  return checkFollowUpItems(newItems, materialsIntroducedByCorrection);
}

/** Working days an applicant gets to correct, unless the reviewer chooses otherwise. */
export const defaultCorrectionWorkingDays = 5;

/** The correction deadline: `workingDays` working days after the notice day (which does not count). */
export function defaultCorrectionDeadline(
  noticeDate: IsoDate,
  workingDays: number = defaultCorrectionWorkingDays,
  calendar: WorkingCalendar = defaultCalendar,
): IsoDate {
  if (!Number.isInteger(workingDays) || workingDays < 1) {
    throw new DomainError("VALIDATION", { details: "a correction takes at least one working day" });
  }
  return addWorkingDays(noticeDate, workingDays, calendar);
}

/** The reviewer's judgement of a correction (申报人补正内容是否发生重大变化). */
export const correctionJudgements = ["minor", "material-change"] as const;
export type CorrectionJudgement = (typeof correctionJudgements)[number];

export interface CorrectionJudgementOutcome {
  /** The event to apply to the application, or null when the review simply goes on. */
  event: ApplicationEvent | null;
  /** The employer must publicize again (and recommend) before the applicant uploads the correction. */
  employerPublicityRequired: boolean;
  /**
   * The new correction deadline, leaving room for the publicity and then the upload; null when the
   * current deadline stands.
   */
  correctionDeadline: IsoDate | null;
}

/**
 * What a judgement leads to. A material change sends the application back to the employer
 * (`judgeMaterialChange` → republicity_required); HR's new recommendation reopens the correction
 * (→ correction_requested), and the deadline moves to `judgedOn` + the publicity's working days +
 * the correction's working days, so the old deadline cannot lapse during the publicity.
 */
export function correctionJudgementOutcome(
  judgement: CorrectionJudgement,
  opts: {
    judgedOn: IsoDate;
    employerPublicityMinWorkingDays?: number;
    correctionWorkingDays?: number;
    calendar?: WorkingCalendar;
  },
): CorrectionJudgementOutcome {
  switch (judgement) {
    case "minor":
      return { event: null, employerPublicityRequired: false, correctionDeadline: null };
    case "material-change": {
      const days =
        (opts.employerPublicityMinWorkingDays ?? 5) +
        (opts.correctionWorkingDays ?? defaultCorrectionWorkingDays);
      const deadline = defaultCorrectionDeadline(opts.judgedOn, days, opts.calendar);
      return {
        event: { type: "judgeMaterialChange", deadline },
        employerPublicityRequired: true,
        correctionDeadline: deadline,
      };
    }
    default: {
      const never: never = judgement;
      throw new Error(`unknown judgement ${String(never)}`);
    }
  }
}

/**
 * Whether the applicant may upload correction material now: while the correction is open, not while
 * the employer's new publicity runs.
 */
export function mayUploadCorrection(state: ApplicationState): boolean {
  return state === "correction_requested";
}

/** What the applicant may change while correcting: the fields and the material kinds the items name. */
export function correctionScope(items: readonly CorrectionItem[]): {
  fieldIds: string[];
  materialKinds: MaterialKind[];
} {
  const fieldIds = new Set<string>();
  const kinds = new Set<MaterialKind>();
  for (const { target } of items) {
    if (target.type === "field") fieldIds.add(target.fieldId);
    else kinds.add(target.kind);
  }
  return { fieldIds: [...fieldIds], materialKinds: [...kinds] };
}
