// The panel run's database: a throwaway database on the machine's PostgreSQL, migrated, with the
// meetings, experts (each with a portal session), applications and dossiers written through the
// repositories; afterwards, the check that every change the clients sent is in PostgreSQL.
import { randomBytes } from "node:crypto";
/** The portal's cookie name (apps/web/app/lib/auth.server.ts); apps are not imported from here. */
import {
  applicationRepository,
  createDb,
  type DbHandle,
  dossierRepository,
  fileRepository,
  installFieldKeys,
  lookupHash,
  meetingRepository,
  newFieldKey,
  newToken,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
  yjsRepository,
} from "@titles/db";
import { sql } from "drizzle-orm";
import * as Y from "yjs";
import type { RoomPlan } from "./plan";

const SERIES = "engineering";
const LEVEL = "intermediate";

/** Creates `name` on the server of `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = createDb({ url: adminUrl, max: 1 });
  try {
    await admin.db.execute(sql.raw(`create database ${name}`));
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = createDb({ url: adminUrl, max: 1 });
  try {
    await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
  } finally {
    await admin.close();
  }
}

export interface PanelFixture {
  rooms: RoomPlan[];
  sessionSecret: string;
}

/**
 * `meetings` review meetings of `experts` experts each (every expert its own user with the expert
 * role and a signed session cookie), one complete application on each agenda with its dossier
 * version 1, so `checkDocAccess` lets every member into `meeting:<m>:application:<a>:v1`.
 */
export async function preparePanel(
  url: string,
  shape: { meetings: number; experts: number },
): Promise<PanelFixture> {
  const handle: DbHandle = createDb({ url, max: 4 });
  try {
    await handle.migrate();
    const sessionSecret = randomBytes(32).toString("base64url");
    const lookupKey = randomBytes(32).toString("base64url");
    // The users written here are encrypted like any others; the panel never reads their numbers.
    installFieldKeys(newFieldKey());
    const now = new Date();
    const roundYear = now.getUTCFullYear();
    // A dossier row needs its PDF in `files`; the bytes themselves are never read here.
    const pdfSha = sha256(`bench:panel dossier ${now.toISOString()}`);
    await fileRepository.upsert(handle.db, {
      sha256: pdfSha,
      size: 1024,
      mime: "application/pdf",
      width: null,
      height: null,
      pages: 40,
    });
    let person = 0;
    const newUser = async (db: DbHandle["db"], name: string) => {
      person += 1;
      const idNumber = `bench-panel-${person}`;
      const phone = `137${String(person).padStart(8, "0")}`;
      return userRepository.insert(db, {
        name,
        idType: "mainland",
        idNumber,
        idNumberHash: lookupHash(lookupKey, idNumber),
        phone,
        phoneHash: lookupHash(lookupKey, phone),
        // Nobody logs in with a password here: each expert gets a session directly.
        passwordHash: "bench-no-password",
        phoneVerifiedAt: now,
      });
    };

    const rooms: RoomPlan[] = [];
    for (let m = 0; m < shape.meetings; m += 1) {
      const room = await handle.db.transaction(async (tx) => {
        const meeting = await meetingRepository.insert(tx, {
          roundYear,
          series: SERIES,
          level: LEVEL,
          kind: "review",
          title: `基准测试评审会 ${m + 1}`,
          venue: "",
          startsAt: now,
          agencyId: null,
        });
        const applicant = await newUser(tx, `申报人${m + 1}`);
        await userRepository.grantRole(tx, applicant.id, "applicant", null);
        const application = await applicationRepository.insert(tx, {
          applicantId: applicant.id,
          roundYear,
          windowId: "bench-panel",
          series: SERIES,
          level: LEVEL,
          track: "regular",
          state: "evaluating",
          at: now,
        });
        await meetingRepository.addApplication(tx, meeting.id, application.id);
        await dossierRepository.insert(tx, {
          applicationId: application.id,
          version: 1,
          fileSha256: pdfSha,
          pages: 40,
          outline: [],
          sourceDigest: "bench-panel",
          builtAt: now,
        });
        const members: RoomPlan["members"] = [];
        for (let e = 0; e < shape.experts; e += 1) {
          const name = `m${m + 1}e${e + 1}`;
          const expert = await newUser(tx, `专家${m + 1}-${e + 1}`);
          await userRepository.grantRole(tx, expert.id, "expert", null);
          await meetingRepository.addMember(tx, meeting.id, expert.id, "expert");
          const token = newToken();
          await sessionRepository.insert(tx, {
            userId: expert.id,
            tokenHash: sha256(token),
            userAgent: "bench:panel",
            at: now,
          });
          members.push({ name, cookie: `${SESSION_COOKIE}=${signToken(token, sessionSecret)}` });
        }
        return {
          doc: `meeting:${meeting.id}:application:${application.id}:v1`,
          members,
        } satisfies RoomPlan;
      });
      rooms.push(room);
    }
    return { rooms, sessionSecret };
  } finally {
    await handle.close();
  }
}

