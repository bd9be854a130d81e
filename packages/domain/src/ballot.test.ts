import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BallotState,
  ballotChoiceLabels,
  ballotChoices,
  ballotStateLabels,
  ballotStates,
  type MeetingState,
  meetingStateLabels,
  meetingStates,
  openBallotError,
  rollCallError,
  type Tally,
  tallyBallot,
  voteError,
  ZBallotChoice,
} from "./ballot";
import { DomainError } from "./errors";

function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
}

// The rules in integers, written out independently of the implementation (domain.md).
const quorate = (members: number, present: number, inclusive: boolean) =>
  inclusive ? present * 3 >= members * 2 : present * 3 > members * 2;
const passes = (voters: number, yes: number, inclusive: boolean) =>
  voters > 0 && (inclusive ? yes * 3 >= voters * 2 : yes * 3 > voters * 2);

describe("worked example (domain.md)", () => {
  it("25 members need 17 present; with 17 present, 12 yes pass and 11 do not", () => {
    expect(rollCallError({ state: "scheduled", members: 25, present: 17, inclusive: true })).toBeUndefined();
    expect(rollCallError({ state: "scheduled", members: 25, present: 16, inclusive: true })).toMatchObject({
      code: "QUORUM_NOT_MET",
      params: { members: 25, present: 16, needed: 17 },
    });
    const pass = tallyBallot({
      members: 25,
      presentAtRollCall: 17,
      recusedPresent: 0,
      yes: 12,
      no: 4,
      abstain: 1,
      inclusive: true,
    });
    expect(pass).toEqual({ yes: 12, no: 4, abstain: 1, voters: 17, blank: 0, needed: 12, passed: true });
    const fail = tallyBallot({
      members: 25,
      presentAtRollCall: 17,
      recusedPresent: 0,
      yes: 11,
      no: 3,
      abstain: 1,
      inclusive: true,
    });
    expect(fail).toEqual({ yes: 11, no: 3, abstain: 1, voters: 17, blank: 2, needed: 12, passed: false });
  });

  it("a recused expert leaves the room: 17 present, 2 recused → 15 voters, 10 yes pass", () => {
    const t = tallyBallot({
      members: 25,
      presentAtRollCall: 17,
      recusedPresent: 2,
      yes: 10,
      no: 5,
      abstain: 0,
      inclusive: true,
    });
    expect(t).toMatchObject({ voters: 15, needed: 10, passed: true, blank: 0 });
    expect(
      tallyBallot({
        members: 25,
        presentAtRollCall: 17,
        recusedPresent: 2,
        yes: 9,
        no: 6,
        abstain: 0,
        inclusive: true,
      }).passed,
    ).toBe(false);
  });

  it("abstentions and blanks are not yes votes", () => {
    // 15 voters: 9 yes with 6 abstaining fails just as 9 yes with 6 no does.
    const abstaining = tallyBallot({
      members: 25,
      presentAtRollCall: 15 + 2,
      recusedPresent: 2,
      yes: 9,
      no: 0,
      abstain: 6,
      inclusive: true,
    });
    const blank = tallyBallot({
      members: 25,
      presentAtRollCall: 17,
      recusedPresent: 2,
      yes: 9,
      no: 0,
      abstain: 0,
      inclusive: true,
    });
    expect(abstaining).toMatchObject({ passed: false, blank: 0 });
    expect(blank).toMatchObject({ passed: false, blank: 6 });
  });
});

