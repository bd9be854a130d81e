import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  applications,
  ballots,
  committeeMembers,
  committees,
  experts,
  meetingApplications,
  meetingMembers,
  meetings,
  organisations,
  recusals,
  reviewGroupMembers,
  reviewGroups,
  reviewOpinions,
  users,
} from "../schema";

export type CommitteeRecord = typeof committees.$inferSelect;
export type CommitteeMemberRecord = typeof committeeMembers.$inferSelect;
export type BallotRecord = typeof ballots.$inferSelect;

export interface CommitteeSummary extends CommitteeRecord {
  members: number;
  chairName: string | null;
}

export interface CommitteeMemberView {
  userId: string;
  name: string;
  role: string;
  termStart: string;
  termEnd: string;
  unitName: string | null;
}

export interface MeetingSummary {
  id: string;
  roundYear: number;
  series: string;
  level: string;
  kind: string;
  title: string;
  venue: string;
  startsAt: Date;
  state: string;
  committeeId: string | null;
  committeeName: string | null;
  agencyId: string | null;
  members: number;
  agenda: number;
}

export interface MeetingMemberView {
  userId: string;
  name: string;
  role: string;
  present: boolean | null;
  unitId: string | null;
  unitName: string | null;
  disciplines: string[];
}

export interface MeetingAgendaView {
  applicationId: string;
  position: number;
  applicantId: string;
  applicantName: string;
  employerId: string | null;
  employerName: string | null;
  roundYear: number;
  series: string;
  level: string;
  track: string;
  state: string;
}

export interface RecusalView {
  id: string;
  applicationId: string;
  expertId: string;
  expertName: string;
  source: string;
  reason: string;
  createdAt: Date;
}

export interface ReviewGroupView {
  id: string;
  name: string;
  discipline: string;
  members: Array<{ userId: string; name: string }>;
}

export interface OpinionView {
  groupId: string;
  groupName: string;
  applicationId: string;
  recommendation: string;
  opinion: string;
  writtenAt: Date;
}

/** A signed ballot whose application still waits for its result to be applied. */
export interface PendingResult {
  ballotId: string;
  meetingId: string;
  applicationId: string;
  passed: boolean;
}

const agendaColumns = {
  applicationId: meetingApplications.applicationId,
  position: meetingApplications.position,
  applicantId: applications.applicantId,
  applicantName: users.name,
  employerId: applications.employerId,
  employerName: organisations.name,
  roundYear: applications.roundYear,
  series: applications.series,
  level: applications.level,
  track: applications.track,
  state: applications.state,
};

export const committeeRepository = {
  async insert(db: Db, input: Omit<CommitteeRecord, "id" | "createdAt">): Promise<CommitteeRecord> {
    const [row] = await db.insert(committees).values(input).returning();
    return row!;
  },

  async addMembers(db: Db, rows: CommitteeMemberRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insert(committeeMembers).values(rows);
  },

  async findById(db: Db, id: string): Promise<CommitteeRecord | null> {
    const [row] = await db.select().from(committees).where(eq(committees.id, id));
    return row ?? null;
  },

  /** Committees of the given series (all when null), newest round first, with size and chair. */
  async findAll(db: Db, filter: { series: readonly string[] | null }): Promise<CommitteeSummary[]> {
    if (filter.series !== null && filter.series.length === 0) return [];
    const rows = await db
      .select({
        committee: committees,
        members: sql<number>`(select count(*)::int from committee_members cm
          where cm.committee_id = ${committees.id})`,
        chairName: sql<
          string | null
        >`(select u.name from committee_members cm join users u on u.id = cm.user_id
          where cm.committee_id = ${committees.id} and cm.role = 'chair' limit 1)`,
      })
      .from(committees)
      .where(filter.series ? inArray(committees.series, [...filter.series]) : undefined)
      .orderBy(desc(committees.roundYear), asc(committees.name));
    return rows.map((r) => ({ ...r.committee, members: Number(r.members), chairName: r.chairName }));
  },

  async members(db: Db, committeeId: string): Promise<CommitteeMemberView[]> {
    return db
      .select({
        userId: committeeMembers.userId,
        name: users.name,
        role: committeeMembers.role,
        termStart: committeeMembers.termStart,
        termEnd: committeeMembers.termEnd,
        unitName: organisations.name,
      })
      .from(committeeMembers)
      .innerJoin(users, eq(users.id, committeeMembers.userId))
      .leftJoin(experts, eq(experts.userId, committeeMembers.userId))
      .leftJoin(organisations, eq(organisations.id, experts.unitId))
      .where(eq(committeeMembers.committeeId, committeeId))
      .orderBy(sql`case when ${committeeMembers.role} = 'chair' then 0 else 1 end`, asc(users.name));
  },
};

