import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runToCompletion, type Service, startService } from "../../../bench/lib/processes";
import type { RunningSystem } from "../../../bench/lib/system";

export const root = join(import.meta.dirname, "..", "..", "..");
const node = join(root, "node_modules", ".bin", "node");
const tsx = join(root, "node_modules", ".bin", "tsx");

/**
 * A snapshot of the built web app for one portal: the build folder is shared with the e2e suite,
 * which may rebuild it while a fault test runs. Built first (turbo's cache makes that quick when the
 * sources did not change);
 * copied under the project (.data-faults, ignored), where the app's packages resolve.
 */
export function snapshotBuild(): string {
  const built = join(root, "apps/web/build");
  runToCompletion(
    join(root, "node_modules/.bin/turbo"),
    ["run", "build", "--filter=@titles/web", "--output-logs=errors-only"],
    { cwd: root, env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } },
  );
  for (let attempt = 0; ; attempt += 1) {
    const copy = join(root, ".data-faults", `build-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      cpSync(built, copy, { recursive: true });
      const index = readFileSync(join(copy, "server/index.js"), "utf8");
      // Whole only if every chunk the entry imports was there when copied.
      const chunks = [...index.matchAll(/from "\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
      if (chunks.length > 0 && chunks.every((c) => existsSync(join(copy, "server", c)))) return copy;
    } catch {
      // A rebuild under way: try again shortly.
    }
    rmSync(copy, { recursive: true, force: true });
    if (attempt >= 60) throw new Error("apps/web/build stayed incomplete for a minute");
    execFileSync("sleep", ["1"]);
  }
}

/**
 * Migrations and the demo seed on `databaseUrl`, as `npm start` loads them, with fresh secrets; answers
 * the environment the portal's processes (and the job passes) run with.
 */
export function seedDatabase(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    LOOKUP_HASH_KEY: randomBytes(32).toString("base64url"),
    CERTIFICATE_SIGNING_KEY: randomBytes(32).toString("base64url"),
    PAYMENT_SECRET: randomBytes(32).toString("base64url"),
    DATABASE_URL: databaseUrl,
    FILES_DIR: join(dataDir, "files"),
    UPLOADS_DIR: join(dataDir, "uploads"),
    NODE_ENV: "production",
    ALLOW_TEST_CLOCK: "false",
    PANEL_URL: "http://127.0.0.1:3399",
  };
  runToCompletion(tsx, ["bin/seed.ts"], { cwd: join(root, "apps/web"), env });
  return env;
}

export interface Portal extends RunningSystem {
  env: NodeJS.ProcessEnv;
  /** Starts the web server again (after a kill) on the same port, database and folders. */
  restartWeb(): Promise<Service>;
  /** SIGKILL to the web server process: no shutdown handler runs. */
  killWeb(): Promise<void>;
}

/**
 * The portal as production runs it, against `databaseUrl`: migrations and the demo seed, the built
 * web app (NODE_ENV=production) on `port` and, when asked, the photo worker. The servers run as plain
 * `node --import tsx` processes, so a SIGKILL reaches the server itself (the `tsx` launcher would
 * leave its child running).
 */
export async function startPortal(options: {
  databaseUrl: string;
  dataDir: string;
  port: number;
  worker: boolean;
  schedules?: boolean;
}): Promise<Portal> {
  const seeded = seedDatabase(options.databaseUrl, options.dataDir);
  const buildDir = snapshotBuild();
  const env: NodeJS.ProcessEnv = {
    ...seeded,
    JOB_SCHEDULES: options.schedules ? "on" : "off",
    PORT: String(options.port),
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    BUILD_DIR: buildDir,
  };
  const startWeb = () =>
    startService({
      name: "web",
      command: node,
      args: ["--import", "tsx", "server.ts"],
      cwd: join(root, "apps/web"),
      env,
      ready: /listening/,
      timeoutMs: 90_000,
    });
  const started: Service[] = [];
  let worker: Service | null = null;
  let web: Service;
  try {
    web = await startWeb();
    started.push(web);
    if (options.worker) {
      worker = await startService({
        name: "worker",
        command: node,
        args: ["--import", "tsx", "worker.ts"],
        cwd: join(root, "apps/web"),
        env,
        ready: /worker started/,
        timeoutMs: 90_000,
      });
      started.push(worker);
    }
  } catch (error) {
    for (const s of started) await s.stop();
    rmSync(buildDir, { recursive: true, force: true });
    throw error;
  }
  const portal: Portal = {
    env,
    port: options.port,
    databaseUrl: options.databaseUrl,
    sessionSecret: env.SESSION_SECRET!,
    lookupKey: env.LOOKUP_HASH_KEY!,
    filesDir: env.FILES_DIR!,
    uploadsDir: env.UPLOADS_DIR!,
    // Not a service of this portal: the cluster is stopped by its owner.
    db: { name: "db", child: web.child, tail: () => "", stop: async () => {} },
    web,
    worker: worker ?? { name: "worker", child: web.child, tail: () => "", stop: async () => {} },
    async restartWeb() {
      web = await startWeb();
      portal.web = web;
      return web;
    },
    async killWeb() {
      const child = web.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (worker) await worker.stop();
      await web.stop();
      rmSync(buildDir, { recursive: true, force: true });
    },
  };
  return portal;
}

/**
 * Installs the portal's field-encryption keys in this process (derived from its LOOKUP_HASH_KEY, as the
 * portal does without DATA_ENCRYPTION_KEY, and as the surge benchmark's applicants are written), so
 * that rows the test writes directly are readable by the servers and the other way round.
 */
export async function useKeysOf(portal: Pick<Portal, "env">): Promise<void> {
  const dbModule = (await import("@titles/db")) as unknown as Record<string, (value: unknown) => unknown>;
  if (!dbModule.installFieldKeys || !dbModule.fieldKeysFromConfig) return;
  dbModule.installFieldKeys(dbModule.fieldKeysFromConfig({ LOOKUP_HASH_KEY: portal.env.LOOKUP_HASH_KEY }));
}
