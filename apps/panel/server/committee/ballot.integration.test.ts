import { meetingRepository } from "@titles/db";
import { createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  castVote,
  closeBallot,
  closeMeeting,
  declareRecusal,
  meetingRoom,
  openBallot,
  rollCall,
  signBallot,
} from "./service";
import { type CommitteeFixture, committeeFixture, committeeTables } from "./testing";

const NOW = new Date("2021-11-25T02:00:00Z");

function refusal(outcome: { ok: boolean; error?: { code: string; params: Record<string, unknown> } }) {
  expect(outcome.ok).toBe(false);
  return outcome.error!;
}

describe.each(testTargets)("committee meeting and secret ballot on %s", (target) => {
  let database: TestDb;
  beforeAll(async () => {
    database = await createTestDb(target);
  });
  afterAll(async () => {
    await database?.close();
  });

  /** Six voting members (chair + 5): quorum is 4. */
  async function sitting(options: { present?: number; inclusive?: boolean } = {}) {
    const m = await committeeFixture(database.db, {
      experts: 5,
      applicants: 3,
      inclusive: options.inclusive,
    });
    const voters = [m.chair, ...m.experts].slice(0, options.present ?? 6);
    const done = await rollCall(
      database.db,
      m.chair,
      { meetingId: m.meetingId, presentUserIds: voters.map((v) => v.user.id) },
      NOW,
    );
    expect(done.ok).toBe(true);
    return m;
  }

  async function unchanged(m: CommitteeFixture, run: () => Promise<unknown>) {
    const before = await committeeTables(database.db);
    await run();
    expect(await committeeTables(database.db)).toBe(before);
    return m;
  }

  it("refuses a roll call below quorum with the number needed, and writes nothing", async () => {
    const m = await committeeFixture(database.db, { experts: 5, applicants: 1 });
    const three = [m.chair, m.experts[0]!, m.experts[1]!].map((p) => p.user.id);
    let outcome: Awaited<ReturnType<typeof rollCall>> | undefined;
    await unchanged(m, async () => {
      outcome = await rollCall(database.db, m.chair, { meetingId: m.meetingId, presentUserIds: three }, NOW);
    });
    const error = refusal(outcome!);
    expect(error.code).toBe("QUORUM_NOT_MET");
    expect(error.params).toMatchObject({ members: 6, present: 3, needed: 4 });
    // Four of six is exactly two thirds: enough when inclusive.
    const four = [...three, m.experts[2]!.user.id];
    const ok = await rollCall(database.db, m.chair, { meetingId: m.meetingId, presentUserIds: four }, NOW);
    expect(ok).toEqual({ ok: true, value: { members: 6, present: 4, needed: 4 } });
    const [row] = await queryRows(
      database.db,
      `select state, members_at_roll_call, present_at_roll_call from meetings where id = '${m.meetingId}'`,
    );
    expect(row).toEqual({ state: "in_session", members_at_roll_call: 6, present_at_roll_call: 4 });
    const again = await rollCall(database.db, m.chair, { meetingId: m.meetingId, presentUserIds: four }, NOW);
    expect(refusal(again).code).toBe("MEETING_ROLL_CALL_DONE");
  });

  it("refuses exactly two thirds when the committee excludes the boundary", async () => {
    const m = await committeeFixture(database.db, { experts: 5, applicants: 1, inclusive: false });
    const four = [m.chair, ...m.experts.slice(0, 3)].map((p) => p.user.id);
    const outcome = await rollCall(
      database.db,
      m.chair,
      { meetingId: m.meetingId, presentUserIds: four },
      NOW,
    );
    expect(refusal(outcome).params).toMatchObject({ needed: 5 });
  });

  it("refuses a roll call by anyone but the chair, and strangers in the list", async () => {
    const m = await committeeFixture(database.db, { experts: 5, applicants: 1 });
    const all = [m.chair, ...m.experts].map((p) => p.user.id);
    const other = await committeeFixture(database.db, { experts: 1, applicants: 0 });
    await unchanged(m, async () => {
      const byExpert = await rollCall(
        database.db,
        m.experts[0]!,
        { meetingId: m.meetingId, presentUserIds: all },
        NOW,
      );
      expect(refusal(byExpert).code).toBe("NOT_CHAIR");
      const outsider = await rollCall(
        database.db,
        other.chair,
        { meetingId: m.meetingId, presentUserIds: all },
        NOW,
      );
      expect(refusal(outsider).code).toBe("NOT_MEETING_MEMBER");
      const stranger = await rollCall(
        database.db,
        m.chair,
        { meetingId: m.meetingId, presentUserIds: [...all, other.chair.user.id] },
        NOW,
      );
      expect(refusal(stranger).code).toBe("VALIDATION");
      const bad = await rollCall(database.db, m.chair, { meetingId: "not-a-uuid", presentUserIds: all }, NOW);
      expect(refusal(bad).code).toBe("VALIDATION");
    });
  });

  it("refuses a ballot for an applicant not on the agenda, and a second open ballot", async () => {
    const m = await sitting();
    const other = await committeeFixture(database.db, { experts: 1, applicants: 1 });
    await unchanged(m, async () => {
      const outcome = await openBallot(
        database.db,
        m.chair,
        { meetingId: m.meetingId, applicationId: other.applicationIds[0]! },
        NOW,
      );
      expect(refusal(outcome).code).toBe("NOT_ON_AGENDA");
    });
    const first = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    expect((await openBallot(database.db, m.chair, first, NOW)).ok).toBe(true);
    await unchanged(m, async () => {
      const second = await openBallot(
        database.db,
        m.chair,
        { meetingId: m.meetingId, applicationId: m.applicationIds[1]! },
        NOW,
      );
      expect(refusal(second).code).toBe("BALLOT_ANOTHER_OPEN");
      const byExpert = await openBallot(database.db, m.experts[0]!, first, NOW);
      expect(refusal(byExpert).code).toBe("NOT_CHAIR");
    });
  });

  it("refuses votes by a recused, an absent, a non-member expert and before the ballot opens; nothing written", async () => {
    const m = await sitting({ present: 5 }); // 专家05 is absent
    const [a0, a1] = m.applicationIds as [string, string];
    const recused = m.experts[0]!;
    const absent = m.experts[4]!;
    const declared = await declareRecusal(
      database.db,
      recused,
      { meetingId: m.meetingId, applicationId: a0, reason: "与申报人为同一课题组" },
      NOW,
    );
    expect(declared.ok).toBe(true);
    const early = await castVote(
      database.db,
      m.experts[1]!,
      { meetingId: m.meetingId, applicationId: a0, choice: "yes" },
      NOW,
    );
    expect(refusal(early)).toMatchObject({ code: "BALLOT_NOT_OPEN" });
    const opened = await openBallot(database.db, m.chair, { meetingId: m.meetingId, applicationId: a0 }, NOW);
    // Six members, five present, one of them recused: four voters.
    expect(opened).toMatchObject({ ok: true, value: { voters: 4, voted: 0 } });
    const outsider = (await committeeFixture(database.db, { experts: 0, applicants: 0 })).chair;
    await unchanged(m, async () => {
      const vote = (who: typeof recused) =>
        castVote(database.db, who, { meetingId: m.meetingId, applicationId: a0, choice: "yes" }, NOW);
      expect(refusal(await vote(recused)).code).toBe("RECUSED");
      expect(refusal(await vote(absent)).code).toBe("BALLOT_NOT_PRESENT");
      expect(refusal(await vote(outsider)).code).toBe("NOT_MEETING_MEMBER");
      const wrongChoice = await castVote(
        database.db,
        m.experts[1]!,
        { meetingId: m.meetingId, applicationId: a0, choice: "maybe" },
        NOW,
      );
      expect(refusal(wrongChoice).code).toBe("VALIDATION");
      const notOpen = await castVote(
        database.db,
        m.experts[1]!,
        { meetingId: m.meetingId, applicationId: a1, choice: "no" },
        NOW,
      );
      expect(refusal(notOpen).code).toBe("BALLOT_NOT_OPEN");
    });
    // The recused expert does not even see the applicant; the absent one sees that they cannot vote.
    const recusedRoom = await meetingRoom(database.db, recused, { meetingId: m.meetingId });
    expect(recusedRoom.ok && recusedRoom.value.applicants.map((a) => a.applicationId)).toEqual([
      a1,
      m.applicationIds[2],
    ]);
    const absentRoom = await meetingRoom(database.db, absent, { meetingId: m.meetingId });
    expect(absentRoom.ok && absentRoom.value.me.present).toBe(false);
    // A recusal after the ballot opened would change who votes.
    const late = await declareRecusal(
      database.db,
      m.experts[1]!,
      { meetingId: m.meetingId, applicationId: a0, reason: "迟到的回避" },
      NOW,
    );
    expect(refusal(late).code).toBe("RECUSAL_TOO_LATE");
    const noReason = await declareRecusal(
      database.db,
      m.experts[1]!,
      { meetingId: m.meetingId, applicationId: a1, reason: " " },
      NOW,
    );
    expect(refusal(noReason).code).toBe("VALIDATION");
  });

  it("refuses signing before close, closing the meeting while a ballot is open, and a vote after close", async () => {
    const m = await sitting();
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await openBallot(database.db, m.chair, target, NOW);
    await unchanged(m, async () => {
      expect(refusal(await signBallot(database.db, m.chair, target, NOW)).code).toBe("BALLOT_NOT_CLOSED");
      expect(refusal(await closeMeeting(database.db, m.chair, { meetingId: m.meetingId }, NOW)).code).toBe(
        "BALLOT_STILL_OPEN",
      );
      expect(refusal(await closeBallot(database.db, m.experts[0]!, target, NOW)).code).toBe("NOT_CHAIR");
    });
    expect((await castVote(database.db, m.experts[0]!, { ...target, choice: "yes" }, NOW)).ok).toBe(true);
    expect((await closeBallot(database.db, m.chair, target, NOW)).ok).toBe(true);
    await unchanged(m, async () => {
      const late = await castVote(database.db, m.experts[1]!, { ...target, choice: "yes" }, NOW);
      expect(refusal(late)).toMatchObject({ code: "BALLOT_NOT_OPEN", params: { state: "closed" } });
      expect(refusal(await closeBallot(database.db, m.chair, target, NOW)).code).toBe("BALLOT_NOT_OPEN");
    });
    const signed = await signBallot(database.db, m.chair, target, NOW);
    expect(signed).toMatchObject({ ok: true, value: { state: "signed", passed: false } });
    expect((await closeMeeting(database.db, m.chair, { meetingId: m.meetingId }, NOW)).ok).toBe(true);
    const [row] = await queryRows(database.db, `select state from meetings where id = '${m.meetingId}'`);
    expect(row).toEqual({ state: "closed" });
  });

  it("passes with exactly two thirds of the voters (inclusive) and fails one below; recused not counted", async () => {
    const m = await sitting(); // six present
    const [a0, a1] = m.applicationIds as [string, string];
    // 专家01 recuses from a0: five voters, 4 yes needed (ceil(10/3)).
    await declareRecusal(
      database.db,
      m.experts[0]!,
      { meetingId: m.meetingId, applicationId: a0, reason: "亲属关系" },
      NOW,
    );
    const voters = [m.chair, ...m.experts.slice(1)];
    async function ballot(applicationId: string, choices: Array<"yes" | "no" | "abstain">) {
      await openBallot(database.db, m.chair, { meetingId: m.meetingId, applicationId }, NOW);
      for (const [i, choice] of choices.entries()) {
        const cast = await castVote(
          database.db,
          voters[i]!,
          { meetingId: m.meetingId, applicationId, choice },
          NOW,
        );
        expect(cast.ok).toBe(true);
      }
      const closed = await closeBallot(database.db, m.chair, { meetingId: m.meetingId, applicationId }, NOW);
      if (!closed.ok) throw closed.error;
      return closed.value;
    }
    const passed = await ballot(a0, ["yes", "yes", "yes", "yes", "no"]);
    expect(passed).toMatchObject({ voters: 5, voted: 5, yes: 4, no: 1, abstain: 0, needed: 4, passed: true });
    // a1: six voters, 4 yes needed; 3 yes, an abstention and a blank fail.
    voters.unshift(m.experts[0]!);
    const failed = await ballot(a1, ["yes", "yes", "yes", "abstain", "no"]);
    expect(failed).toMatchObject({
      voters: 6,
      voted: 5,
      yes: 3,
      no: 1,
      abstain: 1,
      blank: 1,
      needed: 4,
      passed: false,
    });
    const room = await meetingRoom(database.db, m.chair, { meetingId: m.meetingId });
    if (!room.ok) throw room.error;
    expect(room.value.applicants[0]!.ballot).toMatchObject({ state: "closed", voted: 5, voters: 5 });
    expect(room.value.applicants[0]!.ballot!.tally).toMatchObject({ passed: true, yes: 4 });
    expect(room.value.applicants[0]!.voted).toBe(true);
  });

  it("never shows the counts of an open ballot, only how many voted", async () => {
    const m = await sitting();
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await openBallot(database.db, m.chair, target, NOW);
    await castVote(database.db, m.experts[0]!, { ...target, choice: "no" }, NOW);
    const room = await meetingRoom(database.db, m.experts[1]!, { meetingId: m.meetingId });
    if (!room.ok) throw room.error;
    const ballot = room.value.applicants[0]!.ballot!;
    expect(ballot).toEqual({ state: "open", voted: 1, voters: 6, tally: null, signedAt: null });
    expect(room.value.applicants[0]!.voted).toBe(false);
    expect(JSON.stringify(room.value)).not.toMatch(/"(yes|no|abstain)":/);
    // The audit of a vote names the voter and the ballot, never the choice.
    const audit = await queryRows(database.db, `select data from audit_log where action = 'committee.vote'`);
    for (const row of audit)
      expect(Object.keys(row.data as object).sort()).toEqual(["applicationId", "meetingId"]);
  });

  it("keeps the room to members and the dossier away from a newly recused expert", async () => {
    const m = await sitting();
    const outsider = (await committeeFixture(database.db, { experts: 0, applicants: 0 })).chair;
    const room = await meetingRoom(database.db, outsider, { meetingId: m.meetingId });
    expect(refusal(room).code).toBe("NOT_MEETING_MEMBER");
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[2]! };
    await declareRecusal(database.db, m.experts[3]!, { ...target, reason: "曾指导其论文" }, NOW);
    expect(
      await meetingRepository.isRecused(
        database.db,
        m.meetingId,
        target.applicationId,
        m.experts[3]!.user.id,
      ),
    ).toBe(true);
    const again = await declareRecusal(
      database.db,
      m.experts[3]!,
      { ...target, reason: "曾指导其论文" },
      NOW,
    );
    expect(refusal(again).code).toBe("ALREADY_RECUSED");
  });
});
