import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A private PostgreSQL cluster on its own port and data folder, for faults that stop or kill the
 * database: the machine's shared server on :5432 is never touched. PostgreSQL refuses to run as
 * root, so under root the cluster belongs to the `postgres` user.
 */
export interface Cluster {
  port: number;
  url: string;
  dir: string;
  /** The postmaster's process id while it runs. */
  pid(): number | null;
  start(): void;
  /** `pg_ctl stop -m fast`: clients are disconnected, the server shuts down cleanly. */
  stop(): void;
  /** SIGKILL to the postmaster: its backends notice and exit; the next start runs crash recovery. */
  killPostmaster(): Promise<void>;
  /** Stops the server if it runs and removes the data folder. */
  remove(): Promise<void>;
}

const BIN = "/usr/lib/postgresql/15/bin";

function binary(name: string): string {
  const path = join(BIN, name);
  if (existsSync(path)) return path;
  return execFileSync("which", [name]).toString().trim();
}

function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString()),
  };
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined, cwd: string) {
  try {
    return execFileSync(command, args, {
      cwd,
      env: { ...process.env, LC_ALL: "C" },
      stdio: "pipe",
      ...(user ?? {}),
    }).toString();
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${command} ${args.join(" ")}: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** The children of a process (its backends, for a postmaster). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function createCluster(dir: string, port: number): Cluster {
  const user = owner();
  const data = join(dir, "pgdata");
  mkdirSync(data, { recursive: true });
  // The cluster's user must reach its folder.
  chmodSync(dir, 0o755);
  if (user) chownSync(data, user.uid, user.gid);
  run(
    binary("initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"],
    user,
    data,
  );
  const pgCtl = binary("pg_ctl");
  const options = `-p ${port} -h 127.0.0.1 -k ${data} -c max_connections=80`;
  const cluster: Cluster = {
    port,
    dir: data,
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    pid() {
      try {
        const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
        return pid && alive(pid) ? pid : null;
      } catch {
        return null;
      }
    },
    start() {
      run(
        pgCtl,
        ["-D", data, "-o", options, "-l", join(data, "server.log"), "-w", "-t", "60", "start"],
        user,
        data,
      );
    },
    stop() {
      run(pgCtl, ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"], user, data);
    },
    async killPostmaster() {
      const pid = cluster.pid();
      if (!pid) throw new Error("the postmaster is not running");
      const backends = childrenOf(pid);
      process.kill(pid, "SIGKILL");
      // Orphaned backends exit when they notice their postmaster is gone; a new postmaster cannot
      // start while they still hold the shared memory.
      const giveUp = Date.now() + 15_000;
      while ([pid, ...backends].some(alive) && Date.now() < giveUp) await sleep(100);
      for (const b of backends) if (alive(b)) process.kill(b, "SIGKILL");
      while ([pid, ...backends].some(alive)) await sleep(50);
    },
    async remove() {
      if (cluster.pid()) {
        try {
          cluster.stop();
        } catch {
          await cluster.killPostmaster().catch(() => {});
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
