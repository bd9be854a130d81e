import type { Level } from "./catalog";
import { addYears, compareDates, type IsoDate } from "./dates";
import { DomainError, type Result } from "./errors";

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError("VALIDATION", {
      details: `${name} must be a non-negative integer, got ${value}`,
    });
  }
  return value;
}

/**
 * A meeting is valid when at least 2/3 of the members are present
 * (`present*3 >= members*2`; older local rules exclude the boundary, hence
 * `inclusive`). Integers only: 2/3 as a float would misjudge the boundary.
 */
export function isQuorate(input: { members: number; present: number; inclusive?: boolean }): boolean {
  const members = count("members", input.members);
  const present = count("present", input.present);
  if (present > members) {
    throw new DomainError("VALIDATION", {
      details: "more present than members",
    });
  }
  if (members === 0) return false;
  return (input.inclusive ?? true) ? present * 3 >= members * 2 : present * 3 > members * 2;
}

/** The fewest present members for a valid meeting. */
export function quorumNeeded(members: number, inclusive = true): number {
  count("members", members);
  // ceil(2m/3) inclusive, floor(2m/3)+1 exclusive, in integers.
  return inclusive ? Math.floor((members * 2 + 2) / 3) : Math.floor((members * 2) / 3) + 1;
}

/**
 * A ballot passes when yes ≥ 2/3 of the experts present and voting
 * (abstentions and blanks are not yes). No one present: nothing passes.
 */
export function ballotPasses(input: { present: number; yes: number; inclusive?: boolean }): boolean {
  const present = count("present", input.present);
  const yes = count("yes", input.yes);
  if (yes > present) {
    throw new DomainError("VALIDATION", { details: "more yes votes than voters" });
  }
  if (present === 0) return false;
  return (input.inclusive ?? true) ? yes * 3 >= present * 2 : yes * 3 > present * 2;
}

/** The fewest yes votes that pass with `present` voters. */
export function votesNeeded(present: number, inclusive = true): number {
  return quorumNeeded(present, inclusive);
}

/**
 * Outcome for one applicant. Quorum is taken once at roll call over the whole
 * committee; recused experts leave the room, so they do not count as present
 * for this applicant's vote (our policy where the rules are silent).
 */
export function decideBallot(input: {
  members: number;
  presentAtRollCall: number;
  recusedPresent?: number;
  yes: number;
  inclusive?: boolean;
}): Result<{ passed: boolean; voters: number; needed: number }> {
  const inclusive = input.inclusive ?? true;
  const members = input.members;
  const present = input.presentAtRollCall;
  if (!isQuorate({ members, present, inclusive })) {
    return {
      ok: false,
      error: new DomainError("QUORUM_NOT_MET", {
        members,
        present,
        needed: quorumNeeded(members, inclusive),
      }),
    };
  }
  const recused = count("recusedPresent", input.recusedPresent ?? 0);
  if (recused > present) {
    return {
      ok: false,
      error: new DomainError("VALIDATION", {
        details: "more recused than present",
      }),
    };
  }
  const voters = present - recused;
  if (count("yes", input.yes) > voters) {
    return {
      ok: false,
      error: new DomainError("VALIDATION", {
        details: "more yes votes than voters",
      }),
    };
  }
  return {
    ok: true,
    passed: ballotPasses({ present: voters, yes: input.yes, inclusive }),
    voters,
    needed: voters === 0 ? 1 : votesNeeded(voters, inclusive),
  };
}

export type CommitteeOrganisedBy = "series" | "specialty";

/** Minimum members of a senior (副高/正高) committee, by how it is organised. */
export const seniorCommitteeMinimum: Readonly<Record<CommitteeOrganisedBy, number>> = {
  series: 25,
  specialty: 11,
};

/**
 * Problems with a committee's size: it must be odd, and a senior-level
 * committee needs ≥25 members per series or ≥11 per specialty. National
 * rules set no minimum for junior and intermediate committees.
 */
export function committeeSizeOk(input: {
  members: number;
  organisedBy: CommitteeOrganisedBy;
  level: Level;
}): DomainError[] {
  const members = count("members", input.members);
  const problems: DomainError[] = [];
  if (members % 2 === 0) {
    problems.push(new DomainError("COMMITTEE_SIZE_EVEN", { members }));
  }
  const senior = input.level === "deputy-senior" || input.level === "senior";
  const min = senior ? seniorCommitteeMinimum[input.organisedBy] : 1;
  if (members < min) {
    problems.push(new DomainError("COMMITTEE_TOO_SMALL", { members, min }));
  }
  return problems;
}

/** An expert's term runs at most 3 years (end on the same date 3 years on at most). */
export function termOk(start: IsoDate, end: IsoDate): boolean {
  return compareDates(start, end) <= 0 && compareDates(end, addYears(start, 3)) <= 0;
}

/** A review group (评议组) has at least 3 experts. */
export function reviewGroupSizeOk(experts: number): boolean {
  return count("experts", experts) >= 3;
}
