import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { applications, meetingApplications, meetings, organisations, recusals, users } from "../schema";

/** A defense session as the agency's list shows it: slots with how many are called at each, panel size. */
export interface DefenseSessionSummary {
  id: string;
  roundYear: number;
  series: string;
  level: string;
  title: string;
  venue: string;
  startsAt: Date;
  agencyId: string | null;
  state: string;
  slots: Array<{ start: string; capacity: number }>;
  requirements: string;
  requirementsPublishedAt: Date | null;
  /** Slot start → applicants called at that time. */
  filled: Record<string, number>;
  panelSize: number;
  noShows: number;
}

/** One applicant called to a defense session. */
export interface DefenseAssignment {
  meetingId: string;
  applicationId: string;
  applicantId: string;
  applicantName: string;
  employerName: string | null;
  level: string;
  state: string;
  position: number;
  slotStart: string | null;
  attendance: string;
  checkedInAt: Date | null;
}

/** The defense session an application is called to, with what its notice needs. */
export interface DefenseCall {
  meetingId: string;
  title: string;
  venue: string;
  startsAt: Date;
  roundYear: number;
  slotStart: string | null;
  attendance: string;
  checkedInAt: Date | null;
  requirements: string;
  requirementsPublishedAt: Date | null;
}

const sessionColumns = {
  id: meetings.id,
  roundYear: meetings.roundYear,
  series: meetings.series,
  level: meetings.level,
  title: meetings.title,
  venue: meetings.venue,
  startsAt: meetings.startsAt,
  agencyId: meetings.agencyId,
  state: meetings.state,
  slots: meetings.slots,
  requirements: meetings.requirements,
  requirementsPublishedAt: meetings.requirementsPublishedAt,
  panelSize: sql<number>`(select count(*)::int from meeting_members mm where mm.meeting_id = ${meetings.id})`,
  noShows: sql<number>`(select count(*)::int from meeting_applications ma
    where ma.meeting_id = ${meetings.id} and ma.attendance = 'no_show')`,
};

