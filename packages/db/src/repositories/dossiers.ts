import { materialCategories, submissionDocuments } from "@titles/domain";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { applications, dossiers, files, materials } from "../schema";

export type DossierRecord = Omit<typeof dossiers.$inferSelect, "outline"> & {
  outline: DossierOutlineEntry[];
};

/** One bookmark of a dossier: the form, or one material, with the pages it spans. */
export interface DossierOutlineEntry {
  /** `form`, or the material's kind. */
  kind: string;
  materialId: string | null;
  /** The bookmark, e.g. `论文 3：高层建筑结构抗震分析`. */
  title: string;
  /** 1-based index of the section's first page in the dossier. */
  firstPage: number;
  pages: number;
  /** The page-label prefix viewers show before the page number, e.g. `论文3-` (so `论文3-2`). */
  label: string;
  /** One human label per page, e.g. `论文 3 / 第 2 页`. */
  pageLabels: string[];
  /** A material that could not be read is a placeholder page. */
  placeholder?: boolean;
}

/** From `complete` on, an application is evaluated, so it has a dossier. */
export const dossierStates = [
  "complete",
  "defense_scheduled",
  "evaluating",
  "passed",
  "result_publicity",
  "final",
  "certified",
] as const;

/** The order of a dossier: achievements (by category, then position), the three stamped documents, HR's scans. */
const kindOrder = ["achievement", ...submissionDocuments, "employer-scan"];
const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** ORDER BY terms for materials, given the SQL of their columns (a material without a category goes with "other"). */
function orderTerms(m: { kind: SQL; category: SQL; position: SQL; id: SQL }): SQL[] {
  return [
    sql`array_position(${textArray(kindOrder)}, ${m.kind})`,
    sql`coalesce(array_position(${textArray(materialCategories)}, ${m.category}), ${materialCategories.length + 1})`,
    m.position,
    m.id,
  ];
}

/**
 * What a dossier is built from, as one hash: the form (each key and value, in key order) and every
 * material in dossier order with the bytes it is shown from (or its processing state), its kind,
 * category and caption. Computed by the database so the job finds stale dossiers in one query.
 */
function digestOf(): SQL<string> {
  // Qualified by hand: drizzle leaves selected columns unqualified, and `id` inside the subquery would be m.id.
  const applicationId = sql.raw(`"applications"."id"`);
  const form = sql.raw(`"applications"."form"`);
  const order = orderTerms({
    kind: sql`m.kind`,
    category: sql`m.category`,
    position: sql`m.position`,
    id: sql`m.id`,
  });
  return sql<string>`encode(sha256(convert_to(
    'form:' || encode(sha256(convert_to(coalesce((select string_agg(to_jsonb(f.key)::text || ':' || f.value::text,
      ',' order by f.key collate "C") from jsonb_each(${form}) f), ''), 'UTF8')), 'hex')
    || coalesce((select string_agg(
      E'\\n' || m.id::text || ' ' || m.kind || ' ' || coalesce(m.category, '-') || ' '
        || case when m.processing = 'ready' and m.display_sha256 is not null then m.display_sha256
           else m.processing || ':' || m.file_sha256 end
        || ' ' || to_jsonb(m.caption)::text,
      '' order by ${sql.join(order, sql`, `)})
      from materials m where m.application_id = ${applicationId}), ''),
    'UTF8')), 'hex')`;
}

export interface DossierSourceMaterial {
  id: string;
  kind: string;
  category: string | null;
  caption: string;
  position: number;
  fileSha256: string;
  displaySha256: string | null;
  processing: string;
  /** The mime of the bytes as received (`image/*` or `application/pdf`). */
  mime: string;
}

const asRecord = (row: typeof dossiers.$inferSelect): DossierRecord => ({
  ...row,
  outline: row.outline as DossierOutlineEntry[],
});

export const dossierRepository = {
  async latest(db: Db, applicationId: string): Promise<DossierRecord | null> {
    const [row] = await db
      .select()
      .from(dossiers)
      .where(eq(dossiers.applicationId, applicationId))
      .orderBy(desc(dossiers.version))
      .limit(1);
    return row ? asRecord(row) : null;
  },

  async byVersion(db: Db, applicationId: string, version: number): Promise<DossierRecord | null> {
    const [row] = await db
      .select()
      .from(dossiers)
      .where(and(eq(dossiers.applicationId, applicationId), eq(dossiers.version, version)));
    return row ? asRecord(row) : null;
  },

  /** Every version of an application's dossier, oldest first. */
  async versions(db: Db, applicationId: string): Promise<DossierRecord[]> {
    const rows = await db
      .select()
      .from(dossiers)
      .where(eq(dossiers.applicationId, applicationId))
      .orderBy(dossiers.version);
    return rows.map(asRecord);
  },

  async insert(db: Db, input: Omit<DossierRecord, "id">): Promise<DossierRecord> {
    const [row] = await db.insert(dossiers).values(input).returning();
    return asRecord(row!);
  },

  /** The materials of an application in dossier order, with the mime of their bytes as received. */
  async sourceMaterials(db: Db, applicationId: string): Promise<DossierSourceMaterial[]> {
    return db
      .select({
        id: materials.id,
        kind: materials.kind,
        category: materials.category,
        caption: materials.caption,
        position: materials.position,
        fileSha256: materials.fileSha256,
        displaySha256: materials.displaySha256,
        processing: materials.processing,
        mime: files.mime,
      })
      .from(materials)
      .innerJoin(files, eq(files.sha256, materials.fileSha256))
      .where(eq(materials.applicationId, applicationId))
      .orderBy(
        ...orderTerms({
          kind: sql`${materials.kind}`,
          category: sql`${materials.category}`,
          position: sql`${materials.position}`,
          id: sql`${materials.id}`,
        }),
      );
  },

  /** The digest of what the application's dossier would be built from now. */
  async sourceDigest(db: Db, applicationId: string): Promise<string | null> {
    const [row] = await db
      .select({ digest: digestOf() })
      .from(applications)
      .where(eq(applications.id, applicationId));
    return row?.digest ?? null;
  },

  /**
   * Applications under evaluation whose latest dossier is missing or was built from something else
   * than what they hold now, those without any dossier first.
   */
  async appsNeedingDossier(
    db: Db,
    limit: number,
  ): Promise<Array<{ applicationId: string; latestVersion: number | null }>> {
    const latest = sql`(select d.source_digest from dossiers d where d.application_id = ${applications.id}
      order by d.version desc limit 1)`;
    const latestVersion = sql<number | null>`(select max(d.version) from dossiers d
      where d.application_id = ${applications.id})`;
    const rows = await db
      .select({ applicationId: applications.id, latestVersion })
      .from(applications)
      .where(
        and(inArray(applications.state, [...dossierStates]), sql`${latest} is distinct from ${digestOf()}`),
      )
      .orderBy(sql`${latestVersion} is not null`, applications.updatedAt, applications.id)
      .limit(limit);
    return rows.map((r) => ({
      applicationId: r.applicationId,
      latestVersion: r.latestVersion === null ? null : Number(r.latestVersion),
    }));
  },
};
