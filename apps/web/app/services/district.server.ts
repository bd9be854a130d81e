import {
  type ApplicationWithPeople,
  appendAudit,
  applicationRepository,
  type Db,
  type DistrictFile,
  type DistrictForwardWithEntries,
  type DistrictReviewRecord,
  districtRepository,
  type ForwardEntry,
  organisationRepository,
} from "@titles/db";
import {
  type ApplicationState,
  checkApplicationAccess,
  compareDates,
  type DistrictDecision,
  DomainError,
  daysLeft,
  districtDecisionEvent,
  districtIntakeError,
  type IsoDate,
  isApplicationState,
  type Level,
  type OnSiteCheck,
  onSiteCheckError,
  type RoundConfig,
  type Series,
  shanghaiDate,
  ZDistrictDecision,
  ZOnSiteCheck,
} from "@titles/domain";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";
import { apply, type CommandResult, command, loadRules } from "./applications.server";

/**
 * The district bureau's part of the through-train (直通车, notice §2.5): it receives the files of units
 * in its district by the district deadline, checks on site, records its recommendation committee's
 * decision, and forwards the recommended applicants to the evaluation agency. The agency sees a
 * through-train file only once it is on a forwarded list (`isForwarded`).
 */

const accessActor = (actor: Actor) => ({ userId: actor.user.id, roles: actor.roles });

/** The district bureaus the actor works for, with their districts. */
export function districtGrants(actor: Actor) {
  return actor.roles
    .filter((r) => r.role === "district" && r.organisationId && r.organisationDistrict)
    .map((r) => ({
      organisationId: r.organisationId!,
      name: r.organisationName ?? "",
      district: r.organisationDistrict!,
    }));
}

type LockedFile = ApplicationWithPeople & { state: ApplicationState };

/**
 * Locks the application and checks that the actor's bureau is the district of its unit (a guessed id
 * gets the same refusal as a visible one): NOT_FOUND, or FORBIDDEN "not-your-district".
 */
async function lockFile(
  tx: Db,
  actor: Actor,
  id: string,
): Promise<{ app: LockedFile; districtOrgId: string }> {
  if (!z.string().uuid().safeParse(id).success) throw new DomainError("NOT_FOUND");
  const locked = await applicationRepository.findByIdForUpdate(tx, id);
  const app = locked ? await applicationRepository.findById(tx, id) : null;
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  const file = { ...app, state: app.state };
  const denied = checkApplicationAccess(accessActor(actor), file, "district");
  if (denied) throw denied;
  const bureau = districtGrants(actor).find((g) => g.district === app.employerDistrict);
  if (!bureau) throw new DomainError("FORBIDDEN", { reason: "not-your-district" });
  return { app: file, districtOrgId: bureau.organisationId };
}

function notInReview(app: LockedFile): DomainError | null {
  return app.state === "district_review"
    ? null
    : new DomainError("DISTRICT_NOT_IN_REVIEW", { from: app.state });
}

function validation(error: z.ZodError): DomainError {
  return new DomainError("VALIDATION", {
    details: error.issues.map((i) => i.path.join(".") || i.message).join(", "),
  });
}

/**
 * Intake (接收): the file reaches the district bureau, by the district deadline on the server's clock.
 * The application moves to district review; the applicant gets an SMS.
 */
export async function receiveFile(db: Db, actor: Actor, id: string, now: Date) {
  return command(db, async (tx) => {
    const { app, districtOrgId } = await lockFile(tx, actor, id);
    const rules = await loadRules(tx, app.roundYear);
    if (app.state === "confirmed") {
      const late = districtIntakeError(now, rules.round, {
        series: app.series as Series,
        level: app.level as Level,
      });
      if (late) throw late;
    }
    const updated = await apply(
      tx,
      app,
      { type: "forwardToDistrict", at: now },
      {
        actor,
        now,
        data: { districtOrgId },
        notices: [{ to: "applicant", template: "district-received", params: {} }],
      },
    );
    await districtRepository.insertReview(tx, { applicationId: app.id, districtOrgId, receivedAt: now });
    return updated;
  });
}

/** The on-site check form as it crosses the boundary: staff names separated by commas or 、. */
export const ZOnSiteCheckForm = z.object({
  date: z.string(),
  staff: z
    .string()
    .max(600)
    .transform((s) =>
      s
        .split(/[,，、;；\n]+/)
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  outcome: z.string(),
  findings: z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? s.trim() : undefined)),
});

