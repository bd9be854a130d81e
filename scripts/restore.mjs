#!/usr/bin/env node
// `npm run db:restore -- <backup folder> [--create]`: restores a backup of scripts/backup.mjs into an EMPTY
// database (DATABASE_URL; `--create` makes it on that server first) and an empty file store (FILES_DIR),
// then checks what it restored: every file's bytes against its sha256 name, the file count and the
// migration level against the manifest, and the audit chain (npm run audit:verify).
//
// It never restores over data: overwriting the live database by mistake is the accident a restore script
// must not make easy. Restore next to it, check, then point the apps at the restored database.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`[restore] ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith("--"));
const create = args.includes("--create");
if (!folder) fail("用法 / usage: npm run db:restore -- <backup folder> [--create]");
// npm runs scripts from the root; a relative folder means the one the command was typed in.
const { INIT_CWD, FILES_DIR } = process.env;
const backupDir = resolve(INIT_CWD ?? process.cwd(), folder);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail("DATABASE_URL 未设置 / is not set (the database to restore into)");
const filesDir = resolve(root, FILES_DIR ?? ".data/files");

async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

function safeUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

// 1. The backup is whole: both archives match the manifest written after them.
const manifestFile = join(backupDir, "manifest.json");
if (!existsSync(manifestFile))
  fail(`${backupDir} 没有 manifest.json，不是完整的备份 / is not a complete backup`);
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
if (manifest.format !== 1) fail(`不认识的备份格式 / unknown backup format ${manifest.format}`);
for (const part of [manifest.database, manifest.files]) {
  const path = join(backupDir, part.file);
  if (!existsSync(path) || (await sha256File(path)) !== part.sha256)
    fail(`${part.file} 与清单不符，备份已损坏 / does not match the manifest: the backup is damaged`);
}

// 2. The target database: created on request, and empty.
const target = new URL(databaseUrl);
const name = decodeURIComponent(target.pathname.slice(1));
if (create) {
  if (!/^[A-Za-z0-9_]+$/.test(name))
    fail(`数据库名只能含字母、数字和下划线 / database name must be [A-Za-z0-9_]: ${name}`);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount > 0;
  if (!exists) await admin.query(`create database "${name}"`);
  await admin.end();
}
const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
} catch (error) {
  fail(`无法连接数据库 / cannot connect to ${safeUrl(databaseUrl)}: ${error.message}`);
}
const [{ n: tables }] = (
  await client.query(
    "select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
  )
).rows;
await client.end();
if (tables > 0)
  fail(
    `目标数据库 ${name} 不是空的（${tables} 张表），不会覆盖 / is not empty (${tables} tables): nothing was restored`,
  );

// 3. The target file store: missing or empty.
if (existsSync(filesDir) && readdirSync(filesDir).length > 0)
  fail(`文件目录 ${filesDir} 不是空的，不会覆盖 / is not empty: nothing was restored`);

// 4. The database, in one transaction: a failure leaves the target empty again.
const restore = spawnSync(
  "pg_restore",
  [
    "--no-owner",
    "--no-privileges",
    "--single-transaction",
    "--exit-on-error",
    "--dbname",
    databaseUrl,
    join(backupDir, manifest.database.file),
  ],
  { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" },
);
if (restore.error || restore.status !== 0)
  fail(
    restore.error?.code === "ENOENT"
      ? "找不到 pg_restore / pg_restore not found: apt-get install -y postgresql-client"
      : `pg_restore 失败 / failed: ${restore.stderr.trim()}`,
  );

// 5. The files.
mkdirSync(filesDir, { recursive: true });
const untar = spawnSync(
  "tar",
  ["--extract", "--file", join(backupDir, manifest.files.file), "--directory", filesDir],
  {
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
  },
);
if (untar.status !== 0) fail(`tar 失败 / failed: ${untar.stderr.trim()}`);

// 6. Verification: what a restore is worth is what it was checked for.
const problems = [];
let count = 0;
for (const a of readdirSync(filesDir).filter((d) => /^[0-9a-f]{2}$/.test(d))) {
  for (const b of readdirSync(join(filesDir, a))) {
    for (const file of readdirSync(join(filesDir, a, b))) {
      count += 1;
      if ((await sha256File(join(filesDir, a, b, file))) !== file)
        problems.push(`file ${a}/${b}/${file} is altered`);
    }
  }
}
if (count !== manifest.files.count)
  problems.push(`${count} files, the manifest says ${manifest.files.count}`);
const check = new pg.Client({ connectionString: databaseUrl });
await check.connect();
const applied = (await check.query("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0].n;
await check.end();
if (applied !== manifest.migrations.applied)
  problems.push(`${applied} migrations applied, the manifest says ${manifest.migrations.applied}`);
const audit = spawnSync(join(root, "node_modules/.bin/tsx"), ["packages/db/src/bin/verify-audit.ts"], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: ["ignore", "inherit", "inherit"],
});
if (audit.status !== 0) problems.push("the audit chain does not verify");

if (problems.length)
  fail(`恢复后检查未通过 / restored, but the checks failed:\n  - ${problems.join("\n  - ")}`);
console.log(
  `[restore] 完成并已核对 / restored and checked: ${name} (migrations ${applied}, ${manifest.migrations.latest}), ${count} files in ${filesDir}`,
);
console.log(
  "[restore] 还须：相同的 LOOKUP_HASH_KEY、SESSION_SECRET、CERTIFICATE_SIGNING_KEY / still needed: the same secrets as the backed-up system",
);