describe("tally and thresholds for every committee size 5–49 and every attendance (exhaustive)", () => {
  const sizes = Array.from({ length: 45 }, (_, i) => i + 5);

  for (const inclusive of [true, false]) {
    const boundary = inclusive ? "inclusive" : "exclusive";

    it(`roll call: quorum iff present·3 ${inclusive ? ">=" : ">"} members·2 (${boundary})`, () => {
      let checked = 0;
      for (const members of sizes) {
        let least: number | undefined;
        for (let present = 0; present <= members; present++) {
          const error = rollCallError({ state: "scheduled", members, present, inclusive });
          if (quorate(members, present, inclusive)) {
            expect(error).toBeUndefined();
            least ??= present;
          } else {
            expect(error?.code).toBe("QUORUM_NOT_MET");
            expect(error?.params.members).toBe(members);
            expect(error?.params.present).toBe(present);
          }
          checked++;
        }
        // `needed` in the refusal is the least attendance that sits.
        expect(least).toBeDefined();
        const refusal = rollCallError({ state: "scheduled", members, present: 0, inclusive });
        expect(refusal?.params.needed).toBe(least);
      }
      expect(checked).toBe(sizes.reduce((s, m) => s + m + 1, 0));
    });

    // About half a million tallies: allow for a busy machine.
    it(`ballot: passes iff yes·3 ${inclusive ? ">=" : ">"} voters·2 over present non-recused (${boundary})`, {
      timeout: 60_000,
    }, () => {
      let tallies = 0;
      let refusals = 0;
      for (const members of sizes) {
        for (let present = 0; present <= members; present++) {
          const sits = quorate(members, present, inclusive);
          for (let recused = 0; recused <= present; recused++) {
            const voters = present - recused;
            const none = {
              members,
              presentAtRollCall: present,
              recusedPresent: recused,
              yes: 0,
              no: 0,
              abstain: 0,
              inclusive,
            };
            let leastPassing: number | undefined;
            for (let yes = 0; yes <= voters; yes++) {
              // Spread the other voters over no, abstain and blank, differently for each yes count.
              const rest = voters - yes;
              const no = Math.floor(rest / 2);
              const abstain = Math.floor((rest - no) / 2);
              const input = { ...none, yes, no, abstain };
              if (!sits) {
                const e = errorOf(() => tallyBallot(input));
                if (
                  e.code !== "QUORUM_NOT_MET" ||
                  e.params.members !== members ||
                  e.params.present !== present
                ) {
                  throw new Error(`${members}/${present}/${recused}/${yes}: ${e.code} below quorum`);
                }
                refusals++;
                continue;
              }
              const t: Tally = tallyBallot(input);
              const expected = passes(voters, yes, inclusive);
              if (t.passed !== expected) {
                throw new Error(`${members}/${present}/${recused}/${yes} ${boundary}: passed=${t.passed}`);
              }
              if (t.voters !== voters || t.blank !== rest - no - abstain) {
                throw new Error(
                  `${members}/${present}/${recused}/${yes}: voters ${t.voters}, blank ${t.blank}`,
                );
              }
              if (t.yes !== yes || t.no !== no || t.abstain !== abstain) {
                throw new Error(`${members}/${present}/${recused}/${yes}: counts changed`);
              }
              if (expected) leastPassing ??= yes;
              // One ballot more than there are voters is refused, whatever the split.
              const over = errorOf(() => tallyBallot({ ...input, no: voters - yes + 1, abstain: 0 }));
              if (over.code !== "VALIDATION") throw new Error(`over-vote gave ${over.code}`);
              tallies++;
            }
            if (sits) {
              const t = tallyBallot(none);
              if (voters === 0) {
                // Everyone present is recused: nobody votes and nothing passes.
                expect(leastPassing).toBeUndefined();
                expect(t.needed).toBeGreaterThan(voters);
              } else {
                // `needed` is the least yes count that passes (every yes count was checked against the rule above).
                expect(t.needed).toBe(leastPassing);
              }
              expect(t.blank).toBe(voters);
              // More yes votes than voters are refused too.
              expect(errorOf(() => tallyBallot({ ...none, yes: voters + 1 })).code).toBe("VALIDATION");
            }
          }
        }
      }
      expect(tallies).toBeGreaterThan(100_000);
      expect(refusals).toBeGreaterThan(10_000);
    });
  }

  it("the boundary differs only where present·3 = members·2 exactly", () => {
    for (const members of sizes) {
      for (let present = 0; present <= members; present++) {
        const a = rollCallError({ state: "scheduled", members, present, inclusive: true }) === undefined;
        const b = rollCallError({ state: "scheduled", members, present, inclusive: false }) === undefined;
        expect(a !== b).toBe(present * 3 === members * 2);
      }
    }
    // 27 members: 18 present sit under the inclusive rule only; 18 of 27 voting yes likewise.
    expect(
      rollCallError({ state: "scheduled", members: 27, present: 18, inclusive: false })?.params.needed,
    ).toBe(19);
    const base = { members: 27, presentAtRollCall: 27, recusedPresent: 0, yes: 18, no: 9, abstain: 0 };
    expect(tallyBallot({ ...base, inclusive: true }).passed).toBe(true);
    expect(tallyBallot({ ...base, inclusive: false })).toMatchObject({ passed: false, needed: 19 });
  });
});

