import { randomBytes } from "node:crypto";
import {
  appendAudit,
  applicationRepository,
  type BallotRecord,
  type CommitteeRecord,
  committeeRepository,
  type Db,
  defenseScoreRepository,
  type ExpertDrawRecord,
  expertDrawRepository,
  expertRepository,
  fileRepository,
  type MeetingAgendaView,
  type MeetingMemberView,
  type MeetingRecord,
  type MeetingSummary,
  meetingAdminRepository,
  meetingRepository,
  type OpinionView,
  type RecusalView,
  type ReviewGroupView,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  committeeAgendaError,
  DomainError,
  defenseReference,
  drawExperts,
  isApplicationState,
  type Level,
  quorumNeeded,
  reviewGroupSizeOk,
  scoreSheetFor,
  validationError,
  ZRecusalReason,
} from "@titles/domain";
import { z } from "zod";
import { type MinutesData, renderMinutes } from "~/documents/minutes.server";
import type { Actor } from "~/lib/auth.server";
import { apply, type CommandResult, command } from "./applications.server";
import { agencyIdFor, seriesScope } from "./committees.server";

/**
 * The agency's side of panel meetings (review, defense and committee meetings): who sits in them, the
 * random draw of experts, the committee's agenda, recusals, review groups, and what the panel left
 * behind (roll call, ballots) read back for the agency and the minutes. The panel app writes the roll
 * call and the ballots; nothing here writes them.
 */

const ZId = z.string().uuid();

/** What the actor may see: null for the city bureau (everything). */
function meetingScope(actor: Actor): { agencyIds: string[]; series: string[] } | null {
  const series = seriesScope(actor);
  if (series === null) return null;
  const agencyIds = actor.roles
    .filter((r) => r.role === "agency" && r.organisationId)
    .map((r) => r.organisationId!);
  return { agencyIds, series };
}

function mayManage(actor: Actor, meeting: Pick<MeetingRecord, "agencyId" | "series">): boolean {
  const scope = meetingScope(actor);
  if (scope === null) return true;
  return meeting.agencyId !== null
    ? scope.agencyIds.includes(meeting.agencyId)
    : scope.series.includes(meeting.series);
}

/** The meeting, if the actor's agency runs it (or the actor is the city bureau); NOT_FOUND otherwise. */
export async function meetingFor(db: Db, actor: Actor, id: unknown): Promise<MeetingRecord> {
  const parsed = ZId.safeParse(id);
  if (!parsed.success) throw new DomainError("NOT_FOUND");
  const meeting = await meetingRepository.findById(db, parsed.data);
  if (!meeting || !mayManage(actor, meeting)) throw new DomainError("NOT_FOUND");
  return meeting;
}

/** Locks the meeting for a change and checks it is still in one of `states`. */
async function lockFor(
  tx: Db,
  actor: Actor,
  id: unknown,
  states?: readonly string[],
): Promise<MeetingRecord> {
  const meeting = await meetingFor(tx, actor, id);
  await meetingAdminRepository.lock(tx, meeting.id);
  const fresh = (await meetingRepository.findById(tx, meeting.id))!;
  if (states && !states.includes(fresh.state)) {
    // Before the roll call only: the roll call was taken. Otherwise: the meeting is over.
    throw states.includes("in_session") || fresh.state === "scheduled"
      ? new DomainError("MEETING_NOT_IN_SESSION", { state: fresh.state })
      : new DomainError("MEETING_ROLL_CALL_DONE", { state: fresh.state });
  }
  return fresh;
}

export async function listMeetings(db: Db, actor: Actor): Promise<MeetingSummary[]> {
  const scope = meetingScope(actor);
  return meetingAdminRepository.list(db, scope ?? { agencyIds: null, series: null });
}

// --------------------------------------------------------------------------------------------------
// Setting a committee meeting up

