import {
  appendAudit,
  type BallotResult,
  type BallotSummary,
  ballotRepository,
  type CommitteeMeetingFacts,
  type Db,
  meetingAdminRepository,
  meetingRepository,
} from "@titles/db";
import {
  type BallotState,
  DomainError,
  type MeetingState,
  openBallotError,
  quorumNeeded,
  rollCallError,
  tallyBallot,
  voteError,
  ZBallotChoice,
  ZRecusalReason,
} from "@titles/domain";
import { z } from "zod";
import { type EvaluationReference, evaluationReferences } from "../defense/references";
import { command, isUniqueViolation, type PanelUser, parseInput, query } from "../outcome";

const ZMeetingId = z.object({ meetingId: z.string().uuid() });
const ZTarget = z.object({ meetingId: z.string().uuid(), applicationId: z.string().uuid() });
export const ZRollCallInput = ZMeetingId.extend({
  presentUserIds: z.array(z.string().uuid()).max(200),
});
export const ZCastVoteInput = ZTarget.extend({ choice: ZBallotChoice });
export const ZDeclareRecusalInput = ZTarget.extend({ reason: ZRecusalReason });

const voting = (role: string | null): role is "chair" | "expert" => role === "chair" || role === "expert";

/**
 * The meeting, locked, and the reader's seat: only the chair of a committee meeting passes. Chair
 * actions on one meeting run one at a time.
 */
async function chairOf(tx: Db, chair: PanelUser, meetingId: string): Promise<CommitteeMeetingFacts> {
  const meeting = await ballotRepository.lockMeeting(tx, meetingId);
  const role = meeting ? await meetingRepository.memberRole(tx, meetingId, chair.user.id) : null;
  if (!meeting || role === null) throw new DomainError("NOT_MEETING_MEMBER");
  if (role !== "chair") throw new DomainError("NOT_CHAIR");
  if (meeting.kind !== "committee") throw new DomainError("MEETING_KIND", { kind: meeting.kind });
  return meeting;
}

export interface RollCallResult {
  members: number;
  present: number;
  needed: number;
}

/**
 * The chair's roll call: marks each voting member (chair and experts) present or absent; the meeting
 * sits when at least two thirds are present (the meeting's inclusivity). Refused below quorum, with
 * the number needed, and nothing written.
 */
export async function rollCall(db: Db, chair: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<RollCallResult> => {
    const { meetingId, presentUserIds } = parseInput(ZRollCallInput, input);
    const meeting = await chairOf(tx, chair, meetingId);
    const seats = (await ballotRepository.seats(tx, meetingId)).filter((s) => voting(s.role));
    const memberIds = new Set(seats.map((s) => s.userId));
    const present = [...new Set(presentUserIds)];
    const strangers = present.filter((id) => !memberIds.has(id));
    if (strangers.length > 0) {
      throw new DomainError("VALIDATION", {
        details: `not voting members of the meeting: ${strangers.join(", ")}`,
      });
    }
    const refusal = rollCallError({
      state: meeting.state,
      members: seats.length,
      present: present.length,
      inclusive: meeting.quorumInclusive,
    });
    if (refusal) throw refusal;
    await ballotRepository.recordRollCall(tx, {
      meetingId,
      presentUserIds: present,
      members: seats.length,
      present: present.length,
      at: now,
    });
    const needed = quorumNeeded(seats.length, meeting.quorumInclusive);
    await appendAudit(tx, {
      at: now,
      actorUserId: chair.user.id,
      action: "committee.roll-call",
      objectType: "meeting",
      objectId: meetingId,
      data: {
        members: seats.length,
        present: present.length,
        needed,
        inclusive: meeting.quorumInclusive,
        presentUserIds: seats.filter((s) => present.includes(s.userId)).map((s) => s.userId),
        absentUserIds: seats.filter((s) => !present.includes(s.userId)).map((s) => s.userId),
      },
    });
    return { members: seats.length, present: present.length, needed };
  });
}

export interface BallotProgress {
  applicationId: string;
  ballotId: string;
  state: BallotState;
  voted: number;
  voters: number;
}

