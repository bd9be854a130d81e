import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { applicationEvents, applications, organisations, rounds, users } from "../schema";

export type ApplicationRecord = typeof applications.$inferSelect;
export type ApplicationEventRecord = typeof applicationEvents.$inferSelect;

export interface ApplicationWithPeople extends ApplicationRecord {
  applicantName: string;
  employerName: string | null;
  /** The district (区) of the employer: its district bureau handles a through-train file. */
  employerDistrict: string | null;
  /** Through-train: the district bureau has forwarded the file to the evaluation agency. */
  forwardedToAgency: boolean;
}

const withPeople = {
  application: applications,
  applicantName: users.name,
  employerName: organisations.name,
  employerDistrict: organisations.district,
  forwardedToAgency: sql<boolean>`exists (select 1 from district_reviews dr
    where dr.application_id = ${applications.id} and dr.forward_id is not null)`,
};

function flatten(row: {
  application: ApplicationRecord;
  applicantName: string;
  employerName: string | null;
  employerDistrict: string | null;
  forwardedToAgency: boolean;
}): ApplicationWithPeople {
  return {
    ...row.application,
    applicantName: row.applicantName,
    employerName: row.employerName,
    employerDistrict: row.employerDistrict,
    forwardedToAgency: Boolean(row.forwardedToAgency),
  };
}

/** Applications with the applicant's and the employer's names, for lists and pages. */
function selectWithPeople(db: Db) {
  return db
    .select(withPeople)
    .from(applications)
    .innerJoin(users, eq(users.id, applications.applicantId))
    .leftJoin(organisations, eq(organisations.id, applications.employerId));
}

export const applicationRepository = {
  async insert(
    db: Db,
    input: Pick<
      ApplicationRecord,
      "applicantId" | "roundYear" | "windowId" | "series" | "level" | "track" | "state"
    > & { at: Date },
  ): Promise<ApplicationRecord> {
    const { at, ...values } = input;
    const [row] = await db
      .insert(applications)
      .values({ ...values, createdAt: at, updatedAt: at })
      .returning();
    return row!;
  },

  async findById(db: Db, id: string): Promise<ApplicationWithPeople | null> {
    const [row] = await selectWithPeople(db).where(eq(applications.id, id));
    return row ? flatten(row) : null;
  },

  /** Locks the row for the rest of the transaction: commands on one application run one at a time. */
  async findByIdForUpdate(db: Db, id: string): Promise<ApplicationRecord | null> {
    const [row] = await db.select().from(applications).where(eq(applications.id, id)).for("update");
    return row ?? null;
  },

  /**
   * The application with its round's configuration (the window rules), in one round trip; locked
   * for the rest of the transaction when `lock` is set.
   */
  async findWithRound(
    db: Db,
    id: string,
    lock = false,
  ): Promise<{ app: ApplicationRecord; roundConfig: unknown } | null> {
    const query = db
      .select({ app: applications, roundConfig: rounds.config })
      .from(applications)
      .innerJoin(rounds, eq(rounds.year, applications.roundYear))
      .where(eq(applications.id, id));
    const [row] = lock ? await query.for("update", { of: applications }) : await query;
    return row ?? null;
  },

  async findByApplicant(db: Db, applicantId: string): Promise<ApplicationWithPeople[]> {
    const rows = await selectWithPeople(db)
      .where(eq(applications.applicantId, applicantId))
      .orderBy(desc(applications.createdAt));
    return rows.map(flatten);
  },

  async findLiveForRound(db: Db, applicantId: string, roundYear: number): Promise<ApplicationRecord | null> {
    const [row] = await db
      .select()
      .from(applications)
      .where(
        and(
          eq(applications.applicantId, applicantId),
          eq(applications.roundYear, roundYear),
          ne(applications.state, "withdrawn"),
        ),
      );
    return row ?? null;
  },

  /** The employer's inbox: its staff's applications that have reached it (never drafts). */
  /**
   * The agency's queue: applications of its series that reached it (confirmed; a through-train file once
   * its district bureau forwarded it), filtered, oldest confirmation first.
   */
  async findForAgency(
    db: Db,
    filter: {
      series: string[];
      states?: string[];
      level?: string;
      track?: string;
      employerId?: string;
      /** A part of the applicant's or the unit's name. */
      q?: string;
    },
  ): Promise<ApplicationWithPeople[]> {
    if (filter.series.length === 0) return [];
    const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows = await selectWithPeople(db)
      .where(
        and(
          inArray(applications.series, filter.series),
          sql`${applications.confirmedAt} is not null`,
          sql`(${applications.track} <> 'through-train' or ${withPeople.forwardedToAgency})`,
          filter.states?.length ? inArray(applications.state, filter.states) : undefined,
          filter.level ? eq(applications.level, filter.level) : undefined,
          filter.track ? eq(applications.track, filter.track) : undefined,
          filter.employerId ? eq(applications.employerId, filter.employerId) : undefined,
          like ? sql`(${users.name} ilike ${like} or ${organisations.name} ilike ${like})` : undefined,
        ),
      )
      .orderBy(applications.confirmedAt);
    return rows.map(flatten);
  },

  async findForEmployer(db: Db, employerId: string): Promise<ApplicationWithPeople[]> {
    const rows = await selectWithPeople(db)
      .where(and(eq(applications.employerId, employerId), ne(applications.state, "draft")))
      .orderBy(desc(applications.updatedAt));
    return rows.map(flatten);
  },

  async update(
    db: Db,
    id: string,
    patch: Partial<Omit<ApplicationRecord, "id" | "applicantId" | "createdAt" | "version">> & {
      updatedAt: Date;
    },
  ): Promise<ApplicationRecord> {
    const [row] = await db
      .update(applications)
      .set({ ...patch, version: sql`${applications.version} + 1` })
      .where(eq(applications.id, id))
      .returning();
    return row!;
  },

  /** Autosave: merges fields into the form only if nobody saved in between. */
  async mergeForm(
    db: Db,
    id: string,
    patch: Record<string, string>,
    at: Date,
  ): Promise<ApplicationRecord | null> {
    const [row] = await db
      .update(applications)
      .set({
        form: sql`${applications.form} || ${JSON.stringify(patch)}::jsonb`,
        version: sql`${applications.version} + 1`,
        updatedAt: at,
      })
      .where(eq(applications.id, id))
      .returning();
    return row ?? null;
  },

  async appendEvent(
    db: Db,
    input: {
      applicationId: string;
      at: Date;
      actorUserId: string | null;
      event: string;
      fromState: string;
      toState: string;
      data?: Record<string, unknown>;
    },
  ): Promise<void> {
    await db.insert(applicationEvents).values({ ...input, data: input.data ?? {} });
  },

  async findEvents(db: Db, applicationId: string): Promise<ApplicationEventRecord[]> {
    return db
      .select()
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, applicationId))
      .orderBy(asc(applicationEvents.id));
  },

  async findInStates(db: Db, states: string[]): Promise<ApplicationRecord[]> {
    return db.select().from(applications).where(inArray(applications.state, states));
  },
};