/** What the agency's meeting pages read and change beyond the panel's own queries. */
export const meetingAdminRepository = {
  /** Meetings run by one of `agencyIds` or of one of `series` (everything when both are null). */
  async list(
    db: Db,
    filter: { agencyIds: readonly string[] | null; series: readonly string[] | null },
  ): Promise<MeetingSummary[]> {
    const scope =
      filter.agencyIds === null && filter.series === null
        ? undefined
        : or(
            filter.agencyIds?.length ? inArray(meetings.agencyId, [...filter.agencyIds]) : sql`false`,
            filter.series?.length
              ? and(isNull(meetings.agencyId), inArray(meetings.series, [...filter.series]))
              : sql`false`,
          );
    return db
      .select({
        id: meetings.id,
        roundYear: meetings.roundYear,
        series: meetings.series,
        level: meetings.level,
        kind: meetings.kind,
        title: meetings.title,
        venue: meetings.venue,
        startsAt: meetings.startsAt,
        state: meetings.state,
        committeeId: meetings.committeeId,
        committeeName: committees.name,
        agencyId: meetings.agencyId,
        members: sql<number>`(select count(*)::int from meeting_members mm where mm.meeting_id = ${meetings.id})`,
        agenda: sql<number>`(select count(*)::int from meeting_applications ma
          where ma.meeting_id = ${meetings.id})`,
      })
      .from(meetings)
      .leftJoin(committees, eq(committees.id, meetings.committeeId))
      .where(scope)
      .orderBy(desc(meetings.startsAt));
  },

  /** Locks the meeting row: member and agenda changes of one meeting happen one at a time. */
  async lock(db: Db, meetingId: string): Promise<void> {
    await db.execute(sql`select id from meetings where id = ${meetingId} for update`);
  },

  async setMinutes(db: Db, meetingId: string, sha256: string): Promise<boolean> {
    const rows = await db
      .update(meetings)
      .set({ minutesSha256: sha256 })
      .where(and(eq(meetings.id, meetingId), isNull(meetings.minutesSha256)))
      .returning({ id: meetings.id });
    return rows.length > 0;
  },

  async members(db: Db, meetingId: string): Promise<MeetingMemberView[]> {
    const rows = await db
      .select({
        userId: meetingMembers.userId,
        name: users.name,
        role: meetingMembers.role,
        present: meetingMembers.present,
        unitId: experts.unitId,
        unitName: organisations.name,
        disciplines: experts.disciplines,
      })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .leftJoin(experts, eq(experts.userId, meetingMembers.userId))
      .leftJoin(organisations, eq(organisations.id, experts.unitId))
      .where(eq(meetingMembers.meetingId, meetingId))
      .orderBy(
        sql`case ${meetingMembers.role} when 'chair' then 0 when 'expert' then 1 else 2 end`,
        asc(users.name),
      );
    return rows.map((r) => ({ ...r, disciplines: r.disciplines ?? [] }));
  },

  async removeMember(db: Db, meetingId: string, userId: string): Promise<boolean> {
    const rows = await db
      .delete(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)))
      .returning({ userId: meetingMembers.userId });
    // Automatic recusals of a member who leaves go with them; ordered and declared ones are kept on record.
    await db
      .delete(recusals)
      .where(
        and(
          eq(recusals.meetingId, meetingId),
          eq(recusals.expertId, userId),
          inArray(recusals.source, ["self", "same-unit"]),
        ),
      );
    return rows.length > 0;
  },

  async agenda(db: Db, meetingId: string): Promise<MeetingAgendaView[]> {
    return db
      .select(agendaColumns)
      .from(meetingApplications)
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(eq(meetingApplications.meetingId, meetingId))
      .orderBy(asc(meetingApplications.position));
  },

  /**
   * Applications that may join a committee meeting's agenda: of the round, series and level, not on a
   * committee meeting that is still to sit or sitting, and either junior and complete (no defense),
   * defense-scheduled with a defense session already begun by `now`, or still being evaluated after a
   * closed meeting that never voted on them.
   */
  async agendaCandidates(
    db: Db,
    input: { roundYear: number; series: string; level: string; now: Date },
  ): Promise<MeetingAgendaView[]> {
    return db
      .select({ ...agendaColumns, applicationId: applications.id, position: sql<number>`0` })
      .from(applications)
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(
        and(
          eq(applications.roundYear, input.roundYear),
          eq(applications.series, input.series),
          eq(applications.level, input.level),
          or(
            and(eq(applications.state, "complete"), eq(applications.level, "junior")),
            and(
              eq(applications.state, "defense_scheduled"),
              sql`exists (select 1 from meeting_applications ma join meetings m on m.id = ma.meeting_id
                where ma.application_id = ${applications.id} and m.kind = 'defense'
                and m.starts_at <= ${input.now})`,
            ),
            and(
              eq(applications.state, "evaluating"),
              sql`not exists (select 1 from ballots b where b.application_id = ${applications.id})`,
            ),
          ),
          sql`not exists (select 1 from meeting_applications ma join meetings m on m.id = ma.meeting_id
            where ma.application_id = ${applications.id} and m.kind = 'committee' and m.state <> 'closed')`,
        ),
      )
      .orderBy(asc(users.name));
  },

  /** Whether the application's defense session has begun by `now` (any defense meeting of it). */
  async defenseHeld(db: Db, applicationId: string, now: Date): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(meetingApplications)
      .innerJoin(meetings, eq(meetings.id, meetingApplications.meetingId))
      .where(
        and(
          eq(meetingApplications.applicationId, applicationId),
          eq(meetings.kind, "defense"),
          sql`${meetings.startsAt} <= ${now}`,
        ),
      )
      .limit(1);
    return row !== undefined;
  },

  /** A committee meeting, not closed, whose agenda already holds the application, if any. */
  async openCommitteeMeetingOf(db: Db, applicationId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: meetings.id })
      .from(meetingApplications)
      .innerJoin(meetings, eq(meetings.id, meetingApplications.meetingId))
      .where(
        and(
          eq(meetingApplications.applicationId, applicationId),
          eq(meetings.kind, "committee"),
          sql`${meetings.state} <> 'closed'`,
        ),
      )
      .limit(1);
    return row?.id ?? null;
  },

  /** Whether any committee has opened a ballot on the application. */
  async hasBallot(db: Db, applicationId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: ballots.id })
      .from(ballots)
      .where(eq(ballots.applicationId, applicationId))
      .limit(1);
    return row !== undefined;
  },

  async recusals(db: Db, meetingId: string): Promise<RecusalView[]> {
    return db
      .select({
        id: recusals.id,
        applicationId: recusals.applicationId,
        expertId: recusals.expertId,
        expertName: users.name,
        source: recusals.source,
        reason: recusals.reason,
        createdAt: recusals.createdAt,
      })
      .from(recusals)
      .innerJoin(users, eq(users.id, recusals.expertId))
      .where(eq(recusals.meetingId, meetingId))
      .orderBy(asc(recusals.createdAt), asc(users.name));
  },

  async insertRecusal(
    db: Db,
    input: { meetingId: string; applicationId: string; expertId: string; source: string; reason: string },
  ): Promise<boolean> {
    const rows = await db.insert(recusals).values(input).onConflictDoNothing().returning({ id: recusals.id });
    return rows.length > 0;
  },

  /** The meeting's ballots; the running counts of an open ballot stay hidden (zeros) until it closes. */
  async ballots(db: Db, meetingId: string): Promise<BallotRecord[]> {
    const rows = await db
      .select()
      .from(ballots)
      .where(eq(ballots.meetingId, meetingId))
      .orderBy(asc(ballots.openedAt));
    return rows.map((b) => (b.state === "open" ? { ...b, yes: 0, no: 0, abstain: 0 } : b));
  },

  async reviewGroups(db: Db, meetingId: string): Promise<ReviewGroupView[]> {
    const rows = await db
      .select({
        id: reviewGroups.id,
        name: reviewGroups.name,
        discipline: reviewGroups.discipline,
        userId: reviewGroupMembers.userId,
        memberName: users.name,
      })
      .from(reviewGroups)
      .leftJoin(reviewGroupMembers, eq(reviewGroupMembers.groupId, reviewGroups.id))
      .leftJoin(users, eq(users.id, reviewGroupMembers.userId))
      .where(eq(reviewGroups.meetingId, meetingId))
      .orderBy(asc(reviewGroups.createdAt), asc(reviewGroups.name), asc(users.name));
    const groups = new Map<string, ReviewGroupView>();
    for (const r of rows) {
      const group = groups.get(r.id) ?? { id: r.id, name: r.name, discipline: r.discipline, members: [] };
      if (r.userId) group.members.push({ userId: r.userId, name: r.memberName ?? "" });
      groups.set(r.id, group);
    }
    return [...groups.values()];
  },

  async insertReviewGroup(
    db: Db,
    input: { meetingId: string; name: string; discipline: string; memberIds: readonly string[] },
  ): Promise<string> {
    const [group] = await db
      .insert(reviewGroups)
      .values({ meetingId: input.meetingId, name: input.name, discipline: input.discipline })
      .returning({ id: reviewGroups.id });
    await db
      .insert(reviewGroupMembers)
      .values(input.memberIds.map((userId) => ({ groupId: group!.id, userId })));
    return group!.id;
  },

  async opinions(db: Db, meetingId: string): Promise<OpinionView[]> {
    return db
      .select({
        groupId: reviewGroups.id,
        groupName: reviewGroups.name,
        applicationId: reviewOpinions.applicationId,
        recommendation: reviewOpinions.recommendation,
        opinion: reviewOpinions.opinion,
        writtenAt: reviewOpinions.writtenAt,
      })
      .from(reviewOpinions)
      .innerJoin(reviewGroups, eq(reviewGroups.id, reviewOpinions.groupId))
      .where(eq(reviewGroups.meetingId, meetingId))
      .orderBy(asc(reviewGroups.createdAt), asc(reviewGroups.name));
  },

  /** Signed ballots whose application is still being evaluated: results not yet applied. */
  async pendingResults(db: Db, meetingId?: string): Promise<PendingResult[]> {
    const rows = await db
      .select({
        ballotId: ballots.id,
        meetingId: ballots.meetingId,
        applicationId: ballots.applicationId,
        passed: ballots.passed,
      })
      .from(ballots)
      .innerJoin(applications, eq(applications.id, ballots.applicationId))
      .where(
        and(
          eq(ballots.state, "signed"),
          eq(applications.state, "evaluating"),
          sql`${ballots.passed} is not null`,
          meetingId ? eq(ballots.meetingId, meetingId) : undefined,
        ),
      )
      .orderBy(asc(ballots.signedAt));
    return rows.map((r) => ({ ...r, passed: r.passed === true }));
  },

  /** The signed ballot of an application (the latest, should there be several meetings). */
  async signedBallotOf(db: Db, applicationId: string): Promise<BallotRecord | null> {
    const [row] = await db
      .select()
      .from(ballots)
      .where(and(eq(ballots.applicationId, applicationId), eq(ballots.state, "signed")))
      .orderBy(desc(ballots.signedAt))
      .limit(1);
    return row ?? null;
  },
};
