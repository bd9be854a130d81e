import { automaticRecusals } from "@titles/domain";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  applications,
  experts,
  meetingApplications,
  meetingMembers,
  meetings,
  organisations,
  recusals,
  users,
} from "../schema";

export type MeetingRecord = typeof meetings.$inferSelect;
export type RecusalRecord = typeof recusals.$inferSelect;

export interface AgendaEntry {
  applicationId: string;
  position: number;
  applicantName: string;
  employerName: string | null;
  series: string;
  level: string;
  state: string;
}

export const meetingRepository = {
  async insert(
    db: Db,
    input: Omit<typeof meetings.$inferInsert, "id" | "createdAt">,
  ): Promise<MeetingRecord> {
    const [row] = await db.insert(meetings).values(input).returning();
    return row!;
  },

  async findByTitle(db: Db, roundYear: number, title: string): Promise<MeetingRecord | null> {
    const [row] = await db
      .select()
      .from(meetings)
      .where(and(eq(meetings.roundYear, roundYear), eq(meetings.title, title)));
    return row ?? null;
  },

  async findById(db: Db, id: string): Promise<MeetingRecord | null> {
    const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
    return row ?? null;
  },

  async addMember(db: Db, meetingId: string, userId: string, role: "chair" | "expert" | "observer") {
    await db
      .insert(meetingMembers)
      .values({ meetingId, userId, role })
      .onConflictDoUpdate({
        target: [meetingMembers.meetingId, meetingMembers.userId],
        set: { role },
      });
  },

  async addApplication(db: Db, meetingId: string, applicationId: string) {
    await db
      .insert(meetingApplications)
      .values({
        meetingId,
        applicationId,
        position: sql`(select coalesce(max(ma.position), 0) + 1 from meeting_applications ma
          where ma.meeting_id = ${meetingId})`,
      })
      .onConflictDoNothing();
  },

  async recuse(
    db: Db,
    input: { meetingId: string; applicationId: string; expertId: string; source: string; reason: string },
  ) {
    await db.insert(recusals).values(input).onConflictDoNothing();
  },

  /** The meetings a user sits in, with the role they sit in it with. */
  async findForMember(db: Db, userId: string): Promise<Array<MeetingRecord & { memberRole: string }>> {
    const rows = await db
      .select({ meeting: meetings, memberRole: meetingMembers.role })
      .from(meetingMembers)
      .innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
      .where(eq(meetingMembers.userId, userId))
      .orderBy(asc(meetings.startsAt));
    return rows.map((r) => ({ ...r.meeting, memberRole: r.memberRole }));
  },

  /** The user's role in the meeting, or null when they do not sit in it. */
  async memberRole(db: Db, meetingId: string, userId: string): Promise<string | null> {
    const [row] = await db
      .select({ role: meetingMembers.role })
      .from(meetingMembers)
      .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, userId)));
    return row?.role ?? null;
  },

  async members(db: Db, meetingId: string): Promise<Array<{ userId: string; name: string; role: string }>> {
    return db
      .select({ userId: meetingMembers.userId, name: users.name, role: meetingMembers.role })
      .from(meetingMembers)
      .innerJoin(users, eq(users.id, meetingMembers.userId))
      .where(eq(meetingMembers.meetingId, meetingId))
      .orderBy(asc(users.name));
  },

  /** The agenda as one expert sees it: the applications they are not recused from, in order. */
  async agendaFor(db: Db, meetingId: string, expertId: string): Promise<AgendaEntry[]> {
    return db
      .select({
        applicationId: meetingApplications.applicationId,
        position: meetingApplications.position,
        applicantName: users.name,
        employerName: organisations.name,
        series: applications.series,
        level: applications.level,
        state: applications.state,
      })
      .from(meetingApplications)
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          sql`not exists (select 1 from recusals r where r.meeting_id = ${meetingApplications.meetingId}
            and r.application_id = ${meetingApplications.applicationId} and r.expert_id = ${expertId})`,
        ),
      )
      .orderBy(asc(meetingApplications.position));
  },

  /**
   * What the access rule of a panel document needs, for every member of the meeting at once, in one
   * round trip: whether the application is on the agenda, and each member's role and whether they are
   * recused from it (a live document re-checks all its sockets with one query).
   */
  async docAccessFactsOfMembers(
    db: Db,
    meetingId: string,
    applicationId: string,
  ): Promise<{ onAgenda: boolean; members: Map<string, { role: string; recused: boolean }> }> {
    const [agenda] = await db
      .select({
        onAgenda: sql<boolean>`exists (select 1 from meeting_applications ma
          where ma.meeting_id = ${meetingId} and ma.application_id = ${applicationId})`,
        members: sql<Array<{ user_id: string; role: string; recused: boolean }> | null>`(
          select json_agg(json_build_object('user_id', mm.user_id, 'role', mm.role, 'recused',
            exists (select 1 from recusals r where r.meeting_id = mm.meeting_id
              and r.application_id = ${applicationId} and r.expert_id = mm.user_id)))
          from meeting_members mm where mm.meeting_id = ${meetingId})`,
      })
      .from(sql`(select 1) as one`);
    const members = new Map<string, { role: string; recused: boolean }>();
    for (const m of agenda?.members ?? []) members.set(m.user_id, { role: m.role, recused: m.recused });
    return { onAgenda: Boolean(agenda?.onAgenda), members };
  },

  /** Whether the application is on the meeting's agenda. */
  async onAgenda(db: Db, meetingId: string, applicationId: string): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(meetingApplications)
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          eq(meetingApplications.applicationId, applicationId),
        ),
      );
    return row !== undefined;
  },

  async isRecused(db: Db, meetingId: string, applicationId: string, expertId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: recusals.id })
      .from(recusals)
      .where(
        and(
          eq(recusals.meetingId, meetingId),
          eq(recusals.applicationId, applicationId),
          eq(recusals.expertId, expertId),
        ),
      );
    return row !== undefined;
  },

  async recusalsFor(db: Db, meetingId: string, applicationIds?: string[]): Promise<RecusalRecord[]> {
    return db
      .select()
      .from(recusals)
      .where(
        and(
          eq(recusals.meetingId, meetingId),
          applicationIds?.length ? inArray(recusals.applicationId, applicationIds) : undefined,
        ),
      );
  },

  /**
   * Records the recusals the system makes by itself over the meeting's current members and agenda: an
   * expert is recused from their own application and from applicants of the unit they work for (the
   * unit of the expert pool). Call it in the transaction that adds members or applications; returns
   * the recusals it added.
   */
  async applyAutomaticRecusals(
    db: Db,
    meetingId: string,
  ): Promise<Array<{ expertId: string; applicationId: string; source: string }>> {
    // Sequential: one connection per transaction runs one query at a time.
    const members = await db
      .select({ id: meetingMembers.userId, unitId: experts.unitId })
      .from(meetingMembers)
      .leftJoin(experts, eq(experts.userId, meetingMembers.userId))
      .where(eq(meetingMembers.meetingId, meetingId));
    const agenda = await db
      .select({
        applicationId: meetingApplications.applicationId,
        applicantUserId: applications.applicantId,
        employerId: applications.employerId,
      })
      .from(meetingApplications)
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .where(eq(meetingApplications.meetingId, meetingId));
    const wanted = automaticRecusals(
      members.map((m) => ({ id: m.id, unitId: m.unitId ?? null })),
      agenda,
    );
    if (wanted.length === 0) return [];
    const inserted = await db
      .insert(recusals)
      .values(wanted.map((r) => ({ meetingId, ...r, reason: "" })))
      .onConflictDoNothing()
      .returning({
        expertId: recusals.expertId,
        applicationId: recusals.applicationId,
        source: recusals.source,
      });
    return inserted;
  },
};
