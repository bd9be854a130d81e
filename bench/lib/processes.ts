import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A child process the benchmark started and must stop. */
export interface Service {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, shown when something goes wrong. */
  tail(): string;
  stop(): Promise<void>;
}

/** A port the kernel just handed out on loopback; free again when this resolves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a process and resolves once a line matches `ready`; rejects if it exits first or stays
 * silent past `timeoutMs`. Output is kept (not printed) unless `echo` is set.
 */
export function startService(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  ready: RegExp;
  timeoutMs: number;
  echo?: boolean;
  /** PostgreSQL shuts down fast on SIGINT; SIGTERM waits for its clients. */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (the benchmark may run as root; PostgreSQL refuses to). */
  user?: { uid: number; gid: number };
}): Promise<Service> {
  const lines: string[] = [];
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...options.user,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const service: Service = {
    name: options.name,
    child,
    tail: () => lines.slice(-30).join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? "SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 8000);
      await exited;
      clearTimeout(killed);
    },
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (ready) return;
      void service.stop();
      reject(new Error(`${options.name} was not ready within ${options.timeoutMs} ms:\n${service.tail()}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (options.echo) console.log(`  [${options.name}] ${line}`);
        if (!ready && options.ready.test(line)) {
          ready = true;
          clearTimeout(timer);
          resolve(service);
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready:\n${service.tail()}`));
    });
  });
}

/** Runs a command to completion; throws with its output if it fails. */
export function runToCompletion(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number },
): void {
  try {
    execFileSync(command, args, { ...options, stdio: "pipe", maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

function readStat(pid: number): { ppid: number; cpuSeconds: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: fields are counted after it.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid, cpuSeconds: ticks / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) used so far by a process and its live descendants: `tsx` runs the
 * script in a child Node process, so the wrapper alone would show almost nothing.
 */
export function cpuSecondsOfTree(rootPid: number): number {
  const stats = new Map<number, { ppid: number; cpuSeconds: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  let total = 0;
  const pending = [rootPid];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += stats.get(pid)?.cpuSeconds ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === pid) pending.push(child);
  }
  return total;
}
