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
    input: Omit<MaterialRecord, "id" | "createdAt" | "position"> & { at: Date },
  ): Promise<MaterialRecord> {
    const { at, ...values } = input;
    const [next] = await db
      .select({ n: sql<number>`coalesce(max(${materials.position}), 0)::int + 1` })
      .from(materials)
      .where(and(eq(materials.applicationId, values.applicationId), eq(materials.kind, values.kind)));
    const [row] = await db
      .insert(materials)
      .values({ ...values, position: next?.n ?? 1, createdAt: at })
      .returning();
    return row!;
  },

  async findById(db: Db, id: string): Promise<MaterialRecord | null> {
    const [row] = await db.select().from(materials).where(eq(materials.id, id));
    return row ?? null;
  },

  async findForApplication(db: Db, applicationId: string, kind?: string): Promise<MaterialWithFile[]> {
    const rows = await db
      .select({
        material: materials,
        mime: files.mime,
        size: files.size,
        width: files.width,
        height: files.height,
        pages: files.pages,
      })
      .from(materials)
      .innerJoin(files, eq(files.sha256, materials.fileSha256))
      .where(and(eq(materials.applicationId, applicationId), kind ? eq(materials.kind, kind) : undefined))
      .orderBy(asc(materials.kind), asc(materials.position));
    return rows.map((r) => ({
      ...r.material,
      mime: r.mime,
      size: r.size,
      width: r.width,
      height: r.height,
      pages: r.pages,
    }));
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