/** `2026-11-30T14:00` typed in Beijing time. */
const ZLocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "请填写会议日期和时间 / give the date and time" })
  .transform((v) => new Date(`${v}:00+08:00`))
  .refine((d) => !Number.isNaN(d.getTime()), { message: "请填写有效的日期和时间 / not a valid date" });

export const ZCommitteeMeetingInput = z.object({
  committeeId: z.string().uuid({ message: "请选择评审委员会 / choose the committee" }),
  title: z.string().trim().max(120).optional(),
  venue: z.string().trim().min(2, { message: "请填写会议地点 / give the venue" }).max(200),
  startsAt: ZLocalDateTime,
});

/**
 * A committee's meeting: its members sit in it (the chair as chair), the quorum setting is the
 * committee's. The agenda and any drawn experts come after.
 */
export async function createCommitteeMeeting(
  db: Db,
  actor: Actor,
  raw: unknown,
  now: Date,
): Promise<CommandResult<MeetingRecord>> {
  return command(db, async (tx) => {
    const parsed = ZCommitteeMeetingInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    const committee = await committeeRepository.findById(tx, input.committeeId);
    const scope = seriesScope(actor);
    if (!committee || (scope !== null && !scope.includes(committee.series)))
      throw new DomainError("NOT_FOUND");
    const members = await committeeRepository.members(tx, committee.id);
    const meeting = await meetingRepository.insert(tx, {
      roundYear: committee.roundYear,
      series: committee.series,
      level: committee.level,
      kind: "committee",
      title: input.title || `${committee.name}会议`,
      venue: input.venue,
      startsAt: input.startsAt,
      agencyId: committee.agencyId ?? agencyIdFor(actor, committee.series),
      committeeId: committee.id,
      quorumInclusive: committee.inclusive,
    });
    for (const m of members) {
      await meetingRepository.addMember(tx, meeting.id, m.userId, m.role === "chair" ? "chair" : "expert");
    }
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.created",
      objectType: "meeting",
      objectId: meeting.id,
      data: {
        kind: "committee",
        committee: committee.id,
        startsAt: input.startsAt.toISOString(),
        members: members.length,
        quorumInclusive: committee.inclusive,
      },
    });
    return meeting;
  });
}

export const ZMemberInput = z.object({
  userId: z.string().uuid({ message: "请选择专家 / choose an expert" }),
  role: z.enum(["expert", "observer"]).default("expert"),
});

/** Seats a pool expert of the meeting's series while the meeting has not sat yet. */
export async function addMember(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<{ recused: number }>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled"]);
    const parsed = ZMemberInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const [expert] = await expertRepository.findByIds(tx, [parsed.data.userId]);
    if (!expert || expert.series !== meeting.series || !expert.active) {
      throw new DomainError("VALIDATION", { details: "该专家不在本系列专家库中 / not in the series' pool" });
    }
    if (await meetingRepository.memberRole(tx, meeting.id, expert.userId)) {
      throw new DomainError("VALIDATION", { details: "该专家已是会议成员 / already a member" });
    }
    await meetingRepository.addMember(tx, meeting.id, expert.userId, parsed.data.role);
    const recused = await meetingRepository.applyAutomaticRecusals(tx, meeting.id);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.member-added",
      objectType: "meeting",
      objectId: meeting.id,
      data: { userId: expert.userId, role: parsed.data.role, automaticRecusals: recused.length },
    });
    return { recused: recused.length };
  });
}

export async function removeMember(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  userId: unknown,
  now: Date,
): Promise<CommandResult<true>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled"]);
    const id = ZId.safeParse(userId);
    // The committee's chair presides its meetings; a new chair is a change of the committee.
    if (id.success && meeting.kind === "committee") {
      if ((await meetingRepository.memberRole(tx, meeting.id, id.data)) === "chair") {
        throw new DomainError("VALIDATION", {
          details: "主任委员不能从会议中移除 / the committee's chair cannot be removed",
        });
      }
    }
    if (!id.success || !(await meetingAdminRepository.removeMember(tx, meeting.id, id.data))) {
      throw new DomainError("NOT_MEETING_MEMBER");
    }
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.member-removed",
      objectType: "meeting",
      objectId: meeting.id,
      data: { userId: id.data },
    });
    return true as const;
  });
}

