// One system's run of bench:panel: the load generators as real child processes (their CPU measured
// like the server's), all started together, then the figures merged.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSecondsOfTree } from "../lib/processes";
import type { GeneratorPlan, GeneratorResult, RoomPlan, SystemKind } from "./plan";

export interface RunShape {
  periodMs: number;
  warmUpMs: number;
  measureMs: number;
  drainMs: number;
  generators: number;
}

export interface RunResult {
  system: SystemKind;
  clients: number;
  measureMs: number;
  results: GeneratorResult[];
  /** Delivery latency of every change sent in the window, to every other member (ms). */
  changes: Float64Array;
  cursors: Float64Array;
  /** Panel only: send → ack (committed) per change sent in the window. */
  acks: Float64Array;
  /** CPU seconds used during the measured window. */
  cpu: {
    server: number;
    generators: number;
    database: number | null;
    machineBusy: number;
    machineTotal: number;
  };
  connectMs: number;
  counters: Record<string, number>;
}

/** Busy and total CPU seconds of the whole machine so far (/proc/stat), to see what else ran. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const ticks = 100;
  return { busy: (total - idle) / ticks, total: total / ticks };
}

const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Generator {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<void>;
  tail(): string;
  kill(): Promise<void>;
}

function startGenerator(root: string, planPath: string, timeoutMs: number): Generator {
  const lines: string[] = [];
  const child = spawn(
    process.execPath,
    ["--max-old-space-size=4096", "--import", "tsx", join(root, "bench/panel-lib/generator.ts"), planPath],
    { cwd: root, env: process.env, stdio: ["pipe", "pipe", "pipe"] },
  );
  let onReady: () => void = () => {};
  let onDone: () => void = () => {};
  let onFail: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<void>((resolve, reject) => {
    onDone = resolve;
    onFail = reject;
  });
  // A generator that ends before `ready` fails the wait for it.
  const readyOrFail = Promise.race([
    ready,
    done.then(() => Promise.reject(new Error("generator ended early"))),
  ]);
  const timer = setTimeout(() => {
    onFail(new Error(`generator timed out after ${timeoutMs} ms:\n${lines.slice(-20).join("\n")}`));
    child.kill("SIGKILL");
  }, timeoutMs);
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (line.startsWith("ready")) onReady();
      if (line === "done") onDone();
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  child.once("exit", (code, signal) => {
    clearTimeout(timer);
    if (code === 0) onDone();
    else onFail(new Error(`generator exited (${code ?? signal}):\n${lines.slice(-20).join("\n")}`));
  });
  return {
    child,
    ready: readyOrFail,
    done,
    tail: () => lines.slice(-20).join("\n"),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // It exits by itself after `done`; give it a moment before the hard stop.
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Runs the generators against a started server; `dbPids` gives the database backends to measure. */
export async function runSystem(options: {
  root: string;
  dir: string;
  system: SystemKind;
  url: string;
  rooms: RoomPlan[];
  shape: RunShape;
  serverPid: number;
  dbPids?: () => Promise<number[]>;
  /** Counters read at the start and the end of the window; their differences are reported. */
  counters?: () => Promise<Record<string, number>>;
  log: (text: string) => void;
}): Promise<RunResult> {
  const { shape, system } = options;
  const count = Math.max(1, Math.min(shape.generators, options.rooms.length));
  const generators: Generator[] = [];
  const outs: string[] = [];
  const total = options.rooms.reduce((n, r) => n + r.members.length, 0);
  try {
    const connectStarted = clock();
    for (let g = 0; g < count; g += 1) {
      const out = join(options.dir, `${system}-${g}`);
      const plan: GeneratorPlan = {
        system,
        url: options.url,
        rooms: options.rooms.filter((_, i) => i % count === g),
        periodMs: shape.periodMs,
        warmUpMs: shape.warmUpMs,
        measureMs: shape.measureMs,
        drainMs: shape.drainMs,
        connectBatch: 50,
        out,
      };
      writeFileSync(`${out}.plan.json`, JSON.stringify(plan));
      outs.push(out);
      const limit = 120_000 + shape.warmUpMs + shape.measureMs + shape.drainMs + 15_000;
      generators.push(startGenerator(options.root, `${out}.plan.json`, limit));
    }
    await Promise.all(generators.map((g) => g.ready));
    const connectMs = clock() - connectStarted;
    options.log(`  ${total} clients joined and synced in ${(connectMs / 1000).toFixed(1)} s`);

    const startAt = clock() + 500;
    for (const g of generators) g.child.stdin?.write(`go ${startAt - clock()}\n`);
    const measureStart = startAt + shape.warmUpMs;
    const measureEnd = measureStart + shape.measureMs;
    const cpuNow = async () => {
      // The pool opens and closes connections: each backend alive now, with its CPU so far.
      const dbPids = options.dbPids ? await options.dbPids() : [];
      return {
        server: cpuSecondsOfTree(options.serverPid),
        database: new Map(dbPids.map((pid) => [pid, cpuSecondsOfTree(pid)])),
        machine: machineCpu(),
      };
    };
    await sleep(Math.max(0, measureStart - clock()));
    const before = await cpuNow();
    const countersBefore = options.counters ? await options.counters() : {};
    options.log(`  warm-up done; measuring ${shape.measureMs / 1000} s…`);
    await sleep(Math.max(0, measureEnd - clock()));
    const after = await cpuNow();
    const countersAfter = options.counters ? await options.counters() : {};
    options.log("  window closed; waiting for the last deliveries…");
    await Promise.all(generators.map((g) => g.done));

    const results = outs.map((o) => JSON.parse(readFileSync(`${o}.json`, "utf8")) as GeneratorResult);
    const read = (path: string) => {
      const buffer = readFileSync(path);
      return new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8);
    };
    const concat = (parts: Float64Array[]) => {
      const outArray = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        outArray.set(p, at);
        at += p.length;
      }
      return outArray;
    };
    return {
      system,
      clients: total,
      measureMs: shape.measureMs,
      results,
      changes: concat(outs.map((o) => read(`${o}.changes.f64`))),
      cursors: concat(outs.map((o) => read(`${o}.cursors.f64`))),
      acks: concat(outs.map((o) => read(`${o}.acks.f64`))),
      cpu: {
        server: after.server - before.server,
        generators: results.reduce((s, r) => s + r.cpuSeconds, 0),
        // A backend that closed during the window is missed; one opened during it counts whole.
        database: options.dbPids
          ? [...after.database].reduce((s, [pid, cpu]) => s + cpu - (before.database.get(pid) ?? 0), 0)
          : null,
        machineBusy: after.machine.busy - before.machine.busy,
        machineTotal: after.machine.total - before.machine.total,
      },
      connectMs,
      counters: Object.fromEntries(
        Object.entries(countersAfter).map(([k, v]) => [k, v - (countersBefore[k] ?? 0)]),
      ),
    };
  } catch (error) {
    for (const g of generators) {
      console.error(`--- generator ${g.child.pid} ---\n${g.tail()}`);
    }
    throw error;
  } finally {
    await Promise.all(generators.map((g) => g.kill()));
  }
}
