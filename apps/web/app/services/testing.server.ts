// Shared by the portal's service tests: the demo seed in a fresh test database, its people as actors,
// a complete engineering form and stand-in materials.
import {
  type Db,
  DEMO_PASSWORD,
  demoLogins,
  fileRepository,
  lookupHash,
  materialRepository,
  seedDemo,
  userRepository,
} from "@titles/db";
import { createTestDb, queryRows, type TestDb } from "@titles/db/testing";
import type { Actor } from "~/lib/auth.server";

export const TEST_LOOKUP_KEY = "test-lookup-key-0123456789abcdefghij";

/** An instant given as Beijing local time, e.g. `shanghai("2026-11-24T10:00:00")`. */
export const shanghai = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

/** Every field of the engineering form filled in validly. */
export const completeForm = {
  gender: "male",
  education: "master",
  school: "北京工业大学",
  major: "土木工程",
  graduatedOn: "2010-07-01",
  workStartedOn: "2010-08-01",
  department: "设计一部",
  post: "项目负责人",
  specialty: "建筑工程",
  currentTitle: "intermediate",
  currentTitleOn: "2016-12-01",
  duties: "负责大型公共建筑结构设计。",
  achievements: "主持完成三项市级重点工程。",
  papers: "4",
  projects: "北京某体育馆结构设计",
  engineeringField: "construction",
};

/** The acting user behind a demo phone number, with their roles. */
export async function actorByPhone(db: Db, phone: string): Promise<Actor> {
  const found = await userRepository.findCredentialsByLookupHash(db, lookupHash(TEST_LOOKUP_KEY, phone));
  if (!found) throw new Error(`no demo user ${phone}`);
  return { sessionId: "s", user: found.user, roles: await userRepository.findRoles(db, found.user.id) };
}

/** A fresh test database with the demo seed (as of `seededAt`) and every demo person as an actor. */
export async function seededTestDb(
  target: "pglite" | "postgres",
  seededAt = shanghai("2026-11-27T09:00:00"),
): Promise<{ handle: TestDb; actors: Record<string, Actor> }> {
  const handle = await createTestDb(target);
  await seedDemo(handle.db, {
    hashPassword: async () => DEMO_PASSWORD,
    lookupKey: TEST_LOOKUP_KEY,
    now: seededAt,
  });
  const actors: Record<string, Actor> = {};
  for (const login of demoLogins) actors[login.phone] = await actorByPhone(handle.db, login.phone);
  return { handle, actors };
}

let stand = 0;

/** A material standing in for an upload: a files row (no bytes on disk) and the material. */
export async function addMaterial(
  db: Db,
  input: { applicationId: string; kind: string; uploadedBy: string; at: Date },
) {
  stand += 1;
  const sha = `${input.kind}-${stand}`.padEnd(64, "0");
  await fileRepository.upsert(db, {
    sha256: sha,
    size: 10,
    mime: "image/jpeg",
    width: 1,
    height: 1,
    pages: null,
  });
  return materialRepository.insert(db, {
    applicationId: input.applicationId,
    kind: input.kind,
    category: input.kind === "achievement" ? "papers" : null,
    caption: "",
    fileSha256: sha,
    thumbnailSha256: null,
    originalName: "a.jpg",
    uploadedBy: input.uploadedBy,
    at: input.at,
  });
}

type SqlValue = string | number | boolean | Date | null;
const literal = (v: SqlValue) =>
  v === null
    ? "null"
    : typeof v === "number" || typeof v === "boolean"
      ? String(v)
      : `'${(v instanceof Date ? v.toISOString() : v).replace(/'/g, "''")}'`;

/**
 * Raw SQL with quoted literals, for fixtures another part of the system writes (ballots by the panel,
 * rows a later step owns): `await rawSql(db)\`update … where id = ${id}\``.
 */
export function rawSql(db: Db) {
  return (strings: TemplateStringsArray, ...values: SqlValue[]) =>
    queryRows(
      db,
      strings.reduce((out, s, i) => out + s + (i < values.length ? literal(values[i] ?? null) : ""), ""),
    );
}
