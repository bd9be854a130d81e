import { desc, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rounds } from "../schema";

/** Which applications a statistic covers: one round, the whole city or the units of some districts. */
export interface StatisticsScope {
  roundYear: number;
  /** Only applications whose employer is in one of these districts; undefined for the whole city. */
  districts?: readonly string[];
}

export interface GroupCount {
  series: string;
  level: string;
  track: string;
  state: string;
  count: number;
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  // Both drivers (node-postgres and PGlite) answer with { rows }; the generic type does not say so.
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The where clause of a scope over `applications a left join organisations o` (o = the employer). */
function scopeWhere(scope: StatisticsScope): SQL {
  const round = sql`a.round_year = ${scope.roundYear}`;
  if (scope.districts === undefined) return round;
  if (scope.districts.length === 0) return sql`${round} and false`;
  return sql`${round} and o.district in (${sql.join(
    scope.districts.map((d) => sql`${d}`),
    sql`, `,
  )})`;
}

export const statisticsRepository = {
  /** Applications of the scope counted by series, level, track and current state. */
  async countByGroup(db: Db, scope: StatisticsScope): Promise<GroupCount[]> {
    const found = await rows<GroupCount>(
      db,
      sql`select a.series, a.level, a.track, a.state, count(*)::int as count
        from applications a left join organisations o on o.id = a.employer_id
        where ${scopeWhere(scope)}
        group by a.series, a.level, a.track, a.state`,
    );
    return found.map((r) => ({ ...r, count: Number(r.count) }));
  },

  /**
   * Applications of the scope counted by the highest rank among every state they have been in (the
   * current one and each transition's target), ranks given by `rankOfState` (unlisted states: -1).
   */
  async countByFurthestRank(
    db: Db,
    scope: StatisticsScope,
    rankOfState: Readonly<Record<string, number>>,
  ): Promise<Array<{ rank: number; count: number }>> {
    const ranks = JSON.stringify(rankOfState);
    const found = await rows<{ rank: number; count: number }>(
      db,
      sql`select furthest as rank, count(*)::int as count from (
          select a.id, max(coalesce((${ranks}::jsonb ->> s.state)::int, -1)) as furthest
          from applications a
          left join organisations o on o.id = a.employer_id
          cross join lateral (
            select a.state as state
            union
            select e.to_state from application_events e where e.application_id = a.id
          ) s
          where ${scopeWhere(scope)}
          group by a.id
        ) reached
        group by furthest`,
    );
    return found.map((r) => ({ rank: Number(r.rank), count: Number(r.count) }));
  },

  /**
   * Applications of the scope by the calendar day (in `timeZone`) of their first confirmation: the
   * earlier of `confirmed_at` and the first `confirm` event. Days without confirmations are absent.
   */
  async countFirstConfirmationsByDay(
    db: Db,
    scope: StatisticsScope,
    timeZone: string,
  ): Promise<Array<{ day: string; count: number }>> {
    const found = await rows<{ day: string; count: number }>(
      db,
      sql`select to_char(first_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, count(*)::int as count
        from (
          select least(
            a.confirmed_at,
            (select min(e.at) from application_events e where e.application_id = a.id and e.event = 'confirm')
          ) as first_at
          from applications a left join organisations o on o.id = a.employer_id
          where ${scopeWhere(scope)}
        ) confirmations
        where first_at is not null
        group by 1
        order by 1`,
    );
    return found.map((r) => ({ day: String(r.day), count: Number(r.count) }));
  },

  /** Every configured round, newest first. */
  async findRoundYears(db: Db): Promise<number[]> {
    const found = await db.select({ year: rounds.year }).from(rounds).orderBy(desc(rounds.year));
    return found.map((r) => r.year);
  },
};
