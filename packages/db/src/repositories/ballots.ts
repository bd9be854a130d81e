import type { BallotChoice, BallotState, MeetingState } from "@titles/domain";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { ballots, ballotVoters, meetingMembers, meetings, recusals, users } from "../schema";

/** A committee meeting as the roll call and the ballots need it. */
export interface CommitteeMeetingFacts {
  id: string;
  kind: string;
  title: string;
  state: MeetingState;
  quorumInclusive: boolean;
  membersAtRollCall: number | null;
  presentAtRollCall: number | null;
  rollCallAt: Date | null;
  closedAt: Date | null;
}

export interface CommitteeSeat {
  userId: string;
  name: string;
  role: string;
  present: boolean | null;
}

/** A ballot without its box: what anybody may know while it is open. */
export interface BallotSummary {
  id: string;
  applicationId: string;
  state: BallotState;
  voters: number;
  recusedPresent: number;
  openedAt: Date;
  closedAt: Date | null;
  signedAt: Date | null;
  signedBy: string | null;
}

/** A closed (or signed) ballot: the counts and the result. */
export interface BallotResult extends BallotSummary {
  yes: number;
  no: number;
  abstain: number;
  needed: number | null;
  passed: boolean | null;
}

export interface VoteFacts {
  role: string | null;
  present: boolean;
  recused: boolean;
  ballot: { id: string; state: BallotState } | null;
  alreadyVoted: boolean;
}

const summaryColumns = {
  id: ballots.id,
  applicationId: ballots.applicationId,
  state: ballots.state,
  voters: ballots.voters,
  recusedPresent: ballots.recusedPresent,
  openedAt: ballots.openedAt,
  closedAt: ballots.closedAt,
  signedAt: ballots.signedAt,
  signedBy: ballots.signedBy,
};

/** The counter a choice adds to: a fixed map, so no input ever reaches the SQL text. */
const counterOf: Record<BallotChoice, "yes" | "no" | "abstain"> = {
  yes: "yes",
  no: "no",
  abstain: "abstain",
};

function asSummary(row: typeof ballots.$inferSelect | Record<string, unknown>): BallotSummary {
  const r = row as typeof ballots.$inferSelect;
  return {
    id: r.id,
    applicationId: r.applicationId,
    state: r.state as BallotState,
    voters: r.voters,
    recusedPresent: r.recusedPresent,
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    signedAt: r.signedAt,
    signedBy: r.signedBy,
  };
}

/**
 * The committee's roll call and secret ballots. The ballot box is three counters on the ballot row;
 * who voted is a separate row per voter without the choice, written in the same transaction.
 */
