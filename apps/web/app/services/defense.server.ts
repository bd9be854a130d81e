import {
  type ApplicationRecord,
  appendAudit,
  applicationRepository,
  type Db,
  type DefenseAssignment,
  type DefenseSessionSummary,
  defenseSessionRepository,
  meetingRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import {
  addDays,
  checkApplicationAccess,
  compareDates,
  DomainError,
  defenseDateError,
  type IsoDate,
  isApplicationState,
  type Level,
  needsDefense,
  shanghaiDate,
  slotError,
  validationError,
  ZDefenseSessionInput,
  ZLevel,
  ZSeries,
} from "@titles/domain";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";
import { agencySeries } from "./agency.server";
import { apply, type CommandResult, command, loadRules } from "./applications.server";
import { enqueueSms } from "./notifications.server";

/**
 * Defense sessions (答辩) as the agency runs them: scheduling inside the round's defense months, calling
 * intermediate and senior applicants to a slot, publishing the epidemic-prevention requirements, and the
 * check-in on the day. The panel (meeting_members, draw, recusals) is managed on the generic meeting page.
 */

const ZId = z.string().uuid();

/** Which series and level a session is for, next to what ZDefenseSessionInput holds. */
export const ZDefenseTarget = z.object({
  series: ZSeries,
  level: ZLevel,
});

export const ZAssignInput = z.object({
  applicationId: z.string().uuid({ message: "请选择申报人 / choose the applicant" }),
  slotStart: z.string().regex(/^\d{2}:\d{2}$/, { message: "请选择时段 / choose the slot" }),
});

export const ZCheckInInput = z.object({
  applicationId: z.string().uuid(),
  attendance: z.enum(["present", "no_show"]),
});

export const ZPublishInput = z.object({
  requirements: z.string().trim().min(4, { message: "请填写防疫要求 / Give the requirements" }).max(2000),
});

/** The agency organisations the actor works for. */
function agencyIds(actor: Actor): string[] {
  return actor.roles.filter((r) => r.role === "agency" && r.organisationId).map((r) => r.organisationId!);
}

const dateOf = (session: { startsAt: Date }): IsoDate => shanghaiDate(session.startsAt);

/** The session, if the actor's agency runs it; NOT_FOUND otherwise (another agency's is not shown). */
async function sessionFor(db: Db, actor: Actor, id: unknown, lock = false) {
  const parsed = ZId.safeParse(id);
  if (!parsed.success) throw new DomainError("NOT_FOUND");
  const session = await defenseSessionRepository.findById(db, parsed.data, lock);
  if (!session?.agencyId || !agencyIds(actor).includes(session.agencyId)) {
    throw new DomainError("NOT_FOUND");
  }
  return session;
}

/** The active round's year and the dates that matter for defenses. */
async function activeRound(db: Db, now: Date) {
  const active = await roundRepository.findActive(db);
  if (!active) throw new DomainError("NOT_THIS_ROUND", { year: Number(shanghaiDate(now).slice(0, 4)) });
  const rules = await loadRules(db, active.year);
  return {
    year: active.year,
    window: rules.round.defenseMonths,
    evaluationEndsBy: rules.round.evaluationEndsBy,
    publicityEndsBy: rules.round.publicityEndsBy,
  };
}

export interface DefenseDates {
  roundYear: number;
  window: { from: IsoDate; to: IsoDate };
  evaluationEndsBy: IsoDate;
  publicityEndsBy: IsoDate;
  /** A date to offer in the form: tomorrow, or the first day of the window if later. */
  suggestedDate: IsoDate;
}

async function defenseDates(db: Db, now: Date): Promise<DefenseDates> {
  const round = await activeRound(db, now);
  const tomorrow = addDays(shanghaiDate(now), 1);
  const suggested = compareDates(tomorrow, round.window.from) < 0 ? round.window.from : tomorrow;
  return {
    roundYear: round.year,
    window: round.window,
    evaluationEndsBy: round.evaluationEndsBy,
    publicityEndsBy: round.publicityEndsBy,
    suggestedDate: compareDates(suggested, round.window.to) > 0 ? round.window.to : suggested,
  };
}

/**
 * Schedules a defense session of the active round: the date inside the defense months, a series the
 * agency handles, a level that has a defense. One transaction with its audit record.
 */
export async function scheduleDefenseSession(
  db: Db,
  actor: Actor,
  raw: unknown,
  now: Date,
): Promise<CommandResult<{ id: string }>> {
  return command(db, async (tx) => {
    const session = ZDefenseSessionInput.safeParse(raw);
    if (!session.success) throw validationError(session.error);
    const target = ZDefenseTarget.safeParse(raw);
    if (!target.success) throw validationError(target.error);
    const { series, level } = target.data;
    if (!agencySeries(actor).includes(series))
      throw new DomainError("FORBIDDEN", { reason: "not-your-agency" });
    if (!needsDefense(level)) throw new DomainError("DEFENSE_NOT_NEEDED", { level });
    const round = await activeRound(tx, now);
    const outside = defenseDateError(session.data.date, round.window);
    if (outside) throw outside;
    if (compareDates(session.data.date, shanghaiDate(now)) < 0) {
      throw new DomainError("VALIDATION", { details: "答辩日期已过 / the date has passed" });
    }
    const agencyId = actor.roles.find(
      (r) => r.role === "agency" && r.organisationId && r.organisationSeries.includes(series),
    )!.organisationId!;
    const slots = [...session.data.slots].sort((a, b) => a.start.localeCompare(b.start));
    const meeting = await meetingRepository.insert(tx, {
      roundYear: round.year,
      series,
      level,
      kind: "defense",
      title: session.data.title,
      venue: session.data.venue,
      startsAt: new Date(`${session.data.date}T${slots[0]!.start}:00+08:00`),
      agencyId,
      slots,
      requirements: session.data.requirements,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "defense.scheduled",
      objectType: "meeting",
      objectId: meeting.id,
      data: { series, level, date: session.data.date, venue: session.data.venue, slots },
    });
    return { id: meeting.id };
  });
}

export interface DefenseSlotView {
  start: string;
  capacity: number;
  filled: number;
}

export interface DefenseSessionView {
  id: string;
  title: string;
  series: string;
  level: string;
  date: IsoDate;
  venue: string;
  state: string;
  slots: DefenseSlotView[];
  assigned: number;
  capacity: number;
  panelSize: number;
  noShows: number;
  requirements: string;
  requirementsPublishedAt: string | null;
  /** Held already (its date is before today). */
  past: boolean;
}

function sessionView(s: DefenseSessionSummary, today: IsoDate): DefenseSessionView {
  const slots = s.slots.map((slot) => ({ ...slot, filled: s.filled[slot.start] ?? 0 }));
  return {
    id: s.id,
    title: s.title,
    series: s.series,
    level: s.level,
    date: dateOf(s),
    venue: s.venue,
    state: s.state,
    slots,
    assigned: slots.reduce((n, slot) => n + slot.filled, 0),
    capacity: slots.reduce((n, slot) => n + slot.capacity, 0),
    panelSize: s.panelSize,
    noShows: s.noShows,
    requirements: s.requirements,
    requirementsPublishedAt: s.requirementsPublishedAt?.toISOString() ?? null,
    past: compareDates(dateOf(s), today) < 0,
  };
}

/** The agency's defense sessions, earliest first, with the dates of the round that matter. */
export async function listDefenseSessions(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ dates: DefenseDates; series: string[]; sessions: DefenseSessionView[] }> {
  const [dates, sessions] = await Promise.all([
    defenseDates(db, now),
    defenseSessionRepository.findForAgencies(db, agencyIds(actor)),
  ]);
  const today = shanghaiDate(now);
  return { dates, series: agencySeries(actor), sessions: sessions.map((s) => sessionView(s, today)) };
}

export interface DefenseCandidate {
  id: string;
  applicantName: string;
  employerName: string | null;
  level: string;
  state: string;
  /** The session the applicant is already called to, if any (assigning again moves them). */
  calledTo: { meetingId: string; title: string; date: IsoDate; slotStart: string | null } | null;
}

export interface DefenseSessionDetail {
  session: DefenseSessionView;
  assignments: Array<Omit<DefenseAssignment, "checkedInAt"> & { checkedInAt: string | null }>;
  candidates: DefenseCandidate[];
  /** Check-in is open from the session's day on (server clock). */
  checkInOpen: boolean;
  dates: DefenseDates;
}

/** One session for the agency: slots, who is called, who may still be called, check-in. */
export async function defenseSessionDetail(
  db: Db,
  actor: Actor,
  id: unknown,
  now: Date,
): Promise<DefenseSessionDetail> {
  const found = await sessionFor(db, actor, id);
  const filled = await defenseSessionRepository.slotCounts(db, found.id);
  const today = shanghaiDate(now);
  const session = sessionView({ ...found, filled }, today);
  const assignments = await defenseSessionRepository.assignments(db, found.id);
  const onSession = new Set(assignments.map((a) => a.applicationId));
  const pool = await applicationRepository.findForAgency(db, {
    series: [found.series],
    states: ["complete", "defense_scheduled"],
    level: found.level,
  });
  const candidates: DefenseCandidate[] = [];
  for (const app of pool) {
    if (onSession.has(app.id) || !isApplicationState(app.state)) continue;
    if (checkApplicationAccess(accessOf(actor), { ...app, state: app.state }, "agency") !== null) continue;
    const call =
      app.state === "defense_scheduled"
        ? (await defenseSessionRepository.callsFor(db, app.id))[0]
        : undefined;
    candidates.push({
      id: app.id,
      applicantName: app.applicantName,
      employerName: app.employerName,
      level: app.level,
      state: app.state,
      calledTo: call
        ? { meetingId: call.meetingId, title: call.title, date: dateOf(call), slotStart: call.slotStart }
        : null,
    });
  }
  return {
    session,
    assignments: assignments.map((a) => ({ ...a, checkedInAt: a.checkedInAt?.toISOString() ?? null })),
    candidates,
    checkInOpen: compareDates(today, session.date) >= 0,
    dates: await defenseDates(db, now),
  };
}

const accessOf = (actor: Actor) => ({ userId: actor.user.id, roles: actor.roles });

/** The text the applicant's notice carries about the requirements (empty until they are published). */
function requirementsLine(session: { requirements: string; requirementsPublishedAt: Date | null }): string {
  return session.requirementsPublishedAt && session.requirements ? `防疫要求：${session.requirements}。` : "";
}

/**
 * Calls an applicant to a slot of a session: a complete intermediate or senior application of the
 * session's series and level, a slot with room. An applicant already called elsewhere is moved. One
 * transaction: the agenda row and slot, the state (`scheduleDefense`), automatic recusals, the SMS.
 */
export async function assignApplicant(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<{ recused: number; movedFrom: string | null }>> {
  return command(db, async (tx) => {
    const session = await sessionFor(tx, actor, meetingId, true);
    const input = ZAssignInput.safeParse(raw);
    if (!input.success) throw validationError(input.error);
    const { applicationId, slotStart } = input.data;
    const locked = await applicationRepository.findByIdForUpdate(tx, applicationId);
    if (!locked || !isApplicationState(locked.state)) throw new DomainError("NOT_FOUND");
    const app = { ...locked, state: locked.state };
    const denied = checkApplicationAccess(accessOf(actor), app, "agency");
    if (denied) throw denied;
    if (!needsDefense(app.level as Level)) throw new DomainError("DEFENSE_NOT_NEEDED", { level: app.level });
    if (app.series !== session.series || app.level !== session.level || app.roundYear !== session.roundYear) {
      throw new DomainError("VALIDATION", {
        details: "该申报的年度、系列或级别与答辩场次不符 / the application's round, series or level differs",
      });
    }
    const date = dateOf(session);
    if (compareDates(date, shanghaiDate(now)) < 0) {
      throw new DomainError("VALIDATION", { details: "该场答辩已举行 / this session has been held" });
    }
    const slot = session.slots.find((s) => s.start === slotStart);
    if (!slot) throw new DomainError("VALIDATION", { details: "没有该时段 / no such slot" });

    const calls = await defenseSessionRepository.callsFor(tx, app.id);
    const here = calls.find((c) => c.meetingId === session.id);
    if (calls.some((c) => c.attendance !== "pending")) {
      throw new DomainError("VALIDATION", {
        details: "该申报人已签到或登记缺席，不能改期 / already checked in or recorded absent",
      });
    }
    const counts = await defenseSessionRepository.slotCounts(tx, session.id);
    const taken = (counts[slotStart] ?? 0) - (here?.slotStart === slotStart ? 1 : 0);
    const full = slotError(slot, taken);
    if (full) throw full;

    let movedFrom: string | null = null;
    for (const call of calls) {
      if (call.meetingId === session.id) continue;
      await defenseSessionRepository.removeApplication(tx, call.meetingId, app.id);
      movedFrom = call.meetingId;
    }
    if (!here) await meetingRepository.addApplication(tx, session.id, app.id);
    await defenseSessionRepository.setSlot(tx, session.id, app.id, slotStart);
    await apply(
      tx,
      app,
      { type: "scheduleDefense", date },
      {
        actor,
        now,
        data: { meetingId: session.id, date, slot: slotStart, ...(movedFrom ? { movedFrom } : {}) },
        notices: [
          {
            to: "applicant",
            template: "defense-notice",
            params: { date, time: slotStart, venue: session.venue, requirements: requirementsLine(session) },
          },
        ],
      },
    );
    const recused = await meetingRepository.applyAutomaticRecusals(tx, session.id);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "defense.assigned",
      objectType: "meeting",
      objectId: session.id,
      data: { applicationId: app.id, slot: slotStart, movedFrom, automaticRecusals: recused.length },
    });
    return { recused: recused.length, movedFrom };
  });
}

