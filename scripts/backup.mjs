#!/usr/bin/env node
// `npm run db:backup -- [--out DIR (default .data/backups)] [--keep N]`: one consistent backup of the database and the file store.
//
// Writes DIR/titles-<UTC time>/ with
//   database.dump  pg_dump custom format (one snapshot: the dump is consistent even while the apps run)
//   files.tar      the content-addressed file store (FILES_DIR), without its .tmp staging folder
//   manifest.json  time, migration level, file count, sha256 and size of both archives
// Files are immutable and named by their sha256, so a file copied after the dump started is at worst one
// that no row references yet; never the other way round, as long as the dump is taken FIRST.
//
// Secrets (.data/secrets.json or the deployment's configuration) are NOT in the backup: they are kept
// separately (docs/operations.md), so a stolen backup does not carry the keys that protect it.
// Needs pg_dump (package postgresql-client) of the server's major version or newer.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function fail(message) {
  console.error(`[backup] ${message}`);
  process.exit(1);
}

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = process.argv[at + 1];
  if (!value || value.startsWith("--")) fail(`--${name} 需要一个值 / needs a value`);
  return value;
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl)
  fail(
    "DATABASE_URL 未设置 / is not set. 内置数据库请先停止 npm start 再复制 .data/ / For the embedded database stop npm start and copy .data/ (docs/operations.md).",
  );
// Scripts run outside turbo, so their variables are read in one place (not turbo task inputs).
const { FILES_DIR } = process.env;
const filesDir = resolve(root, FILES_DIR ?? ".data/files");
// The default is inside .data/ (git-ignored): a dump holds personal data and must never be committed.
const outDir = resolve(root, option("out", ".data/backups"));
const keep = Number(option("keep", "0"));
if (!Number.isInteger(keep) || keep < 0) fail("--keep 必须是非负整数 / must be a whole number ≥ 0");

/** The URL without its password, for messages. */
function safeUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

/** Every stored file: `ab/cd/<sha256>`. */
function storedFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const a of readdirSync(dir)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of readdirSync(join(dir, a))) {
      for (const name of readdirSync(join(dir, a, b))) out.push(join(a, b, name));
    }
  }
  return out;
}

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, "")
  .replace(/\.\d+Z$/, "Z");
const target = join(outDir, `titles-${stamp}`);
if (existsSync(target)) fail(`${relative(root, target)} 已存在 / already exists`);
mkdirSync(target, { recursive: true });

// The migration level first: it is part of what the dump holds, and an unmigrated database is a mistake.
const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
} catch (error) {
  rmSync(target, { recursive: true, force: true });
  fail(`无法连接数据库 / cannot connect to ${safeUrl(databaseUrl)}: ${error.message}`);
}
const [{ server_version: serverVersion }] = (await client.query("show server_version")).rows;
let applied = [];
try {
  applied = (
    await client.query("select hash, created_at from drizzle.__drizzle_migrations order by created_at")
  ).rows;
} catch {
  // No migrations table: reported below as level 0.
}
await client.end();
const journal = JSON.parse(readFileSync(join(root, "packages/db/migrations/meta/_journal.json"), "utf8"));
const latest = applied.at(-1);
const latestTag = latest
  ? journal.entries.find((e) => String(e.when) === String(latest.created_at))?.tag
  : null;

const dumpFile = join(target, "database.dump");
const dump = spawnSync("pg_dump", ["--format=custom", "--file", dumpFile, "--dbname", databaseUrl], {
  stdio: ["ignore", "inherit", "pipe"],
  encoding: "utf8",
});
if (dump.error || dump.status !== 0) {
  rmSync(target, { recursive: true, force: true });
  fail(
    dump.error?.code === "ENOENT"
      ? "找不到 pg_dump / pg_dump not found: apt-get install -y postgresql-client"
      : `pg_dump 失败 / failed: ${dump.stderr.trim()}`,
  );
}

// After the dump (see the top): files referenced by the dump are all on disk already.
const files = storedFiles(filesDir);
const filesTar = join(target, "files.tar");
// A store that was never written to (a fresh system) gives an empty archive.
const tarArgs = existsSync(filesDir)
  ? ["--directory", filesDir, "--exclude=./.tmp", "."]
  : ["--files-from=/dev/null"];
const tar = spawnSync("tar", ["--create", "--file", filesTar, ...tarArgs], {
  stdio: ["ignore", "inherit", "pipe"],
  encoding: "utf8",
});
if (tar.status !== 0) {
  rmSync(target, { recursive: true, force: true });
  fail(`tar 失败 / failed: ${tar.stderr.trim()}`);
}

const manifest = {
  format: 1,
  createdAt: new Date().toISOString(),
  database: {
    file: "database.dump",
    format: "pg_dump custom",
    serverVersion,
    sha256: await sha256File(dumpFile),
    size: statSync(dumpFile).size,
  },
  migrations: { applied: applied.length, latest: latestTag ?? null },
  files: {
    file: "files.tar",
    count: files.length,
    bytes: files.reduce((sum, f) => sum + statSync(join(filesDir, f)).size, 0),
    sha256: await sha256File(filesTar),
    size: statSync(filesTar).size,
  },
};
writeFileSync(join(target, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

// Retention: the newest N complete backups stay (a folder without a manifest is a failed run; left alone).
if (keep > 0) {
  const complete = readdirSync(outDir)
    .filter((name) => /^titles-\d{8}T\d{6}Z$/.test(name) && existsSync(join(outDir, name, "manifest.json")))
    .sort();
  for (const old of complete.slice(0, Math.max(0, complete.length - keep))) {
    rmSync(join(outDir, old), { recursive: true, force: true });
    console.log(`[backup] 已删除旧备份 / removed old backup ${old}`);
  }
}

console.log(
  `[backup] 完成 / done: ${relative(root, target) || target} — migrations ${manifest.migrations.applied} (${manifest.migrations.latest}), ${manifest.files.count} files`,
);
console.log(`BACKUP_DIR=${target}`);
