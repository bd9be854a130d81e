import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { signingKeys } from "../schema";

/** A certificate issuer's public key. Kept after rotation (retired) so older certificates still verify. */
export interface SigningKeyRecord {
  /** The verification method id, `did:key:z6Mk…#z6Mk…`. */
  id: string;
  publicKeyMultibase: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export const signingKeyRepository = {
  /** Idempotent: every process start registers the key it signs with; an existing row is left as it is. */
  async upsert(db: Db, input: { id: string; publicKeyMultibase: string }): Promise<void> {
    await db.insert(signingKeys).values(input).onConflictDoNothing({ target: signingKeys.id });
  },

  async findById(db: Db, id: string): Promise<SigningKeyRecord | null> {
    const [row] = await db.select().from(signingKeys).where(eq(signingKeys.id, id));
    return row ?? null;
  },

  async findAll(db: Db): Promise<SigningKeyRecord[]> {
    return db.select().from(signingKeys).orderBy(asc(signingKeys.createdAt));
  },

  /**
   * Serialises key rotations until the transaction ends: two at once would each retire the other's new key.
   * Call first inside the rotation's transaction.
   */
  async lockForRotation(tx: Db): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(727102)`);
  },

  /** Marks a key as no longer used for new certificates; its certificates keep verifying. */
  async retire(db: Db, id: string, at: Date): Promise<void> {
    await db
      .update(signingKeys)
      .set({ retiredAt: at })
      .where(and(eq(signingKeys.id, id), isNull(signingKeys.retiredAt)));
  },
};