/**
 * Records (or corrects, while the file is under review) the on-site check: date, staff, outcome and,
 * for a failed check, what was found. Audited; no SMS (the committee's decision is what the applicant
 * is told).
 */
export async function recordOnSiteCheck(db: Db, actor: Actor, id: string, input: unknown, now: Date) {
  return command(db, async (tx) => {
    const parsed = ZOnSiteCheck.safeParse(input);
    if (!parsed.success) throw validation(parsed.error);
    const check: OnSiteCheck = parsed.data;
    const { app } = await lockFile(tx, actor, id);
    const wrongState = notInReview(app);
    if (wrongState) throw wrongState;
    const future = onSiteCheckError(check, now);
    if (future) throw future;
    const received = await districtRepository.findReview(tx, app.id);
    const receivedOn = received ? shanghaiDate(received.receivedAt) : null;
    if (receivedOn && compareDates(check.date, receivedOn) < 0) {
      throw new DomainError("VALIDATION", {
        details: `the on-site check date ${check.date} is before the file was received on ${receivedOn}`,
      });
    }
    const review = await districtRepository.updateReview(tx, app.id, { onSiteCheck: { ...check } });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "district.on-site-check",
      objectType: "application",
      objectId: app.id,
      data: { date: check.date, staff: check.staff, outcome: check.outcome },
    });
    return review;
  });
}

/** The committee decision form: recommended yes/no, the meeting's date, the reason when not. */
export const ZDecisionForm = z
  .object({
    decidedOn: z.string(),
    recommended: z.enum(["yes", "no"]),
    reason: z.string().optional(),
  })
  .transform((f) =>
    f.recommended === "yes"
      ? { recommended: true as const, decidedOn: f.decidedOn }
      : { recommended: false as const, decidedOn: f.decidedOn, reason: f.reason ?? "" },
  );

/**
 * The recommendation committee's (推委会) decision on one applicant, after the on-site check: recommended
 * (district_recommended, waiting to be forwarded) or not, with the reason the applicant is told by SMS.
 */
export async function recordDecision(db: Db, actor: Actor, id: string, input: unknown, now: Date) {
  return command(db, async (tx) => {
    const parsed = ZDistrictDecision.safeParse(input);
    if (!parsed.success) throw validation(parsed.error);
    const decision: DistrictDecision = parsed.data;
    const { app } = await lockFile(tx, actor, id);
    const wrongState = notInReview(app);
    if (wrongState) throw wrongState;
    const review = await districtRepository.findReview(tx, app.id);
    const check = review?.onSiteCheck ? ZOnSiteCheck.safeParse(review.onSiteCheck) : null;
    if (!check?.success) throw new DomainError("DISTRICT_CHECK_MISSING");
    if (decision.recommended && check.data.outcome === "failed")
      throw new DomainError("DISTRICT_CHECK_FAILED");
    if (compareDates(decision.decidedOn, shanghaiDate(now)) > 0) {
      throw new DomainError("VALIDATION", {
        details: `the committee date ${decision.decidedOn} is in the future`,
      });
    }
    if (compareDates(decision.decidedOn, check.data.date) < 0) {
      throw new DomainError("VALIDATION", {
        details: `the committee date ${decision.decidedOn} is before the on-site check on ${check.data.date}`,
      });
    }
    const reason = decision.recommended ? null : decision.reason;
    const updated = await apply(tx, app, districtDecisionEvent(decision), {
      actor,
      now,
      data: {
        decidedOn: decision.decidedOn,
        recommended: decision.recommended,
        ...(reason ? { reason } : {}),
      },
      notices: [
        decision.recommended
          ? { to: "applicant", template: "district-recommended", params: {} }
          : { to: "applicant", template: "district-declined", params: { reason: reason!.slice(0, 60) } },
      ],
    });
    await districtRepository.updateReview(tx, app.id, {
      committeeDate: decision.decidedOn,
      decision: decision.recommended ? "recommended" : "not-recommended",
      reason,
      decidedBy: actor.user.id,
    });
    return updated;
  });
}

export interface ForwardResult {
  /** Null when nobody was waiting: forwarding again changes nothing. */
  forwardId: string | null;
  applicants: ForwardEntry[];
}

/**
 * Forwards the bureau's list (报送评审机构): every recommended applicant not yet forwarded goes on one
 * list, and from then on the agency sees their files. Idempotent: with nobody waiting it writes nothing.
 */
