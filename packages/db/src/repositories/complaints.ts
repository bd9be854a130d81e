import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { decryptField, encryptField } from "../field-crypto";
import { complaintAttachments, complaints, files, resultBatches, resultEntries } from "../schema";

/** A complaint with its contact phone decrypted (it is stored encrypted, decision 0016). */
export type ComplaintRecord = typeof complaints.$inferSelect;
export type ComplaintAttachmentRecord = typeof complaintAttachments.$inferSelect;

/** A result entry with the batch facts a complaint needs (window, publisher, agency). */
export interface ComplaintTarget {
  entryId: string;
  batchId: string;
  applicationId: string;
  position: number;
  result: string;
  listed: boolean;
  outcome: string;
  name: string;
  unitName: string;
  series: string;
  level: string;
  qualification: string;
  batchTitle: string;
  batchState: string;
  publisher: string;
  agencyId: string | null;
  publicityStart: string | null;
  publicityEnd: string | null;
}

/** One line of a batch's complaint list for staff; the contact phone stays out of it. */
export interface ComplaintSummary {
  id: string;
  reference: string;
  kind: string;
  state: string;
  entryId: string;
  applicantName: string;
  complainantName: string;
  filedAt: Date;
  decidedAt: Date | null;
}

function decrypted(row: ComplaintRecord): ComplaintRecord {
  return { ...row, contactPhone: decryptField("complaints.contact_phone", row.id, row.contactPhone) };
}

const targetColumns = {
  entryId: resultEntries.id,
  batchId: resultEntries.batchId,
  applicationId: resultEntries.applicationId,
  position: resultEntries.position,
  result: resultEntries.result,
  listed: resultEntries.listed,
  outcome: resultEntries.outcome,
  name: resultEntries.name,
  unitName: resultEntries.unitName,
  series: resultEntries.series,
  level: resultEntries.level,
  qualification: resultEntries.qualification,
  batchTitle: resultBatches.title,
  batchState: resultBatches.state,
  publisher: resultBatches.publisher,
  agencyId: resultBatches.agencyId,
  publicityStart: resultBatches.publicityStart,
  publicityEnd: resultBatches.publicityEnd,
};

