import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { createDb, type Db, type DbHandle } from "./client";
import { hasFieldKeys, installFieldKeys } from "./field-crypto";

/** The field-encryption key of the test suites (32 bytes, base64url); never used outside tests. */
export const TEST_DATA_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64url");
// Tests write users and messages through the repositories, which encrypt: they get the test key.
if (!hasFieldKeys()) installFieldKeys(TEST_DATA_ENCRYPTION_KEY);

export interface TestDb extends DbHandle {
  label: string;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or with TEST_DATABASE_URL a
 * new database on that PostgreSQL server, dropped again on close.
 */
export async function createTestDb(target: "pglite" | "postgres" = "pglite"): Promise<TestDb> {
  if (target === "pglite") {
    const handle = createDb();
    await handle.migrate();
    return { ...handle, label: "PGlite" };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set: the PostgreSQL suite needs a server");
  const name = `titles_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = createDb({ url: url.toString(), max: 4 });
  await handle.migrate();
  return {
    ...handle,
    label: "PostgreSQL",
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** The database targets a suite runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const testTargets: Array<"pglite" | "postgres"> = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

/** Row counts of the named tables: "nothing was written" is checked by comparing two of these. */
export async function countRows<T extends string>(db: Db, tables: T[]): Promise<Record<T, number>> {
  const out = {} as Record<T, number>;
  for (const table of tables) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    const [row] = await queryRows(db, `select count(*)::int as n from ${table}`);
    out[table] = Number(row!.n);
  }
  return out;
}

/** A raw read for assertions about what is stored. */
export async function queryRows(db: Db, text: string): Promise<Record<string, unknown>[]> {
  // Both drivers answer with { rows }; the generic database type does not say so.
  const result = (await db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] };
  return result.rows;
}

/**
 * Every public table's row count and a digest of its rows, in one statement: "nothing written" (no
 * insert, no update, no delete) compares two of these. `sessions` is counted only: each signed-in
 * request rightly moves its last-seen time.
 */
export async function tableFingerprints(db: Db): Promise<Record<string, string>> {
  const tables = (
    await queryRows(db, "select tablename from pg_tables where schemaname = 'public' order by tablename")
  ).map((r) => String(r.tablename));
  const text = tables
    .map((t) =>
      t === "sessions"
        ? `select '${t}' as t, count(*)::text as n from "${t}"`
        : `select '${t}' as t, count(*) || ' ' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as n from "${t}" x`,
    )
    .join(" union all ");
  const rows = await queryRows(db, text);
  return Object.fromEntries(rows.map((r) => [String(r.t), String(r.n)]));
}
