import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { applications, districtForwards, districtReviews, organisations, users } from "../schema";

export type DistrictReviewRecord = typeof districtReviews.$inferSelect;
export type DistrictForwardRecord = typeof districtForwards.$inferSelect;

/** A through-train file as its district bureau lists it: the application, and the district's record of it. */
export interface DistrictFile {
  applicationId: string;
  applicantName: string;
  employerName: string | null;
  series: string;
  level: string;
  track: string;
  state: string;
  roundYear: number;
  windowId: string;
  confirmedAt: Date | null;
  updatedAt: Date;
  /** Null until the district received the file. */
  review: DistrictReviewRecord | null;
  /** When the list that carried it went to the agency. */
  forwardedAt: Date | null;
}

/** One applicant on a forwarded (or to-be-forwarded) list. */
export interface ForwardEntry {
  applicationId: string;
  applicantName: string;
  employerName: string | null;
  series: string;
  level: string;
}

export interface DistrictForwardWithEntries extends DistrictForwardRecord {
  entries: ForwardEntry[];
}

const entryColumns = {
  applicationId: applications.id,
  applicantName: users.name,
  employerName: organisations.name,
  series: applications.series,
  level: applications.level,
};

export const districtRepository = {
  /**
   * The confirmed through-train files of units in a district (the employer's district is the bureau's),
   * oldest confirmation first, with what the district recorded about each.
   */
  async findFilesInDistrict(db: Db, district: string): Promise<DistrictFile[]> {
    const rows = await db
      .select({
        applicationId: applications.id,
        applicantName: users.name,
        employerName: organisations.name,
        series: applications.series,
        level: applications.level,
        track: applications.track,
        state: applications.state,
        roundYear: applications.roundYear,
        windowId: applications.windowId,
        confirmedAt: applications.confirmedAt,
        updatedAt: applications.updatedAt,
        review: districtReviews,
        forwardedAt: districtForwards.forwardedAt,
      })
      .from(applications)
      .innerJoin(users, eq(users.id, applications.applicantId))
      .innerJoin(organisations, eq(organisations.id, applications.employerId))
      .leftJoin(districtReviews, eq(districtReviews.applicationId, applications.id))
      .leftJoin(districtForwards, eq(districtForwards.id, districtReviews.forwardId))
      .where(
        and(
          eq(organisations.district, district),
          eq(applications.track, "through-train"),
          isNotNull(applications.confirmedAt),
        ),
      )
      .orderBy(asc(applications.confirmedAt), asc(applications.id));
    return rows.map((r) => ({ ...r, review: r.review ?? null, forwardedAt: r.forwardedAt ?? null }));
  },

  async findReview(db: Db, applicationId: string): Promise<DistrictReviewRecord | null> {
    const [row] = await db
      .select()
      .from(districtReviews)
      .where(eq(districtReviews.applicationId, applicationId));
    return row ?? null;
  },

  async insertReview(
    db: Db,
    input: { applicationId: string; districtOrgId: string; receivedAt: Date },
  ): Promise<DistrictReviewRecord> {
    const [row] = await db.insert(districtReviews).values(input).returning();
    return row!;
  },

  async updateReview(
    db: Db,
    applicationId: string,
    patch: Partial<Omit<DistrictReviewRecord, "applicationId" | "districtOrgId" | "receivedAt">>,
  ): Promise<DistrictReviewRecord> {
    const [row] = await db
      .update(districtReviews)
      .set(patch)
      .where(eq(districtReviews.applicationId, applicationId))
      .returning();
    return row!;
  },

  /**
   * The bureau's recommended files not yet on a list, still waiting for the agency; locked for the rest
   * of the transaction so that two clicks on "forward" cannot send one applicant twice.
   */
  async findForwardableForUpdate(db: Db, districtOrgId: string): Promise<ForwardEntry[]> {
    const locked = await db
      .select({ applicationId: districtReviews.applicationId })
      .from(districtReviews)
      .innerJoin(applications, eq(applications.id, districtReviews.applicationId))
      .where(
        and(
          eq(districtReviews.districtOrgId, districtOrgId),
          eq(districtReviews.decision, "recommended"),
          isNull(districtReviews.forwardId),
          eq(applications.state, "district_recommended"),
        ),
      )
      .for("update", { of: districtReviews });
    if (locked.length === 0) return [];
    return districtRepository.findEntries(
      db,
      locked.map((r) => r.applicationId),
    );
  },

  /** Applicants by application id, by name. */
  async findEntries(db: Db, applicationIds: string[]): Promise<ForwardEntry[]> {
    if (applicationIds.length === 0) return [];
    return db
      .select(entryColumns)
      .from(applications)
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(inArray(applications.id, applicationIds))
      .orderBy(asc(users.name), asc(applications.id));
  },

  async insertForward(
    db: Db,
    input: { districtOrgId: string; forwardedBy: string; at: Date; applicationIds: string[] },
  ): Promise<DistrictForwardRecord> {
    const [row] = await db
      .insert(districtForwards)
      .values({
        districtOrgId: input.districtOrgId,
        forwardedBy: input.forwardedBy,
        forwardedAt: input.at,
        applicationIds: input.applicationIds,
      })
      .returning();
    await db
      .update(districtReviews)
      .set({ forwardId: row!.id })
      .where(inArray(districtReviews.applicationId, input.applicationIds));
    return row!;
  },

  /** The lists a bureau sent, newest first, each with its applicants. */
  async findForwards(db: Db, districtOrgId: string): Promise<DistrictForwardWithEntries[]> {
    const forwards = await db
      .select()
      .from(districtForwards)
      .where(eq(districtForwards.districtOrgId, districtOrgId))
      .orderBy(desc(districtForwards.forwardedAt), desc(districtForwards.id));
    const entries = await districtRepository.findEntries(
      db,
      forwards.flatMap((f) => f.applicationIds),
    );
    const byId = new Map(entries.map((e) => [e.applicationId, e]));
    return forwards.map((f) => ({
      ...f,
      entries: f.applicationIds.map((id) => byId.get(id)).filter((e) => e !== undefined),
    }));
  },

  /** Whether a district has forwarded the file to the evaluation agency. */
  async isForwarded(db: Db, applicationId: string): Promise<boolean> {
    const [row] = await db
      .select({ forwarded: sql<boolean>`${districtReviews.forwardId} is not null` })
      .from(districtReviews)
      .where(eq(districtReviews.applicationId, applicationId));
    return Boolean(row?.forwarded);
  },
};
