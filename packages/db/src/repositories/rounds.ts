import { asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { calendarYears, rounds } from "../schema";

export interface CalendarYearRecord {
  year: number;
  holidays: string[];
  workdays: string[];
}

export const roundRepository = {
  async findActive(db: Db): Promise<{ year: number; config: unknown } | null> {
    const [row] = await db.select().from(rounds).where(eq(rounds.active, true)).limit(1);
    return row ? { year: row.year, config: row.config } : null;
  },

  async findByYear(db: Db, year: number): Promise<{ year: number; config: unknown } | null> {
    const [row] = await db.select().from(rounds).where(eq(rounds.year, year));
    return row ? { year: row.year, config: row.config } : null;
  },

  async upsert(db: Db, year: number, config: unknown, active: boolean): Promise<void> {
    await db
      .insert(rounds)
      .values({ year, config, active })
      .onConflictDoUpdate({ target: rounds.year, set: { config, active, updatedAt: new Date() } });
  },
};

export const calendarRepository = {
  async findAll(db: Db): Promise<CalendarYearRecord[]> {
    return db
      .select({
        year: calendarYears.year,
        holidays: calendarYears.holidays,
        workdays: calendarYears.workdays,
      })
      .from(calendarYears)
      .orderBy(asc(calendarYears.year));
  },

  async upsert(db: Db, table: CalendarYearRecord): Promise<void> {
    await db
      .insert(calendarYears)
      .values(table)
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { holidays: table.holidays, workdays: table.workdays, updatedAt: new Date() },
      });
  },
};