describe("tallyBallot refuses impossible counts", () => {
  const base = {
    members: 25,
    presentAtRollCall: 20,
    recusedPresent: 1,
    yes: 10,
    no: 5,
    abstain: 2,
    inclusive: true,
  };

  it("more present than members, more recused than present", () => {
    expect(errorOf(() => tallyBallot({ ...base, presentAtRollCall: 26 })).code).toBe("VALIDATION");
    expect(errorOf(() => tallyBallot({ ...base, recusedPresent: 21 })).code).toBe("VALIDATION");
  });

  it("negative or fractional counts", () => {
    for (const bad of [-1, 0.5, Number.NaN]) {
      expect(errorOf(() => tallyBallot({ ...base, yes: bad })).code).toBe("VALIDATION");
      expect(errorOf(() => tallyBallot({ ...base, no: bad })).code).toBe("VALIDATION");
      expect(errorOf(() => tallyBallot({ ...base, abstain: bad })).code).toBe("VALIDATION");
      expect(errorOf(() => tallyBallot({ ...base, recusedPresent: bad })).code).toBe("VALIDATION");
    }
  });

  it("any split of the voters tallies to the same result as its yes count (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 49 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (members, p, r, y, n, a, inclusive) => {
          const least = Math.floor((members * 2) / 3);
          const present = least + (p % (members - least + 1));
          fc.pre(quorate(members, present, inclusive));
          const recused = r % (present + 1);
          const voters = present - recused;
          const yes = y % (voters + 1);
          const no = n % (voters - yes + 1);
          const abstain = a % (voters - yes - no + 1);
          const t = tallyBallot({
            members,
            presentAtRollCall: present,
            recusedPresent: recused,
            yes,
            no,
            abstain,
            inclusive,
          });
          return (
            t.passed === passes(voters, yes, inclusive) &&
            t.yes + t.no + t.abstain + t.blank === t.voters &&
            t.blank >= 0
          );
        },
      ),
    );
  });
});

describe("rollCallError", () => {
  it("the roll call is taken once: a sitting or closed meeting refuses it, before counting heads", () => {
    for (const state of ["in_session", "closed"] as const) {
      // Even with a quorum, and even with nobody present, the state is what is reported.
      for (const present of [0, 25]) {
        expect(rollCallError({ state, members: 25, present, inclusive: true })).toMatchObject({
          code: "MEETING_ROLL_CALL_DONE",
          params: { state },
        });
      }
    }
  });

  it("refuses more present than members", () => {
    expect(
      errorOf(() => rollCallError({ state: "scheduled", members: 25, present: 26, inclusive: true })).code,
    ).toBe("VALIDATION");
  });
});

describe("openBallotError", () => {
  type Input = Parameters<typeof openBallotError>[0];
  const ok: Input = { meetingState: "in_session", onAgenda: true, existing: null, anotherOpen: false };

  it("opens on an agenda applicant with no ballot while the meeting sits", () => {
    expect(openBallotError(ok)).toBeUndefined();
  });

  it("each refusal in its situation", () => {
    expect(openBallotError({ ...ok, meetingState: "scheduled" })).toMatchObject({
      code: "MEETING_NOT_IN_SESSION",
      params: { state: "scheduled" },
    });
    expect(openBallotError({ ...ok, meetingState: "closed" })?.code).toBe("MEETING_NOT_IN_SESSION");
    expect(openBallotError({ ...ok, onAgenda: false })?.code).toBe("NOT_ON_AGENDA");
    for (const existing of ballotStates) {
      expect(openBallotError({ ...ok, existing })).toMatchObject({
        code: "BALLOT_ALREADY_HELD",
        params: { state: existing },
      });
    }
    expect(openBallotError({ ...ok, anotherOpen: true })?.code).toBe("BALLOT_ANOTHER_OPEN");
  });

  it("checks in order: meeting, agenda, existing ballot, another open ballot (every combination)", () => {
    for (const meetingState of meetingStates) {
      for (const onAgenda of [true, false]) {
        for (const existing of [null, ...ballotStates] as (BallotState | null)[]) {
          for (const anotherOpen of [true, false]) {
            const expected =
              meetingState !== "in_session"
                ? "MEETING_NOT_IN_SESSION"
                : !onAgenda
                  ? "NOT_ON_AGENDA"
                  : existing !== null
                    ? "BALLOT_ALREADY_HELD"
                    : anotherOpen
                      ? "BALLOT_ANOTHER_OPEN"
                      : undefined;
            expect(openBallotError({ meetingState, onAgenda, existing, anotherOpen })?.code).toBe(expected);
          }
        }
      }
    }
  });
});

