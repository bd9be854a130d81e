import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { smsChallenges } from "../schema";

export interface SmsChallengeRecord {
  id: string;
  codeHash: string;
  issuedAt: Date;
  attempts: number;
  consumedAt: Date | null;
}

export const smsChallengeRepository = {
  async insert(db: Db, input: { phoneHash: string; purpose: string; codeHash: string; issuedAt: Date }) {
    await db.insert(smsChallenges).values(input);
  },

  async findLatest(db: Db, phoneHash: string, purpose: string): Promise<SmsChallengeRecord | null> {
    const [row] = await db
      .select()
      .from(smsChallenges)
      .where(and(eq(smsChallenges.phoneHash, phoneHash), eq(smsChallenges.purpose, purpose)))
      .orderBy(desc(smsChallenges.issuedAt))
      .limit(1);
    return row ?? null;
  },

  async countIssuedSince(db: Db, phoneHash: string, since: Date): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(smsChallenges)
      .where(and(eq(smsChallenges.phoneHash, phoneHash), sql`${smsChallenges.issuedAt} >= ${since}`));
    return row?.n ?? 0;
  },

  async recordAttempt(db: Db, id: string): Promise<void> {
    await db
      .update(smsChallenges)
      .set({ attempts: sql`${smsChallenges.attempts} + 1` })
      .where(eq(smsChallenges.id, id));
  },

  async consume(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(smsChallenges)
      .set({ consumedAt: at })
      .where(and(eq(smsChallenges.id, id), sql`${smsChallenges.consumedAt} is null`))
      .returning({ id: smsChallenges.id });
    return rows.length === 1;
  },
};