// --------------------------------------------------------------------------------------------------
// The random draw

/** A fresh seed for a draw: 64 random bits, printed on the record. */
export function newDrawSeed(): string {
  return randomBytes(8).toString("hex");
}

/** `结构工程、岩土工程` or `a, b` → the disciplines, trimmed, without repeats. */
function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,，、;；\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export const ZDrawInput = z.object({
  size: z.coerce
    .number({ message: "请填写抽取人数 / give how many to draw" })
    .int({ message: "抽取人数应为整数 / a whole number" })
    .min(1, { message: "至少抽取1人 / at least one" })
    .max(49, { message: "一次最多抽取49人 / at most 49 at a time" }),
  disciplines: z
    .union([z.string().max(500), z.array(z.string().max(40)).max(20)])
    .default("")
    .transform((v) => (Array.isArray(v) ? splitList(v.join(",")) : splitList(v))),
  seed: z.string().trim().max(64).optional(),
});

export interface DrawOutcome {
  draw: ExpertDrawRecord;
  coverage: Record<string, string>;
  recused: number;
}

/**
 * Draws experts from the pool of the meeting's series into the meeting: experts of the units of the
 * applicants on the agenda and experts already seated are left out; each required discipline is
 * covered. The seed (a fresh random one unless given), the pool and the result are kept, so anyone can
 * repeat the draw (`verifyDraw`).
 */
export async function drawIntoMeeting(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<DrawOutcome>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled"]);
    const parsed = ZDrawInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    const seed = input.seed || newDrawSeed();
    // One after the other: a transaction is one connection.
    const pool = await expertRepository.findPool(tx, { series: [meeting.series], activeOnly: true });
    const members = await meetingAdminRepository.members(tx, meeting.id);
    const agenda = await meetingAdminRepository.agenda(tx, meeting.id);
    const excludeUnitIds = [
      ...new Set(agenda.map((a) => a.employerId).filter((id): id is string => id !== null)),
    ];
    const excludeIds = members.map((m) => m.userId);
    const result = drawExperts({
      pool: pool.map((e) => ({ id: e.userId, disciplines: e.disciplines, unitId: e.unitId })),
      size: input.size,
      seed,
      requiredDisciplines: input.disciplines,
      excludeUnitIds,
      excludeIds,
    });
    if (!result.ok) throw result.error;
    for (const id of result.drawn) await meetingRepository.addMember(tx, meeting.id, id, "expert");
    const draw = await expertDrawRepository.insert(tx, {
      meetingId: meeting.id,
      seed,
      size: input.size,
      requiredDisciplines: input.disciplines,
      excludedUnitIds: excludeUnitIds,
      excludedIds: excludeIds,
      poolIds: pool.map((e) => e.userId),
      drawnIds: result.drawn,
      drawnBy: actor.user.id,
      drawnAt: now,
    });
    const recused = await meetingRepository.applyAutomaticRecusals(tx, meeting.id);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.experts-drawn",
      objectType: "meeting",
      objectId: meeting.id,
      data: {
        draw: draw.id,
        seed,
        size: input.size,
        requiredDisciplines: input.disciplines,
        pool: pool.length,
        excludedUnits: excludeUnitIds.length,
        excludedExperts: excludeIds.length,
        drawn: result.drawn,
      },
    });
    return { draw, coverage: result.coverage, recused: recused.length };
  });
}

export interface DrawCheck {
  drawId: string;
  seed: string;
  matches: boolean;
  stored: string[];
  repeated: string[];
}