/** The server processes serving connections to this database right now (its backends' pids). */
export async function backendPids(url: string): Promise<number[]> {
  const handle = createDb({ url, max: 1 });
  try {
    const result = (await handle.db.execute(
      sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    )) as unknown as { rows: Array<{ pid: number }> };
    return result.rows.map((r) => Number(r.pid));
  } finally {
    await handle.close();
  }
}

/** This database's committed transactions and rows inserted so far (pg_stat_database). */
export async function databaseCounters(url: string): Promise<Record<string, number>> {
  const handle = createDb({ url, max: 1 });
  try {
    const result = (await handle.db.execute(
      sql`select xact_commit::float8 as xact, tup_inserted::float8 as inserted, tup_returned::float8 as returned
        from pg_stat_database where datname = current_database()`,
    )) as unknown as { rows: Array<{ xact: number; inserted: number; returned: number }> };
    const row = result.rows[0];
    return {
      transactions: Number(row?.xact ?? 0),
      rowsInserted: Number(row?.inserted ?? 0),
      rowsRead: Number(row?.returned ?? 0),
    };
  } finally {
    await handle.close();
  }
}

export interface PersistedCheck {
  docs: number;
  /** Annotations found in PostgreSQL (snapshot + updates merged), against the changes sent. */
  found: number;
  sent: number;
  updateRows: number;
  snapshots: number;
  problems: string[];
}

/**
 * Loads every document from PostgreSQL the way the panel does on first join (snapshot, then every
 * update) and counts its annotations: each change a client sent must be there.
 */
export async function checkPersisted(
  url: string,
  sentPerDoc: Record<string, number>,
): Promise<PersistedCheck> {
  const handle = createDb({ url, max: 2 });
  try {
    const problems: string[] = [];
    let found = 0;
    let sent = 0;
    for (const [doc, count] of Object.entries(sentPerDoc)) {
      const stored = await yjsRepository.loadDoc(handle.db, doc);
      const ydoc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(ydoc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(ydoc, u.update);
      const annotations = ydoc.getMap("annotations").size;
      found += Math.min(annotations, count);
      sent += count;
      if (annotations !== count) {
        problems.push(`${doc}: ${annotations} annotations in PostgreSQL, ${count} sent`);
      }
      ydoc.destroy();
    }
    const [rows] = (
      (await handle.db.execute(
        sql`select (select count(*) from yjs_updates)::int as updates, (select count(*) from yjs_snapshots)::int as snapshots`,
      )) as unknown as { rows: Array<{ updates: number; snapshots: number }> }
    ).rows;
    return {
      docs: Object.keys(sentPerDoc).length,
      found,
      sent,
      updateRows: Number(rows?.updates ?? 0),
      snapshots: Number(rows?.snapshots ?? 0),
      problems,
    };
  } finally {
    await handle.close();
  }
}
