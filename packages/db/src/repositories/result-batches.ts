import { and, asc, count, desc, eq, inArray, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  applications,
  ballots,
  committees,
  complaints,
  meetings,
  organisations,
  resultBatches,
  resultEntries,
  users,
} from "../schema";

export type ResultBatchRecord = typeof resultBatches.$inferSelect;
export type ResultEntryRecord = typeof resultEntries.$inferSelect;

/** A decided application that may go into a batch, with the snapshot the batch keeps of it. */
export interface ResultCandidate {
  applicationId: string;
  applicantId: string;
  roundYear: number;
  state: string;
  result: "passed" | "failed";
  name: string;
  unitName: string;
  series: string;
  level: string;
  specialty: string;
  committeeName: string;
  meetingId: string;
  /** The day the chair signed the ballot, Asia/Shanghai. */
  approvedOn: string;
}

export interface ResultBatchSummary extends ResultBatchRecord {
  agencyName: string | null;
  entries: number;
  listed: number;
  pending: number;
  openComplaints: number;
}

export interface PublicBatch {
  id: string;
  roundYear: number;
  publisher: string;
  levelGroup: string;
  agencyName: string | null;
  number: number;
  title: string;
  state: string;
  publicityStart: string;
  publicityEnd: string;
  listed: number;
}

/** One row of the public list: no applicant id, no ID number, nothing but what is published. */
export interface PublicEntry {
  id: string;
  position: number;
  name: string;
  unitName: string;
  series: string;
  level: string;
  specialty: string;
  qualification: string;
  /** `pending`, `final`, `overturned`…: a result overturned after a complaint is marked on the public list. */
  outcome: string;
}

export interface StaffEntry extends ResultEntryRecord {
  applicationState: string;
  applicantId: string;
  openComplaints: number;
}

export interface ComplaintTally {
  open: number;
  upheld: number;
}

const candidateStates = ["passed", "failed"];

