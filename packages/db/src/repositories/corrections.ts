import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { correctionNotices, materials } from "../schema";

export type CorrectionNoticeRecord = typeof correctionNotices.$inferSelect;

export const correctionRepository = {
  async insert(
    db: Db,
    input: { applicationId: string; reviewerId: string; items: unknown[]; deadline: string; at: Date },
  ): Promise<CorrectionNoticeRecord> {
    const previous = await correctionRepository.findForApplication(db, input.applicationId);
    const [row] = await db
      .insert(correctionNotices)
      .values({
        applicationId: input.applicationId,
        seq: (previous[0]?.seq ?? 0) + 1,
        reviewerId: input.reviewerId,
        items: input.items,
        deadline: input.deadline,
        sentAt: input.at,
      })
      .returning();
    return row!;
  },

  /** Newest first. */
  async findForApplication(db: Db, applicationId: string): Promise<CorrectionNoticeRecord[]> {
    return db
      .select()
      .from(correctionNotices)
      .where(eq(correctionNotices.applicationId, applicationId))
      .orderBy(desc(correctionNotices.seq));
  },

  /** The notice the applicant is answering now (sent, not yet resubmitted). */
  async findOpen(db: Db, applicationId: string): Promise<CorrectionNoticeRecord | null> {
    const [row] = await db
      .select()
      .from(correctionNotices)
      .where(and(eq(correctionNotices.applicationId, applicationId), isNull(correctionNotices.resubmittedAt)))
      .orderBy(desc(correctionNotices.seq))
      .limit(1);
    return row ?? null;
  },

  async markResubmitted(db: Db, id: string, at: Date, introducedMaterialIds: string[]): Promise<void> {
    await db
      .update(correctionNotices)
      .set({ resubmittedAt: at, introducedMaterialIds })
      .where(eq(correctionNotices.id, id));
  },

  /** After a material change the same notice is answered again, once the employer has recommended anew. */
  async reopen(db: Db, id: string): Promise<void> {
    await db.update(correctionNotices).set({ resubmittedAt: null }).where(eq(correctionNotices.id, id));
  },

  async setJudgement(db: Db, id: string, judgement: string): Promise<void> {
    await db.update(correctionNotices).set({ judgement }).where(eq(correctionNotices.id, id));
  },

  /** Materials added to the application after an instant (what a correction introduced). */
  async materialsAddedSince(db: Db, applicationId: string, since: Date): Promise<string[]> {
    const rows = await db
      .select({ id: materials.id })
      .from(materials)
      .where(and(eq(materials.applicationId, applicationId), gt(materials.createdAt, since)));
    return rows.map((r) => r.id);
  },
};
