import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { decryptField, encryptField } from "../field-crypto";
import { employments, organisations, userRoles, users } from "../schema";

export interface RoleGrant {
  role: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationKind: string | null;
  /** The series an agency handles (empty for other organisations). */
  organisationSeries: string[];
  /** The district (区) of an employer or a district bureau. */
  organisationDistrict: string | null;
}

export interface UserRecord {
  id: string;
  name: string;
  idType: string;
  phoneVerified: boolean;
  locale: string;
  disabled: boolean;
}

export function toUserRecord(row: typeof users.$inferSelect): UserRecord {
  return {
    id: row.id,
    name: row.name,
    idType: row.idType,
    phoneVerified: row.phoneVerifiedAt !== null,
    locale: row.locale,
    disabled: row.disabledAt !== null,
  };
}

export const userRepository = {
  async insert(
    db: Db,
    input: {
      name: string;
      idType: string;
      idNumber: string;
      idNumberHash: string;
      phone: string;
      phoneHash: string;
      passwordHash: string;
      phoneVerifiedAt: Date;
      locale?: string;
    },
  ): Promise<UserRecord> {
    // The id is chosen here: it is part of the ciphertexts' associated data.
    const id = randomUUID();
    const [row] = await db
      .insert(users)
      .values({
        ...input,
        id,
        idNumber: encryptField("users.id_number", id, input.idNumber),
        phone: encryptField("users.phone", id, input.phone),
      })
      .returning();
    return toUserRecord(row!);
  },

  async findById(db: Db, id: string): Promise<UserRecord | null> {
    const [row] = await db.select().from(users).where(eq(users.id, id));
    return row ? toUserRecord(row) : null;
  },

  /** For login: the user and the stored password hash, by ID-number hash or phone hash. */
  async findCredentialsByLookupHash(
    db: Db,
    hash: string,
  ): Promise<{ user: UserRecord; passwordHash: string } | null> {
    const [byId] = await db.select().from(users).where(eq(users.idNumberHash, hash));
    const row = byId ?? (await db.select().from(users).where(eq(users.phoneHash, hash)))[0];
    return row ? { user: toUserRecord(row), passwordHash: row.passwordHash } : null;
  },

  async existsByIdNumberHash(db: Db, hash: string): Promise<boolean> {
    const rows = await db.select({ id: users.id }).from(users).where(eq(users.idNumberHash, hash));
    return rows.length > 0;
  },

  async existsByPhoneHash(db: Db, hash: string): Promise<boolean> {
    const rows = await db.select({ id: users.id }).from(users).where(eq(users.phoneHash, hash));
    return rows.length > 0;
  },

  /** The full ID number, for documents that print it masked; never log it. */
  async findIdNumberById(db: Db, id: string): Promise<string | null> {
    const [row] = await db
      .select({ id: users.id, idNumber: users.idNumber })
      .from(users)
      .where(eq(users.id, id));
    return row ? decryptField("users.id_number", row.id, row.idNumber) : null;
  },

  async findPhoneById(db: Db, id: string): Promise<string | null> {
    const [row] = await db.select({ id: users.id, phone: users.phone }).from(users).where(eq(users.id, id));
    return row ? decryptField("users.phone", row.id, row.phone) : null;
  },

  async findRoles(db: Db, userId: string): Promise<RoleGrant[]> {
    return db
      .select({
        role: userRoles.role,
        organisationId: userRoles.organisationId,
        organisationName: organisations.name,
        organisationKind: organisations.kind,
        organisationSeries: sql<string[]>`coalesce(${organisations.series}, '[]'::jsonb)`,
        organisationDistrict: organisations.district,
      })
      .from(userRoles)
      .leftJoin(organisations, eq(organisations.id, userRoles.organisationId))
      .where(eq(userRoles.userId, userId))
      .orderBy(userRoles.role);
  },

  async grantRole(db: Db, userId: string, role: string, organisationId: string | null): Promise<void> {
    await db.insert(userRoles).values({ userId, role, organisationId }).onConflictDoNothing();
  },

  async setEmployer(db: Db, userId: string, organisationId: string): Promise<void> {
    await db
      .insert(employments)
      .values({ userId, organisationId })
      .onConflictDoUpdate({ target: employments.userId, set: { organisationId, since: new Date() } });
  },

  async findEmployerId(db: Db, userId: string): Promise<string | null> {
    const [row] = await db.select().from(employments).where(eq(employments.userId, userId));
    return row?.organisationId ?? null;
  },

  /** Applicants employed by a unit: what HR of that unit may see. */
  async findByEmployer(db: Db, organisationId: string): Promise<UserRecord[]> {
    const rows = await db
      .select({ user: users })
      .from(employments)
      .innerJoin(users, eq(users.id, employments.userId))
      .where(eq(employments.organisationId, organisationId));
    return rows.map((r) => toUserRecord(r.user));
  },

  async findByIds(db: Db, ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    return (await db.select().from(users).where(inArray(users.id, ids))).map(toUserRecord);
  },

  /** Who holds a role in an organisation, with the phone to text them (e.g. HR of a unit). */
  async findContactsWithRole(
    db: Db,
    role: string,
    organisationId: string,
  ): Promise<Array<{ id: string; name: string; phone: string }>> {
    const rows = await db
      .select({ id: users.id, name: users.name, phone: users.phone })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(and(eq(userRoles.role, role), eq(userRoles.organisationId, organisationId)));
    return rows.map((r) => ({ ...r, phone: decryptField("users.phone", r.id, r.phone) }));
  },

  async hasRole(db: Db, userId: string, role: string, organisationId?: string): Promise<boolean> {
    const rows = await db
      .select({ id: userRoles.id })
      .from(userRoles)
      .where(
        and(
          eq(userRoles.userId, userId),
          eq(userRoles.role, role),
          organisationId ? eq(userRoles.organisationId, organisationId) : undefined,
        ),
      );
    return rows.length > 0;
  },
};
