import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { experts, organisations, users } from "../schema";

export type ExpertRecord = typeof experts.$inferSelect;

/** An expert of the pool as staff see it: who, which series and disciplines, which unit. */
export interface PoolExpertView {
  userId: string;
  name: string;
  series: string;
  disciplines: string[];
  unitId: string | null;
  unitName: string | null;
  title: string;
  active: boolean;
}

export const expertRepository = {
  /**
   * The pool, by name: only the given series (all series when `series` is null), optionally only the
   * experts who judge `discipline`.
   */
  async findPool(
    db: Db,
    filter: { series: readonly string[] | null; discipline?: string; activeOnly?: boolean },
  ): Promise<PoolExpertView[]> {
    if (filter.series !== null && filter.series.length === 0) return [];
    return db
      .select({
        userId: experts.userId,
        name: users.name,
        series: experts.series,
        disciplines: experts.disciplines,
        unitId: experts.unitId,
        unitName: organisations.name,
        title: experts.title,
        active: experts.active,
      })
      .from(experts)
      .innerJoin(users, eq(users.id, experts.userId))
      .leftJoin(organisations, eq(organisations.id, experts.unitId))
      .where(
        and(
          filter.series ? inArray(experts.series, [...filter.series]) : undefined,
          filter.discipline ? sql`${experts.disciplines} ? ${filter.discipline}` : undefined,
          filter.activeOnly ? eq(experts.active, true) : undefined,
        ),
      )
      .orderBy(asc(users.name), asc(experts.userId));
  },

  async findByIds(db: Db, userIds: readonly string[]): Promise<PoolExpertView[]> {
    if (userIds.length === 0) return [];
    return db
      .select({
        userId: experts.userId,
        name: users.name,
        series: experts.series,
        disciplines: experts.disciplines,
        unitId: experts.unitId,
        unitName: organisations.name,
        title: experts.title,
        active: experts.active,
      })
      .from(experts)
      .innerJoin(users, eq(users.id, experts.userId))
      .leftJoin(organisations, eq(organisations.id, experts.unitId))
      .where(inArray(experts.userId, [...userIds]));
  },

  /** Every discipline the pool of these series covers, sorted (for the filter). */
  async disciplines(db: Db, series: readonly string[] | null): Promise<string[]> {
    if (series !== null && series.length === 0) return [];
    const rows = await db
      .select({ d: sql<string>`jsonb_array_elements_text(${experts.disciplines})` })
      .from(experts)
      .where(series ? inArray(experts.series, [...series]) : undefined);
    return [...new Set(rows.map((r) => r.d))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  },

  async insert(db: Db, input: Omit<ExpertRecord, "createdAt" | "active"> & { active?: boolean }) {
    const [row] = await db.insert(experts).values(input).returning();
    return row!;
  },
};