/** Repeats a stored draw from its seed over the same pool and exclusions; nothing is written. */
export async function verifyDraw(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  drawId: unknown,
): Promise<CommandResult<DrawCheck>> {
  return command(db, async (tx) => {
    const meeting = await meetingFor(tx, actor, meetingId);
    const id = ZId.safeParse(drawId);
    const draw = id.success ? await expertDrawRepository.findById(tx, id.data) : null;
    if (!draw || draw.meetingId !== meeting.id) throw new DomainError("NOT_FOUND");
    const pool = await expertRepository.findByIds(tx, draw.poolIds);
    const again = drawExperts({
      pool: pool.map((e) => ({ id: e.userId, disciplines: e.disciplines, unitId: e.unitId })),
      size: draw.size,
      seed: draw.seed,
      requiredDisciplines: draw.requiredDisciplines,
      excludeUnitIds: draw.excludedUnitIds,
      excludeIds: draw.excludedIds,
    });
    const repeated = again.ok ? again.drawn : [];
    return {
      drawId: draw.id,
      seed: draw.seed,
      stored: draw.drawnIds,
      repeated,
      matches:
        again.ok &&
        repeated.length === draw.drawnIds.length &&
        repeated.every((x, i) => x === draw.drawnIds[i]),
    };
  });
}

// --------------------------------------------------------------------------------------------------
// The committee's agenda, recusals, review groups

/**
 * Puts an application on a committee meeting's agenda: of the meeting's round, series and level, after
 * its defense (intermediate and senior) or complete (junior); it moves to `evaluating`. One left
 * unvoted by a closed meeting joins a later one as it is. The automatic recusals are renewed.
 */
export async function addToAgenda(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  applicationId: unknown,
  now: Date,
): Promise<CommandResult<{ recused: number }>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled"]);
    if (meeting.kind !== "committee") throw new DomainError("MEETING_KIND", { kind: meeting.kind });
    const id = ZId.safeParse(applicationId);
    const locked = id.success ? await applicationRepository.findByIdForUpdate(tx, id.data) : null;
    if (!locked || !isApplicationState(locked.state)) throw new DomainError("NOT_FOUND");
    const app = { ...locked, state: locked.state };
    if (app.roundYear !== meeting.roundYear || app.series !== meeting.series || app.level !== meeting.level) {
      throw new DomainError("VALIDATION", {
        details: "该申报的年度、系列或级别与会议不符 / the application's round, series or level differs",
      });
    }
    // Carried over: still being evaluated after a closed meeting that never voted on it.
    const carriedOver = app.state === "evaluating" && !(await meetingAdminRepository.hasBallot(tx, app.id));
    const refused = committeeAgendaError({
      state: app.state,
      level: app.level as Level,
      carriedOver,
      defenseHeld:
        app.state === "defense_scheduled" && (await meetingAdminRepository.defenseHeld(tx, app.id, now)),
    });
    if (refused) throw refused;
    if (await meetingAdminRepository.openCommitteeMeetingOf(tx, app.id)) {
      throw new DomainError("VALIDATION", {
        details: "该申报已列入评审会议议程 / already on a committee meeting's agenda",
      });
    }
    await meetingRepository.addApplication(tx, meeting.id, app.id);
    if (!carriedOver) {
      await apply(tx, app, { type: "startEvaluation" }, { actor, now, data: { meetingId: meeting.id } });
    }
    const recused = await meetingRepository.applyAutomaticRecusals(tx, meeting.id);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.agenda-added",
      objectType: "meeting",
      objectId: meeting.id,
      data: { applicationId: app.id, carriedOver, automaticRecusals: recused.length },
    });
    return { recused: recused.length };
  });
}

export const ZOrderedRecusalInput = z.object({
  expertId: z.string().uuid({ message: "请选择专家 / choose the expert" }),
  applicationId: z.string().uuid({ message: "请选择申报人 / choose the applicant" }),
  reason: ZRecusalReason,
});

