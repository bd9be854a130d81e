import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  applicationRepository,
  createDb,
  type DbHandle,
  fieldKeysFromConfig,
  installFieldKeys,
  lookupHash,
  materialRepository,
  newToken,
  organisationRepository,
  roundRepository,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import {
  addDays,
  type FormField,
  formStepsFor,
  idCheckChar,
  shanghaiDate,
  tryWindowFor,
  validateForm,
  ZRoundConfig,
} from "@titles/domain";
import { freePort, runToCompletion, type Service, startService } from "./processes";

export { SESSION_COOKIE };

export interface RunningSystem {
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  lookupKey: string;
  filesDir: string;
  uploadsDir: string;
  db: Service;
  web: Service;
  worker: Service;
  stop(): Promise<void>;
}

export type DatabaseKind = "embedded" | "postgres";

/** The embedded PostgreSQL of `npm start`: PGlite over the wire protocol, on a free port. */
async function startEmbedded(root: string, dataDir: string): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const service = await startService({
    name: "db",
    command: join(root, "node_modules/.bin/tsx"),
    args: ["packages/db/src/bin/embedded-server.ts", join(dataDir, "pgdata"), String(port)],
    cwd: root,
    env: process.env,
    ready: /^ready /,
    timeoutMs: 60_000,
  });
  return { service, url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable` };
}

/**
 * A throwaway PostgreSQL cluster of the installed server (initdb into the data folder, loopback only,
 * trust for local connections), as production runs the portal: DATABASE_URL to a real server.
 */
async function startPostgres(dataDir: string): Promise<{ service: Service; url: string }> {
  const binDir = dirname(realpathSync(execFileSync("which", ["postgres"]).toString().trim()));
  const cluster = join(dataDir, "postgres");
  mkdirSync(cluster, { recursive: true });
  // PostgreSQL refuses to run as root: the cluster then belongs to the postgres user.
  let user: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    user = { uid, gid };
    chownSync(cluster, uid, gid);
  }
  runToCompletion(
    join(binDir, "initdb"),
    ["-D", cluster, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"],
    { cwd: cluster, env: { ...process.env, LC_ALL: "C" }, ...user },
  );
  const port = await freePort();
  const service = await startService({
    name: "db",
    command: join(binDir, "postgres"),
    args: ["-D", cluster, "-p", String(port), "-h", "127.0.0.1", "-k", cluster, "-c", "max_connections=50"],
    cwd: cluster,
    env: { ...process.env, LC_ALL: "C" },
    ready: /ready to accept connections/,
    timeoutMs: 60_000,
    stopSignal: "SIGINT",
    ...(user ? { user } : {}),
  });
  return { service, url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable` };
}

/**
 * The portal as `npm start` runs it (scripts/start.mjs), minus the panel: the database on a free port
 * and a fresh data folder (the embedded one by default), migrations and the demo seed, then the
 * built web app with NODE_ENV=production and the photo worker.
 */
