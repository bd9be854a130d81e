import { and, eq, gte, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { loginFailures } from "../schema";

export const loginFailureRepository = {
  async record(db: Db, keyHashes: string[], at: Date): Promise<void> {
    await db.insert(loginFailures).values(keyHashes.map((keyHash) => ({ keyHash, at })));
  },

  async findSince(db: Db, keyHash: string, since: Date): Promise<Date[]> {
    const rows = await db
      .select({ at: loginFailures.at })
      .from(loginFailures)
      .where(and(eq(loginFailures.keyHash, keyHash), gte(loginFailures.at, since)));
    return rows.map((r) => r.at);
  },

  async clear(db: Db, keyHashes: string[]): Promise<void> {
    if (keyHashes.length) await db.delete(loginFailures).where(inArray(loginFailures.keyHash, keyHashes));
  },
};
