import { z } from "zod";
import {
  type ApplicationEventType,
  type ApplicationState,
  applicationEventTypes,
  isTerminal,
} from "./application-states";
import { defaultCalendar, type WorkingCalendar, workingDaysBetween } from "./calendar";
import type { Level, Locale, Track } from "./catalog";
import { checkFollowUpItems, ZCorrectionItems } from "./correction-notice";
import { compareDates, type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";
import { type DateWindow, isDayOver, shanghaiDate, windowError } from "./time";

/**
 * Which deadline lapsed. Every kind leads to `abandoned` (视为放弃):
 * window — the window closed before the applicant confirmed;
 * district — through-train files did not reach the district bureau in time;
 * correction — the one-time correction was not made in time;
 * payment — the fee was not paid in time;
 * procedure — any other procedure not completed as required.
 */
export const deadlineKinds = ["window", "district", "correction", "payment", "procedure"] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });
const ZReason = z.string().trim().min(1).max(2000);
const ZWindow = z.object({
  opens: ZIsoDate,
  closes: ZIsoDate,
  districtDeadline: ZIsoDate.optional(),
});
/** `at` is when the act happened; it defaults to the context's `now`. */
const ZAt = z.coerce.date().optional();

/** Every event with its payload, for parsing at the boundary (tRPC, jobs). */
export const ZApplicationEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("submitToEmployer"), at: ZAt }),
  z.object({ type: z.literal("employerReturn"), reason: ZReason }),
  z.object({ type: z.literal("employerAccept") }),
  z.object({ type: z.literal("startPublicity"), start: ZIsoDate, end: ZIsoDate }),
  z.object({
    type: z.literal("recordObjection"),
    upheld: z.boolean(),
    reason: ZReason,
  }),
  z.object({ type: z.literal("recommend"), at: ZAt }),
  z.object({ type: z.literal("confirm"), at: ZAt, window: ZWindow.optional() }),
  z.object({
    type: z.literal("requestCorrection"),
    deadline: ZIsoDate,
    /** The notice's items; required for a further notice, which may only concern introduced material. */
    items: ZCorrectionItems.optional(),
  }),
  /** `deadline`: the new correction deadline, leaving room for the employer's new publicity. */
  z.object({ type: z.literal("judgeMaterialChange"), deadline: ZIsoDate.optional() }),
  z.object({ type: z.literal("resubmit"), at: ZAt }),
  z.object({ type: z.literal("forwardToDistrict"), at: ZAt }),
  z.object({ type: z.literal("districtRecommend") }),
  z.object({ type: z.literal("districtDecline"), reason: ZReason }),
  z.object({ type: z.literal("approve"), feeDueBy: ZIsoDate }),
  z.object({ type: z.literal("decline"), reason: ZReason }),
  z.object({ type: z.literal("pay"), at: ZAt }),
  z.object({ type: z.literal("scheduleDefense"), date: ZIsoDate.optional() }),
  z.object({ type: z.literal("startEvaluation") }),
  z.object({ type: z.literal("ballotResult"), passed: z.boolean() }),
  z.object({
    type: z.literal("publishResult"),
    start: ZIsoDate.optional(),
    end: ZIsoDate.optional(),
  }),
  z.object({ type: z.literal("complaintUpheld"), reason: ZReason }),
  /** A failed applicant's re-review (复查) was upheld: the committee evaluates again. */
  z.object({ type: z.literal("reEvaluate"), reason: ZReason }),
  z.object({ type: z.literal("finalise"), at: ZAt }),
  z.object({ type: z.literal("issueCertificate") }),
  z.object({ type: z.literal("revoke"), reason: ZReason }),
  z.object({ type: z.literal("deadlinePassed"), kind: z.enum(deadlineKinds) }),
  z.object({ type: z.literal("withdraw"), reason: z.string().max(2000).optional() }),
]);
export type ApplicationEvent = z.output<typeof ZApplicationEvent>;

/**
 * What the guards need besides the state. The caller loads it from the
 * application and the round; `now` is the clock, passed in.
 */
export interface TransitionContext {
  now: Date;
  level: Level;
  track: Track;
  /** The application's window; confirm also accepts it in its payload. */
  window?: DateWindow & { districtDeadline?: IsoDate };
  /** Last day of the publicity now running (employer, re-publicity or result). */
  publicityEnd?: IsoDate;
  correctionDeadline?: IsoDate;
  /** True once the one-time correction notice (一次性告知) has been sent. */
  correctionAlreadyRequested?: boolean;
  /**
   * Materials the last correction added or replaced: a further notice may concern only these
   * (see `checkSecondNotice`).
   */
  correctionIntroducedMaterialIds?: readonly string[];
  feeDueBy?: IsoDate;
  calendar?: WorkingCalendar;
  /** Defaults to 5 (notice: 不少于5个工作日). */
  employerPublicityMinWorkingDays?: number;
  /** Defaults to 5 (national rules). */
  resultPublicityMinWorkingDays?: number;
}

