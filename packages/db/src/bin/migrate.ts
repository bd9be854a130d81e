// Applies the committed migrations to the database in DATABASE_URL and nothing else (no demo data).
// `npm run start:prod` runs it before starting the apps; safe to run from several machines at once
// (the migrator holds a PostgreSQL advisory lock).
import { createDb } from "../client";
import { parseFieldKeys } from "../field-crypto";
import { encryptFieldsAtRest } from "../field-crypto-migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL 未设置 / DATABASE_URL is not set");
  process.exit(2);
}
const handle = createDb({ url, max: 1 });
try {
  await handle.migrate();
  console.log("[migrate] 数据库结构已是最新 / database schema is up to date");
  // Rows written before decision 0016 are encrypted in place (idempotent: a second run changes nothing).
  const keys = process.env.DATA_ENCRYPTION_KEY;
  if (keys) {
    const report = await encryptFieldsAtRest(handle.db, { keyring: parseFieldKeys(keys) });
    const count = Object.values(report.encrypted).reduce((a, b) => a + b, 0);
    if (count) console.log(`[migrate] 已加密 ${count} 个明文字段 / encrypted ${count} plaintext fields`);
  }
} catch (error) {
  console.error(
    `[migrate] 迁移失败 / migration failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
} finally {
  await handle.close();
}