/**
 * Publishes the session's epidemic-prevention requirements: stored with the time, texted to every
 * applicant called to it; those called later get them in their notice. Publishing the same text again
 * is refused (nobody is texted twice); a changed text is published and texted anew.
 */
export async function publishRequirements(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<{ texted: number }>> {
  return command(db, async (tx) => {
    const session = await sessionFor(tx, actor, meetingId, true);
    const input = ZPublishInput.safeParse(raw);
    if (!input.success) throw validationError(input.error);
    const { requirements } = input.data;
    const date = dateOf(session);
    if (compareDates(date, shanghaiDate(now)) < 0) {
      throw new DomainError("VALIDATION", { details: "该场答辩已举行 / this session has been held" });
    }
    if (session.requirementsPublishedAt && session.requirements === requirements) {
      throw new DomainError("VALIDATION", {
        details: "防疫要求已发布，内容未修改 / already published, unchanged",
      });
    }
    await defenseSessionRepository.publishRequirements(tx, session.id, requirements, now);
    const assigned = await defenseSessionRepository.assignments(tx, session.id);
    let texted = 0;
    for (const a of assigned) {
      const phone = await userRepository.findPhoneById(tx, a.applicantId);
      if (!phone) continue;
      await enqueueSms(tx, {
        userId: a.applicantId,
        phone,
        template: "defense-requirements",
        params: { date, time: a.slotStart ?? "", venue: session.venue, requirements },
        applicationId: a.applicationId,
        at: now,
      });
      texted += 1;
    }
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "defense.requirements-published",
      objectType: "meeting",
      objectId: session.id,
      data: { texted, republished: session.requirementsPublishedAt !== null },
    });
    return { texted };
  });
}

