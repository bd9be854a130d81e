import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { files, materials } from "../schema";

export type MaterialRecord = typeof materials.$inferSelect;
export type FileRecord = typeof files.$inferSelect;

export interface MaterialWithFile extends MaterialRecord {
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  pages: number | null;
}

/** Materials with what their file (as received) says of itself. */
function withFile(db: Db) {
  return db
    .select({
      material: materials,
      mime: files.mime,
      size: files.size,
      width: files.width,
      height: files.height,
      pages: files.pages,
    })
    .from(materials)
    .innerJoin(files, eq(files.sha256, materials.fileSha256));
}

function flatten(r: {
  material: MaterialRecord;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  pages: number | null;
}): MaterialWithFile {
  return { ...r.material, mime: r.mime, size: r.size, width: r.width, height: r.height, pages: r.pages };
}

export const fileRepository = {
  /** Records a stored file once; a second upload of the same bytes changes nothing. */
  async upsert(db: Db, file: Omit<FileRecord, "createdAt">): Promise<void> {
    await db.insert(files).values(file).onConflictDoNothing();
  },

  async findBySha256(db: Db, sha256: string): Promise<FileRecord | null> {
    const [row] = await db.select().from(files).where(eq(files.sha256, sha256));
    return row ?? null;
  },
};

export const materialRepository = {
  async insert(
    db: Db,
    input: Omit<MaterialRecord, "id" | "createdAt" | "position" | "displaySha256" | "processing"> &
      Partial<Pick<MaterialRecord, "displaySha256" | "processing">> & { at: Date },
  ): Promise<MaterialRecord> {
    const { at, ...given } = input;
    // A file stored as it is shown (a PDF, or bytes already processed) is its own display.
    const values = {
      ...given,
      processing: given.processing ?? "ready",
      displaySha256:
        given.displaySha256 ?? ((given.processing ?? "ready") === "ready" ? given.fileSha256 : null),
    };
    // Last in its list; the caller holds the application's lock, so positions do not collide.
    const position = sql<number>`(select coalesce(max(m.position), 0)::int + 1 from materials m
      where m.application_id = ${values.applicationId} and m.kind = ${values.kind})`;
    const [row] = await db
      .insert(materials)
      .values({ ...values, position, createdAt: at })
      .returning();
    return row!;
  },

  async findById(db: Db, id: string): Promise<MaterialRecord | null> {
    const [row] = await db.select().from(materials).where(eq(materials.id, id));
    return row ?? null;
  },

  async findForApplication(db: Db, applicationId: string, kind?: string): Promise<MaterialWithFile[]> {
    const rows = await withFile(db)
      .where(and(eq(materials.applicationId, applicationId), kind ? eq(materials.kind, kind) : undefined))
      .orderBy(asc(materials.kind), asc(materials.position));
    return rows.map(flatten);
  },

  /** The material of this list that already holds these bytes, if any. */
  async findDuplicate(
    db: Db,
    applicationId: string,
    kind: string,
    fileSha256: string,
  ): Promise<MaterialWithFile | null> {
    const [row] = await withFile(db).where(
      and(
        eq(materials.applicationId, applicationId),
        eq(materials.kind, kind),
        eq(materials.fileSha256, fileSha256),
      ),
    );
    return row ? flatten(row) : null;
  },

  async findWithFile(db: Db, id: string): Promise<MaterialWithFile | null> {
    const [row] = await withFile(db).where(eq(materials.id, id));
    return row ? flatten(row) : null;
  },

  /** Locks one material until the transaction ends. */
  async findByIdForUpdate(db: Db, id: string): Promise<MaterialRecord | null> {
    const [row] = await db.select().from(materials).where(eq(materials.id, id)).for("update");
    return row ?? null;
  },

  /** Photos received but not yet re-encoded, oldest first. */
  async findPending(db: Db, limit: number): Promise<Array<{ id: string }>> {
    return db
      .select({ id: materials.id })
      .from(materials)
      .where(eq(materials.processing, "pending"))
      .orderBy(asc(materials.createdAt))
      .limit(limit);
  },

  async countPending(db: Db): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(materials)
      .where(eq(materials.processing, "pending"));
    return row?.n ?? 0;
  },

  async setProcessed(
    db: Db,
    id: string,
    result:
      | { processing: "ready"; displaySha256: string; thumbnailSha256: string | null }
      | { processing: "failed" },
  ): Promise<void> {
    await db.update(materials).set(result).where(eq(materials.id, id));
  },

  async updateCaption(
    db: Db,
    id: string,
    patch: { caption?: string; category?: string | null },
  ): Promise<void> {
    await db.update(materials).set(patch).where(eq(materials.id, id));
  },

  /** Rewrites the positions of one application's materials of one kind in the given order. */
  async reorder(db: Db, applicationId: string, kind: string, orderedIds: string[]): Promise<void> {
    for (const [index, id] of orderedIds.entries()) {
      await db
        .update(materials)
        .set({ position: index + 1 })
        .where(
          and(eq(materials.id, id), eq(materials.applicationId, applicationId), eq(materials.kind, kind)),
        );
    }
  },

  async delete(db: Db, id: string): Promise<void> {
    await db.delete(materials).where(eq(materials.id, id));
  },
};
