import { z } from "zod";
import type { Labels } from "./catalog";
import { decideBallot, isQuorate, quorumNeeded } from "./committee";
import { DomainError } from "./errors";

/**
 * A committee meeting: scheduled, then in session once the chair's roll call found a quorum, then closed
 * by the chair. Quorum is taken once, at roll call, over the whole committee.
 */
export const meetingStates = ["scheduled", "in_session", "closed"] as const;
export type MeetingState = (typeof meetingStates)[number];

export const meetingStateLabels: Readonly<Record<MeetingState, Labels>> = {
  scheduled: { "zh-CN": "待点名", en: "Awaiting roll call" },
  in_session: { "zh-CN": "会议进行中", en: "In session" },
  closed: { "zh-CN": "会议已结束", en: "Closed" },
};

/** One applicant's ballot: open for votes, closed and tallied, then signed by the chair. */
export const ballotStates = ["open", "closed", "signed"] as const;
export type BallotState = (typeof ballotStates)[number];

export const ballotStateLabels: Readonly<Record<BallotState, Labels>> = {
  open: { "zh-CN": "投票中", en: "Voting open" },
  closed: { "zh-CN": "已计票，待签署", en: "Tallied, awaiting signature" },
  signed: { "zh-CN": "主任委员已签署", en: "Signed by the chair" },
};

export const ballotChoices = ["yes", "no", "abstain"] as const;
export type BallotChoice = (typeof ballotChoices)[number];
export const ZBallotChoice = z.enum(ballotChoices);

export const ballotChoiceLabels: Readonly<Record<BallotChoice, Labels>> = {
  yes: { "zh-CN": "同意", en: "Yes" },
  no: { "zh-CN": "不同意", en: "No" },
  abstain: { "zh-CN": "弃权", en: "Abstain" },
};

/** The chair's roll call: who is present decides whether the meeting may sit. */
export function rollCallError(input: {
  state: MeetingState;
  members: number;
  present: number;
  inclusive: boolean;
}): DomainError | undefined {
  if (input.state !== "scheduled") return new DomainError("MEETING_ROLL_CALL_DONE", { state: input.state });
  if (!isQuorate({ members: input.members, present: input.present, inclusive: input.inclusive })) {
    return new DomainError("QUORUM_NOT_MET", {
      members: input.members,
      present: input.present,
      needed: quorumNeeded(input.members, input.inclusive),
    });
  }
  return undefined;
}

/** The chair opens the ballot on one applicant: the meeting sits, the applicant is on the agenda and has no ballot yet, and no other ballot is open. */
export function openBallotError(input: {
  meetingState: MeetingState;
  onAgenda: boolean;
  existing: BallotState | null;
  anotherOpen: boolean;
}): DomainError | undefined {
  if (input.meetingState !== "in_session") {
    return new DomainError("MEETING_NOT_IN_SESSION", { state: input.meetingState });
  }
  if (!input.onAgenda) return new DomainError("NOT_ON_AGENDA");
  if (input.existing !== null) return new DomainError("BALLOT_ALREADY_HELD", { state: input.existing });
  if (input.anotherOpen) return new DomainError("BALLOT_ANOTHER_OPEN");
  return undefined;
}

/**
 * Who may cast a ballot: a member present at roll call, not recused from the applicant, while the
 * ballot is open, once. There is no proxy: the voter is the session's user.
 */
export function voteError(input: {
  ballot: BallotState | null;
  member: boolean;
  present: boolean;
  recused: boolean;
  alreadyVoted: boolean;
}): DomainError | undefined {
  if (!input.member) return new DomainError("NOT_MEETING_MEMBER");
  if (input.ballot === null) return new DomainError("BALLOT_NOT_OPEN", { state: "none" });
  if (input.ballot !== "open") return new DomainError("BALLOT_NOT_OPEN", { state: input.ballot });
  if (!input.present) return new DomainError("BALLOT_NOT_PRESENT");
  if (input.recused) return new DomainError("RECUSED");
  if (input.alreadyVoted) return new DomainError("BALLOT_ALREADY_VOTED");
  return undefined;
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  /** Present, non-recused experts: the base of the two-thirds. */
  voters: number;
  /** Voters who did not cast a ballot (counted as not yes). */
  blank: number;
  needed: number;
  passed: boolean;
}

/**
 * The result of one applicant's ballot. `voters` are the experts present at roll call who are not
 * recused from this applicant; abstentions and blanks are not yes votes.
 */
export function tallyBallot(input: {
  members: number;
  presentAtRollCall: number;
  recusedPresent: number;
  yes: number;
  no: number;
  abstain: number;
  inclusive: boolean;
}): Tally {
  const cast = input.yes + input.no + input.abstain;
  const decided = decideBallot({
    members: input.members,
    presentAtRollCall: input.presentAtRollCall,
    recusedPresent: input.recusedPresent,
    yes: input.yes,
    inclusive: input.inclusive,
  });
  if (!decided.ok) throw decided.error;
  // decideBallot checks yes; a negative or fractional no/abstain count would corrupt the blanks.
  for (const [name, value] of [
    ["no", input.no],
    ["abstain", input.abstain],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DomainError("VALIDATION", {
        details: `${name} must be a non-negative integer, got ${value}`,
      });
    }
  }
  if (cast > decided.voters) {
    throw new DomainError("VALIDATION", { details: "more ballots than voters" });
  }
  return {
    yes: input.yes,
    no: input.no,
    abstain: input.abstain,
    voters: decided.voters,
    blank: decided.voters - cast,
    needed: decided.needed,
    passed: decided.passed,
  };
}
