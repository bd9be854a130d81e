import { createDb, type Db, type DbHandle } from "@titles/db";
import { createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { type BallotChoice, ballotChoices } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { castVote, closeBallot, openBallot, rollCall } from "./service";
import { committeeFixture } from "./testing";

const NOW = new Date("2021-11-25T02:00:00Z");

describe.each(testTargets)("25 experts voting at the same instant on %s", (target) => {
  let database: TestDb;
  /** On PostgreSQL a pool with a connection per voter, so the votes really run side by side. */
  let wide: DbHandle | null = null;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDb(target);
    db = database.db;
    if (target === "postgres") {
      const [row] = await queryRows(database.db, "select current_database() as name");
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${String(row!.name)}`;
      wide = createDb({ url: url.toString(), max: 30 });
      db = wide.db;
    }
  });
  afterAll(async () => {
    await wide?.close();
    await database?.close();
  });

  it("counts every vote once, refuses a second vote (also racing) and a vote after close", async () => {
    const m = await committeeFixture(database.db, { experts: 24, applicants: 1 });
    const everyone = [m.chair, ...m.experts];
    expect(everyone).toHaveLength(25);
    const sat = await rollCall(
      db,
      m.chair,
      { meetingId: m.meetingId, presentUserIds: everyone.map((p) => p.user.id) },
      NOW,
    );
    expect(sat.ok).toBe(true);
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    expect((await openBallot(db, m.chair, target, NOW)).ok).toBe(true);

    const choices: BallotChoice[] = everyone.map((_, i) => ballotChoices[i % 3]!);
    const outcomes = await Promise.all(
      everyone.map((p, i) => castVote(db, p, { ...target, choice: choices[i] }, NOW)),
    );
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.error.code)).toEqual([]);

    // Each voter again, and one of them twice at the same instant: all refused.
    const again = await Promise.all([
      ...everyone.map((p) => castVote(db, p, { ...target, choice: "yes" }, NOW)),
      castVote(db, m.experts[0]!, { ...target, choice: "no" }, NOW),
    ]);
    expect(new Set(again.map((o) => (o.ok ? "counted" : o.error.code)))).toEqual(
      new Set(["BALLOT_ALREADY_VOTED"]),
    );

    const closed = await closeBallot(db, m.chair, target, NOW);
    if (!closed.ok) throw closed.error;
    const expected = { yes: 0, no: 0, abstain: 0 };
    for (const c of choices) expected[c] += 1;
    expect(closed.value).toMatchObject({ ...expected, voted: 25, voters: 25, blank: 0 });
    expect(closed.value.yes + closed.value.no + closed.value.abstain).toBe(25);
    const voters = await queryRows(database.db, "select count(*)::int as n from ballot_voters");
    expect(voters[0]!.n).toBe(25);

    const late = await castVote(db, m.experts[1]!, { ...target, choice: "yes" }, NOW);
    expect(late.ok ? "counted" : late.error.code).toBe("BALLOT_NOT_OPEN");
  });

  it("lets exactly one of two racing votes by one expert through", async () => {
    const m = await committeeFixture(database.db, { experts: 4, applicants: 1 });
    const everyone = [m.chair, ...m.experts];
    await rollCall(
      db,
      m.chair,
      { meetingId: m.meetingId, presentUserIds: everyone.map((p) => p.user.id) },
      NOW,
    );
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await openBallot(db, m.chair, target, NOW);
    const racing = await Promise.all(
      (["yes", "no", "abstain", "yes"] as const).map((choice) =>
        castVote(db, m.experts[2]!, { ...target, choice }, NOW),
      ),
    );
    expect(racing.filter((o) => o.ok)).toHaveLength(1);
    expect(racing.filter((o) => !o.ok).map((o) => !o.ok && o.error.code)).toEqual([
      "BALLOT_ALREADY_VOTED",
      "BALLOT_ALREADY_VOTED",
      "BALLOT_ALREADY_VOTED",
    ]);
    const [box] = await queryRows(
      database.db,
      `select yes + no + abstain as cast, (select count(*)::int from ballot_voters bv where bv.ballot_id = b.id) as voted
       from ballots b where b.meeting_id = '${m.meetingId}'`,
    );
    expect(box).toEqual({ cast: 1, voted: 1 });
  });

  it("either counts a vote racing the close or refuses it, never half", async () => {
    const m = await committeeFixture(database.db, { experts: 6, applicants: 1 });
    const everyone = [m.chair, ...m.experts];
    await rollCall(
      db,
      m.chair,
      { meetingId: m.meetingId, presentUserIds: everyone.map((p) => p.user.id) },
      NOW,
    );
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await openBallot(db, m.chair, target, NOW);
    const [votes, closed] = await Promise.all([
      Promise.all(m.experts.map((p) => castVote(db, p, { ...target, choice: "yes" }, NOW))),
      closeBallot(db, m.chair, target, NOW),
    ]);
    if (!closed.ok) throw closed.error;
    const counted = votes.filter((o) => o.ok).length;
    for (const o of votes) if (!o.ok) expect(o.error.code).toBe("BALLOT_NOT_OPEN");
    expect(closed.value.yes).toBe(counted);
    expect(closed.value.voted).toBe(counted);
    const [row] = await queryRows(
      database.db,
      "select count(*)::int as n from ballot_voters bv join ballots b on b.id = bv.ballot_id where b.meeting_id = '" +
        m.meetingId +
        "'",
    );
    expect(row!.n).toBe(counted);
  });
});