/** Staff order an expert to stay out of one applicant's review (回避), with the reason on record. */
export async function orderRecusal(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<true>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled", "in_session"]);
    const parsed = ZOrderedRecusalInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    const role = await meetingRepository.memberRole(tx, meeting.id, input.expertId);
    if (role !== "chair" && role !== "expert") throw new DomainError("NOT_MEETING_MEMBER");
    if (!(await meetingRepository.onAgenda(tx, meeting.id, input.applicationId))) {
      throw new DomainError("NOT_ON_AGENDA");
    }
    const ballot = (await meetingAdminRepository.ballots(tx, meeting.id)).find(
      (b) => b.applicationId === input.applicationId,
    );
    if (ballot) throw new DomainError("BALLOT_ALREADY_HELD", { state: ballot.state });
    const added = await meetingAdminRepository.insertRecusal(tx, {
      meetingId: meeting.id,
      applicationId: input.applicationId,
      expertId: input.expertId,
      source: "ordered",
      reason: input.reason,
    });
    if (!added) throw new DomainError("ALREADY_RECUSED");
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.recusal-ordered",
      objectType: "meeting",
      objectId: meeting.id,
      data: { expertId: input.expertId, applicationId: input.applicationId, reason: input.reason },
    });
    return true as const;
  });
}

export const ZReviewGroupInput = z.object({
  name: z.string().trim().min(2, { message: "请填写评议组名称 / name the group" }).max(60),
  discipline: z.string().trim().max(40).default(""),
  memberIds: z.array(z.string().uuid()).max(60),
});