/** `%`, `_` and `\` typed by a user match themselves, not any text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const resultBatchRepository = {
  /**
   * Applications decided by a signed ballot (passed or failed) that no batch holds yet. An entry sent
   * back for re-evaluation releases its application: its new result goes into a new batch.
   * `series` null: every series (the city bureau).
   */
  async candidates(
    db: Db,
    scope: { levels: string[]; series: string[] | null; applicationIds?: string[] },
  ): Promise<ResultCandidate[]> {
    if (scope.levels.length === 0 || (scope.series !== null && scope.series.length === 0)) return [];
    if (scope.applicationIds && scope.applicationIds.length === 0) return [];
    const rows = await db
      .select({
        applicationId: applications.id,
        applicantId: applications.applicantId,
        roundYear: applications.roundYear,
        state: applications.state,
        passed: ballots.passed,
        name: users.name,
        unitName: organisations.name,
        series: applications.series,
        level: applications.level,
        specialty: sql<string | null>`${applications.form} ->> 'specialty'`,
        committeeName: committees.name,
        meetingTitle: meetings.title,
        meetingId: ballots.meetingId,
        approvedOn: sql<string>`to_char(${ballots.signedAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`,
      })
      .from(applications)
      .innerJoin(ballots, and(eq(ballots.applicationId, applications.id), eq(ballots.state, "signed")))
      .innerJoin(meetings, eq(meetings.id, ballots.meetingId))
      .leftJoin(committees, eq(committees.id, meetings.committeeId))
      .innerJoin(users, eq(users.id, applications.applicantId))
      .leftJoin(organisations, eq(organisations.id, applications.employerId))
      .where(
        and(
          inArray(applications.state, candidateStates),
          inArray(applications.level, scope.levels),
          scope.series ? inArray(applications.series, scope.series) : undefined,
          scope.applicationIds ? inArray(applications.id, scope.applicationIds) : undefined,
          sql`${ballots.passed} is not null`,
          sql`not exists (select 1 from ${resultEntries} e where e.application_id = ${applications.id} and e.outcome <> 're_evaluation')`,
        ),
      )
      .orderBy(asc(applications.series), asc(applications.level), asc(users.name), desc(ballots.signedAt));
    // The latest signed ballot decides (a re-evaluated application has two).
    const seen = new Set<string>();
    const out: ResultCandidate[] = [];
    for (const r of rows) {
      if (seen.has(r.applicationId)) continue;
      seen.add(r.applicationId);
      const result = r.passed ? "passed" : "failed";
      // The application's state must agree with its latest ballot.
      if (r.state !== result) continue;
      out.push({
        applicationId: r.applicationId,
        applicantId: r.applicantId,
        roundYear: r.roundYear,
        state: r.state,
        result,
        name: r.name,
        unitName: r.unitName ?? "",
        series: r.series,
        level: r.level,
        specialty: r.specialty ?? "",
        committeeName: r.committeeName ?? r.meetingTitle,
        meetingId: r.meetingId,
        approvedOn: r.approvedOn,
      });
    }
    return out;
  },

  /** Applications of `ids` already in a batch (other than one sent back for re-evaluation). */
  async batchedApplicationIds(db: Db, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectDistinct({ id: resultEntries.applicationId })
      .from(resultEntries)
      .where(and(inArray(resultEntries.applicationId, ids), ne(resultEntries.outcome, "re_evaluation")));
    return rows.map((r) => r.id);
  },

  /**
   * Locks the applications (in id order, so two commands never wait on each other in a circle): two
   * batches made at once cannot both take the same application.
   */
  async lockApplications(db: Db, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .select({ id: applications.id })
      .from(applications)
      .where(inArray(applications.id, ids))
      .orderBy(asc(applications.id))
      .for("update");
  },

  /** The next batch number of a round for a publisher (and agency). */
  async nextNumber(db: Db, roundYear: number, publisher: string, agencyId: string | null): Promise<number> {
    const [row] = await db
      .select({ max: sql<number | null>`max(${resultBatches.number})` })
      .from(resultBatches)
      .where(
        and(
          eq(resultBatches.roundYear, roundYear),
          eq(resultBatches.publisher, publisher),
          agencyId ? eq(resultBatches.agencyId, agencyId) : isNull(resultBatches.agencyId),
        ),
      );
    return Number(row?.max ?? 0) + 1;
  },

  /** Serialises batch numbering per (round, publisher, agency) for the rest of the transaction. */
  async lockNumbering(db: Db, roundYear: number, publisher: string, agencyId: string | null): Promise<void> {
    const key = `result-batch:${roundYear}:${publisher}:${agencyId ?? "-"}`;
    await db.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
  },

  async insert(
    db: Db,
    batch: Omit<typeof resultBatches.$inferInsert, "id" | "createdAt"> & { createdAt: Date },
    entries: Array<Omit<typeof resultEntries.$inferInsert, "id" | "batchId">>,
  ): Promise<ResultBatchRecord> {
    const [row] = await db.insert(resultBatches).values(batch).returning();
    if (entries.length > 0) {
      // In chunks: a statement has at most 65535 parameters.
      for (let i = 0; i < entries.length; i += 1000) {
        await db
          .insert(resultEntries)
          .values(entries.slice(i, i + 1000).map((e) => ({ ...e, batchId: row!.id })));
      }
    }
    return row!;
  },

  async findById(db: Db, id: string): Promise<ResultBatchRecord | null> {
    const [row] = await db.select().from(resultBatches).where(eq(resultBatches.id, id));
    return row ?? null;
  },

  /** Locks the batch for the rest of the transaction. */
  async findByIdForUpdate(db: Db, id: string): Promise<ResultBatchRecord | null> {
    const [row] = await db.select().from(resultBatches).where(eq(resultBatches.id, id)).for("update");
    return row ?? null;
  },

  async update(
    db: Db,
    id: string,
    patch: Partial<Omit<ResultBatchRecord, "id" | "createdAt" | "createdBy">>,
  ): Promise<ResultBatchRecord> {
    const [row] = await db.update(resultBatches).set(patch).where(eq(resultBatches.id, id)).returning();
    return row!;
  },

  /**
   * Batches for staff, newest first. `agencyIds` null: every batch (the city bureau); otherwise the
   * intermediate/junior batches of those agencies.
   */
  async list(db: Db, scope: { agencyIds: string[] | null }): Promise<ResultBatchSummary[]> {
    if (scope.agencyIds !== null && scope.agencyIds.length === 0) return [];
    const rows = await db
      .select({
        batch: resultBatches,
        agencyName: organisations.name,
        entries: sql<number>`(select count(*)::int from ${resultEntries} e where e.batch_id = ${resultBatches.id})`,
        listed: sql<number>`(select count(*)::int from ${resultEntries} e where e.batch_id = ${resultBatches.id} and e.listed)`,
        pending: sql<number>`(select count(*)::int from ${resultEntries} e where e.batch_id = ${resultBatches.id} and e.outcome = 'pending')`,
        openComplaints: sql<number>`(select count(*)::int from ${complaints} c where c.batch_id = ${resultBatches.id} and c.state = 'open')`,
      })
      .from(resultBatches)
      .leftJoin(organisations, eq(organisations.id, resultBatches.agencyId))
      .where(
        scope.agencyIds === null
          ? undefined
          : and(
              inArray(resultBatches.agencyId, scope.agencyIds),
              eq(resultBatches.levelGroup, "intermediate-junior"),
            ),
      )
      .orderBy(desc(resultBatches.roundYear), desc(resultBatches.createdAt));
    return rows.map((r) => ({
      ...r.batch,
      agencyName: r.agencyName,
      entries: Number(r.entries),
      listed: Number(r.listed),
      pending: Number(r.pending),
      openComplaints: Number(r.openComplaints),
    }));
  },

  /** Published batches (in publicity or ended), newest publicity first, with their listed count. */
  async publicBatches(db: Db, limit = 200): Promise<PublicBatch[]> {
    const rows = await db
      .select({
        id: resultBatches.id,
        roundYear: resultBatches.roundYear,
        publisher: resultBatches.publisher,
        levelGroup: resultBatches.levelGroup,
        agencyName: organisations.name,
        number: resultBatches.number,
        title: resultBatches.title,
        state: resultBatches.state,
        publicityStart: resultBatches.publicityStart,
        publicityEnd: resultBatches.publicityEnd,
        listed: sql<number>`(select count(*)::int from ${resultEntries} e where e.batch_id = ${resultBatches.id} and e.listed)`,
      })
      .from(resultBatches)
      .leftJoin(organisations, eq(organisations.id, resultBatches.agencyId))
      .where(inArray(resultBatches.state, ["publicity", "ended"]))
      .orderBy(desc(resultBatches.publicityStart), desc(resultBatches.number))
      .limit(limit);
    return rows.map((r) => ({
      ...r,
      publicityStart: r.publicityStart ?? "",
      publicityEnd: r.publicityEnd ?? "",
      listed: Number(r.listed),
    }));
  },

  /** A published batch for the public pages (null for a draft or an unknown id). */
  async findPublic(db: Db, id: string): Promise<PublicBatch | null> {
    const [row] = await db
      .select({
        id: resultBatches.id,
        roundYear: resultBatches.roundYear,
        publisher: resultBatches.publisher,
        levelGroup: resultBatches.levelGroup,
        agencyName: organisations.name,
        number: resultBatches.number,
        title: resultBatches.title,
        state: resultBatches.state,
        publicityStart: resultBatches.publicityStart,
        publicityEnd: resultBatches.publicityEnd,
        listSha256: resultBatches.listSha256,
      })
      .from(resultBatches)
      .leftJoin(organisations, eq(organisations.id, resultBatches.agencyId))
      .where(and(eq(resultBatches.id, id), inArray(resultBatches.state, ["publicity", "ended"])));
    if (!row) return null;
    const { listSha256: _sha, ...rest } = row;
    return {
      ...rest,
      publicityStart: row.publicityStart ?? "",
      publicityEnd: row.publicityEnd ?? "",
      listed: 0,
    };
  },

  /**
   * One page of a batch's public list: listed entries only, optionally those whose name or unit
   * contains `q`, in list order, with the total count for the pager. Two queries, both on the
   * (batch, listed, position) index.
   */
  async publicEntries(
    db: Db,
    batchId: string,
    options: { q?: string; page: number; pageSize: number },
  ): Promise<{ rows: PublicEntry[]; total: number }> {
    const q = options.q?.trim();
    const where = and(
      eq(resultEntries.batchId, batchId),
      eq(resultEntries.listed, true),
      q
        ? or(
            sql`${resultEntries.name} ilike ${likePattern(q)} escape '\\'`,
            sql`${resultEntries.unitName} ilike ${likePattern(q)} escape '\\'`,
          )
        : undefined,
    ) as SQL;
    const [rows, [total]] = await Promise.all([
      db
        .select({
          id: resultEntries.id,
          position: resultEntries.position,
          name: resultEntries.name,
          unitName: resultEntries.unitName,
          series: resultEntries.series,
          level: resultEntries.level,
          specialty: resultEntries.specialty,
          qualification: resultEntries.qualification,
          outcome: resultEntries.outcome,
        })
        .from(resultEntries)
        .where(where)
        .orderBy(asc(resultEntries.position))
        .limit(options.pageSize)
        .offset((Math.max(1, options.page) - 1) * options.pageSize),
      db.select({ n: count() }).from(resultEntries).where(where),
    ]);
    return { rows, total: Number(total?.n ?? 0) };
  },

  /** Every listed entry of a batch in list order (the printable list). */
  async listedEntries(db: Db, batchId: string): Promise<PublicEntry[]> {
    return db
      .select({
        id: resultEntries.id,
        position: resultEntries.position,
        name: resultEntries.name,
        unitName: resultEntries.unitName,
        series: resultEntries.series,
        level: resultEntries.level,
        specialty: resultEntries.specialty,
        qualification: resultEntries.qualification,
        outcome: resultEntries.outcome,
      })
      .from(resultEntries)
      .where(and(eq(resultEntries.batchId, batchId), eq(resultEntries.listed, true)))
      .orderBy(asc(resultEntries.position));
  },

  /** Every entry of a batch for staff, with the application's state and its open complaints. */
  async entries(db: Db, batchId: string): Promise<StaffEntry[]> {
    const rows = await db
      .select({
        entry: resultEntries,
        applicationState: applications.state,
        applicantId: applications.applicantId,
        openComplaints: sql<number>`(select count(*)::int from ${complaints} c where c.entry_id = ${resultEntries.id} and c.state = 'open')`,
      })
      .from(resultEntries)
      .innerJoin(applications, eq(applications.id, resultEntries.applicationId))
      .where(eq(resultEntries.batchId, batchId))
      .orderBy(asc(resultEntries.position));
    return rows.map((r) => ({
      ...r.entry,
      applicationState: r.applicationState,
      applicantId: r.applicantId,
      openComplaints: Number(r.openComplaints),
    }));
  },

  async findEntry(db: Db, entryId: string): Promise<ResultEntryRecord | null> {
    const [row] = await db.select().from(resultEntries).where(eq(resultEntries.id, entryId));
    return row ?? null;
  },

  /** Locks the entry for the rest of the transaction. */
  async findEntryForUpdate(db: Db, entryId: string): Promise<ResultEntryRecord | null> {
    const [row] = await db.select().from(resultEntries).where(eq(resultEntries.id, entryId)).for("update");
    return row ?? null;
  },

  /** The entries of an application, newest batch first (an application re-evaluated has two). */
  async entriesOfApplication(
    db: Db,
    applicationId: string,
  ): Promise<Array<ResultEntryRecord & { batch: ResultBatchRecord }>> {
    const rows = await db
      .select({ entry: resultEntries, batch: resultBatches })
      .from(resultEntries)
      .innerJoin(resultBatches, eq(resultBatches.id, resultEntries.batchId))
      .where(eq(resultEntries.applicationId, applicationId))
      .orderBy(desc(resultBatches.createdAt));
    return rows.map((r) => ({ ...r.entry, batch: r.batch }));
  },

  async updateEntry(
    db: Db,
    entryId: string,
    patch: Partial<Pick<ResultEntryRecord, "outcome" | "finalisedAt" | "listed">>,
  ): Promise<ResultEntryRecord> {
    const [row] = await db.update(resultEntries).set(patch).where(eq(resultEntries.id, entryId)).returning();
    return row!;
  },

  /** Entries still pending in a batch. */
  async pendingCount(db: Db, batchId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(resultEntries)
      .where(and(eq(resultEntries.batchId, batchId), eq(resultEntries.outcome, "pending")));
    return Number(row?.n ?? 0);
  },

  /** Open and upheld complaints (and re-review requests) against one entry. */
  async complaintTally(db: Db, entryId: string): Promise<ComplaintTally> {
    const [row] = await db
      .select({
        open: sql<number>`count(*) filter (where ${complaints.state} = 'open')::int`,
        upheld: sql<number>`count(*) filter (where ${complaints.state} = 'upheld')::int`,
      })
      .from(complaints)
      .where(eq(complaints.entryId, entryId));
    return { open: Number(row?.open ?? 0), upheld: Number(row?.upheld ?? 0) };
  },

  /** Batches in publicity whose last day is before `today` (Asia/Shanghai): due for finalisation. */
  async publicityOver(db: Db, today: string): Promise<ResultBatchRecord[]> {
    return db
      .select()
      .from(resultBatches)
      .where(and(eq(resultBatches.state, "publicity"), lt(resultBatches.publicityEnd, today)))
      .orderBy(asc(resultBatches.publicityEnd));
  },

  /** Pending entries of a batch (what finalisation settles). */
  async pendingEntries(db: Db, batchId: string): Promise<ResultEntryRecord[]> {
    return db
      .select()
      .from(resultEntries)
      .where(and(eq(resultEntries.batchId, batchId), eq(resultEntries.outcome, "pending")))
      .orderBy(asc(resultEntries.position));
  },

  /** The agency organisations that serve `series`. */
  async agenciesServing(db: Db, series: string): Promise<Array<{ id: string; name: string }>> {
    return db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(
        and(
          eq(organisations.kind, "agency"),
          sql`${organisations.series} @> ${JSON.stringify([series])}::jsonb`,
        ),
      )
      .orderBy(asc(organisations.name));
  },
};
