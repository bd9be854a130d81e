// The backup and restore scripts (scripts/backup.mjs, scripts/restore.mjs, docs/operations.md) run for real:
// pg_dump of a seeded database and its file store, restored into a fresh database and folder, then checked
// the way an operator would: same rows, intact audit chain, intact files, nothing to migrate, a login works.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, verifyAuditChain } from "./audit";
import { createDb, type DbHandle } from "./client";
import { lookupHash } from "./crypto";
import { createLocalFileStore } from "./file-store";
import { fileRepository } from "./repositories/materials";
import { userRepository } from "./repositories/users";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "./seed";
import { countRows, createTestDb, queryRows, type TestDb } from "./testing";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
// pg_dump needs a real PostgreSQL server: the embedded PGlite is a newer major version than any pg_dump
// here. Without TEST_DATABASE_URL this suite uses the machine's own server, the one CI uses.
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
process.env.TEST_DATABASE_URL ??= serverUrl;
const lookupKey = "backup-test-lookup-key-0123456789abcdef";

/** Runs one of the scripts as an operator would, with only the variables the docs name. */
function script(name: "backup" | "restore", args: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(root, "scripts", `${name}.mjs`), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    encoding: "utf8",
  });
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

async function onServer(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(text);
  await client.end();
}

const userTables = async (db: TestDb["db"]) =>
  (await queryRows(db, "select tablename from pg_tables where schemaname = 'public' order by tablename")).map(
    (r) => String(r.tablename),
  );

describe("backup and restore on PostgreSQL", () => {
  let source: TestDb;
  let sourceUrl: string;
  let restored: DbHandle | null = null;
  const restoredName = `titles_restore_${randomBytes(6).toString("hex")}`;
  let work = "";
  let sourceFiles = "";
  let restoredFiles = "";
  let backupDir = "";
  const stored: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "titles-backup-"));
    sourceFiles = join(work, "files");
    restoredFiles = join(work, "restored-files");
    source = await createTestDb("postgres").catch((error: Error) => {
      throw new Error(
        `PostgreSQL did not answer at ${new URL(serverUrl).host} (${error.message}): start it (see .ci/run) or set TEST_DATABASE_URL`,
      );
    });
    const [row] = await queryRows(source.db, "select current_database() as name");
    const url = new URL(serverUrl);
    url.pathname = `/${String(row!.name)}`;
    sourceUrl = url.toString();

    const now = new Date("2026-11-27T04:00:00Z");
    await seedDemo(source.db, { hashPassword: async (p) => `hashed:${p}`, lookupKey, now });
    const files = createLocalFileStore(sourceFiles);
    for (const text of ["申报材料 1", "评审结果 2", "证书 3"]) {
      const file = await files.putBuffer(Buffer.from(text));
      stored.push(file.sha256);
      await source.db.transaction(async (tx) => {
        await fileRepository.upsert(tx, {
          sha256: file.sha256,
          size: file.size,
          mime: "application/pdf",
          width: null,
          height: null,
          pages: 1,
        });
        await appendAudit(tx, {
          at: now,
          actorUserId: null,
          action: "file.store",
          objectType: "file",
          objectId: null,
          data: { sha256: file.sha256 },
        });
      });
    }
  });

  afterAll(async () => {
    await restored?.close();
    await onServer(`drop database if exists ${restoredName} with (force)`).catch(() => {});
    await source?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("backs up the database and the files with a manifest", () => {
    const run = script("backup", ["--out", join(work, "backups")], {
      DATABASE_URL: sourceUrl,
      FILES_DIR: sourceFiles,
    });
    expect(run.out).toContain("[backup] 完成 / done");
    expect(run.status).toBe(0);
    backupDir = run.out.match(/^BACKUP_DIR=(.+)$/m)![1]!;
    const manifest = JSON.parse(readFileSync(join(backupDir, "manifest.json"), "utf8"));
    const journal = JSON.parse(readFileSync(join(root, "packages/db/migrations/meta/_journal.json"), "utf8"));
    expect(manifest.migrations).toEqual({
      applied: journal.entries.length,
      latest: journal.entries.at(-1).tag,
    });
    expect(manifest.files.count).toBe(3);
    const dump = readFileSync(join(backupDir, "database.dump"));
    expect(manifest.database.sha256).toBe(createHash("sha256").update(dump).digest("hex"));
    // The custom format starts with its magic; ID numbers are in the dump (it is personal data: see the doc).
    expect(dump.subarray(0, 5).toString()).toBe("PGDMP");
  });

  it("refuses a damaged backup and a target that is not empty, restoring nothing", async () => {
    const damaged = join(work, "damaged");
    spawnSync("cp", ["-r", backupDir, damaged]);
    const dump = readFileSync(join(damaged, "database.dump"));
    dump.writeUInt8(dump.readUInt8(dump.length - 10) ^ 0xff, dump.length - 10);
    writeFileSync(join(damaged, "database.dump"), dump);
    const bad = script("restore", [damaged, "--create"], {
      DATABASE_URL: new URL(`/${restoredName}`, serverUrl).toString(),
      FILES_DIR: restoredFiles,
    });
    expect(bad.status).toBe(1);
    expect(bad.out).toContain("备份已损坏 / does not match the manifest");

    const overSource = script("restore", [backupDir], { DATABASE_URL: sourceUrl, FILES_DIR: restoredFiles });
    expect(overSource.status).toBe(1);
    expect(overSource.out).toContain("不是空的");
    expect(overSource.out).toContain("nothing was restored");
  });

  it("restores into a fresh database and folder that work like the original", async () => {
    const url = new URL(serverUrl);
    url.pathname = `/${restoredName}`;
    const run = script("restore", [backupDir, "--create"], {
      DATABASE_URL: url.toString(),
      FILES_DIR: restoredFiles,
    });
    expect(run.out).toContain("[restore] 完成并已核对 / restored and checked");
    expect(run.status).toBe(0);
    restored = createDb({ url: url.toString(), max: 2 });

    // Row counts, table by table.
    const tables = await userTables(source.db);
    expect(await userTables(restored.db)).toEqual(tables);
    expect(await countRows(restored.db, tables)).toEqual(await countRows(source.db, tables));

    // The audit chain, recomputed.
    const chain = await verifyAuditChain(restored.db);
    expect(chain).toEqual({ ok: true, count: 3 });

    // The files: every byte as named.
    const restoredStore = createLocalFileStore(restoredFiles);
    for (const sha of stored) {
      const bytes = readFileSync(restoredStore.path(sha));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
    }
    expect(readdirSync(restoredFiles).filter((d) => d !== ".tmp")).toHaveLength(
      new Set(stored.map((s) => s.slice(0, 2))).size,
    );

    // Nothing to migrate: running the migrations again applies none.
    const before = await queryRows(
      restored.db,
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    await restored.migrate();
    expect(
      await queryRows(restored.db, "select count(*)::int as n from drizzle.__drizzle_migrations"),
    ).toEqual(before);

    // A login-level query: the demo applicant found by the lookup hash of the phone, as sign-in does.
    const applicant = demoLogins.find((l) => l.role === "applicant")!;
    const found = await userRepository.findCredentialsByLookupHash(
      restored.db,
      lookupHash(lookupKey, applicant.phone),
    );
    expect(found?.user.name).toBe(applicant.name);
    expect(found?.passwordHash).toBe(`hashed:${DEMO_PASSWORD}`);
  });
});