/** Check-in on the day (from the session's date on, by the server clock): present or a no-show. */
export async function checkIn(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<{ attendance: "present" | "no_show" }>> {
  return command(db, async (tx) => {
    const session = await sessionFor(tx, actor, meetingId, true);
    const input = ZCheckInInput.safeParse(raw);
    if (!input.success) throw validationError(input.error);
    const date = dateOf(session);
    if (compareDates(shanghaiDate(now), date) < 0) throw new DomainError("DEFENSE_NOT_YET", { date });
    const { applicationId, attendance } = input.data;
    const done = await defenseSessionRepository.setAttendance(tx, session.id, applicationId, attendance, now);
    if (!done) throw new DomainError("NOT_ON_AGENDA");
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "defense.check-in",
      objectType: "meeting",
      objectId: session.id,
      data: { applicationId, attendance },
    });
    return { attendance };
  });
}

/** What the applicant's status page shows about their defense. */
export interface DefenseNoticeView {
  title: string;
  date: IsoDate;
  slotStart: string | null;
  venue: string;
  /** Null until the agency publishes them. */
  requirements: string | null;
  requirementsPublishedAt: string | null;
  attendance: string;
  /** What comes next, with dates: the defense, the committee's evaluation, the result publicity. */
  next: Array<{ step: "defense" | "evaluation" | "publicity"; date: IsoDate; by: boolean }>;
}

/** The defense notice of an application (null when it is not called to a session). */
export async function defenseNoticeFor(
  db: Db,
  app: Pick<ApplicationRecord, "id" | "roundYear">,
): Promise<DefenseNoticeView | null> {
  const [call] = await defenseSessionRepository.callsFor(db, app.id);
  if (!call) return null;
  const rules = await loadRules(db, call.roundYear);
  const published = call.requirementsPublishedAt !== null && call.requirements !== "";
  return {
    title: call.title,
    date: dateOf(call),
    slotStart: call.slotStart,
    venue: call.venue,
    requirements: published ? call.requirements : null,
    requirementsPublishedAt: published ? call.requirementsPublishedAt!.toISOString() : null,
    attendance: call.attendance,
    next: [
      { step: "defense", date: dateOf(call), by: false },
      { step: "evaluation", date: rules.round.evaluationEndsBy, by: true },
      { step: "publicity", date: rules.round.publicityEndsBy, by: true },
    ],
  };
}