export const complaintRepository = {
  async insert(
    db: Db,
    input: Omit<ComplaintRecord, "id" | "state" | "outcomeReason" | "decidedBy" | "decidedAt">,
  ): Promise<ComplaintRecord> {
    // The id is chosen here: it is part of the phone's associated data.
    const id = randomUUID();
    const contactPhone = encryptField("complaints.contact_phone", id, input.contactPhone);
    const [row] = await db
      .insert(complaints)
      .values({ ...input, id, contactPhone })
      .returning();
    return decrypted(row!);
  },

  async insertAttachments(db: Db, rows: ComplaintAttachmentRecord[]): Promise<void> {
    if (rows.length) await db.insert(complaintAttachments).values(rows);
  },

  async findById(db: Db, id: string): Promise<ComplaintRecord | null> {
    const [row] = await db.select().from(complaints).where(eq(complaints.id, id));
    return row ? decrypted(row) : null;
  },

  /** Locks the row: two staff deciding at once must not both win. */
  async findByIdForUpdate(db: Db, id: string): Promise<ComplaintRecord | null> {
    const [row] = await db.select().from(complaints).where(eq(complaints.id, id)).for("update");
    return row ? decrypted(row) : null;
  },

  /** The follow-up look-up: both the reference and the phone's keyed hash must match. */
  async findByReferenceAndPhoneHash(
    db: Db,
    reference: string,
    phoneHash: string,
  ): Promise<ComplaintRecord | null> {
    const [row] = await db
      .select()
      .from(complaints)
      .where(and(eq(complaints.reference, reference), eq(complaints.contactPhoneHash, phoneHash)));
    return row ? decrypted(row) : null;
  },

  async referenceExists(db: Db, reference: string): Promise<boolean> {
    const [row] = await db
      .select({ id: complaints.id })
      .from(complaints)
      .where(eq(complaints.reference, reference));
    return Boolean(row);
  },

  async listForBatch(db: Db, batchId: string): Promise<ComplaintSummary[]> {
    return db
      .select({
        id: complaints.id,
        reference: complaints.reference,
        kind: complaints.kind,
        state: complaints.state,
        entryId: complaints.entryId,
        applicantName: resultEntries.name,
        complainantName: complaints.complainantName,
        filedAt: complaints.filedAt,
        decidedAt: complaints.decidedAt,
      })
      .from(complaints)
      .innerJoin(resultEntries, eq(resultEntries.id, complaints.entryId))
      .where(eq(complaints.batchId, batchId))
      .orderBy(sql`${complaints.state} <> 'open'`, asc(complaints.filedAt));
  },

  async listForApplication(db: Db, applicationId: string): Promise<ComplaintRecord[]> {
    const rows = await db
      .select()
      .from(complaints)
      .where(eq(complaints.applicationId, applicationId))
      .orderBy(desc(complaints.filedAt));
    return rows.map(decrypted);
  },

  async countOpenForEntry(db: Db, entryId: string, kind?: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(complaints)
      .where(
        and(
          eq(complaints.entryId, entryId),
          eq(complaints.state, "open"),
          kind ? eq(complaints.kind, kind) : undefined,
        ),
      );
    return row?.n ?? 0;
  },

  /** Sets the outcome only if still open; false means someone decided it first. */
  async decide(
    db: Db,
    id: string,
    input: { state: "dismissed" | "upheld"; reason: string; decidedBy: string; decidedAt: Date },
  ): Promise<boolean> {
    const rows = await db
      .update(complaints)
      .set({
        state: input.state,
        outcomeReason: input.reason,
        decidedBy: input.decidedBy,
        decidedAt: input.decidedAt,
      })
      .where(and(eq(complaints.id, id), eq(complaints.state, "open")))
      .returning({ id: complaints.id });
    return rows.length === 1;
  },

  async attachments(
    db: Db,
    complaintId: string,
  ): Promise<Array<ComplaintAttachmentRecord & { mime: string; size: number }>> {
    return db
      .select({
        complaintId: complaintAttachments.complaintId,
        position: complaintAttachments.position,
        fileSha256: complaintAttachments.fileSha256,
        originalName: complaintAttachments.originalName,
        mime: files.mime,
        size: files.size,
      })
      .from(complaintAttachments)
      .innerJoin(files, eq(files.sha256, complaintAttachments.fileSha256))
      .where(eq(complaintAttachments.complaintId, complaintId))
      .orderBy(asc(complaintAttachments.position));
  },

  async findBatch(
    db: Db,
    batchId: string,
  ): Promise<{ id: string; publisher: string; agencyId: string | null; state: string } | null> {
    const [row] = await db
      .select({
        id: resultBatches.id,
        publisher: resultBatches.publisher,
        agencyId: resultBatches.agencyId,
        state: resultBatches.state,
      })
      .from(resultBatches)
      .where(eq(resultBatches.id, batchId));
    return row ?? null;
  },

  async findTarget(db: Db, entryId: string): Promise<ComplaintTarget | null> {
    const [row] = await db
      .select(targetColumns)
      .from(resultEntries)
      .innerJoin(resultBatches, eq(resultBatches.id, resultEntries.batchId))
      .where(eq(resultEntries.id, entryId));
    return row ?? null;
  },

  /** The application's entry in its most recent published batch (a re-evaluated one may be in two). */
  async findLatestTargetForApplication(db: Db, applicationId: string): Promise<ComplaintTarget | null> {
    const [row] = await db
      .select(targetColumns)
      .from(resultEntries)
      .innerJoin(resultBatches, eq(resultBatches.id, resultEntries.batchId))
      .where(and(eq(resultEntries.applicationId, applicationId), sql`${resultBatches.state} <> 'draft'`))
      .orderBy(desc(resultBatches.publishedAt))
      .limit(1);
    return row ?? null;
  },

  /** Locks the entry for the decision, so finalisation cannot settle it at the same moment. */
  async lockEntry(db: Db, entryId: string): Promise<void> {
    await db
      .select({ id: resultEntries.id })
      .from(resultEntries)
      .where(eq(resultEntries.id, entryId))
      .for("update");
  },

  async setEntryOutcome(db: Db, entryId: string, outcome: string): Promise<void> {
    await db.update(resultEntries).set({ outcome }).where(eq(resultEntries.id, entryId));
  },
};
