import { and, asc, eq, ilike, or } from "drizzle-orm";
import type { Db } from "../client";
import { organisations } from "../schema";

export interface OrganisationRecord {
  id: string;
  kind: string;
  name: string;
  creditCode: string | null;
  district: string | null;
  series: string[];
}

export const organisationRepository = {
  async insert(db: Db, input: Omit<OrganisationRecord, "id"> & { id?: string }): Promise<OrganisationRecord> {
    const [row] = await db.insert(organisations).values(input).returning();
    return row!;
  },

  async findById(db: Db, id: string): Promise<OrganisationRecord | null> {
    const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
    return row ?? null;
  },

  async findByKind(db: Db, kind: string): Promise<OrganisationRecord[]> {
    return db
      .select()
      .from(organisations)
      .where(eq(organisations.kind, kind))
      .orderBy(asc(organisations.name));
  },

  async searchEmployers(db: Db, text: string, limit = 20): Promise<OrganisationRecord[]> {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return db
      .select()
      .from(organisations)
      .where(
        and(
          eq(organisations.kind, "employer"),
          or(ilike(organisations.name, like), ilike(organisations.creditCode, like)),
        ),
      )
      .orderBy(asc(organisations.name))
      .limit(limit);
  },

  async findByName(db: Db, kind: string, name: string): Promise<OrganisationRecord | null> {
    const [row] = await db
      .select()
      .from(organisations)
      .where(and(eq(organisations.kind, kind), eq(organisations.name, name)));
    return row ?? null;
  },
};
