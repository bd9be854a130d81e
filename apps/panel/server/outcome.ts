import type { Db } from "@titles/db";
import { DomainError, isDomainError } from "@titles/domain";
import type { z } from "zod";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** A signed-in panel user (an Actor fits): the reader or writer of a panel command. */
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

/** Parses a command's input at the service boundary; a bad input is a VALIDATION error. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new DomainError("VALIDATION", {
    details: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
  });
}

/** PostgreSQL's unique violation, through the driver's and drizzle's wrappers. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    if (typeof e === "object" && (e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