describe("voteError", () => {
  type Input = Parameters<typeof voteError>[0];
  const ok: Input = { ballot: "open", member: true, present: true, recused: false, alreadyVoted: false };

  it("a present, non-recused member votes once on an open ballot", () => {
    expect(voteError(ok)).toBeUndefined();
  });

  it("each refusal in its situation", () => {
    // Someone outside the meeting (no proxy votes).
    expect(voteError({ ...ok, member: false })?.code).toBe("NOT_MEETING_MEMBER");
    // No ballot yet, or after close / signature.
    expect(voteError({ ...ok, ballot: null })).toMatchObject({
      code: "BALLOT_NOT_OPEN",
      params: { state: "none" },
    });
    expect(voteError({ ...ok, ballot: "closed" })).toMatchObject({
      code: "BALLOT_NOT_OPEN",
      params: { state: "closed" },
    });
    expect(voteError({ ...ok, ballot: "signed" })).toMatchObject({
      code: "BALLOT_NOT_OPEN",
      params: { state: "signed" },
    });
    // Absent at roll call.
    expect(voteError({ ...ok, present: false })?.code).toBe("BALLOT_NOT_PRESENT");
    expect(voteError({ ...ok, recused: true })?.code).toBe("RECUSED");
    expect(voteError({ ...ok, alreadyVoted: true })?.code).toBe("BALLOT_ALREADY_VOTED");
  });

  it("checks in order: member, ballot open, present, recused, already voted (every combination)", () => {
    for (const ballot of [null, ...ballotStates] as (BallotState | null)[]) {
      for (const member of [true, false]) {
        for (const present of [true, false]) {
          for (const recused of [true, false]) {
            for (const alreadyVoted of [true, false]) {
              const expected = !member
                ? "NOT_MEETING_MEMBER"
                : ballot !== "open"
                  ? "BALLOT_NOT_OPEN"
                  : !present
                    ? "BALLOT_NOT_PRESENT"
                    : recused
                      ? "RECUSED"
                      : alreadyVoted
                        ? "BALLOT_ALREADY_VOTED"
                        : undefined;
              expect(voteError({ ballot, member, present, recused, alreadyVoted })?.code).toBe(expected);
            }
          }
        }
      }
    }
  });

  it("refusals carry zh-CN and English messages", () => {
    const e = voteError({ ...ok, alreadyVoted: true });
    expect(e).toBeInstanceOf(DomainError);
    expect(e?.message.length).toBeGreaterThan(0);
  });
});

describe("states, choices and labels", () => {
  it("every state and choice has a Chinese and an English label", () => {
    const all: Record<string, { "zh-CN": string; en: string }>[] = [
      meetingStateLabels,
      ballotStateLabels,
      ballotChoiceLabels,
    ];
    const keys: readonly (readonly string[])[] = [meetingStates, ballotStates, ballotChoices];
    all.forEach((labels, i) => {
      expect(Object.keys(labels).sort()).toEqual([...keys[i]!].sort());
      for (const l of Object.values(labels)) {
        expect(l["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
        expect(l.en.length).toBeGreaterThan(0);
      }
    });
  });

  it("a ballot choice is yes, no or abstain and nothing else", () => {
    for (const c of ballotChoices) expect(ZBallotChoice.parse(c)).toBe(c);
    for (const bad of ["YES", "", "blank", null, 1]) expect(ZBallotChoice.safeParse(bad).success).toBe(false);
  });

  it("meeting states are scheduled → in session → closed", () => {
    const states: MeetingState[] = ["scheduled", "in_session", "closed"];
    expect([...meetingStates]).toEqual(states);
  });
});