/** The chair opens the ballot on one applicant of the agenda: its voters are fixed now. */
export async function openBallot(db: Db, chair: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<BallotProgress> => {
    const { meetingId, applicationId } = parseInput(ZTarget, input);
    const meeting = await chairOf(tx, chair, meetingId);
    const onAgenda = await meetingRepository.onAgenda(tx, meetingId, applicationId);
    const existing = onAgenda ? await ballotRepository.findBallot(tx, meetingId, applicationId) : null;
    const refusal = openBallotError({
      meetingState: meeting.state,
      onAgenda,
      existing: existing?.state ?? null,
      anotherOpen: await ballotRepository.anyOpen(tx, meetingId),
    });
    if (refusal) throw refusal;
    if (await meetingRepository.isRecused(tx, meetingId, applicationId, chair.user.id)) {
      throw new DomainError("RECUSED");
    }
    const { voters, recusedPresent } = await ballotRepository.electorate(tx, meetingId, applicationId);
    const ballot = await ballotRepository.open(tx, {
      meetingId,
      applicationId,
      voters,
      recusedPresent,
      at: now,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: chair.user.id,
      action: "committee.ballot-open",
      objectType: "ballot",
      objectId: ballot.id,
      data: { meetingId, applicationId, voters, recusedPresent },
    });
    return { applicationId, ballotId: ballot.id, state: ballot.state, voted: 0, voters };
  });
}

/**
 * One secret vote: a member present at roll call, not recused, while the ballot is open, once. The
 * voter is recorded without the choice and the choice only adds to a counter, in one transaction;
 * the audit says who voted in which ballot, never how. No proxy: the voter is the caller.
 */
export async function castVote(db: Db, expert: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<BallotProgress> => {
    const { meetingId, applicationId, choice } = parseInput(ZCastVoteInput, input);
    const facts = await ballotRepository.voteFacts(tx, meetingId, applicationId, expert.user.id);
    const refusal = voteError({
      ballot: facts.ballot?.state ?? null,
      member: voting(facts.role),
      present: facts.present,
      recused: facts.recused,
      alreadyVoted: facts.alreadyVoted,
    });
    if (refusal) throw refusal;
    const ballot = facts.ballot!;
    let counted: boolean;
    try {
      counted = await ballotRepository.castVote(tx, {
        ballotId: ballot.id,
        expertId: expert.user.id,
        choice,
      });
    } catch (error) {
      // Two votes of one expert at the same instant: the key on ballot_voters lets one through.
      if (isUniqueViolation(error)) throw new DomainError("BALLOT_ALREADY_VOTED");
      throw error;
    }
    // The chair closed the ballot while this vote waited for the row: nothing is counted.
    if (!counted) throw new DomainError("BALLOT_NOT_OPEN", { state: "closed" });
    await appendAudit(tx, {
      at: now,
      actorUserId: expert.user.id,
      action: "committee.vote",
      objectType: "ballot",
      objectId: ballot.id,
      data: { meetingId, applicationId },
    });
    const summary = await ballotRepository.findBallot(tx, meetingId, applicationId);
    const voted = (await ballotRepository.progress(tx, [ballot.id])).get(ballot.id) ?? 0;
    return { applicationId, ballotId: ballot.id, state: "open", voted, voters: summary?.voters ?? 0 };
  });
}

export interface ClosedBallot extends BallotProgress {
  yes: number;
  no: number;
  abstain: number;
  blank: number;
  needed: number;
  passed: boolean;
}

/** The chair closes the ballot: the box is counted, the result fixed against the two-thirds rule. */
export async function closeBallot(db: Db, chair: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<ClosedBallot> => {
    const { meetingId, applicationId } = parseInput(ZTarget, input);
    const meeting = await chairOf(tx, chair, meetingId);
    const ballot = await ballotRepository.lockForClose(tx, meetingId, applicationId);
    if (!ballot) {
      if (!(await meetingRepository.onAgenda(tx, meetingId, applicationId)))
        throw new DomainError("NOT_ON_AGENDA");
      throw new DomainError("BALLOT_NOT_OPEN", { state: "none" });
    }
    if (ballot.state !== "open") throw new DomainError("BALLOT_NOT_OPEN", { state: ballot.state });
    const tally = tallyBallot({
      members: meeting.membersAtRollCall ?? 0,
      presentAtRollCall: meeting.presentAtRollCall ?? 0,
      recusedPresent: ballot.recusedPresent,
      yes: ballot.yes,
      no: ballot.no,
      abstain: ballot.abstain,
      inclusive: meeting.quorumInclusive,
    });
    if (
      !(await ballotRepository.close(tx, {
        ballotId: ballot.id,
        needed: tally.needed,
        passed: tally.passed,
        at: now,
      }))
    ) {
      throw new DomainError("BALLOT_NOT_OPEN", { state: "closed" });
    }
    const voted = (await ballotRepository.progress(tx, [ballot.id])).get(ballot.id) ?? 0;
    await appendAudit(tx, {
      at: now,
      actorUserId: chair.user.id,
      action: "committee.ballot-close",
      objectType: "ballot",
      objectId: ballot.id,
      data: {
        meetingId,
        applicationId,
        voted,
        voters: tally.voters,
        yes: tally.yes,
        no: tally.no,
        abstain: tally.abstain,
        blank: tally.blank,
        needed: tally.needed,
        passed: tally.passed,
      },
    });
    return {
      applicationId,
      ballotId: ballot.id,
      state: "closed",
      voted,
      voters: tally.voters,
      yes: tally.yes,
      no: tally.no,
      abstain: tally.abstain,
      blank: tally.blank,
      needed: tally.needed,
      passed: tally.passed,
    };
  });
}

