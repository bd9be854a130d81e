import {
  type ApplicationRecord,
  type ApplicationWithPeople,
  applicationRepository,
  correctionRepository,
  type Db,
  userRepository,
} from "@titles/db";
import {
  type ApplicationState,
  type CorrectionItem,
  checkApplicationAccess,
  correctionJudgementOutcome,
  DomainError,
  defaultCorrectionDeadline,
  formStepsFor,
  type IsoDate,
  isApplicationState,
  isIsoDate,
  type Level,
  type Series,
  shanghaiDate,
  validateCorrectionNotice,
  validateForm,
  ZCorrectionItems,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";
import { openFeeOrder } from "~/payments/payments.server";
import { apply, type CommandResult, command, loadRules } from "./applications.server";
import { enqueueSms } from "./notifications.server";

/** The states an agency reviewer acts in (the rest of its queue is read-only history). */
export const reviewStates = ["confirmed", "district_recommended"] as const;

/** What the queue can be filtered by. */
export const ZQueueFilter = z.object({
  state: z.string().max(40).optional(),
  level: z.string().max(40).optional(),
  track: z.string().max(40).optional(),
  unit: z.string().uuid().optional(),
  /** At least this many days since the applicant confirmed. */
  waiting: z.coerce.number().int().min(0).max(365).optional(),
  q: z.string().trim().max(40).optional(),
});
export type QueueFilter = z.output<typeof ZQueueFilter>;

const accessOf = (actor: Actor) => ({ userId: actor.user.id, roles: actor.roles });

/** The series the actor's agencies handle. */
export function agencySeries(actor: Actor): string[] {
  return [...new Set(actor.roles.filter((r) => r.role === "agency").flatMap((r) => r.organisationSeries))];
}

export interface QueueEntry {
  id: string;
  applicantName: string;
  employerName: string | null;
  employerId: string | null;
  series: string;
  level: string;
  track: string;
  state: ApplicationState;
  confirmedAt: string;
  daysWaiting: number;
  correctionDeadline: string | null;
}

/** Whole days between two instants (Asia/Shanghai calendar days). */
function daysBetween(from: Date, to: Date): number {
  const a = Date.parse(`${shanghaiDate(from)}T00:00:00Z`);
  const b = Date.parse(`${shanghaiDate(to)}T00:00:00Z`);
  return Math.max(0, Math.round((b - a) / 86_400_000));
}

/** The agency's queue: the confirmed applications of its series, filtered, oldest first. */
export async function agencyQueue(
  db: Db,
  actor: Actor,
  filter: QueueFilter,
  now: Date,
): Promise<QueueEntry[]> {
  const rows = await applicationRepository.findForAgency(db, {
    series: agencySeries(actor),
    ...(filter.state ? { states: [filter.state] } : {}),
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.track ? { track: filter.track } : {}),
    ...(filter.unit ? { employerId: filter.unit } : {}),
    ...(filter.q ? { q: filter.q } : {}),
  });
  return rows
    .filter(
      (a) =>
        isApplicationState(a.state) &&
        checkApplicationAccess(accessOf(actor), { ...a, state: a.state }, "agency") === null,
    )
    .map((a) => ({
      id: a.id,
      applicantName: a.applicantName,
      employerName: a.employerName,
      employerId: a.employerId,
      series: a.series,
      level: a.level,
      track: a.track,
      state: a.state as ApplicationState,
      confirmedAt: a.confirmedAt!.toISOString(),
      daysWaiting: daysBetween(a.confirmedAt!, now),
      correctionDeadline: a.correctionDeadline,
    }))
    .filter((e) => filter.waiting === undefined || e.daysWaiting >= filter.waiting);
}

/** Locks an application and checks the actor may act on it as `action`. */
async function lockAs(
  tx: Db,
  actor: Actor,
  id: string,
  action: "agency" | "applicant",
): Promise<ApplicationWithPeople & { state: ApplicationState }> {
  if (!z.string().uuid().safeParse(id).success) throw new DomainError("NOT_FOUND");
  const locked = await applicationRepository.findByIdForUpdate(tx, id);
  const app = locked ? await applicationRepository.findById(tx, id) : null;
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  const denied = checkApplicationAccess(accessOf(actor), { ...app, state: app.state }, action);
  if (denied) throw denied;
  return { ...app, state: app.state };
}

export const ZCorrectionInput = z.object({
  items: ZCorrectionItems,
  deadline: z.string().refine(isIsoDate, "deadline"),
});

/**
 * The one-time correction notice (一次性告知): every item at once, with a deadline. A further notice is
 * refused unless every item concerns material the correction itself introduced (the domain says why).
 */
export async function requestCorrection(
  db: Db,
  actor: Actor,
  id: string,
  raw: { items: unknown; deadline: unknown },
  now: Date,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    // The boundary: whatever a form or a caller sends is parsed before anything is read or written.
    const parsed = ZCorrectionInput.safeParse(raw);
    if (!parsed.success) {
      throw new DomainError("VALIDATION", {
        details: parsed.error.issues.map((i) => i.path.join(".")).join(", "),
      });
    }
    const input = parsed.data as { items: CorrectionItem[]; deadline: IsoDate };
    const app = await lockAs(tx, actor, id, "agency");
    const check = validateCorrectionNotice(input, {
      series: app.series as Series,
      level: app.level as Level,
    });
    if (!check.ok) throw check.error;
    const previous = await correctionRepository.findForApplication(tx, app.id);
    const updated = await apply(
      tx,
      app,
      {
        type: "requestCorrection",
        deadline: input.deadline,
        ...(previous.length > 0 ? { items: input.items } : {}),
      },
      {
        actor,
        now,
        patch: { correctionDeadline: input.deadline, reviewerId: actor.user.id },
        data: { items: input.items.length, deadline: input.deadline, notice: previous.length + 1 },
        facts: {
          correctionAlreadyRequested: previous.length > 0,
          correctionIntroducedMaterialIds: previous[0]?.introducedMaterialIds ?? [],
        },
        notices: [
          {
            to: "applicant",
            template: "correction-requested",
            params: { count: input.items.length, deadline: input.deadline },
          },
        ],
      },
    );
    await correctionRepository.insert(tx, {
      applicationId: app.id,
      reviewerId: actor.user.id,
      items: input.items,
      deadline: input.deadline,
      at: now,
    });
    return updated;
  });
}