export const ballotRepository = {
  /** The meeting row, locked until the end of the transaction: chair actions on one meeting queue. */
  async lockMeeting(db: Db, meetingId: string): Promise<CommitteeMeetingFacts | null> {
    const [row] = await db
      .select({
        id: meetings.id,
        kind: meetings.kind,
        title: meetings.title,
        state: meetings.state,
        quorumInclusive: meetings.quorumInclusive,
        membersAtRollCall: meetings.membersAtRollCall,
        presentAtRollCall: meetings.presentAtRollCall,
        rollCallAt: meetings.rollCallAt,
        closedAt: meetings.closedAt,
      })
      .from(meetings)
      .where(eq(meetings.id, meetingId))
      .for("update");
    return row ? { ...row, state: row.state as MeetingState } : null;
  },

  async findMeeting(db: Db, meetingId: string): Promise<CommitteeMeetingFacts | null> {
    const [row] = await db
      .select({
        id: meetings.id,
        kind: meetings.kind,
        title: meetings.title,
        state: meetings.state,
        quorumInclusive: meetings.quorumInclusive,
        membersAtRollCall: meetings.membersAtRollCall,
        presentAtRollCall: meetings.presentAtRollCall,
        rollCallAt: meetings.rollCallAt,
        closedAt: meetings.closedAt,
      })
      .from(meetings)
      .where(eq(meetings.id, meetingId));
    return row ? { ...row, state: row.state as MeetingState } : null;
  },

  /** Every member of the meeting (observers too) with their roll-call mark, chair first. */
  async seats(db: Db, meetingId: string): Promise<CommitteeSeat[]> {
    return db
      .select({
        userId: meetingMembers.userId,
        name: users.name,
        role: meetingMembers.role,
        present: meetingMembers.present,
      })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(eq(meetingMembers.meetingId, meetingId))
      .orderBy(
        sql`case ${meetingMembers.role} when 'chair' then 0 when 'expert' then 1 else 2 end`,
        asc(users.name),
      );
  },

  /**
   * Records the roll call: the voting members (chair and experts) are marked present or absent, and
   * the meeting sits with the quorum it was taken with.
   */
  async recordRollCall(
    db: Db,
    input: {
      meetingId: string;
      presentUserIds: readonly string[];
      members: number;
      present: number;
      at: Date;
    },
  ): Promise<void> {
    const ids = [...input.presentUserIds];
    await db
      .update(meetingMembers)
      .set({
        present: ids.length
          ? sql`${meetingMembers.userId} in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql`false`,
      })
      .where(
        and(eq(meetingMembers.meetingId, input.meetingId), inArray(meetingMembers.role, ["chair", "expert"])),
      );
    await db
      .update(meetings)
      .set({
        state: "in_session",
        membersAtRollCall: input.members,
        presentAtRollCall: input.present,
        rollCallAt: input.at,
      })
      .where(eq(meetings.id, input.meetingId));
  },

  async findBallot(db: Db, meetingId: string, applicationId: string): Promise<BallotSummary | null> {
    const [row] = await db
      .select(summaryColumns)
      .from(ballots)
      .where(and(eq(ballots.meetingId, meetingId), eq(ballots.applicationId, applicationId)));
    return row ? asSummary(row) : null;
  },

  /** Whether any ballot of the meeting is open. */
  async anyOpen(db: Db, meetingId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: ballots.id })
      .from(ballots)
      .where(and(eq(ballots.meetingId, meetingId), eq(ballots.state, "open")))
      .limit(1);
    return row !== undefined;
  },

  /**
   * The base of an applicant's ballot: voting members present at roll call who are not recused from
   * the applicant, and those present but recused.
   */
  async electorate(
    db: Db,
    meetingId: string,
    applicationId: string,
  ): Promise<{ voters: number; recusedPresent: number }> {
    const recused = sql`exists (select 1 from recusals r where r.meeting_id = ${meetingMembers.meetingId}
      and r.expert_id = ${meetingMembers.userId} and r.application_id = ${applicationId})`;
    const [row] = await db
      .select({
        voters: sql<number>`(count(*) filter (where not ${recused}))::int`,
        recusedPresent: sql<number>`(count(*) filter (where ${recused}))::int`,
      })
      .from(meetingMembers)
      .where(
        and(
          eq(meetingMembers.meetingId, meetingId),
          inArray(meetingMembers.role, ["chair", "expert"]),
          eq(meetingMembers.present, true),
        ),
      );
    return { voters: Number(row?.voters ?? 0), recusedPresent: Number(row?.recusedPresent ?? 0) };
  },

  async open(
    db: Db,
    input: { meetingId: string; applicationId: string; voters: number; recusedPresent: number; at: Date },
  ): Promise<BallotSummary> {
    const [row] = await db
      .insert(ballots)
      .values({
        meetingId: input.meetingId,
        applicationId: input.applicationId,
        state: "open",
        voters: input.voters,
        recusedPresent: input.recusedPresent,
        openedAt: input.at,
      })
      .returning();
    return asSummary(row!);
  },

  /** Everything the vote rule needs about one voter and one applicant, in one round trip. */
  async voteFacts(db: Db, meetingId: string, applicationId: string, userId: string): Promise<VoteFacts> {
    const [row] = await db
      .select({
        role: sql<string | null>`(select mm.role from meeting_members mm
          where mm.meeting_id = ${meetingId} and mm.user_id = ${userId})`,
        present: sql<boolean | null>`(select mm.present from meeting_members mm
          where mm.meeting_id = ${meetingId} and mm.user_id = ${userId})`,
        recused: sql<boolean>`exists (select 1 from recusals r where r.meeting_id = ${meetingId}
          and r.application_id = ${applicationId} and r.expert_id = ${userId})`,
        ballotId: sql<string | null>`(select b.id from ballots b
          where b.meeting_id = ${meetingId} and b.application_id = ${applicationId})`,
        ballotState: sql<string | null>`(select b.state from ballots b
          where b.meeting_id = ${meetingId} and b.application_id = ${applicationId})`,
        alreadyVoted: sql<boolean>`exists (select 1 from ballot_voters bv join ballots b on b.id = bv.ballot_id
          where b.meeting_id = ${meetingId} and b.application_id = ${applicationId}
          and bv.expert_id = ${userId})`,
      })
      .from(sql`(select 1) as one`);
    return {
      role: row?.role ?? null,
      present: row?.present === true,
      recused: Boolean(row?.recused),
      ballot:
        row?.ballotId && row.ballotState ? { id: row.ballotId, state: row.ballotState as BallotState } : null,
      alreadyVoted: Boolean(row?.alreadyVoted),
    };
  },

  /**
   * Casts one secret ballot: the voter is recorded without the choice (the primary key refuses a
   * second one), the choice only adds one to a counter, both in the caller's transaction. Returns
   * false when the ballot is no longer open (a close came first); the caller must roll back.
   * A second vote by the same voter fails with PostgreSQL's unique violation (23505).
   */
  async castVote(
    db: Db,
    input: { ballotId: string; expertId: string; choice: BallotChoice },
  ): Promise<boolean> {
    await db.insert(ballotVoters).values({ ballotId: input.ballotId, expertId: input.expertId });
    const column = sql.identifier(counterOf[input.choice]);
    const rows = await db.execute(
      sql`update ballots set ${column} = ${column} + 1 where id = ${input.ballotId} and state = 'open' returning id`,
    );
    return (rows as unknown as { rows: unknown[] }).rows.length === 1;
  },

  /** The open ballot with its counters, locked: only the close reads the box. */
  async lockForClose(db: Db, meetingId: string, applicationId: string): Promise<BallotResult | null> {
    const [row] = await db
      .select()
      .from(ballots)
      .where(and(eq(ballots.meetingId, meetingId), eq(ballots.applicationId, applicationId)))
      .for("update");
    return row
      ? {
          ...asSummary(row),
          yes: row.yes,
          no: row.no,
          abstain: row.abstain,
          needed: row.needed,
          passed: row.passed,
        }
      : null;
  },

  async close(
    db: Db,
    input: { ballotId: string; needed: number; passed: boolean; at: Date },
  ): Promise<boolean> {
    const rows = await db
      .update(ballots)
      .set({ state: "closed", needed: input.needed, passed: input.passed, closedAt: input.at })
      .where(and(eq(ballots.id, input.ballotId), eq(ballots.state, "open")))
      .returning({ id: ballots.id });
    return rows.length === 1;
  },

  async sign(db: Db, input: { ballotId: string; by: string; at: Date }): Promise<boolean> {
    const rows = await db
      .update(ballots)
      .set({ state: "signed", signedAt: input.at, signedBy: input.by })
      .where(and(eq(ballots.id, input.ballotId), eq(ballots.state, "closed")))
      .returning({ id: ballots.id });
    return rows.length === 1;
  },

  /** How many have voted in each ballot (never how). */
  async progress(db: Db, ballotIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (ballotIds.length === 0) return out;
    const rows = await db
      .select({ ballotId: ballotVoters.ballotId, voted: sql<number>`count(*)::int` })
      .from(ballotVoters)
      .where(inArray(ballotVoters.ballotId, [...ballotIds]))
      .groupBy(ballotVoters.ballotId);
    for (const r of rows) out.set(r.ballotId, Number(r.voted));
    return out;
  },

  /** The ballots among `ballotIds` the user has voted in. */
  async votedBy(db: Db, ballotIds: readonly string[], userId: string): Promise<Set<string>> {
    if (ballotIds.length === 0) return new Set();
    const rows = await db
      .select({ ballotId: ballotVoters.ballotId })
      .from(ballotVoters)
      .where(and(inArray(ballotVoters.ballotId, [...ballotIds]), eq(ballotVoters.expertId, userId)));
    return new Set(rows.map((r) => r.ballotId));
  },

  /**
   * The meeting's ballots. The counters are returned only for ballots no longer open: the running
   * count of an open ballot is nobody's business.
   */
  async ofMeeting(db: Db, meetingId: string): Promise<Array<BallotSummary | BallotResult>> {
    const rows = await db
      .select()
      .from(ballots)
      .where(eq(ballots.meetingId, meetingId))
      .orderBy(asc(ballots.openedAt));
    return rows.map((r) =>
      r.state === "open"
        ? asSummary(r)
        : { ...asSummary(r), yes: r.yes, no: r.no, abstain: r.abstain, needed: r.needed, passed: r.passed },
    );
  },

  async recusedFrom(db: Db, meetingId: string, expertId: string): Promise<Set<string>> {
    const rows = await db
      .select({ applicationId: recusals.applicationId })
      .from(recusals)
      .where(and(eq(recusals.meetingId, meetingId), eq(recusals.expertId, expertId)));
    return new Set(rows.map((r) => r.applicationId));
  },

  async closeMeeting(db: Db, meetingId: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(meetings)
      .set({ state: "closed", closedAt: at })
      .where(and(eq(meetings.id, meetingId), eq(meetings.state, "in_session")))
      .returning({ id: meetings.id });
    return rows.length === 1;
  },
};