export type TransitionResult = { ok: true; state: ApplicationState } | { ok: false; error: DomainError };

type Target = ApplicationState | ((e: ApplicationEvent) => ApplicationState);
type Edges = Partial<Record<ApplicationEventType, Target>>;

const withdraw: Edges = { withdraw: "withdrawn" };
const lapse: Edges = { deadlinePassed: "abandoned" };

/**
 * The agency's review: of a confirmed application, or a district-recommended one. After a
 * correction was resubmitted the reviewer may judge it a material change (guarded).
 */
const agencyReview: Edges = {
  approve: "approved",
  requestCorrection: "correction_requested",
  judgeMaterialChange: "republicity_required",
  decline: "returned",
  ...withdraw,
};

/**
 * The structure of the machine: from a state (and the application's level
 * and track), which events lead where. Guards on time and payload come after.
 */
function edgesFrom(state: ApplicationState, ctx: Pick<TransitionContext, "level" | "track">): Edges {
  const throughTrain = ctx.track === "through-train";
  switch (state) {
    case "draft":
      return { submitToEmployer: "submitted", ...withdraw, ...lapse };
    case "submitted":
      return {
        employerReturn: "employer_returned",
        employerAccept: "employer_accepted",
        ...withdraw,
        ...lapse,
      };
    case "employer_returned":
      return { submitToEmployer: "submitted", ...withdraw, ...lapse };
    case "employer_accepted":
      return {
        employerReturn: "employer_returned",
        startPublicity: "publicity",
        ...withdraw,
        ...lapse,
      };
    case "publicity":
      return {
        recordObjection: (e) => (e.type === "recordObjection" && e.upheld ? "objection_upheld" : "publicity"),
        recommend: "recommended",
        ...withdraw,
        ...lapse,
      };
    case "recommended":
      return { confirm: "confirmed", ...withdraw, ...lapse };
    case "confirmed":
      // Through-train files go to the district bureau before the agency sees them.
      return throughTrain ? { forwardToDistrict: "district_review", ...withdraw, ...lapse } : agencyReview;
    case "correction_requested":
      return {
        resubmit: throughTrain ? "district_recommended" : "confirmed",
        judgeMaterialChange: "republicity_required",
        ...withdraw,
        ...lapse,
      };
    case "republicity_required":
      // The new publicity is recorded in place; HR's new recommendation
      // sends the applicant back to upload the correction.
      return {
        startPublicity: "republicity_required",
        recordObjection: (e) =>
          e.type === "recordObjection" && e.upheld ? "objection_upheld" : "republicity_required",
        recommend: "correction_requested",
        ...withdraw,
        ...lapse,
      };
    case "district_review":
      return {
        districtRecommend: "district_recommended",
        districtDecline: "returned",
        ...withdraw,
      };
    case "district_recommended":
      return agencyReview;
    case "approved":
      return { pay: "complete", ...withdraw, ...lapse };
    case "complete":
      // Only intermediate and senior evaluations are preceded by a defense.
      return ctx.level === "junior"
        ? { startEvaluation: "evaluating" }
        : { scheduleDefense: "defense_scheduled" };
    case "defense_scheduled":
      return {
        scheduleDefense: "defense_scheduled",
        startEvaluation: "evaluating",
      };
    case "evaluating":
      return {
        ballotResult: (e) => (e.type === "ballotResult" && e.passed ? "passed" : "failed"),
      };
    case "passed":
      return { publishResult: "result_publicity" };
    case "result_publicity":
      return { complaintUpheld: "failed", finalise: "final" };
    case "final":
      return { issueCertificate: "certified" };
    case "certified":
      return { revoke: "revoked" };
    case "failed":
      // `failed` stays a terminal state (no deadline, no withdrawal, no timeline stage): only an
      // upheld re-review (复查) reopens it, sending the application back to the committee.
      return { reEvaluate: "evaluating" };
    case "returned":
    case "objection_upheld":
    case "abandoned":
    case "withdrawn":
    case "revoked":
      return {};
    default: {
      const never: never = state;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
}

/** The deadline kinds that can lapse in a state. */
export function deadlineKindsFor(
  state: ApplicationState,
  ctx: Pick<TransitionContext, "track">,
): DeadlineKind[] {
  switch (state) {
    case "draft":
    case "submitted":
    case "employer_returned":
    case "employer_accepted":
    case "publicity":
    case "recommended":
      return ["window", "procedure"];
    case "confirmed":
      return ctx.track === "through-train" ? ["district", "procedure"] : [];
    case "correction_requested":
    case "republicity_required":
      return ["correction", "procedure"];
    case "approved":
      return ["payment", "procedure"];
    case "district_review":
    case "district_recommended":
    case "complete":
    case "defense_scheduled":
    case "evaluating":
    case "passed":
    case "result_publicity":
    case "final":
    case "certified":
    case "returned":
    case "objection_upheld":
    case "abandoned":
    case "withdrawn":
    case "failed":
    case "revoked":
      return [];
    default: {
      const never: never = state;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
}

/**
 * Events the state accepts for this level and track, in a stable order.
 * Time and payload guards are not applied: an allowed event can still be
 * refused by `transition` (e.g. WINDOW_CLOSED).
 */
export function allowedEvents(
  state: ApplicationState,
  ctx: Pick<TransitionContext, "level" | "track">,
): ApplicationEventType[] {
  const edges = edgesFrom(state, ctx);
  return applicationEventTypes.filter((t) => edges[t] !== undefined);
}

function validation(details: string): DomainError {
  return new DomainError("VALIDATION", { details });
}

function checkDate(value: string, name: string): DomainError | undefined {
  return isIsoDate(value) ? undefined : validation(`${name} is not a date: ${value}`);
}

function checkReason(reason: string): DomainError | undefined {
  return reason.trim() === "" ? validation("a reason is required") : undefined;
}

/** A deadline chosen by staff must not already be over. */
function checkFutureDeadline(value: string, name: string, now: Date): DomainError | undefined {
  return (
    checkDate(value, name) ??
    (compareDates(value, shanghaiDate(now)) < 0 ? validation(`${name} ${value} is in the past`) : undefined)
  );
}

function checkPublicityLength(
  start: string,
  end: string,
  min: number,
  calendar: WorkingCalendar,
): DomainError | undefined {
  const bad = checkDate(start, "start") ?? checkDate(end, "end");
  if (bad) return bad;
  if (compareDates(start, end) > 0) return validation("publicity ends before it starts");
  const days = workingDaysBetween(start, end, calendar);
  return days < min ? new DomainError("PUBLICITY_TOO_SHORT", { days, min }) : undefined;
}

function checkPublicityEnded(ctx: TransitionContext, at: Date): DomainError | undefined {
  if (ctx.publicityEnd === undefined) {
    return validation("the publicity end date is required");
  }
  return isDayOver(at, ctx.publicityEnd)
    ? undefined
    : new DomainError("PUBLICITY_NOT_ENDED", { end: ctx.publicityEnd });
}

function checkNotAfter(deadline: IsoDate | undefined, at: Date): DomainError | undefined {
  return deadline !== undefined && isDayOver(at, deadline)
    ? new DomainError("DEADLINE_PASSED", { deadline })
    : undefined;
}

function deadlineDate(kind: DeadlineKind, ctx: TransitionContext): IsoDate | undefined {
  switch (kind) {
    case "window":
      return ctx.window?.closes;
    case "district":
      return ctx.window?.districtDeadline;
    case "correction":
      return ctx.correctionDeadline;
    case "payment":
      return ctx.feeDueBy;
    case "procedure":
      return undefined;
    default: {
      const never: never = kind;
      throw new Error(`unknown deadline kind ${String(never)}`);
    }
  }
}

/** Time and payload rules of an event whose edge exists. */
function guard(
  state: ApplicationState,
  event: ApplicationEvent,
  ctx: TransitionContext,
): DomainError | undefined {
  const calendar = ctx.calendar ?? defaultCalendar;
  const at = ("at" in event ? event.at : undefined) ?? ctx.now;
  switch (event.type) {
    case "submitToEmployer":
      return ctx.window ? windowError(at, ctx.window) : undefined;
    case "employerReturn":
    case "districtDecline":
    case "decline":
    case "complaintUpheld":
    case "reEvaluate":
    case "revoke":
    case "recordObjection":
      return checkReason(event.reason);
    case "startPublicity":
      return checkPublicityLength(event.start, event.end, ctx.employerPublicityMinWorkingDays ?? 5, calendar);
    case "recommend":
    case "finalise":
      return checkPublicityEnded(ctx, at);
    case "confirm": {
      // After the deadline no upload and no confirmation (notice §2.4).
      const window = event.window ?? ctx.window;
      if (!window) return validation("the application window is required");
      return windowError(at, window);
    }
    case "requestCorrection":
      if (ctx.correctionAlreadyRequested) {
        // Only a further notice about material the correction introduced (notice §2.4: 一次性告知).
        if (event.items === undefined) return new DomainError("CORRECTION_ALREADY_REQUESTED");
        const followUp = checkFollowUpItems(event.items, ctx.correctionIntroducedMaterialIds ?? []);
        if (!followUp.ok) return followUp.error;
      }
      return checkFutureDeadline(event.deadline, "deadline", ctx.now);
    case "judgeMaterialChange":
      // In review, only a resubmitted correction can be judged; in correction_requested one is open.
      if (state !== "correction_requested" && !ctx.correctionAlreadyRequested) {
        return new DomainError("CORRECTION_NOT_REQUESTED");
      }
      return event.deadline === undefined
        ? undefined
        : checkFutureDeadline(event.deadline, "deadline", ctx.now);
    case "resubmit":
      return checkNotAfter(ctx.correctionDeadline, at);
    case "forwardToDistrict":
      return checkNotAfter(ctx.window?.districtDeadline, at);
    case "approve":
      return checkFutureDeadline(event.feeDueBy, "feeDueBy", ctx.now);
    case "pay":
      return checkNotAfter(ctx.feeDueBy, at);
    case "scheduleDefense":
      return event.date === undefined ? undefined : checkDate(event.date, "date");
    case "publishResult":
      if (event.start === undefined && event.end === undefined) return undefined;
      if (event.start === undefined || event.end === undefined) {
        return validation("give both start and end of the result publicity");
      }
      return checkPublicityLength(event.start, event.end, ctx.resultPublicityMinWorkingDays ?? 5, calendar);
    case "deadlinePassed": {
      if (!deadlineKindsFor(state, ctx).includes(event.kind)) {
        return new DomainError("INVALID_TRANSITION", {
          from: state,
          event: `deadlinePassed:${event.kind}`,
        });
      }
      // A job firing early must not abandon a live application.
      const deadline = deadlineDate(event.kind, ctx);
      return deadline !== undefined && !isDayOver(ctx.now, deadline)
        ? new DomainError("DEADLINE_NOT_REACHED", { deadline })
        : undefined;
    }
    case "employerAccept":
    case "districtRecommend":
    case "startEvaluation":
    case "ballotResult":
    case "issueCertificate":
    case "withdraw":
      return undefined;
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * One step of the application: the next state, or the DomainError that
 * forbids it (INVALID_TRANSITION when the state does not take the event).
 */
export function transition(
  state: ApplicationState,
  event: ApplicationEvent,
  ctx: TransitionContext,
): TransitionResult {
  const target = edgesFrom(state, ctx)[event.type];
  if (target === undefined) {
    return {
      ok: false,
      error: new DomainError("INVALID_TRANSITION", { from: state, event: event.type }),
    };
  }
  const error = guard(state, event, ctx);
  if (error) return { ok: false, error };
  return { ok: true, state: typeof target === "function" ? target(event) : target };
}

/** Whether the applicant may still withdraw (every live state before 申报完成). */
export function canWithdraw(state: ApplicationState): boolean {
  // The withdraw edge does not depend on level or track.
  return (
    !isTerminal(state) && allowedEvents(state, { level: "senior", track: "regular" }).includes("withdraw")
  );
}

type Hint = Readonly<Record<Locale, string>>;

const hints: Readonly<Record<ApplicationState, Hint>> = {
  draft: {
    "zh-CN": "请完善申报信息、上传业绩材料，并在申报时间内提交工作单位审核。",
    en: "Complete the form, upload your achievement materials and submit to your employer within the window.",
  },
  submitted: {
    "zh-CN":
      "请下载打印申报信息表、诚信承诺书和公示模板，在诚信承诺书上签字后交工作单位审核。单位公示不少于5个工作日，请预留充足时间。",
    en: "Download and print the application form, the integrity pledge and the publicity template, sign the pledge and hand them to your employer. Employer publicity takes at least 5 working days: leave enough time.",
  },
  employer_returned: {
    "zh-CN": "工作单位已退回，请按退回意见修改后重新提交单位审核。",
    en: "Your employer returned the application: make the changes it asks for and submit again.",
  },
  employer_accepted: {
    "zh-CN": "工作单位审核通过，将在单位内进行不少于5个工作日的公示。",
    en: "Your employer accepted the application and will publicize it internally for at least 5 working days.",
  },
  publicity: {
    "zh-CN": "单位公示中。公示期满无异议后，人事部门将填写推荐意见并盖章。",
    en: "Employer publicity is running. When it ends without objection, HR writes its recommendation and stamps the form.",
  },
  recommended: {
    "zh-CN":
      "请在申报截止前将盖章的申报信息表、签字的诚信承诺书和公示材料逐页拍照上传并确认申报。截止后不能再上传和确认。",
    en: "Before the window closes, photograph the stamped form, the signed pledge and the publicity material page by page, upload them and confirm. After the deadline neither is possible.",
  },
  confirmed: {
    "zh-CN": "已确认申报，等待评审机构审核。材料如需补正，将一次性告知。",
    en: "Confirmed. The agency will review it and, if anything must be corrected, tell you once with all items.",
  },
  correction_requested: {
    "zh-CN": "请在补正期限内按一次性告知的内容补正并提交。逾期未补正视为放弃申报。",
    en: "Correct every item of the notice and resubmit before the correction deadline; missing it counts as giving up.",
  },
  republicity_required: {
    "zh-CN": "补正内容发生重大变化，需工作单位重新公示（不少于5个工作日）并推荐后，再上传补正材料。",
    en: "Your correction is a material change: your employer must publicize again (at least 5 working days) and recommend before you upload it.",
  },
  district_review: {
    "zh-CN": "区人社局正在审核材料并组织推委会推荐。",
    en: "The district bureau is reviewing your files and its recommendation committee will decide.",
  },
  district_recommended: {
    "zh-CN": "区推委会已推荐，等待评审机构审核。",
    en: "The district recommended you; the agency will now review the application.",
  },
  approved: {
    "zh-CN": "审核通过，请在规定时间内网上缴费，缴费成功即完成申报。逾期未缴费视为放弃。",
    en: "Approved. Pay the fee online by the due date; payment completes the application. Not paying in time counts as giving up.",
  },
  complete: {
    "zh-CN": "申报完成。评审（中级及以上需答辩）安排将通过申报系统和短信通知。",
    en: "Application complete. The evaluation (with a defense for intermediate and senior levels) will be announced in the system and by SMS.",
  },
  defense_scheduled: {
    "zh-CN": "请按通知的时间地点参加现场答辩，并遵守届时的疫情防控要求。",
    en: "Attend the on-site defense at the notified time and place, following the epidemic rules then in force.",
  },
  evaluating: {
    "zh-CN": "评审委员会评审中，评审结果将分批公示。",
    en: "The committee is evaluating; results are published in batches.",
  },
  passed: {
    "zh-CN": "评审通过，等待评审结果公示。",
    en: "Passed; the result will be publicized.",
  },
  result_publicity: {
    "zh-CN": "评审结果公示中（不少于5个工作日），公示期满无异议后发放证书。",
    en: "The result is being publicized (at least 5 working days); the certificate follows if there is no objection.",
  },
  final: {
    "zh-CN": "公示无异议，等待市人社局制发电子职称证书。",
    en: "Publicity ended without objection; the city bureau will issue the electronic certificate.",
  },
  certified: {
    "zh-CN": "电子职称证书已发放，可在“专业技术人员资格证书”模块下载。",
    en: "Your electronic certificate is issued; download it from the professional qualification certificate module.",
  },
  returned: {
    "zh-CN": "申报未通过审核，本次申报结束，原因见审核意见。",
    en: "The application was declined; see the reviewer's reason. This application has ended.",
  },
  objection_upheld: {
    "zh-CN": "公示期间的异议经核实成立，本次申报终止。",
    en: "An objection raised during publicity was upheld; this application has ended.",
  },
  abandoned: {
    "zh-CN": "因逾期未完成相关手续，视为放弃申报。",
    en: "A deadline passed without the required step, so the application counts as given up.",
  },
  withdrawn: {
    "zh-CN": "申报已撤回。",
    en: "The application was withdrawn.",
  },
  failed: {
    "zh-CN": "本次未通过评审。如对评审结果有异议，可在评审结果公示期内申请复查。",
    en: "The application did not pass the evaluation. If you disagree, you may ask for a re-review during the result publicity.",
  },
  revoked: {
    "zh-CN": "职称证书已被撤销。",
    en: "The certificate has been revoked.",
  },
};

const throughTrainConfirmedHint: Hint = {
  "zh-CN": "请在区人社局规定日期前将申报信息表、诚信承诺书和公示材料报送辖区人力资源和社会保障局。",
  en: "Send the application form, the pledge and the publicity material to your district HR bureau by its deadline.",
};

/** What happens next, told to the applicant. */
export function nextStepHint(state: ApplicationState, locale: Locale, ctx?: { track?: Track }): string {
  if (state === "confirmed" && ctx?.track === "through-train") {
    return throughTrainConfirmedHint[locale];
  }
  return hints[state][locale];
}
