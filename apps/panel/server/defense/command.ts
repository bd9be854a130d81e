import type { Db } from "@titles/db";
import { type DomainError, isDomainError } from "@titles/domain";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** The reader or writer: a signed-in panel user (an Actor fits). */
export interface PanelUser {
  user: { id: string };
}

/** Runs a command in one transaction; a DomainError rolls it back and comes back as a result. */
export async function command<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await db.transaction(body) };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}

/** A read: no transaction, same result shape. */
export async function query<T>(body: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}