/** The chair signs a closed ballot's result; it then flows on as the committee's decision. */
export async function signBallot(db: Db, chair: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<BallotProgress & { passed: boolean }> => {
    const { meetingId, applicationId } = parseInput(ZTarget, input);
    await chairOf(tx, chair, meetingId);
    const ballot = await ballotRepository.lockForClose(tx, meetingId, applicationId);
    if (!ballot) {
      if (!(await meetingRepository.onAgenda(tx, meetingId, applicationId)))
        throw new DomainError("NOT_ON_AGENDA");
      throw new DomainError("BALLOT_NOT_CLOSED", { state: "none" });
    }
    if (ballot.state !== "closed") throw new DomainError("BALLOT_NOT_CLOSED", { state: ballot.state });
    if (!(await ballotRepository.sign(tx, { ballotId: ballot.id, by: chair.user.id, at: now }))) {
      throw new DomainError("BALLOT_NOT_CLOSED", { state: ballot.state });
    }
    const voted = (await ballotRepository.progress(tx, [ballot.id])).get(ballot.id) ?? 0;
    await appendAudit(tx, {
      at: now,
      actorUserId: chair.user.id,
      action: "committee.ballot-sign",
      objectType: "ballot",
      objectId: ballot.id,
      data: { meetingId, applicationId, passed: ballot.passed === true },
    });
    return {
      applicationId,
      ballotId: ballot.id,
      state: "signed",
      voted,
      voters: ballot.voters,
      passed: ballot.passed === true,
    };
  });
}

/** The chair closes the meeting; refused while a ballot is open. */
export async function closeMeeting(db: Db, chair: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<{ state: MeetingState }> => {
    const { meetingId } = parseInput(ZMeetingId, input);
    const meeting = await chairOf(tx, chair, meetingId);
    if (meeting.state !== "in_session")
      throw new DomainError("MEETING_NOT_IN_SESSION", { state: meeting.state });
    if (await ballotRepository.anyOpen(tx, meetingId)) throw new DomainError("BALLOT_STILL_OPEN");
    if (!(await ballotRepository.closeMeeting(tx, meetingId, now))) {
      throw new DomainError("MEETING_NOT_IN_SESSION", { state: meeting.state });
    }
    await appendAudit(tx, {
      at: now,
      actorUserId: chair.user.id,
      action: "committee.meeting-close",
      objectType: "meeting",
      objectId: meetingId,
      data: {},
    });
    return { state: "closed" };
  });
}

/**
 * An expert declares a recusal (回避) from an applicant, with a reason, until the applicant's ballot is
 * opened. From then on the expert can no longer see, annotate, score or vote on the applicant.
 */
export async function declareRecusal(db: Db, expert: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx): Promise<{ applicationId: string }> => {
    const { meetingId, applicationId, reason } = parseInput(ZDeclareRecusalInput, input);
    const meeting = await ballotRepository.lockMeeting(tx, meetingId);
    const role = meeting ? await meetingRepository.memberRole(tx, meetingId, expert.user.id) : null;
    if (!meeting || !voting(role)) throw new DomainError("NOT_MEETING_MEMBER");
    if (!(await meetingRepository.onAgenda(tx, meetingId, applicationId)))
      throw new DomainError("NOT_ON_AGENDA");
    if (await meetingRepository.isRecused(tx, meetingId, applicationId, expert.user.id)) {
      throw new DomainError("ALREADY_RECUSED");
    }
    if (meeting.state === "closed") throw new DomainError("MEETING_NOT_IN_SESSION", { state: meeting.state });
    if (await ballotRepository.findBallot(tx, meetingId, applicationId))
      throw new DomainError("RECUSAL_TOO_LATE");
    await meetingAdminRepository.insertRecusal(tx, {
      meetingId,
      applicationId,
      expertId: expert.user.id,
      source: "declared",
      reason,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: expert.user.id,
      action: "committee.recusal-declared",
      objectType: "application",
      objectId: applicationId,
      data: { meetingId, source: "declared", reason },
    });
    return { applicationId };
  });
}