/** A review group (评议组) of at least three of the meeting's experts. */
export async function createReviewGroup(
  db: Db,
  actor: Actor,
  meetingId: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<string>> {
  return command(db, async (tx) => {
    const meeting = await lockFor(tx, actor, meetingId, ["scheduled", "in_session"]);
    const parsed = ZReviewGroupInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    const ids = [...new Set(input.memberIds)];
    const members = await meetingAdminRepository.members(tx, meeting.id);
    const experts = new Set(
      members.filter((m) => m.role === "chair" || m.role === "expert").map((m) => m.userId),
    );
    if (ids.some((id) => !experts.has(id))) throw new DomainError("NOT_MEETING_MEMBER");
    if (!reviewGroupSizeOk(ids.length))
      throw new DomainError("REVIEW_GROUP_TOO_SMALL", { experts: ids.length });
    const groupId = await meetingAdminRepository.insertReviewGroup(tx, {
      meetingId: meeting.id,
      name: input.name,
      discipline: input.discipline,
      memberIds: ids,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "meeting.review-group-created",
      objectType: "meeting",
      objectId: meeting.id,
      data: { groupId, name: input.name, discipline: input.discipline, members: ids },
    });
    return groupId;
  });
}

// --------------------------------------------------------------------------------------------------
// Reading a meeting back

export interface BallotView {
  applicationId: string;
  state: string;
  yes: number;
  no: number;
  abstain: number;
  /** Present, non-recused experts: 应投. */
  voters: number;
  /** Voters who cast nothing: 未投. */
  blank: number;
  needed: number | null;
  passed: boolean | null;
  closedAt: Date | null;
  signedAt: Date | null;
  signedByName: string | null;
}

export interface MeetingDetail {
  meeting: MeetingRecord;
  committee: CommitteeRecord | null;
  members: MeetingMemberView[];
  agenda: MeetingAgendaView[];
  candidates: MeetingAgendaView[];
  recusals: RecusalView[];
  draws: ExpertDrawRecord[];
  reviewGroups: ReviewGroupView[];
  opinions: OpinionView[];
  ballots: BallotView[];
  /** Defense panel score per application (hundredths), from its latest defense session. */
  defenseScores: Record<
    string,
    { score: string | null; count: number; trimmed: boolean; attendance: string }
  >;
  quorum: { members: number; needed: number; present: number | null; inclusive: boolean };
}

function ballotView(b: BallotRecord, names: Map<string, string>): BallotView {
  return {
    applicationId: b.applicationId,
    state: b.state,
    yes: b.yes,
    no: b.no,
    abstain: b.abstain,
    voters: b.voters,
    blank: Math.max(0, b.voters - b.yes - b.no - b.abstain),
    needed: b.needed,
    passed: b.passed,
    closedAt: b.closedAt,
    signedAt: b.signedAt,
    signedByName: b.signedBy ? (names.get(b.signedBy) ?? null) : null,
  };
}

export async function meetingDetail(db: Db, actor: Actor, id: unknown, now: Date): Promise<MeetingDetail> {
  const meeting = await meetingFor(db, actor, id);
  const [committee, members, agenda, recusals, draws, reviewGroups, opinions, ballots] = await Promise.all([
    meeting.committeeId ? committeeRepository.findById(db, meeting.committeeId) : null,
    meetingAdminRepository.members(db, meeting.id),
    meetingAdminRepository.agenda(db, meeting.id),
    meetingAdminRepository.recusals(db, meeting.id),
    expertDrawRepository.findForMeeting(db, meeting.id),
    meetingAdminRepository.reviewGroups(db, meeting.id),
    meetingAdminRepository.opinions(db, meeting.id),
    meetingAdminRepository.ballots(db, meeting.id),
  ]);
  const candidates =
    meeting.kind === "committee" && meeting.state === "scheduled"
      ? await meetingAdminRepository.agendaCandidates(db, {
          roundYear: meeting.roundYear,
          series: meeting.series,
          level: meeting.level,
          now,
        })
      : [];
  const totals = await defenseScoreRepository.latestTotals(
    db,
    meeting.roundYear,
    agenda.map((a) => a.applicationId),
  );
  const defenseScores: MeetingDetail["defenseScores"] = {};
  for (const [applicationId, entry] of totals) {
    const { score, count, trimmed } = defenseReference(entry.totals, scoreSheetFor(meeting.series));
    defenseScores[applicationId] = { score, count, trimmed, attendance: entry.attendance };
  }
  const names = new Map(members.map((m) => [m.userId, m.name]));
  const voting = members.filter((m) => m.role === "chair" || m.role === "expert").length;
  const memberCount = meeting.membersAtRollCall ?? voting;
  return {
    meeting,
    committee,
    members,
    agenda,
    candidates,
    recusals,
    draws,
    reviewGroups,
    opinions,
    ballots: ballots.map((b) => ballotView(b, names)),
    defenseScores,
    quorum: {
      members: memberCount,
      needed: quorumNeeded(memberCount, meeting.quorumInclusive),
      present: meeting.presentAtRollCall,
      inclusive: meeting.quorumInclusive,
    },
  };
}

// --------------------------------------------------------------------------------------------------
// Minutes (会议纪要)

export interface MinutesFile {
  sha256: string;
  bytes: Uint8Array;
  /** True when this request built and archived them. */
  built: boolean;
}

async function readStored(files: FileStore, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of files.createReadStream(sha256)) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** What the minutes say, read from the closed meeting. */
export async function minutesData(db: Db, meeting: MeetingRecord): Promise<MinutesData> {
  const [committee, members, agenda, recusals, opinions, ballots] = await Promise.all([
    meeting.committeeId ? committeeRepository.findById(db, meeting.committeeId) : null,
    meetingAdminRepository.members(db, meeting.id),
    meetingAdminRepository.agenda(db, meeting.id),
    meetingAdminRepository.recusals(db, meeting.id),
    meetingAdminRepository.opinions(db, meeting.id),
    meetingAdminRepository.ballots(db, meeting.id),
  ]);
  const totals = await defenseScoreRepository.latestTotals(
    db,
    meeting.roundYear,
    agenda.map((a) => a.applicationId),
  );
  const voting = members.filter((m) => m.role === "chair" || m.role === "expert");
  const names = new Map(members.map((m) => [m.userId, m.name]));
  const chair = members.find((m) => m.role === "chair") ?? null;
  const membersAtRollCall = meeting.membersAtRollCall ?? voting.length;
  const signedTimes = ballots.map((b) => b.signedAt).filter((d): d is Date => d !== null);
  return {
    title: meeting.title,
    startsAt: meeting.startsAt,
    closedAt: meeting.closedAt,
    venue: meeting.venue,
    series: meeting.series,
    level: meeting.level,
    committeeName: committee?.name ?? "",
    chairName: chair?.name ?? "",
    present: voting.filter((m) => m.present === true).map((m) => m.name),
    absent: voting.filter((m) => m.present !== true).map((m) => m.name),
    quorum: {
      members: membersAtRollCall,
      present: meeting.presentAtRollCall ?? voting.filter((m) => m.present === true).length,
      needed: quorumNeeded(membersAtRollCall, meeting.quorumInclusive),
      inclusive: meeting.quorumInclusive,
    },
    applicants: agenda.map((a) => {
      const ballot = ballots.find((b) => b.applicationId === a.applicationId);
      const entry = totals.get(a.applicationId);
      const score = entry ? defenseReference(entry.totals, scoreSheetFor(meeting.series)).score : null;
      // The committee's reference: the panel score, or why there is none.
      const defense = !entry ? null : entry.attendance === "no_show" ? "未参加答辩" : (score ?? "未评分");
      return {
        name: a.applicantName,
        unit: a.employerName ?? "",
        opinions: opinions
          .filter((o) => o.applicationId === a.applicationId)
          .map((o) => ({ group: o.groupName, recommendation: o.recommendation, opinion: o.opinion })),
        defenseScore: defense,
        ballot: ballot ? ballotView(ballot, names) : null,
        recused: recusals.filter((r) => r.applicationId === a.applicationId).map((r) => r.expertName),
      };
    }),
    signedAt: signedTimes.length ? new Date(Math.max(...signedTimes.map((d) => d.getTime()))) : null,
  };
}

/**
 * The minutes PDF of a closed committee meeting. The first request builds it, stores it in the file
 * store and records its hash on the meeting; every later request serves those archived bytes.
 */
export async function meetingMinutes(
  db: Db,
  files: FileStore,
  actor: Actor,
  meetingId: unknown,
  now: Date,
): Promise<CommandResult<MinutesFile>> {
  try {
    const meeting = await meetingFor(db, actor, meetingId);
    if (meeting.kind !== "committee") throw new DomainError("MEETING_KIND", { kind: meeting.kind });
    if (meeting.state !== "closed") throw new DomainError("NOT_FOUND");
    if (meeting.minutesSha256) {
      return {
        ok: true,
        value: {
          sha256: meeting.minutesSha256,
          bytes: await readStored(files, meeting.minutesSha256),
          built: false,
        },
      };
    }
    const bytes = await renderMinutes(await minutesData(db, meeting));
    const stored = await files.putBuffer(bytes);
    const archived = await command(db, async (tx) => {
      await meetingAdminRepository.lock(tx, meeting.id);
      await fileRepository.upsert(tx, {
        sha256: stored.sha256,
        size: stored.size,
        mime: "application/pdf",
        width: null,
        height: null,
        pages: null,
      });
      if (!(await meetingAdminRepository.setMinutes(tx, meeting.id, stored.sha256))) {
        // Another request archived them first: theirs are the record.
        return (await meetingRepository.findById(tx, meeting.id))!.minutesSha256!;
      }
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "meeting.minutes-archived",
        objectType: "meeting",
        objectId: meeting.id,
        data: { sha256: stored.sha256, size: stored.size },
      });
      return stored.sha256;
    });
    if (!archived.ok) return archived;
    if (archived.value !== stored.sha256) {
      return {
        ok: true,
        value: { sha256: archived.value, bytes: await readStored(files, archived.value), built: false },
      };
    }
    return { ok: true, value: { sha256: stored.sha256, bytes, built: true } };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}
