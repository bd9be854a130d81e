import canonicalize from "canonicalize";
import { asc, desc, sql } from "drizzle-orm";
import type { Db } from "./client";
import { sha256 } from "./crypto";
import { auditLog } from "./schema";

export interface AuditEntry {
  at: Date;
  actorUserId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  data: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);
// Secrets and personal numbers never enter the audit trail (it is read by many staff).
const FORBIDDEN_KEYS = /^(password|passwordHash|idNumber|phone|code|token|secret)$/i;

function assertNoSecrets(value: unknown, path = "data"): void {
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.test(key)) throw new Error(`audit ${path}.${key} would record a secret`);
      assertNoSecrets(inner, `${path}.${key}`);
    }
  }
}

export function hashAuditRecord(prevHash: string, entry: AuditEntry): string {
  const body = canonicalize({
    at: entry.at.toISOString(),
    actorUserId: entry.actorUserId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    data: entry.data,
  });
  return sha256(`${prevHash}\n${body}`);
}

/**
 * Appends to the chain inside the caller's transaction. The advisory lock serialises writers until
 * commit, so sequence order and chain order agree.
 */
export async function appendAudit(tx: Db, entry: AuditEntry): Promise<void> {
  assertNoSecrets(entry.data);
  await tx.execute(sql`select pg_advisory_xact_lock(727101)`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const prevHash = last?.hash ?? GENESIS;
  // Round-trip through JSON so the hash covers exactly what jsonb stores.
  const data = JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>;
  const at = new Date(Math.floor(entry.at.getTime()));
  const hash = hashAuditRecord(prevHash, { ...entry, at, data });
  await tx.insert(auditLog).values({ ...entry, at, data, prevHash, hash });
}

export type AuditVerification =
  | { ok: true; count: number }
  | { ok: false; count: number; brokenAt: number; reason: string };

/** Walks the chain in order and recomputes every hash. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<AuditVerification> {
  let prevHash = GENESIS;
  let count = 0;
  let afterSeq = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.seq} > ${afterSeq}`)
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, count };
    for (const row of rows) {
      if (row.prevHash !== prevHash) {
        return { ok: false, count, brokenAt: row.seq, reason: "previous hash does not match" };
      }
      const expected = hashAuditRecord(prevHash, row);
      if (expected !== row.hash) return { ok: false, count, brokenAt: row.seq, reason: "record was altered" };
      prevHash = row.hash;
      count += 1;
      afterSeq = row.seq;
    }
  }
}

export async function findAuditForObject(db: Db, objectType: string, objectId: string) {
  return db
    .select()
    .from(auditLog)
    .where(sql`${auditLog.objectType} = ${objectType} and ${auditLog.objectId} = ${objectId}`)
    .orderBy(asc(auditLog.seq));
}
