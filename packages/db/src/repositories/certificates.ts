import { and, asc, desc, eq, ilike, inArray, isNotNull, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { decryptField } from "../field-crypto";
import {
  applications,
  certificateIssuances,
  certificateSerials,
  certificates,
  complaints,
  resultBatches,
  resultEntries,
  signingKeys,
  users,
} from "../schema";

export type CertificateRecord = typeof certificates.$inferSelect;
export type CertificateIssuanceRecord = typeof certificateIssuances.$inferSelect;

/** The row of `certificate_serials` that counts status-list positions across years. */
const STATUS_YEAR = 0;

/**
 * A final result that may get its certificate: the batch's snapshot of the result, the batch facts the
 * approval reference is built from, and the holder's ID number — read only so the service can mask it.
 */
export interface IssuableEntry {
  entryId: string;
  batchId: string;
  applicationId: string;
  holderId: string;
  holderName: string;
  /** Full ID number: mask it at once, never log or return it. */
  holderIdNumber: string;
  unitName: string;
  series: string;
  level: string;
  specialty: string;
  qualification: string;
  committeeName: string;
  approvedOn: string;
  roundYear: number;
  publisher: string;
  batchNumber: number;
}

/** A certificate with the public key its signature was made with (kept after key rotation). */
export interface CertificateWithKey extends CertificateRecord {
  publicKeyMultibase: string | null;
}

export interface CertificateSummary {
  id: string;
  number: string;
  holderId: string;
  holderName: string;
  qualification: string;
  level: string;
  issueDate: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  applicationId: string;
}

export interface IssuanceBatchFacts {
  id: string;
  state: string;
  publisher: string;
  agencyId: string | null;
  levelGroup: string;
  roundYear: number;
  number: number;
  title: string;
}

const summaryColumns = {
  id: certificates.id,
  number: certificates.number,
  holderId: certificates.holderId,
  holderName: sql<string>`${certificates.data}->>'holderName'`,
  qualification: sql<string>`${certificates.data}->>'qualification'`,
  level: sql<string>`${certificates.data}->>'level'`,
  issueDate: certificates.issueDate,
  issuedAt: certificates.issuedAt,
  revokedAt: certificates.revokedAt,
  revokedReason: certificates.revokedReason,
  applicationId: certificates.applicationId,
};

/**
 * Issuable: outcome `final`, application `final`, no certificate yet, no open complaint. The same
 * condition counts the issuance's total and picks each chunk, so a restart simply continues.
 */
const issuable = (batchId: string) =>
  and(
    eq(resultEntries.batchId, batchId),
    eq(resultEntries.outcome, "final"),
    eq(applications.state, "final"),
    sql`not exists (select 1 from ${certificates} where ${certificates.applicationId} = ${resultEntries.applicationId})`,
    sql`not exists (select 1 from ${complaints} where ${complaints.entryId} = ${resultEntries.id} and ${complaints.state} = 'open')`,
  );

export const certificateRepository = {
  async batchFacts(db: Db, batchId: string): Promise<IssuanceBatchFacts | null> {
    const [row] = await db
      .select({
        id: resultBatches.id,
        state: resultBatches.state,
        publisher: resultBatches.publisher,
        agencyId: resultBatches.agencyId,
        levelGroup: resultBatches.levelGroup,
        roundYear: resultBatches.roundYear,
        number: resultBatches.number,
        title: resultBatches.title,
      })
      .from(resultBatches)
      .where(eq(resultBatches.id, batchId));
    return row ?? null;
  },

  async countIssuable(db: Db, batchId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(resultEntries)
      .innerJoin(applications, eq(applications.id, resultEntries.applicationId))
      .where(issuable(batchId));
    return Number(row?.n ?? 0);
  },

  /** The next issuable entries of a batch, in list order, leaving out the ones this pass gave up on. */
  async issuableEntries(
    db: Db,
    batchId: string,
    limit: number,
    skip: string[] = [],
    onlyEntryId?: string,
  ): Promise<IssuableEntry[]> {
    const rows = await db
      .select({
        holderRowId: users.id,
        entryId: resultEntries.id,
        batchId: resultEntries.batchId,
        applicationId: resultEntries.applicationId,
        holderId: applications.applicantId,
        holderName: resultEntries.name,
        holderIdNumber: users.idNumber,
        unitName: resultEntries.unitName,
        series: resultEntries.series,
        level: resultEntries.level,
        specialty: resultEntries.specialty,
        qualification: resultEntries.qualification,
        committeeName: resultEntries.committeeName,
        approvedOn: resultEntries.approvedOn,
        roundYear: resultBatches.roundYear,
        publisher: resultBatches.publisher,
        batchNumber: resultBatches.number,
      })
      .from(resultEntries)
      .innerJoin(applications, eq(applications.id, resultEntries.applicationId))
      .innerJoin(resultBatches, eq(resultBatches.id, resultEntries.batchId))
      .innerJoin(users, eq(users.id, applications.applicantId))
      .where(
        and(
          issuable(batchId),
          skip.length ? notInArray(resultEntries.id, skip) : undefined,
          onlyEntryId ? eq(resultEntries.id, onlyEntryId) : undefined,
        ),
      )
      .orderBy(asc(resultEntries.position))
      .limit(limit);
    // Decrypted for the masked form the certificate prints and signs; never stored in the clear.
    return rows.map(({ holderRowId, ...entry }) => ({
      ...entry,
      holderIdNumber: decryptField("users.id_number", holderRowId, entry.holderIdNumber),
    }));
  },

  async findEntryForIssue(db: Db, entryId: string): Promise<{ batchId: string; holderName: string } | null> {
    const [row] = await db
      .select({ batchId: resultEntries.batchId, holderName: resultEntries.name })
      .from(resultEntries)
      .where(eq(resultEntries.id, entryId));
    return row ?? null;
  },

  async certificatesOfEntries(db: Db, entryIds: string[]): Promise<CertificateRecord[]> {
    if (entryIds.length === 0) return [];
    return db.select().from(certificates).where(inArray(certificates.entryId, entryIds));
  },

  /** Whether the entry has an open complaint or re-review (then it is not certified). */
  async hasOpenComplaint(db: Db, entryId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: complaints.id })
      .from(complaints)
      .where(and(eq(complaints.entryId, entryId), eq(complaints.state, "open")))
      .limit(1);
    return Boolean(row);
  },

  async entryOutcome(db: Db, entryId: string): Promise<string | null> {
    const [row] = await db
      .select({ outcome: resultEntries.outcome })
      .from(resultEntries)
      .where(eq(resultEntries.id, entryId));
    return row?.outcome ?? null;
  },

  /** The certified applications among `applicationIds`. */
  async issuedApplicationIds(db: Db, applicationIds: string[]): Promise<Set<string>> {
    if (applicationIds.length === 0) return new Set();
    const rows = await db
      .select({ id: certificates.applicationId })
      .from(certificates)
      .where(inArray(certificates.applicationId, applicationIds));
    return new Set(rows.map((r) => r.id));
  },

  /** The last serial of `year` and the last status index, unlocked: a guess a transaction checks later. */
  async peekSerials(db: Db, year: number): Promise<{ serial: number; statusIndex: number }> {
    const rows = await db
      .select()
      .from(certificateSerials)
      .where(inArray(certificateSerials.year, [STATUS_YEAR, year]));
    const of = (y: number) => rows.find((r) => r.year === y)?.lastSerial ?? 0;
    return { serial: of(year), statusIndex: of(STATUS_YEAR) };
  },

  /**
   * Locks the serial rows (creating them first) for the rest of the transaction, always in the same
   * order (status row first) so two issuers queue instead of deadlocking.
   */
  async lockSerials(tx: Db, year: number): Promise<{ serial: number; statusIndex: number }> {
    await tx
      .insert(certificateSerials)
      .values([
        { year: STATUS_YEAR, lastSerial: 0 },
        { year, lastSerial: 0 },
      ])
      .onConflictDoNothing();
    const [status] = await tx
      .select()
      .from(certificateSerials)
      .where(eq(certificateSerials.year, STATUS_YEAR))
      .for("update");
    const [serial] = await tx
      .select()
      .from(certificateSerials)
      .where(eq(certificateSerials.year, year))
      .for("update");
    return { serial: serial!.lastSerial, statusIndex: status!.lastSerial };
  },

  async setSerials(tx: Db, year: number, values: { serial: number; statusIndex: number }): Promise<void> {
    await tx
      .update(certificateSerials)
      .set({ lastSerial: values.statusIndex })
      .where(eq(certificateSerials.year, STATUS_YEAR));
    await tx
      .update(certificateSerials)
      .set({ lastSerial: values.serial })
      .where(eq(certificateSerials.year, year));
  },

  async insert(tx: Db, row: typeof certificates.$inferInsert): Promise<CertificateRecord> {
    const [inserted] = await tx.insert(certificates).values(row).returning();
    return inserted!;
  },

  async findByNumber(db: Db, number: string): Promise<CertificateWithKey | null> {
    const [row] = await db
      .select({ certificate: certificates, publicKeyMultibase: signingKeys.publicKeyMultibase })
      .from(certificates)
      .leftJoin(signingKeys, eq(signingKeys.id, certificates.keyId))
      .where(eq(certificates.number, number));
    return row ? { ...row.certificate, publicKeyMultibase: row.publicKeyMultibase } : null;
  },

  async findByIdForUpdate(tx: Db, id: string): Promise<CertificateRecord | null> {
    const [row] = await tx.select().from(certificates).where(eq(certificates.id, id)).for("update");
    return row ?? null;
  },

  async findByHolder(db: Db, holderId: string): Promise<CertificateSummary[]> {
    return db
      .select(summaryColumns)
      .from(certificates)
      .where(eq(certificates.holderId, holderId))
      .orderBy(desc(certificates.issuedAt), asc(certificates.number));
  },

  /** Staff search: an exact number, or a part of the holder's name. */
  async search(db: Db, text: string, limit = 50): Promise<CertificateSummary[]> {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return db
      .select(summaryColumns)
      .from(certificates)
      .where(or(eq(certificates.number, text), ilike(sql`${certificates.data}->>'holderName'`, like)))
      .orderBy(desc(certificates.issuedAt), asc(certificates.number))
      .limit(limit);
  },

  async revoke(tx: Db, id: string, input: { at: Date; reason: string; by: string }): Promise<void> {
    await tx
      .update(certificates)
      .set({ revokedAt: input.at, revokedReason: input.reason, revokedBy: input.by })
      .where(eq(certificates.id, id));
  },

  async revokedIndexes(db: Db): Promise<number[]> {
    const rows = await db
      .select({ i: certificates.statusIndex })
      .from(certificates)
      .where(isNotNull(certificates.revokedAt))
      .orderBy(asc(certificates.statusIndex));
    return rows.map((r) => r.i);
  },

  async countForBatch(db: Db, batchId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(certificates)
      .innerJoin(resultEntries, eq(resultEntries.id, certificates.entryId))
      .where(eq(resultEntries.batchId, batchId));
    return Number(row?.n ?? 0);
  },

  // Issuances (bulk runs with progress).

  async insertIssuance(
    db: Db,
    input: { batchId: string; total: number; startedBy: string; startedAt: Date },
  ): Promise<CertificateIssuanceRecord> {
    const [row] = await db
      .insert(certificateIssuances)
      .values({ ...input, state: "queued", issued: 0 })
      .returning();
    return row!;
  },

  async findIssuance(db: Db, id: string): Promise<CertificateIssuanceRecord | null> {
    const [row] = await db.select().from(certificateIssuances).where(eq(certificateIssuances.id, id));
    return row ?? null;
  },

  async latestIssuance(db: Db, batchId: string): Promise<CertificateIssuanceRecord | null> {
    const [row] = await db
      .select()
      .from(certificateIssuances)
      .where(eq(certificateIssuances.batchId, batchId))
      .orderBy(desc(certificateIssuances.startedAt))
      .limit(1);
    return row ?? null;
  },

  /** Serialises starts per batch: the batch row is the lock. */
  async lockBatch(tx: Db, batchId: string): Promise<void> {
    await tx
      .select({ id: resultBatches.id })
      .from(resultBatches)
      .where(eq(resultBatches.id, batchId))
      .for("update");
  },

  async activeIssuance(db: Db, batchId: string): Promise<CertificateIssuanceRecord | null> {
    const [row] = await db
      .select()
      .from(certificateIssuances)
      .where(
        and(
          eq(certificateIssuances.batchId, batchId),
          inArray(certificateIssuances.state, ["queued", "running"]),
        ),
      )
      .limit(1);
    return row ?? null;
  },

  /** Issuances a pass should work on: queued ones and running ones a crash left behind. */
  async unfinishedIssuances(db: Db): Promise<CertificateIssuanceRecord[]> {
    return db
      .select()
      .from(certificateIssuances)
      .where(inArray(certificateIssuances.state, ["queued", "running"]))
      .orderBy(asc(certificateIssuances.startedAt));
  },

  async updateIssuance(
    db: Db,
    id: string,
    patch: Partial<Pick<CertificateIssuanceRecord, "state" | "error" | "finishedAt">>,
  ): Promise<void> {
    await db.update(certificateIssuances).set(patch).where(eq(certificateIssuances.id, id));
  },

  async addIssued(tx: Db, id: string, count: number): Promise<void> {
    await tx
      .update(certificateIssuances)
      .set({ issued: sql`${certificateIssuances.issued} + ${count}` })
      .where(eq(certificateIssuances.id, id));
  },
};