/**
 * The applicant resubmits after correcting: the form must be complete again; what was added since the
 * notice is recorded (a further notice may concern only that), and the reviewer is told by SMS.
 */
export async function resubmitCorrection(
  db: Db,
  actor: Actor,
  id: string,
  now: Date,
  locale: Locale,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    const app = await lockAs(tx, actor, id, "applicant");
    const notice = await correctionRepository.findOpen(tx, app.id);
    if (!notice || app.state !== "correction_requested") {
      throw new DomainError("INVALID_TRANSITION", { from: app.state, event: "resubmit" });
    }
    const problems = validateForm(
      formStepsFor(app.series as Series, app.level as Level),
      app.form,
      locale,
      shanghaiDate(now),
    );
    if (Object.keys(problems).length > 0) {
      throw new DomainError("FORM_INCOMPLETE", { count: Object.keys(problems).length });
    }
    const introduced = await correctionRepository.materialsAddedSince(tx, app.id, notice.sentAt);
    const updated = await apply(
      tx,
      app,
      { type: "resubmit", at: now },
      {
        actor,
        now,
        patch: { correctionDeadline: null },
        data: { notice: notice.seq, introducedMaterials: introduced.length },
      },
    );
    await correctionRepository.markResubmitted(tx, notice.id, now, introduced);
    const reviewerPhone = await userRepository.findPhoneById(tx, notice.reviewerId);
    if (reviewerPhone) {
      await enqueueSms(tx, {
        userId: notice.reviewerId,
        phone: reviewerPhone,
        template: "correction-resubmitted",
        params: { name: app.applicantName },
        applicationId: app.id,
        at: now,
      });
    }
    return updated;
  });
}

/**
 * The reviewer judges the correction a material change: the employer must publicise again before the
 * applicant may upload the correction; the correction deadline moves past the new publicity.
 */
export async function judgeMaterialChange(
  db: Db,
  actor: Actor,
  id: string,
  now: Date,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    const app = await lockAs(tx, actor, id, "agency");
    const notices = await correctionRepository.findForApplication(tx, app.id);
    const latest = notices[0];
    if (!latest) throw new DomainError("CORRECTION_NOT_REQUESTED");
    const rules = await loadRules(tx, app.roundYear);
    const outcome = correctionJudgementOutcome("material-change", {
      judgedOn: shanghaiDate(now),
      employerPublicityMinWorkingDays: rules.round.employerPublicityMinWorkingDays,
      calendar: rules.calendar,
    });
    const deadline = outcome.correctionDeadline;
    const updated = await apply(
      tx,
      app,
      { type: "judgeMaterialChange", ...(deadline ? { deadline } : {}) },
      {
        actor,
        now,
        patch: { correctionDeadline: deadline ?? app.correctionDeadline },
        data: { notice: latest.seq, ...(deadline ? { deadline } : {}) },
        facts: { correctionAlreadyRequested: true },
        notices: [
          { to: "applicant", template: "material-change", params: {} },
          { to: "employer-hr", template: "employer-republicity", params: { name: app.applicantName } },
        ],
      },
    );
    await correctionRepository.setJudgement(tx, latest.id, "material-change");
    // The applicant answers the same notice again once the employer has recommended anew.
    await correctionRepository.reopen(tx, latest.id);
    return updated;
  });
}

/** Approval: the fee order is opened (amount by level, due date) and the applicant told by SMS. */
export async function approve(
  db: Db,
  actor: Actor,
  id: string,
  now: Date,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    const app = await lockAs(tx, actor, id, "agency");
    const order = await openFeeOrder(tx, app, now);
    return apply(
      tx,
      app,
      { type: "approve", feeDueBy: order.dueDate },
      {
        actor,
        now,
        patch: { reviewerId: actor.user.id },
        data: { orderNo: order.orderNo, amountFen: order.amountFen, due: order.dueDate },
        notices: [
          {
            to: "applicant",
            template: "approved",
            params: { due: order.dueDate, amount: (order.amountFen / 100).toFixed(2) },
          },
        ],
      },
    );
  });
}

/** The application does not meet the conditions: it ends, with the reason sent by SMS. */
export async function decline(
  db: Db,
  actor: Actor,
  id: string,
  reason: string,
  now: Date,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    const app = await lockAs(tx, actor, id, "agency");
    return apply(
      tx,
      app,
      { type: "decline", reason },
      {
        actor,
        now,
        patch: { reviewerId: actor.user.id },
        data: { reason },
        notices: [{ to: "applicant", template: "review-declined", params: { reason } }],
      },
    );
  });
}

/** The default deadline offered to the reviewer: five working days from today. */
export async function suggestedCorrectionDeadline(
  db: Db,
  app: ApplicationRecord,
  now: Date,
): Promise<IsoDate> {
  const rules = await loadRules(db, app.roundYear);
  return defaultCorrectionDeadline(shanghaiDate(now), undefined, rules.calendar);
}
