import { sql } from "drizzle-orm";
import type { Db } from "./client";
import {
  decryptField,
  type EncryptedColumn,
  encryptedColumns,
  encryptField,
  FIELD_CIPHERTEXT_PREFIX,
  type FieldKeyring,
  fieldKeys,
} from "./field-crypto";

export interface FieldEncryptionReport {
  /** Rows whose plaintext value was encrypted, per column. */
  encrypted: Record<EncryptedColumn, number>;
  /** Rows re-encrypted under the newest key (with `rotate`), per column. */
  reencrypted: Record<EncryptedColumn, number>;
}

const BATCH = 500;

/**
 * Brings every encrypted column up to date, in place: plaintext rows (written before decision 0016) are
 * encrypted, and with `rotate` rows under an older key are re-encrypted with the newest one, so that the
 * old key can then be dropped. Idempotent and safe to run while the system serves: each batch is one
 * transaction under an advisory lock, and a row is only replaced if it still holds what was read.
 */
export async function encryptFieldsAtRest(
  db: Db,
  options: { keyring?: FieldKeyring; rotate?: boolean } = {},
): Promise<FieldEncryptionReport> {
  const keyring = options.keyring ?? fieldKeys();
  const empty = () =>
    Object.fromEntries(encryptedColumns.map((c) => [c, 0])) as Record<EncryptedColumn, number>;
  const report: FieldEncryptionReport = { encrypted: empty(), reencrypted: empty() };
  const currentPrefix = `${FIELD_CIPHERTEXT_PREFIX}${keyring.current.id}:`;
  // Per table: a row's encrypted columns change in one statement (each has its own check constraint).
  const tables = new Map<string, EncryptedColumn[]>();
  for (const column of encryptedColumns) {
    const tableName = column.split(".")[0]!;
    tables.set(tableName, [...(tables.get(tableName) ?? []), column]);
  }
  for (const [tableName, columns] of tables) {
    const table = sql.identifier(tableName);
    const names = columns.map((c) => c.split(".")[1]!);
    // Plaintext; and, when rotating, anything not under the newest key.
    const staleOne = (name: string) =>
      options.rotate
        ? sql`${sql.identifier(name)} not like ${`${currentPrefix}%`}`
        : sql`${sql.identifier(name)} not like ${`${FIELD_CIPHERTEXT_PREFIX}%`}`;
    const stale = sql.join(names.map(staleOne), sql` or `);
    const selected = sql.join(
      names.map((name, i) => sql`${sql.identifier(name)} as ${sql.identifier(`c${i}`)}`),
      sql`, `,
    );
    for (;;) {
      const done = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(727102)`);
        const result = (await tx.execute(
          sql`select id::text as id, ${selected} from ${table} where ${stale} order by id limit ${BATCH} for update`,
        )) as unknown as { rows: Array<Record<string, string>> };
        for (const row of result.rows) {
          const id = row.id!;
          const sets = [];
          const same = [];
          for (const [i, column] of columns.entries()) {
            const name = sql.identifier(names[i]!);
            const value = row[`c${i}`]!;
            same.push(sql`${name} = ${value}`);
            const wasEncrypted = value.startsWith(FIELD_CIPHERTEXT_PREFIX);
            const due = options.rotate ? !value.startsWith(currentPrefix) : !wasEncrypted;
            if (!due) continue;
            const plaintext = wasEncrypted ? decryptField(column, id, value, keyring) : value;
            sets.push(sql`${name} = ${encryptField(column, id, plaintext, keyring)}`);
            if (wasEncrypted) report.reencrypted[column] += 1;
            else report.encrypted[column] += 1;
          }
          // Replaced only if nobody changed the row since it was read.
          await tx.execute(
            sql`update ${table} set ${sql.join(sets, sql`, `)} where id = ${id}::uuid and ${sql.join(same, sql` and `)}`,
          );
        }
        return result.rows.length < BATCH;
      });
      if (done) break;
    }
    // Migration 0007 added the checks NOT VALID, for rows written before; now every row is sealed.
    for (const name of names) {
      await db.execute(
        sql`alter table ${table} validate constraint ${sql.identifier(`${tableName}_${name}_sealed`)}`,
      );
    }
  }
  return report;
}
