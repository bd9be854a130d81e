import { z } from "zod";
import type { ApplicationState } from "./application-states";
import { defaultCalendar, publicityEnd, type WorkingCalendar, workingDaysBetween } from "./calendar";
import { type Labels, type Level, levels } from "./catalog";
import { compareDates, type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";
import { windowStatus } from "./time";

/**
 * Result publicity (评审结果公示, notice step 8): decided applications are published in batches.
 * Senior (正高级 and 副高级) results are published by the city bureau in its notice section,
 * intermediate and junior ones by the evaluation agency on its own pages.
 */
export const resultPublishers = ["bureau", "agency"] as const;
export type ResultPublisher = (typeof resultPublishers)[number];

export const resultPublisherLabels: Readonly<Record<ResultPublisher, Labels>> = {
  bureau: { "zh-CN": "市人社局", en: "City HR bureau" },
  agency: { "zh-CN": "评审机构", en: "Evaluation agency" },
};

/** A batch holds one level group, so it has exactly one publisher. */
export const levelGroups = ["senior", "intermediate-junior"] as const;
export type LevelGroup = (typeof levelGroups)[number];

export const levelGroupLabels: Readonly<Record<LevelGroup, Labels>> = {
  senior: { "zh-CN": "高级", en: "Senior" },
  "intermediate-junior": { "zh-CN": "中级、初级", en: "Intermediate and junior" },
};

export function levelGroupOf(level: Level): LevelGroup {
  switch (level) {
    // 高级职称 covers both 副高级 and 正高级: the bureau publishes both.
    case "senior":
    case "deputy-senior":
      return "senior";
    case "intermediate":
    case "junior":
      return "intermediate-junior";
    default: {
      const never: never = level;
      throw new Error(`unknown level ${String(never)}`);
    }
  }
}

/** The levels a group holds (senior: 正高级 and 副高级). */
export function levelsOfGroup(group: LevelGroup): Level[] {
  return levels.filter((l) => levelGroupOf(l) === group);
}

export function publisherForGroup(group: LevelGroup): ResultPublisher {
  return group === "senior" ? "bureau" : "agency";
}

/** Who publishes the result of an application at this level. */
/**
 * Who may see and act on a result batch (its entries, complaints and certificates): the city bureau every
 * batch, since it re-reviews with the agencies and issues every certificate; an agency only the batches it
 * published itself. Everyone else, none.
 */
export function mayManageBatch(
  actor: { roles: ReadonlyArray<{ role: string; organisationId: string | null }> },
  batch: { publisher: string; agencyId: string | null },
): boolean {
  if (actor.roles.some((r) => r.role === "admin")) return true;
  return (
    batch.publisher === "agency" &&
    batch.agencyId !== null &&
    actor.roles.some((r) => r.role === "agency" && r.organisationId === batch.agencyId)
  );
}

export function publisherFor(level: Level): ResultPublisher {
  return publisherForGroup(levelGroupOf(level));
}

export const batchStates = ["draft", "publicity", "ended"] as const;
export type BatchState = (typeof batchStates)[number];

export const batchStateLabels: Readonly<Record<BatchState, Labels>> = {
  draft: { "zh-CN": "待发布", en: "Draft" },
  publicity: { "zh-CN": "公示中", en: "Under publicity" },
  ended: { "zh-CN": "公示结束", en: "Publicity ended" },
};

/** The committee's decision an entry publishes: passed ones are listed, failed ones never public. */
export const entryResults = ["passed", "failed"] as const;
export type EntryResult = (typeof entryResults)[number];

export const entryResultLabels: Readonly<Record<EntryResult, Labels>> = {
  passed: { "zh-CN": "评审通过", en: "Passed" },
  failed: { "zh-CN": "未通过", en: "Not passed" },
};

/**
 * pending — publicity running (or a complaint still open);
 * final — the result stands (a passed one goes on to its certificate);
 * overturned — a complaint was upheld: the application failed, no certificate;
 * re_evaluation — a failed applicant's re-review was upheld: back to the committee.
 */
export const entryOutcomes = ["pending", "final", "overturned", "re_evaluation"] as const;
export type EntryOutcome = (typeof entryOutcomes)[number];

export const entryOutcomeLabels: Readonly<Record<EntryOutcome, Labels>> = {
  pending: { "zh-CN": "待公示期满", en: "Awaiting end of publicity" },
  final: { "zh-CN": "结果已确认", en: "Result final" },
  overturned: { "zh-CN": "经复查撤销", en: "Overturned on re-review" },
  re_evaluation: { "zh-CN": "退回重新评审", en: "Sent back for re-evaluation" },
};

/** The national rules' minimum length of a result publicity. */
export const resultPublicityMinWorkingDays = 5;

function validation(details: string): DomainError {
  return new DomainError("VALIDATION", { details });
}

/**
 * Why a result publicity cannot run from `start` to `end` (both included), or undefined.
 * Working days are counted like the employer publicity: both ends included, holidays off and
 * 调休 weekend days on, from the working calendar.
 */
export function resultPublicityError(
  input: { start: IsoDate; end: IsoDate; today: IsoDate },
  calendar: WorkingCalendar = defaultCalendar,
  minWorkingDays: number = resultPublicityMinWorkingDays,
): DomainError | undefined {
  for (const [name, value] of Object.entries(input)) {
    if (!isIsoDate(value)) return validation(`${name} is not a date (YYYY-MM-DD): ${value}`);
  }
  const { start, end, today } = input;
  if (compareDates(start, today) < 0) return new DomainError("RESULT_PUBLICITY_START_PAST", { start });
  if (compareDates(end, start) < 0) return validation("the publicity ends before it starts");
  const days = workingDaysBetween(start, end, calendar);
  return days < minWorkingDays
    ? new DomainError("RESULT_PUBLICITY_TOO_SHORT", { days, min: minWorkingDays })
    : undefined;
}

/** The last day of a publicity starting on `start` (or the next working day) lasting `workingDays`. */
export function resultPublicityEnd(
  start: IsoDate,
  workingDays: number = resultPublicityMinWorkingDays,
  calendar: WorkingCalendar = defaultCalendar,
): IsoDate {
  return publicityEnd(start, workingDays, calendar);
}

const ZIsoDate = z.string().refine(isIsoDate, { message: "日期格式为 YYYY-MM-DD / Date is YYYY-MM-DD" });

/** What staff enter to create a batch (the dates are checked against the calendar separately). */
export const ZResultBatchInput = z
  .object({
    levelGroup: z.enum(levelGroups),
    title: z
      .string()
      .trim()
      .min(1, { message: "请填写批次标题 / Give the batch a title" })
      .max(120, { message: "批次标题不超过120字 / The title is at most 120 characters" }),
    publicityStart: ZIsoDate,
    publicityEnd: ZIsoDate,
    applicationIds: z
      .array(z.uuid())
      .min(1, { message: "请至少选择一名申报人 / Select at least one applicant" })
      .max(5000, { message: "每批次最多5000人 / At most 5,000 per batch" }),
  })
  .superRefine((v, ctx) => {
    if (new Set(v.applicationIds).size !== v.applicationIds.length) {
      ctx.addIssue({
        code: "custom",
        path: ["applicationIds"],
        message: "申报人重复 / An applicant is selected twice",
      });
    }
  });
export type ResultBatchInput = z.infer<typeof ZResultBatchInput>;

/**
 * Why an application cannot join a batch of `group`, or undefined. Only the committee's
 * decided applications (passed or failed) are published; `name` is shown to staff only.
 */
export function batchEntryError(
  group: LevelGroup,
  application: { name: string; level: Level; state: ApplicationState },
): DomainError | undefined {
  if (levelGroupOf(application.level) !== group) {
    return new DomainError("RESULT_BATCH_LEVEL_MISMATCH", { level: application.level });
  }
  if (application.state !== "passed" && application.state !== "failed") {
    return new DomainError("RESULT_NOT_DECIDED", { name: application.name });
  }
  return undefined;
}

/**
 * The round's end dates (notice): all evaluation finished by the end of December, all
 * result publicity by the end of January of the next year.
 */
export function evaluationSchedule(roundYear: number): { evaluationBy: IsoDate; publicityBy: IsoDate } {
  return { evaluationBy: `${roundYear}-12-31`, publicityBy: `${roundYear + 1}-01-31` };
}

/** "late" when a publicity would end after the round's publicity deadline (a warning, not a refusal). */
export function scheduleWarning(publicityEndDate: IsoDate, roundYear: number): "late" | undefined {
  return compareDates(publicityEndDate, evaluationSchedule(roundYear).publicityBy) > 0 ? "late" : undefined;
}

/**
 * Whether a complaint about the batch can be filed at `now`: from the first publicity day 00:00
 * to the end of its last day (24:00), Asia/Shanghai.
 */
export function complaintWindowError(
  now: Date,
  batch: { state: string; publicityStart: IsoDate | null; publicityEnd: IsoDate | null },
): DomainError | undefined {
  if (batch.state === "ended") {
    return new DomainError("COMPLAINT_WINDOW_CLOSED", { end: batch.publicityEnd ?? "" });
  }
  if (batch.state !== "publicity" || batch.publicityStart === null || batch.publicityEnd === null) {
    return new DomainError("RESULT_BATCH_NOT_IN_PUBLICITY");
  }
  const status = windowStatus(now, { opens: batch.publicityStart, closes: batch.publicityEnd });
  switch (status) {
    case "open":
      return undefined;
    case "not-open":
      return new DomainError("COMPLAINT_WINDOW_NOT_OPEN", { start: batch.publicityStart });
    case "closed":
      return new DomainError("COMPLAINT_WINDOW_CLOSED", { end: batch.publicityEnd });
    default: {
      const never: never = status;
      throw new Error(`unknown window status ${String(never)}`);
    }
  }
}

/**
 * The approval reference (批准文号) printed on the list and on each certificate.
 * Our format, one per publisher, numbered per round year and publisher:
 *   bureau: 京人社职评〔2021〕第3号 (the city bureau's title-evaluation notices)
 *   agency: 京职评公示〔2021〕第3号 (the agency's publicity notices)
 * The hexagonal brackets 〔〕 are the ones official document numbers use.
 */
export function approvalReference(publisher: ResultPublisher, year: number, batchNumber: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw validation(`year must be a 4-digit integer, got ${year}`);
  }
  if (!Number.isSafeInteger(batchNumber) || batchNumber < 1) {
    throw validation(`batch number must be a positive integer, got ${batchNumber}`);
  }
  const prefix = publisher === "bureau" ? "京人社职评" : "京职评公示";
  return `${prefix}〔${year}〕第${batchNumber}号`;
}

/**
 * The finalisation rule for one entry. An upheld complaint (or re-review) decides the entry at
 * once, whether the publicity is over or not; otherwise an open complaint makes it wait; otherwise
 * the result stands once the publicity is over. A failed result that stands is `final` too (the
 * application simply stays failed): the batch can end.
 */
export function settleEntry(input: {
  publicityOver: boolean;
  openComplaints: number;
  upheldComplaint: boolean;
  result: EntryResult;
}): EntryOutcome {
  if (input.upheldComplaint) return input.result === "passed" ? "overturned" : "re_evaluation";
  if (input.openComplaints > 0) return "pending";
  return input.publicityOver ? "final" : "pending";
}
