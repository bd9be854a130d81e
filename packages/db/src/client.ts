import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database or a transaction: repositories accept either, so a command can compose them in one transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

export interface CreateDbOptions {
  /** PostgreSQL URL (a real server, or the embedded PGlite served over the wire protocol). */
  url?: string;
  /** In-process PGlite: a data directory, or omitted for a throwaway in-memory database. */
  dataDir?: string;
  /** Pool size for `url`. */
  max?: number;
}

/** The one way to get a database: PostgreSQL by URL, or an in-process PGlite. */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10 });
    // A dropped idle connection must not crash the process; the pool reconnects on the next query.
    pool.on("error", (error) => console.error("[db] idle client error:", error.message));
    // Nor one lost while checked out, between the queries of a transaction (the pool listens only to
    // idle ones): the database restarting would end the process (found by the fault tests, issue 8).
    // The next query on it fails as "database unavailable"; the pool drops it when it is released.
    pool.on("connect", (client) => {
      client.on("error", (error) => console.error("[db] connection lost:", error.message));
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      migrate: async () => {
        const client = await pool.connect();
        try {
          // Two processes starting together must not both migrate.
          await client.query("select pg_advisory_lock(727100)");
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
        } finally {
          await client.query("select pg_advisory_unlock(727100)").catch(() => {});
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite(options.dataDir);
  const pgliteDb = drizzlePglite(client, { schema });
  return {
    db: pgliteDb as unknown as Db,
    kind: "pglite",
    migrate: () => migratePglite(pgliteDb, { migrationsFolder }),
    close: () => client.close(),
  };
}