export const defenseSessionRepository = {
  /** The defense sessions run by the given agencies, earliest first, with slot fill and panel size. */
  async findForAgencies(db: Db, agencyIds: string[]): Promise<DefenseSessionSummary[]> {
    if (agencyIds.length === 0) return [];
    const rows = await db
      .select(sessionColumns)
      .from(meetings)
      .where(and(eq(meetings.kind, "defense"), inArray(meetings.agencyId, agencyIds)))
      .orderBy(asc(meetings.startsAt), asc(meetings.title));
    if (rows.length === 0) return [];
    const counts = await db
      .select({
        meetingId: meetingApplications.meetingId,
        slotStart: meetingApplications.slotStart,
        n: sql<number>`count(*)::int`,
      })
      .from(meetingApplications)
      .where(
        inArray(
          meetingApplications.meetingId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(meetingApplications.meetingId, meetingApplications.slotStart);
    return rows.map((r) => ({
      ...r,
      panelSize: Number(r.panelSize),
      noShows: Number(r.noShows),
      filled: Object.fromEntries(
        counts
          .filter((c) => c.meetingId === r.id && c.slotStart !== null)
          .map((c) => [c.slotStart!, Number(c.n)]),
      ),
    }));
  },

  /** One defense session (null when absent or not a defense); `lock` holds it for the transaction. */
  async findById(db: Db, id: string, lock = false): Promise<Omit<DefenseSessionSummary, "filled"> | null> {
    const query = db
      .select(sessionColumns)
      .from(meetings)
      .where(and(eq(meetings.id, id), eq(meetings.kind, "defense")));
    const [row] = lock ? await query.for("update", { of: meetings }) : await query;
    return row ? { ...row, panelSize: Number(row.panelSize), noShows: Number(row.noShows) } : null;
  },

  /** How many applicants are called at each slot of the session. */
  async slotCounts(db: Db, meetingId: string): Promise<Record<string, number>> {
    const rows = await db
      .select({ slotStart: meetingApplications.slotStart, n: sql<number>`count(*)::int` })
      .from(meetingApplications)
      .where(eq(meetingApplications.meetingId, meetingId))
      .groupBy(meetingApplications.slotStart);
    return Object.fromEntries(
      rows.filter((r) => r.slotStart !== null).map((r) => [r.slotStart!, Number(r.n)]),
    );
  },

  /** The applicants called to the session, by slot then order of assignment. */
  async assignments(db: Db, meetingId: string): Promise<DefenseAssignment[]> {
    return db
      .select({
        meetingId: meetingApplications.meetingId,
        applicationId: meetingApplications.applicationId,
        applicantId: applications.applicantId,
        applicantName: users.name,
        employerName: organisations.name,
        level: applications.level,
        state: applications.state,
        position: meetingApplications.position,
        slotStart: meetingApplications.slotStart,
        attendance: meetingApplications.attendance,
        checkedInAt: meetingApplications.checkedInAt,
      })
      .from(meetingApplications)
      .innerJoin(applications, eq(applications.id, meetingApplications.applicationId))
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(eq(meetingApplications.meetingId, meetingId))
      .orderBy(asc(meetingApplications.slotStart), asc(meetingApplications.position));
  },

  /** The defense sessions an application is called to (normally one), latest first. */
  async callsFor(db: Db, applicationId: string): Promise<DefenseCall[]> {
    return db
      .select({
        meetingId: meetings.id,
        title: meetings.title,
        venue: meetings.venue,
        startsAt: meetings.startsAt,
        roundYear: meetings.roundYear,
        slotStart: meetingApplications.slotStart,
        attendance: meetingApplications.attendance,
        checkedInAt: meetingApplications.checkedInAt,
        requirements: meetings.requirements,
        requirementsPublishedAt: meetings.requirementsPublishedAt,
      })
      .from(meetingApplications)
      .innerJoin(meetings, eq(meetings.id, meetingApplications.meetingId))
      .where(and(eq(meetingApplications.applicationId, applicationId), eq(meetings.kind, "defense")))
      .orderBy(sql`${meetings.startsAt} desc`);
  },

  /** Sets the slot an applicant on the session's agenda is called in at. */
  async setSlot(db: Db, meetingId: string, applicationId: string, slotStart: string): Promise<void> {
    await db
      .update(meetingApplications)
      .set({ slotStart })
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          eq(meetingApplications.applicationId, applicationId),
        ),
      );
  },

  /**
   * Takes an applicant off a session (moved elsewhere), with the recusals the system made for that
   * pair; a declared or ordered recusal stays on record.
   */
  async removeApplication(db: Db, meetingId: string, applicationId: string): Promise<void> {
    await db
      .delete(recusals)
      .where(
        and(
          eq(recusals.meetingId, meetingId),
          eq(recusals.applicationId, applicationId),
          inArray(recusals.source, ["self", "same-unit"]),
        ),
      );
    await db
      .delete(meetingApplications)
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          eq(meetingApplications.applicationId, applicationId),
        ),
      );
  },

  /** Check-in on the day; returns false when the application is not on the session. */
  async setAttendance(
    db: Db,
    meetingId: string,
    applicationId: string,
    attendance: "present" | "no_show",
    at: Date,
  ): Promise<boolean> {
    const rows = await db
      .update(meetingApplications)
      .set({ attendance, checkedInAt: at })
      .where(
        and(
          eq(meetingApplications.meetingId, meetingId),
          eq(meetingApplications.applicationId, applicationId),
        ),
      )
      .returning({ id: meetingApplications.applicationId });
    return rows.length > 0;
  },

  /** Records the epidemic-prevention requirements as published (the text as published). */
  async publishRequirements(db: Db, meetingId: string, requirements: string, at: Date): Promise<void> {
    await db
      .update(meetings)
      .set({ requirements, requirementsPublishedAt: at })
      .where(eq(meetings.id, meetingId));
  },
};
