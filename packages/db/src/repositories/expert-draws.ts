import { desc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { expertDraws } from "../schema";

export type ExpertDrawRecord = typeof expertDraws.$inferSelect;

export const expertDrawRepository = {
  async insert(db: Db, input: Omit<ExpertDrawRecord, "id">): Promise<ExpertDrawRecord> {
    const [row] = await db.insert(expertDraws).values(input).returning();
    return row!;
  },

  async findById(db: Db, id: string): Promise<ExpertDrawRecord | null> {
    const [row] = await db.select().from(expertDraws).where(eq(expertDraws.id, id));
    return row ?? null;
  },

  /** The draws of a meeting, latest first. */
  async findForMeeting(db: Db, meetingId: string): Promise<ExpertDrawRecord[]> {
    return db
      .select()
      .from(expertDraws)
      .where(eq(expertDraws.meetingId, meetingId))
      .orderBy(desc(expertDraws.drawnAt));
  },
};
