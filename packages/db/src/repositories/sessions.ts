import { eq, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { sessions, users } from "../schema";
import { type RoleGrant, toUserRecord, type UserRecord } from "./users";

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export const sessionRepository = {
  async insert(db: Db, input: { userId: string; tokenHash: string; userAgent: string | null; at: Date }) {
    const [row] = await db
      .insert(sessions)
      .values({
        userId: input.userId,
        tokenHash: input.tokenHash,
        userAgent: input.userAgent,
        createdAt: input.at,
        lastSeenAt: input.at,
      })
      .returning({ id: sessions.id });
    return row!.id;
  },

  async findByTokenHash(db: Db, tokenHash: string): Promise<SessionRecord | null> {
    const [row] = await db
      .select({
        id: sessions.id,
        userId: sessions.userId,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash));
    return row ?? null;
  },

  /**
   * The session, its user and the user's roles in one round trip: every request resolves its
   * session, so this is the portal's hottest query.
   */
  async findWithActor(
    db: Db,
    tokenHash: string,
  ): Promise<{ session: SessionRecord; user: UserRecord; roles: RoleGrant[] } | null> {
    const [row] = await db
      .select({
        session: {
          id: sessions.id,
          userId: sessions.userId,
          createdAt: sessions.createdAt,
          lastSeenAt: sessions.lastSeenAt,
        },
        user: users,
        roles: sql<RoleGrant[]>`coalesce((
          select json_agg(json_build_object(
            'role', ur.role,
            'organisationId', ur.organisation_id,
            'organisationName', o.name,
            'organisationKind', o.kind,
            'organisationSeries', coalesce(o.series, '[]'::jsonb),
            'organisationDistrict', o.district
          ) order by ur.role)
          from user_roles ur left join organisations o on o.id = ur.organisation_id
          where ur.user_id = ${users.id}
        ), '[]'::json)`,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, tokenHash));
    if (!row) return null;
    // Both drivers hand json back parsed; a text answer is parsed here.
    const roles = typeof row.roles === "string" ? (JSON.parse(row.roles) as RoleGrant[]) : row.roles;
    return { session: row.session, user: toUserRecord(row.user), roles };
  },

  async touch(db: Db, id: string, at: Date): Promise<void> {
    await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
  },

  async deleteById(db: Db, id: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.id, id));
  },

  async deleteAllForUser(db: Db, userId: string): Promise<number> {
    const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    return rows.length;
  },

  async countForUser(db: Db, userId: string): Promise<number> {
    return (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
  },

  async deleteExpired(db: Db, idleBefore: Date, createdBefore: Date): Promise<void> {
    await db
      .delete(sessions)
      .where(or(lt(sessions.lastSeenAt, idleBefore), lt(sessions.createdAt, createdBefore)));
  },
};