export interface RoomBallot {
  state: BallotState;
  voted: number;
  voters: number;
  /** Only once closed: the counts and the result. */
  tally: {
    yes: number;
    no: number;
    abstain: number;
    blank: number;
    needed: number;
    passed: boolean;
  } | null;
  signedAt: Date | null;
}

export interface RoomApplicant {
  applicationId: string;
  position: number;
  applicantName: string;
  employerName: string | null;
  ballot: RoomBallot | null;
  /** Whether the reader has voted on this applicant. */
  voted: boolean;
  references: EvaluationReference;
}

export interface MeetingRoom {
  meeting: {
    id: string;
    title: string;
    state: MeetingState;
    inclusive: boolean;
    /** Chair and experts: the base of the quorum. */
    members: number;
    needed: number;
    presentAtRollCall: number | null;
    rollCallAt: Date | null;
    closedAt: Date | null;
  };
  me: { userId: string; role: string; present: boolean | null };
  seats: Array<{ userId: string; name: string; role: string; present: boolean | null }>;
  applicants: RoomApplicant[];
}

function roomBallot(ballot: BallotSummary | BallotResult, voted: number): RoomBallot {
  const result = "yes" in ballot && ballot.state !== "open" ? ballot : null;
  return {
    state: ballot.state,
    voted,
    voters: ballot.voters,
    tally: result
      ? {
          yes: result.yes,
          no: result.no,
          abstain: result.abstain,
          blank: Math.max(0, result.voters - result.yes - result.no - result.abstain),
          needed: result.needed ?? 0,
          passed: result.passed === true,
        }
      : null,
    signedAt: ballot.signedAt,
  };
}

/**
 * The committee room as one member sees it: the meeting and its seats, and the agenda without the
 * applicants the reader is recused from; per applicant the ballot's state and progress (how many
 * voted, never how), the tally once closed, whether the reader voted, and the references.
 */
export async function meetingRoom(db: Db, reader: PanelUser, input: unknown) {
  return query(async (): Promise<MeetingRoom> => {
    const { meetingId } = parseInput(ZMeetingId, input);
    const role = await meetingRepository.memberRole(db, meetingId, reader.user.id);
    const meeting = role ? await ballotRepository.findMeeting(db, meetingId) : null;
    if (!role || !meeting) throw new DomainError("NOT_MEETING_MEMBER");
    if (meeting.kind !== "committee") throw new DomainError("MEETING_KIND", { kind: meeting.kind });
    const seats = await ballotRepository.seats(db, meetingId);
    const agenda = await meetingRepository.agendaFor(db, meetingId, reader.user.id);
    const visible = new Set(agenda.map((a) => a.applicationId));
    const ballots = (await ballotRepository.ofMeeting(db, meetingId)).filter((b) =>
      visible.has(b.applicationId),
    );
    const ids = ballots.map((b) => b.id);
    const progress = await ballotRepository.progress(db, ids);
    const mine = await ballotRepository.votedBy(db, ids, reader.user.id);
    const references = await evaluationReferences(
      db,
      meetingId,
      agenda.map((a) => a.applicationId),
    );
    const byApplication = new Map(ballots.map((b) => [b.applicationId, b]));
    const members = seats.filter((s) => voting(s.role)).length;
    return {
      meeting: {
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        inclusive: meeting.quorumInclusive,
        members: meeting.membersAtRollCall ?? members,
        needed: quorumNeeded(meeting.membersAtRollCall ?? members, meeting.quorumInclusive),
        presentAtRollCall: meeting.presentAtRollCall,
        rollCallAt: meeting.rollCallAt,
        closedAt: meeting.closedAt,
      },
      me: {
        userId: reader.user.id,
        role,
        present: seats.find((s) => s.userId === reader.user.id)?.present ?? null,
      },
      seats,
      applicants: agenda.map((a) => {
        const ballot = byApplication.get(a.applicationId);
        return {
          applicationId: a.applicationId,
          position: a.position,
          applicantName: a.applicantName,
          employerName: a.employerName,
          ballot: ballot ? roomBallot(ballot, progress.get(ballot.id) ?? 0) : null,
          voted: ballot ? mine.has(ballot.id) : false,
          references: references.get(a.applicationId) ?? { defense: null, opinions: [] },
        };
      }),
    };
  });
}
