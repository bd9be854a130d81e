import { eq, lt, or } from "drizzle-orm";
import type { Db } from "../client";
import { sessions } from "../schema";

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export const sessionRepository = {
  async insert(db: Db, input: { userId: string; tokenHash: string; userAgent: string | null; at: Date }) {
    const [row] = await db
      .insert(sessions)
      .values({
        userId: input.userId,
        tokenHash: input.tokenHash,
        userAgent: input.userAgent,
        createdAt: input.at,
        lastSeenAt: input.at,
      })
      .returning({ id: sessions.id });
    return row!.id;
  },

  async findByTokenHash(db: Db, tokenHash: string): Promise<SessionRecord | null> {
    const [row] = await db
      .select({
        id: sessions.id,
        userId: sessions.userId,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash));
    return row ?? null;
  },

  async touch(db: Db, id: string, at: Date): Promise<void> {
    await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
  },

  async deleteById(db: Db, id: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.id, id));
  },

  async deleteAllForUser(db: Db, userId: string): Promise<number> {
    const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    return rows.length;
  },

  async countForUser(db: Db, userId: string): Promise<number> {
    return (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
  },

  async deleteExpired(db: Db, idleBefore: Date, createdBefore: Date): Promise<void> {
    await db
      .delete(sessions)
      .where(or(lt(sessions.lastSeenAt, idleBefore), lt(sessions.createdAt, createdBefore)));
  },
};
