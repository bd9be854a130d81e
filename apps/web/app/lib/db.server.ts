import { createDb, type Db, type DbHandle } from "@titles/db";
import { env } from "~/env.server";

let handle: DbHandle | null = null;

export function database(): DbHandle {
  handle ??= createDb({ url: env().DATABASE_URL, max: 10 });
  return handle;
}

export function db(): Db {
  return database().db;
}
