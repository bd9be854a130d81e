import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type DbHandle } from "@titles/db";
import { startEmbeddedServer } from "@titles/db/embedded";
import { queryRows } from "@titles/db/testing";
import { TEST_SECRET } from "./fixtures";

const PANEL_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A port nobody listens on right now (so a restarted process can take the same one again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface SharedDatabase {
  /** The URL a child process connects with. */
  url: string;
  label: string;
  /** A handle in the test process, for fixtures and assertions. */
  handle: DbHandle;
  close(): Promise<void>;
}

/**
 * A migrated database that child processes reach by URL: a new database on the TEST_DATABASE_URL
 * server, or the embedded PGlite served over the wire protocol.
 */
export async function sharedDatabase(target: "pglite" | "postgres"): Promise<SharedDatabase> {
  if (target === "postgres") {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error("TEST_DATABASE_URL is not set");
    const name = `titles_panel_${randomBytes(6).toString("hex")}`;
    await adminQuery(base, `create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = createDb({ url: url.toString(), max: 4 });
    await handle.migrate();
    return {
      url: url.toString(),
      label: "PostgreSQL",
      handle,
      async close() {
        await handle.close();
        await adminQuery(base, `drop database if exists ${name} with (force)`);
      },
    };
  }
  const embedded = await startEmbeddedServer({ port: 0 });
  const handle = createDb({ url: embedded.url, max: 4 });
  await handle.migrate();
  return {
    url: embedded.url,
    label: "PGlite (embedded server)",
    handle,
    async close() {
      await handle.close();
      await embedded.stop();
    },
  };
}

async function adminQuery(url: string, text: string) {
  const admin = createDb({ url, max: 1 });
  try {
    await queryRows(admin.db, text);
  } finally {
    await admin.close();
  }
}

export interface PanelProcess {
  url: string;
  port: number;
  readonly pid: number;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** kill -9: no shutdown handler runs. */
  crash(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Starts `apps/panel/server/main.ts` as its own Node process and waits until it listens. */
export async function startPanel(options: {
  databaseUrl: string;
  redisUrl?: string;
  port?: number;
}): Promise<PanelProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let log = "";

  async function launch() {
    child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: PANEL_DIR,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "test",
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        SESSION_SECRET: TEST_SECRET,
        PANEL_URL: url,
        PORTAL_URL: "http://127.0.0.1:1",
        PANEL_CLIENT: "none",
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`panel did not start:\n${log}`)), 30_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("panel listening on")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`panel exited with ${code}:\n${log}`));
      });
    });
  }

  function exited(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once("exit", () => resolve()));
  }

  await launch();
  return {
    url,
    port,
    get pid() {
      return child.pid!;
    },
    output: () => log,
    async crash() {
      const done = exited();
      child.kill("SIGKILL");
      await done;
    },
    async stop() {
      const done = exited();
      child.kill("SIGTERM");
      await done;
    },
    async restart() {
      await launch();
    },
  };
}

export const redisAvailable = existsSync("/usr/bin/redis-server");

export interface RedisProcess {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/** A throwaway redis-server on a free port, nothing saved to disk. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess;
  async function launch() {
    child = spawn("/usr/bin/redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis did not start:\n${log}`)), 10_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await done;
  }
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      await launch();
    },
  };
}
