import { type Db, verifyAuditChain } from "@titles/db";
import { createTestDb, queryRows, testTargets } from "@titles/db/testing";
import type { BallotChoice } from "@titles/domain";
import { describe, expect, it } from "vitest";
import {
  castVote,
  closeBallot,
  closeMeeting,
  declareRecusal,
  openBallot,
  rollCall,
  signBallot,
} from "./service";
import { committeeFixture } from "./testing";

const T0 = Date.parse("2021-11-25T02:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HASH = /\b[0-9a-f]{64}\b/g;
// An encrypted ID or phone number (decision 0016): a fresh random IV each write, so named like an id.
const SEALED = /"v1:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]+"/g;
// Set by the database clock (default now()), not by the meeting: the run's wall-clock time.
const WALL_CLOCK = /\b20(2[5-9]|[3-9]\d)-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d(:\d\d)?)?/g;

/**
 * Every table of the public schema, every column, rows in physical order, with each row's xmin as its
 * rank among the dump's transaction ids. Ids, hashes and encrypted fields are named by first appearance, wall-clock
 * timestamps blanked: what is left is everything stored that could tell one run from the other.
 */
async function dump(db: Db): Promise<string> {
  const tables = await queryRows(
    db,
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const lines: string[] = [];
  const xmins: number[] = [];
  for (const { name } of tables) {
    const rows = await queryRows(
      db,
      `select xmin::text as "__xmin", t.* from "${String(name)}" t order by ctid`,
    );
    for (const row of rows) xmins.push(Number(row.__xmin));
    lines.push(`## ${String(name)}`, ...rows.map((r) => JSON.stringify(r)));
  }
  const rank = new Map([...new Set(xmins)].sort((a, b) => a - b).map((x, i) => [String(x), i]));
  const labels = new Map<string, string>();
  const label = (kind: string) => (value: string) => {
    if (!labels.has(value)) labels.set(value, `<${kind}${labels.size}>`);
    return labels.get(value)!;
  };
  return lines
    .join("\n")
    .replace(/"__xmin":"(\d+)"/g, (_, x: string) => `"__xmin":${rank.get(x)}`)
    .replace(UUID, label("id"))
    .replace(HASH, label("hash"))
    .replace(SEALED, label("sealed"))
    .replace(WALL_CLOCK, "<now>");
}

/**
 * One committee meeting: six voting members, two applicants, one recusal; the same people vote in the
 * same order at the same times, only who chose what differs between runs.
 */
async function meeting(
  target: "pglite" | "postgres",
  choices: { a: BallotChoice[]; b: BallotChoice[] },
  /** Swap the first two voters' turns on the first applicant (the control: an order that is stored). */
  swapFirstTwo = false,
) {
  const database = await createTestDb(target);
  try {
    const db = database.db;
    const m = await committeeFixture(db, { experts: 5, applicants: 2, serial: 7 });
    const everyone = [m.chair, ...m.experts];
    const ok = <T>(o: { ok: true; value: T } | { ok: false; error: Error }): T => {
      if (!o.ok) throw o.error;
      return o.value;
    };
    const [a, b] = m.applicationIds as [string, string];
    ok(
      await declareRecusal(
        db,
        m.experts[4]!,
        { meetingId: m.meetingId, applicationId: b, reason: "同一课题组" },
        at(0),
      ),
    );
    ok(
      await rollCall(
        db,
        m.chair,
        { meetingId: m.meetingId, presentUserIds: everyone.map((p) => p.user.id) },
        at(1),
      ),
    );
    const tallies = [];
    let clock = 10;
    for (const [applicationId, votes] of [
      [a, choices.a],
      [b, choices.b],
    ] as const) {
      ok(await openBallot(db, m.chair, { meetingId: m.meetingId, applicationId }, at(clock++)));
      const voters = everyone.filter((p) => !(applicationId === b && p === m.experts[4]));
      if (swapFirstTwo && applicationId === a) voters.splice(0, 2, voters[1]!, voters[0]!);
      for (const [i, choice] of votes.entries()) {
        ok(await castVote(db, voters[i]!, { meetingId: m.meetingId, applicationId, choice }, at(clock++)));
      }
      tallies.push(
        ok(await closeBallot(db, m.chair, { meetingId: m.meetingId, applicationId }, at(clock++))),
      );
      ok(await signBallot(db, m.chair, { meetingId: m.meetingId, applicationId }, at(clock++)));
    }
    ok(await closeMeeting(db, m.chair, { meetingId: m.meetingId }, at(clock++)));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    return { dump: await dump(db), tallies: tallies.map(({ ballotId: _b, applicationId: _a, ...t }) => t) };
  } finally {
    await database.close();
  }
}

describe.each(testTargets)("secrecy of the ballot on %s", (target) => {
  it("stores nothing that tells who chose what: two meetings with the choices permuted store the same", async () => {
    const first = await meeting(target, {
      a: ["yes", "yes", "no", "abstain", "yes", "no"],
      b: ["no", "yes", "yes", "abstain", "yes"],
    });
    const second = await meeting(target, {
      a: ["no", "abstain", "yes", "yes", "no", "yes"],
      b: ["yes", "abstain", "no", "yes", "yes"],
    });
    expect(second.tallies).toEqual(first.tallies);
    expect(first.tallies[0]).toMatchObject({ yes: 3, no: 2, abstain: 1, voters: 6, passed: false });
    expect(first.tallies[1]).toMatchObject({ yes: 3, no: 1, abstain: 1, voters: 5, passed: false });
    // The dump is not trivially empty: eleven voters recorded, two ballots signed.
    expect(
      first.dump.split("\n").filter((l) => l.includes('"expert_id"') && l.includes('"ballot_id"')),
    ).toHaveLength(11);
    expect(second.dump).toBe(first.dump);
    // Control: the dump does see what is stored per voter; who voted first is (harmlessly) on record.
    const reordered = await meeting(
      target,
      { a: ["yes", "yes", "no", "abstain", "yes", "no"], b: ["no", "yes", "yes", "abstain", "yes"] },
      true,
    );
    expect(reordered.tallies).toEqual(first.tallies);
    expect(reordered.dump).not.toBe(first.dump);
  }, 120_000);

  it("has no column that could hold a choice beside a voter", async () => {
    const database = await createTestDb(target);
    try {
      const columns = await queryRows(
        database.db,
        `select table_name, column_name from information_schema.columns
         where table_schema = 'public' and table_name in ('ballots', 'ballot_voters')
         order by table_name, ordinal_position`,
      );
      const of = (table: string) => columns.filter((c) => c.table_name === table).map((c) => c.column_name);
      expect(of("ballot_voters")).toEqual(["ballot_id", "expert_id"]);
      // The box is three counters; the only person on a ballot row is the chair who signed it.
      expect(of("ballots")).toEqual([
        "id",
        "meeting_id",
        "application_id",
        "state",
        "voters",
        "recused_present",
        "yes",
        "no",
        "abstain",
        "needed",
        "passed",
        "opened_at",
        "closed_at",
        "signed_at",
        "signed_by",
      ]);
      const references = await queryRows(
        database.db,
        `select tc.table_name, kcu.column_name, ccu.table_name as target
         from information_schema.table_constraints tc
         join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
         join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
         where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'ballots'`,
      );
      // Nothing but the "has voted" record points at a ballot.
      expect(references.map((r) => `${r.table_name}.${r.column_name}`)).toEqual(["ballot_voters.ballot_id"]);
    } finally {
      await database.close();
    }
  });
});
