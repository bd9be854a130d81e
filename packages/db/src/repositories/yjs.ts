import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { yjsSnapshots, yjsUpdates } from "../schema";

export interface YjsUpdateRow {
  doc: string;
  update: Uint8Array;
  userId: string | null;
}

export interface StoredDoc {
  /** The compacted state, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** The updates not yet merged into the snapshot, in id order. */
  updates: Array<{ id: number; update: Uint8Array }>;
}

/** Merges a snapshot (or nothing) and updates into one state; given by the caller so db needs no Yjs. */
export type MergeFn = (snapshot: Uint8Array | null, updates: Uint8Array[]) => Uint8Array;

function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  // A raw `union all` row comes back as the driver's bytea (Buffer for pg, Uint8Array for PGlite).
  if (typeof value === "string" && value.startsWith("\\x")) return Buffer.from(value.slice(2), "hex");
  throw new Error("yjs: unexpected bytea value");
}

/**
 * The panel documents' persistence: an append-only log of Yjs updates per document, compacted into
 * a snapshot. Nothing here knows Yjs; the merge is passed in.
 */
export const yjsRepository = {
  /**
   * Appends updates of any documents as ONE multi-row insert: a single statement, so one transaction
   * (or part of the caller's), committed when this resolves. Returns the new ids in input order.
   */
  async appendUpdates(db: Db, rows: YjsUpdateRow[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const inserted = await db
      .insert(yjsUpdates)
      .values(rows.map((r) => ({ doc: r.doc, update: r.update, userId: r.userId })))
      .returning({ id: yjsUpdates.id });
    return inserted.map((r) => r.id);
  },

  /**
   * The snapshot and every update not merged into it, read in ONE statement so a compaction that
   * commits in between cannot make us see the new snapshot without the rows it left, or the old
   * snapshot without the rows it deleted. All remaining rows are returned (not only ids above the
   * snapshot's): ids are taken at insert, so a row may commit after a higher id was compacted.
   */
  async loadDoc(db: Db, doc: string): Promise<StoredDoc> {
    const result = (await db.execute(sql`
      select 0 as kind, s.state as bytes, s.upto_id as id from yjs_snapshots s where s.doc = ${doc}
      union all
      select 1 as kind, u.update as bytes, u.id as id from yjs_updates u where u.doc = ${doc}
      order by kind, id`)) as unknown as { rows: Array<{ kind: number; bytes: unknown; id: unknown }> };
    let snapshot: Uint8Array | null = null;
    const updates: StoredDoc["updates"] = [];
    for (const row of result.rows) {
      if (Number(row.kind) === 0) snapshot = bytes(row.bytes);
      else updates.push({ id: Number(row.id), update: bytes(row.bytes) });
    }
    return { snapshot, updates };
  },

  /** How many updates wait to be compacted, per document (those with at least `min`). */
  async pendingCounts(db: Db, min = 1, limit = 200): Promise<Array<{ doc: string; count: number }>> {
    const rows = await db
      .select({ doc: yjsUpdates.doc, count: sql<number>`count(*)::int` })
      .from(yjsUpdates)
      .groupBy(yjsUpdates.doc)
      .having(sql`count(*) >= ${min}`)
      .orderBy(sql`count(*) desc`)
      .limit(limit);
    return rows.map((r) => ({ doc: r.doc, count: Number(r.count) }));
  },

  /**
   * Merges a document's committed updates into its snapshot and deletes exactly the merged rows, in
   * one transaction under the document's advisory lock, so several panel processes can run it at
   * once. Rows committed meanwhile are left for the next run. Returns how many rows were merged.
   */
  async compact(db: Db, doc: string, merge: MergeFn, now: Date): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${doc}))`);
      const [current] = await tx.select().from(yjsSnapshots).where(eq(yjsSnapshots.doc, doc));
      const rows = await tx
        .select({ id: yjsUpdates.id, update: yjsUpdates.update })
        .from(yjsUpdates)
        .where(eq(yjsUpdates.doc, doc))
        .orderBy(asc(yjsUpdates.id));
      if (rows.length === 0) return 0;
      const state = merge(
        current?.state ?? null,
        rows.map((r) => r.update),
      );
      const uptoId = rows.reduce((max, r) => Math.max(max, r.id), current?.uptoId ?? 0);
      await tx
        .insert(yjsSnapshots)
        .values({ doc, state, uptoId, updatedAt: now })
        .onConflictDoUpdate({ target: yjsSnapshots.doc, set: { state, uptoId, updatedAt: now } });
      const ids = rows.map((r) => r.id);
      for (let i = 0; i < ids.length; i += 1000) {
        await tx
          .delete(yjsUpdates)
          .where(and(eq(yjsUpdates.doc, doc), inArray(yjsUpdates.id, ids.slice(i, i + 1000))));
      }
      return rows.length;
    });
  },
};