export async function forwardRecommended(
  db: Db,
  actor: Actor,
  districtOrgId: string,
  now: Date,
): Promise<CommandResult<ForwardResult>> {
  return command(db, async (tx) => {
    if (!districtGrants(actor).some((g) => g.organisationId === districtOrgId)) {
      throw new DomainError("FORBIDDEN", { reason: "not-your-district" });
    }
    const applicants = await districtRepository.findForwardableForUpdate(tx, districtOrgId);
    if (applicants.length === 0) return { forwardId: null, applicants };
    const applicationIds = applicants.map((a) => a.applicationId);
    const forward = await districtRepository.insertForward(tx, {
      districtOrgId,
      forwardedBy: actor.user.id,
      at: now,
      applicationIds,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "district.forwarded",
      objectType: "district-forward",
      objectId: forward.id,
      data: { districtOrgId, applicationIds },
    });
    for (const applicationId of applicationIds) {
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "application.forwarded-to-agency",
        objectType: "application",
        objectId: applicationId,
        data: { forwardId: forward.id },
      });
    }
    return { forwardId: forward.id, applicants };
  });
}

/** Whether the district has forwarded a through-train file: before that the agency does not see it. */
export async function isForwarded(db: Db, applicationId: string): Promise<boolean> {
  return districtRepository.isForwarded(db, applicationId);
}

/** Where a file stands at its district bureau, for the workspace's lists. */
export type DistrictStage = "intake" | "review" | "decided" | "forwarded" | "ended";

export function districtStage(file: Pick<DistrictFile, "state" | "review">): DistrictStage {
  if (file.review?.forwardId) return "forwarded";
  if (file.review?.decision) return "decided";
  if (file.state === "district_review") return "review";
  if (file.state === "confirmed") return "intake";
  return "ended";
}

/** The district deadline of a file's window, and the calendar days left (today included; 0 once over). */
export function districtDeadlineOf(round: RoundConfig, windowId: string, now: Date) {
  const window = round.windows.find((w) => w.id === windowId);
  const deadline = window?.districtDeadline as IsoDate | undefined;
  if (!window || !deadline) return null;
  return { deadline, daysLeft: daysLeft(now, { opens: window.opens, closes: deadline }) };
}

export interface DistrictWorkspace {
  organisationId: string;
  name: string;
  district: string;
  files: Array<DistrictFile & { stage: DistrictStage; deadline: IsoDate | null; daysLeft: number | null }>;
  /** Recommended and not yet forwarded: the next list. */
  toForward: DistrictFile[];
  forwards: DistrictForwardWithEntries[];
}

/** Each of the actor's bureaus with the through-train files of its district's units, and its lists. */
export async function districtWorkspaces(db: Db, actor: Actor, now: Date): Promise<DistrictWorkspace[]> {
  const rounds = new Map<number, RoundConfig | null>();
  const roundOf = async (year: number) => {
    if (!rounds.has(year)) {
      rounds.set(
        year,
        await loadRules(db, year)
          .then((r) => r.round)
          .catch(() => null),
      );
    }
    return rounds.get(year) ?? null;
  };
  const out: DistrictWorkspace[] = [];
  for (const grant of districtGrants(actor)) {
    const files = await districtRepository.findFilesInDistrict(db, grant.district);
    const withStage = [];
    for (const f of files) {
      const round = await roundOf(f.roundYear);
      const due = round ? districtDeadlineOf(round, f.windowId, now) : null;
      withStage.push({
        ...f,
        stage: districtStage(f),
        deadline: due?.deadline ?? null,
        daysLeft: due?.daysLeft ?? null,
      });
    }
    out.push({
      ...grant,
      files: withStage,
      toForward: withStage.filter(
        (f) =>
          f.stage === "decided" && f.review?.decision === "recommended" && f.state === "district_recommended",
      ),
      forwards: await districtRepository.findForwards(db, grant.organisationId),
    });
  }
  return out;
}

/** What the district recorded about one file, and the bureau's name. */
export async function districtRecordOf(
  db: Db,
  applicationId: string,
): Promise<{ review: DistrictReviewRecord | null; onSiteCheck: OnSiteCheck | null; bureau: string | null }> {
  const review = await districtRepository.findReview(db, applicationId);
  const check = review?.onSiteCheck ? ZOnSiteCheck.safeParse(review.onSiteCheck) : null;
  const bureau = review ? await organisationRepository.findById(db, review.districtOrgId) : null;
  return { review, onSiteCheck: check?.success ? check.data : null, bureau: bureau?.name ?? null };
}