export async function startSystem(
  root: string,
  dataDir: string,
  database: DatabaseKind,
): Promise<RunningSystem> {
  const bin = (name: string) => join(root, "node_modules", ".bin", name);
  if (!existsSync(join(root, "apps/web/build/server/index.js"))) {
    console.log("  building @titles/web (apps/web/build is missing)…");
    runToCompletion(bin("turbo"), ["run", "build", "--filter=@titles/web", "--output-logs=errors-only"], {
      cwd: root,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    });
  }
  const { service: db, url: databaseUrl } =
    database === "embedded" ? await startEmbedded(root, dataDir) : await startPostgres(dataDir);
  const started: Service[] = [db];
  try {
    const port = await freePort();
    const secrets = {
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      LOOKUP_HASH_KEY: randomBytes(32).toString("base64url"),
    };
    const shared = {
      ...process.env,
      ...secrets,
      DATABASE_URL: databaseUrl,
      FILES_DIR: join(dataDir, "files"),
      UPLOADS_DIR: join(dataDir, "uploads"),
      NODE_ENV: "production" as const,
      ALLOW_TEST_CLOCK: "false",
      PANEL_URL: "http://127.0.0.1:3001",
      PORT: String(port),
      // Two hundred applicants from one address: the per-address upload budget would stop the surge
      // (decision 0015); the per-session budgets still apply.
      RATE_LIMIT_ALLOW_IPS: "127.0.0.1,::1,::ffff:127.0.0.1",
    };
    // From apps/web, so that tsx reads its tsconfig (the `~/` paths of the app code the seed uses).
    runToCompletion(bin("tsx"), ["bin/seed.ts"], { cwd: join(root, "apps/web"), env: shared });
    const web = await startService({
      name: "web",
      command: bin("tsx"),
      args: ["server.ts"],
      cwd: join(root, "apps/web"),
      env: shared,
      ready: /listening/,
      timeoutMs: 60_000,
    });
    started.push(web);
    // The photo worker as `npm start` runs it: its own process, lowest CPU priority.
    const worker = await startService({
      name: "worker",
      command: bin("tsx"),
      args: ["worker.ts"],
      cwd: join(root, "apps/web"),
      env: shared,
      ready: /worker started/,
      timeoutMs: 60_000,
    });
    started.push(worker);
    return {
      port,
      databaseUrl: shared.DATABASE_URL,
      sessionSecret: secrets.SESSION_SECRET,
      lookupKey: secrets.LOOKUP_HASH_KEY,
      filesDir: shared.FILES_DIR,
      uploadsDir: shared.UPLOADS_DIR,
      db,
      web,
      worker,
      async stop() {
        await worker.stop();
        await web.stop();
        await db.stop();
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.stop();
    throw error;
  }
}

/** Photos received and not yet re-encoded by the worker. */
export async function countPending(system: RunningSystem): Promise<number> {
  const handle = createDb({ url: system.databaseUrl, max: 1 });
  try {
    return await materialRepository.countPending(handle.db);
  } finally {
    await handle.close();
  }
}

export interface Applicant {
  index: number;
  userId: string;
  applicationId: string;
  cookie: string;
}

/** A filled-in value that passes the field's own validation. */
function valueFor(field: FormField, index: number): string {
  switch (field.type) {
    case "text":
      return `基准测试${field.name}${index}`.slice(0, field.maxLength ?? 100);
    case "textarea":
      return `申报人 ${index} 的${field.label["zh-CN"]}：负责项目设计与实施，按期完成各项任务。`;
    case "date":
      return "2010-07-01";
    case "select":
      return field.options?.[0]?.value ?? "";
    case "number":
      return String(Math.max(field.min ?? 0, 3));
    default: {
      const never: never = field.type;
      return never;
    }
  }
}

const SERIES = "engineering";
const LEVEL = "intermediate";
const TRACK = "regular";

/**
 * Applicants as they stand on deadline day, written straight to the database: a verified user with
 * the applicant role and an employer, a complete form, an application the employer has publicised and
 * recommended (state `recommended`) in the demo round's open window, and a signed-in session each.
 */
export async function prepareApplicants(system: RunningSystem, count: number): Promise<Applicant[]> {
  const handle: DbHandle = createDb({ url: system.databaseUrl, max: 2 });
  // The web server's keys for ID and phone numbers (derived from LOOKUP_HASH_KEY, as it does).
  installFieldKeys(fieldKeysFromConfig({ LOOKUP_HASH_KEY: system.lookupKey }));
  try {
    const now = new Date();
    const active = await roundRepository.findActive(handle.db);
    if (!active) throw new Error("the seed left no active round");
    const round = ZRoundConfig.parse(active.config);
    const found = tryWindowFor(round, { series: SERIES, level: LEVEL, track: TRACK });
    if (!found.ok) throw new Error(`no window for ${SERIES}/${LEVEL}/${TRACK}: ${found.error.code}`);
    const employer = (await organisationRepository.findByKind(handle.db, "employer"))[0];
    if (!employer) throw new Error("the seed left no employer");
    const steps = formStepsFor(SERIES, LEVEL);
    const today = shanghaiDate(now);
    const applicants: Applicant[] = [];
    for (let index = 0; index < count; index += 1) {
      const form = Object.fromEntries(
        steps.flatMap((s) => s.fields.map((f) => [f.name, valueFor(f, index)] as const)),
      );
      const problems = validateForm(steps, form, "zh-CN", today);
      if (Object.keys(problems).length > 0) throw new Error(`incomplete form: ${JSON.stringify(problems)}`);
      const first17 = `11010819880101${String(index).padStart(3, "0")}`;
      const idNumber = `${first17}${idCheckChar(first17)}`;
      const phone = `139${String(index).padStart(8, "0")}`;
      const app = await handle.db.transaction(async (tx) => {
        const user = await userRepository.insert(tx, {
          name: `申报人${index}`,
          idType: "mainland",
          idNumber,
          idNumberHash: lookupHash(system.lookupKey, idNumber),
          phone,
          phoneHash: lookupHash(system.lookupKey, phone),
          // Nobody logs in with a password here: each applicant gets a session directly.
          passwordHash: "bench-no-password",
          phoneVerifiedAt: now,
        });
        await userRepository.grantRole(tx, user.id, "applicant", null);
        await userRepository.setEmployer(tx, user.id, employer.id);
        const inserted = await applicationRepository.insert(tx, {
          applicantId: user.id,
          roundYear: round.year,
          windowId: found.window.id,
          series: SERIES,
          level: LEVEL,
          track: TRACK,
          state: "recommended",
          at: now,
        });
        await applicationRepository.update(tx, inserted.id, {
          form,
          employerId: employer.id,
          publicityStart: addDays(today, -6),
          publicityEnd: addDays(today, -2),
          recommendation: "经公示无异议，同意推荐。",
          updatedAt: now,
        });
        return inserted;
      });
      const token = newToken();
      await sessionRepository.insert(handle.db, {
        userId: app.applicantId,
        tokenHash: sha256(token),
        userAgent: "bench:surge",
        at: now,
      });
      applicants.push({
        index,
        userId: app.applicantId,
        applicationId: app.id,
        cookie: `${SESSION_COOKIE}=${signToken(token, system.sessionSecret)}`,
      });
    }
    return applicants;
  } finally {
    await handle.close();
  }
}
