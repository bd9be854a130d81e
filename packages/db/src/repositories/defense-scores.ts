import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  applications,
  defenseScores,
  meetingApplications,
  meetingMembers,
  meetings,
  recusals,
} from "../schema";

export type DefenseScoreRecord = typeof defenseScores.$inferSelect;

/** What the scoring rules need about one panelist, one applicant and one defense meeting, read together. */
export interface ScoringFacts {
  meeting: { kind: string; state: string; roundYear: number } | null;
  /** The reader's seat in the meeting, null when not a member. */
  role: string | null;
  /** Null when the application is not on the meeting's agenda. */
  agenda: { attendance: string; series: string } | null;
  recused: boolean;
}

/** A submitted score sheet, without the scores themselves (only the total reaches the summary). */
export interface SubmittedTotal {
  meetingId: string;
  applicationId: string;
  expertId: string;
  total: number;
}

/** The last defense session of an application in a round: where its reference score comes from. */
export interface DefenseSession {
  meetingId: string;
  applicationId: string;
  series: string;
  attendance: string;
}

export const defenseScoreRepository = {
  async scoringFacts(
    db: Db,
    meetingId: string,
    applicationId: string,
    userId: string,
  ): Promise<ScoringFacts> {
    const [meeting] = await db
      .select({ kind: meetings.kind, state: meetings.state, roundYear: meetings.roundYear })
      .from(meetings)
      .where(eq(meetings.id, meetingId));
    if (!meeting) return { meeting: null, role: null, agenda: null, recused: false };
    // One after another: inside a transaction the queries share one connection.
    const member = await db
      .select({ role: meetingMembers.role })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)));
    const agenda = await db
      .select({ attendance: meetingApplications.attendance, series: applications.series })
      .from(meetingApplications)
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          eq(meetingApplications.applicationId, applicationId),
        ),
      );
    const recusal = await db
      .select({ id: recusals.id })
      .from(recusals)
      .where(
        and(
          eq(recusals.meetingId, meetingId),
          eq(recusals.applicationId, applicationId),
          eq(recusals.expertId, userId),
        ),
      );
    return {
      meeting,
      role: member[0]?.role ?? null,
      agenda: agenda[0] ?? null,
      recused: recusal.length > 0,
    };
  },

  /** One panelist's sheet, locked for the rest of the transaction (a concurrent save waits). */
  async findForUpdate(
    db: Db,
    meetingId: string,
    applicationId: string,
    expertId: string,
  ): Promise<DefenseScoreRecord | null> {
    const [row] = await db
      .select()
      .from(defenseScores)
      .where(
        and(
          eq(defenseScores.meetingId, meetingId),
          eq(defenseScores.applicationId, applicationId),
          eq(defenseScores.expertId, expertId),
        ),
      )
      .for("update");
    return row ?? null;
  },

  /**
   * Writes a draft (the whole map replaces the previous one). Returns null when the sheet was submitted
   * meanwhile: a submitted sheet is never overwritten.
   */
  async saveDraft(
    db: Db,
    input: {
      meetingId: string;
      applicationId: string;
      expertId: string;
      scores: Record<string, number>;
      at: Date;
    },
  ): Promise<DefenseScoreRecord | null> {
    const { at, ...values } = input;
    const [row] = await db
      .insert(defenseScores)
      .values({ ...values, updatedAt: at })
      .onConflictDoUpdate({
        target: [defenseScores.meetingId, defenseScores.applicationId, defenseScores.expertId],
        set: { scores: values.scores, updatedAt: at },
        setWhere: isNull(defenseScores.submittedAt),
      })
      .returning();
    return row ?? null;
  },

  /** Submits and locks the sheet with its weighted total; null when it was already submitted. */
  async submit(
    db: Db,
    input: {
      meetingId: string;
      applicationId: string;
      expertId: string;
      scores: Record<string, number>;
      total: number;
      at: Date;
    },
  ): Promise<DefenseScoreRecord | null> {
    const { at, ...values } = input;
    const [row] = await db
      .insert(defenseScores)
      .values({ ...values, submittedAt: at, updatedAt: at })
      .onConflictDoUpdate({
        target: [defenseScores.meetingId, defenseScores.applicationId, defenseScores.expertId],
        set: { scores: values.scores, total: values.total, submittedAt: at, updatedAt: at },
        setWhere: isNull(defenseScores.submittedAt),
      })
      .returning();
    return row ?? null;
  },

  /** The check-in of every application on a meeting's agenda: `pending`, `present` or `no_show`. */
  async attendance(db: Db, meetingId: string): Promise<Map<string, string>> {
    const rows = await db
      .select({
        applicationId: meetingApplications.applicationId,
        attendance: meetingApplications.attendance,
      })
      .from(meetingApplications)
      .where(eq(meetingApplications.meetingId, meetingId));
    return new Map(rows.map((r) => [r.applicationId, r.attendance]));
  },

  /** A panelist's own sheets in a meeting (drafts and submitted), for their scoring page. */
  async findForExpert(db: Db, meetingId: string, expertId: string): Promise<DefenseScoreRecord[]> {
    return db
      .select()
      .from(defenseScores)
      .where(and(eq(defenseScores.meetingId, meetingId), eq(defenseScores.expertId, expertId)));
  },

  /** The submitted totals of the given (meeting, application) pairs; the criteria scores stay private. */
  async submittedTotals(
    db: Db,
    pairs: ReadonlyArray<{ meetingId: string; applicationId: string }>,
  ): Promise<SubmittedTotal[]> {
    if (pairs.length === 0) return [];
    const meetingIds = [...new Set(pairs.map((p) => p.meetingId))];
    const applicationIds = [...new Set(pairs.map((p) => p.applicationId))];
    const wanted = new Set(pairs.map((p) => `${p.meetingId}/${p.applicationId}`));
    const rows = await db
      .select({
        meetingId: defenseScores.meetingId,
        applicationId: defenseScores.applicationId,
        expertId: defenseScores.expertId,
        total: defenseScores.total,
      })
      .from(defenseScores)
      .where(
        and(
          inArray(defenseScores.meetingId, meetingIds),
          inArray(defenseScores.applicationId, applicationIds),
          isNotNull(defenseScores.submittedAt),
          isNotNull(defenseScores.total),
        ),
      );
    return rows
      .filter((r) => wanted.has(`${r.meetingId}/${r.applicationId}`))
      .map((r) => ({ ...r, total: r.total! }));
  },

  /**
   * The panelists expected to score each application of a defense meeting: chair and experts not
   * recused from it and not marked absent (`present` is null when no roll call was taken).
   */
  async expectedPanelists(
    db: Db,
    meetingId: string,
  ): Promise<Array<{ applicationId: string; expertId: string }>> {
    return db
      .select({ applicationId: meetingApplications.applicationId, expertId: meetingMembers.userId })
      .from(meetingApplications)
      .innerJoin(meetingMembers, eq(meetingMembers.meetingId, meetingApplications.meetingId))
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          inArray(meetingMembers.role, ["chair", "expert"]),
          sql`${meetingMembers.present} is not false`,
          sql`not exists (select 1 from recusals r where r.meeting_id = ${meetingApplications.meetingId}
            and r.application_id = ${meetingApplications.applicationId} and r.expert_id = ${meetingMembers.userId})`,
        ),
      );
  },

  /**
   * For each application, its latest defense session of the round (kind `defense`, by start time):
   * applications without one (junior titles) are absent from the answer.
   */
  async latestSessions(
    db: Db,
    roundYear: number,
    applicationIds: readonly string[],
  ): Promise<DefenseSession[]> {
    if (applicationIds.length === 0) return [];
    const rows = await db
      .select({
        meetingId: meetingApplications.meetingId,
        applicationId: meetingApplications.applicationId,
        series: applications.series,
        attendance: meetingApplications.attendance,
      })
      .from(meetingApplications)
      .innerJoin(meetings, eq(meetings.id, meetingApplications.meetingId))
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .where(
        and(
          eq(meetings.kind, "defense"),
          eq(meetings.roundYear, roundYear),
          inArray(meetingApplications.applicationId, [...applicationIds]),
        ),
      )
      .orderBy(asc(meetingApplications.applicationId), desc(meetings.startsAt), desc(meetings.createdAt));
    const latest = new Map<string, DefenseSession>();
    for (const row of rows) if (!latest.has(row.applicationId)) latest.set(row.applicationId, row);
    return [...latest.values()];
  },

  /**
   * Each application's latest defense session of the round with its attendance and the submitted
   * totals (hundredths) of that session; applications without a defense session are absent.
   */
  async latestTotals(
    db: Db,
    roundYear: number,
    applicationIds: readonly string[],
  ): Promise<Map<string, DefenseSession & { totals: number[] }>> {
    const sessions = await this.latestSessions(db, roundYear, applicationIds);
    const totals = await this.submittedTotals(db, sessions);
    const out = new Map(sessions.map((s) => [s.applicationId, { ...s, totals: [] as number[] }]));
    for (const t of totals) {
      const entry = out.get(t.applicationId);
      if (entry?.meetingId === t.meetingId) entry.totals.push(t.total);
    }
    return out;
  },
};
