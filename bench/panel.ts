// bench:panel (issue 5): live annotation on this machine. Meetings × experts clients, each a real
// Y.Doc with awareness on its own websocket, each making one annotation change and one cursor move a
// second, against three systems one after the other in the same run with the same workload: a bare
// socket.io broadcast (the floor), Hocuspocus with in-memory documents, and the panel server, which
// commits every update to PostgreSQL before it acknowledges or broadcasts it. The clients run in two
// load-generator processes (one saturates at 1,000 sockets) and the three systems take turns over
// three rounds; percentiles are over every round's samples (decision 0020). Loopback only; every
// loop is bounded in count and in time. Exits 0 when the measurement completed, whether or not a
// goal is met.
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort, type Service, startService } from "./lib/processes";
import { fixed, percentile, table } from "./lib/stats";
import {
  backendPids,
  checkPersisted,
  createDatabase,
  databaseCounters,
  dropDatabase,
  type PersistedCheck,
  preparePanel,
} from "./panel-lib/panel-db";
import { type RoomPlan, type SystemKind, systemLabels } from "./panel-lib/plan";
import { type RunResult, type RunShape, runSystem } from "./panel-lib/run";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    meetings: { type: "string", default: "40" },
    experts: { type: "string", default: "25" },
    seconds: { type: "string", default: "30" },
    "warm-up-s": { type: "string", default: "5" },
    "period-ms": { type: "string", default: "1000" },
    generators: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    only: { type: "string", default: "bare,hocuspocus,panel" },
    "database-url": { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    quick: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const meetings = args.quick ? 10 : Number(args.meetings);
const experts = args.quick ? 10 : Number(args.experts);
const shape: RunShape = {
  periodMs: Number(args["period-ms"]),
  warmUpMs: (args.quick ? 3 : Number(args["warm-up-s"])) * 1000,
  measureMs: (args.quick ? 10 : Number(args.seconds)) * 1000,
  drainMs: 10_000,
  generators: Number(args.generators),
};
for (const [name, n, min] of [
  ["meetings", meetings, 1],
  ["experts", experts, 2],
  ["seconds", shape.measureMs / 1000, 1],
  ["warm-up-s", shape.warmUpMs / 1000, 0],
  ["period-ms", shape.periodMs, 50],
  ["generators", shape.generators, 1],
  ["rounds", Number(args.rounds), 1],
] as const) {
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
}
const order: SystemKind[] = ["bare", "hocuspocus", "panel"];
const only = new Set(args.only.split(",").map((s) => s.trim()));
for (const s of only) if (!order.includes(s as SystemKind)) throw new Error(`--only: unknown system ${s}`);
const systems = order.filter((s) => only.has(s));
const rounds = args.quick ? 1 : Number(args.rounds);

const services: Service[] = [];
let workDir: string | null = null;
let database: string | null = null;

async function cleanUp() {
  for (const s of services.reverse()) await s.stop().catch(() => {});
  services.length = 0;
  if (database) await dropDatabase(args["database-url"], database).catch(() => {});
  database = null;
  if (workDir && !args.keep) await rm(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`kept ${workDir}`);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping what the benchmark started…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const log = (text: string) => console.log(`[panel-bench] ${text}`);
const tsx = join(root, "node_modules/.bin/tsx");

/** Synthetic rooms for the baselines: same counts and names as the panel's, no sessions needed. */
function syntheticRooms(): RoomPlan[] {
  return Array.from({ length: meetings }, (_, m) => ({
    doc: `bench-room-${m + 1}`,
    members: Array.from({ length: experts }, (_, e) => ({ name: `m${m + 1}e${e + 1}` })),
  }));
}

async function startServer(
  name: string,
  script: string,
  port: number,
  ready: RegExp,
  env: NodeJS.ProcessEnv = process.env,
  cwd = root,
): Promise<Service> {
  const service = await startService({
    name,
    command: tsx,
    args: [script, String(port)],
    cwd,
    env,
    ready,
    timeoutMs: 60_000,
  });
  services.push(service);
  return service;
}

async function stopServer(service: Service) {
  await service.stop();
  const i = services.indexOf(service);
  if (i >= 0) services.splice(i, 1);
}

interface PanelOutcome {
  run: RunResult | null;
  persisted: PersistedCheck | null;
  unavailable: string | null;
  health?: string;
}

async function runBare(): Promise<RunResult> {
  const port = await freePort();
  const server = await startServer("bare", join(root, "bench/panel-lib/bare-server.ts"), port, /listening/);
  log(`${systemLabels.bare}: ${meetings * experts} clients joining…`);
  try {
    return await runSystem({
      root,
      dir: workDir!,
      system: "bare",
      url: `http://127.0.0.1:${port}`,
      rooms: syntheticRooms(),
      shape,
      serverPid: server.child.pid!,
      log,
    });
  } finally {
    await stopServer(server);
  }
}

async function runHocuspocus(): Promise<RunResult> {
  const port = await freePort();
  const server = await startServer(
    "hocuspocus",
    join(root, "bench/panel-lib/hocuspocus-server.ts"),
    port,
    /listening/,
  );
  log(`${systemLabels.hocuspocus}: ${meetings * experts} clients joining…`);
  try {
    return await runSystem({
      root,
      dir: workDir!,
      system: "hocuspocus",
      url: `ws://127.0.0.1:${port}`,
      rooms: syntheticRooms(),
      shape,
      serverPid: server.child.pid!,
      log,
    });
  } finally {
    await stopServer(server);
  }
}

async function runPanel(): Promise<PanelOutcome> {
  const name = `bench_panel_${Date.now().toString(36)}_${process.pid}`;
  log(`panel: throwaway database ${name}, migrations, ${meetings} meetings × ${experts} experts…`);
  const url = await createDatabase(args["database-url"], name);
  database = name;
  const fixture = await preparePanel(url, { meetings, experts });
  const port = await freePort();
  const server = await startServer(
    "panel",
    "server/main.ts",
    port,
    /listening/,
    {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: url,
      SESSION_SECRET: fixture.sessionSecret,
      PORTAL_URL: "http://127.0.0.1:1",
      PANEL_URL: `http://127.0.0.1:${port}`,
      PANEL_CLIENT: "none",
    },
    join(root, "apps/panel"),
  );
  log(`${systemLabels.panel}: ${meetings * experts} clients joining…`);
  let run: RunResult;
  let health = "";
  try {
    run = await runSystem({
      root,
      dir: workDir!,
      system: "panel",
      url: `http://127.0.0.1:${port}`,
      rooms: fixture.rooms,
      shape,
      serverPid: server.child.pid!,
      dbPids: () => backendPids(url),
      counters: () => databaseCounters(url),
      log,
    });
  } catch (error) {
    console.error(`--- panel server ---\n${server.tail()}`);
    throw error;
  } finally {
    // The server's own view: commit batches and dropped frames (its health route).
    health = await fetch(`http://127.0.0.1:${port}/healthz/documents`)
      .then((r) => (r.ok ? r.text() : `${r.status}`))
      .catch((error: Error) => error.message);
    if (run! && run.results.some((r) => r.ackFailures > 0 || r.errors.length > 0)) {
      console.log(`--- the panel server's last lines ---\n${server.tail()}`);
    }
    await stopServer(server);
  }
  log("verifying that every change sent is in PostgreSQL (snapshot + updates, per document)…");
  const sentPerDoc = Object.assign({}, ...run.results.map((r) => r.sentPerDoc)) as Record<string, number>;
  const persisted = await checkPersisted(url, sentPerDoc);
  await dropDatabase(args["database-url"], name);
  database = null;
  return { run, persisted, unavailable: null, health };
}

/** Whether the panel server in the tree serves documents at all (the yjs part is being built). */
async function panelAvailable(): Promise<string | null> {
  const { readFile } = await import("node:fs/promises");
  const socket = await readFile(join(root, "apps/panel/server/socket.ts"), "utf8").catch(() => "");
  const documents = await readFile(join(root, "apps/panel/server/yjs/documents.ts"), "utf8").catch(() => "");
  if (!documents.includes("DOC_JOIN") || !socket.includes("documents")) {
    return "the panel server registers no document handlers (doc:join) yet";
  }
  return null;
}

const ms = (v: number) => (v === Number.POSITIVE_INFINITY ? "never" : fixed(v, 1));
const pct = (samples: Float64Array, p: number) => percentile(Array.from(samples), p);
/**
 * A change delivery percentile that counts every delivery that never came (by the end of the drain)
 * as infinitely late, so a system that drops or stalls cannot look fast on what it did deliver.
 */
const sorted = new WeakMap<RunResult, Float64Array>();
function sortedChanges(r: RunResult): Float64Array {
  let out = sorted.get(r);
  if (!out) {
    out = Float64Array.from(r.changes).sort();
    sorted.set(r, out);
  }
  return out;
}

function deliveryPct(r: RunResult, p: number): number {
  const expected = r.results.reduce((n, g) => n + g.expectedDeliveries, 0);
  const missing = Math.max(0, expected - r.changes.length);
  const total = r.changes.length + missing;
  if (total === 0) return Number.NaN;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  if (rank > r.changes.length) return Number.POSITIVE_INFINITY;
  return sortedChanges(r)[rank - 1]!;
}

/** One system's rounds as one run: every sample, generator result and CPU second of all rounds. */
function pooled(parts: RunResult[]): RunResult {
  const first = parts[0]!;
  const concat = (pick: (r: RunResult) => Float64Array) => {
    const out = new Float64Array(parts.reduce((n, r) => n + pick(r).length, 0));
    let at = 0;
    for (const r of parts) {
      out.set(pick(r), at);
      at += pick(r).length;
    }
    return out;
  };
  const total = (pick: (r: RunResult) => number) => parts.reduce((n, r) => n + pick(r), 0);
  const counters: Record<string, number> = {};
  for (const r of parts)
    for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
  return {
    system: first.system,
    clients: first.clients,
    measureMs: total((r) => r.measureMs),
    results: parts.flatMap((r) => r.results),
    changes: concat((r) => r.changes),
    cursors: concat((r) => r.cursors),
    acks: concat((r) => r.acks),
    cpu: {
      server: total((r) => r.cpu.server),
      generators: total((r) => r.cpu.generators),
      database: first.cpu.database === null ? null : total((r) => r.cpu.database ?? 0),
      machineBusy: total((r) => r.cpu.machineBusy),
      machineTotal: total((r) => r.cpu.machineTotal),
    },
    connectMs: Math.max(...parts.map((r) => r.connectMs)),
    counters,
  };
}

function pooledPanel(parts: PanelOutcome[]): PanelOutcome | null {
  if (parts.length === 0) return null;
  const checks = parts.map((o) => o.persisted).filter((c): c is PersistedCheck => c !== null);
  const persisted =
    checks.length === 0
      ? null
      : {
          docs: checks.reduce((n, c) => n + c.docs, 0),
          found: checks.reduce((n, c) => n + c.found, 0),
          sent: checks.reduce((n, c) => n + c.sent, 0),
          updateRows: checks.reduce((n, c) => n + c.updateRows, 0),
          snapshots: checks.reduce((n, c) => n + c.snapshots, 0),
          problems: checks.flatMap((c) => c.problems),
        };
  return {
    run: null,
    persisted,
    unavailable: parts[0]!.unavailable,
    health: parts
      .map((o, i) => (o.health ? `round ${i + 1}: ${o.health}` : ""))
      .filter(Boolean)
      .join("\n  "),
  };
}

function report(perRound: RunResult[][], panel: PanelOutcome | null) {
  const runs = systems
    .map((s) => perRound.map((round) => round.find((r) => r.system === s)).filter((r) => r !== undefined))
    .filter((parts) => parts.length > 0)
    .map(pooled);
  const cores = cpus().length;
  const by = new Map(runs.map((r) => [r.system, r]));
  const cols = systems;
  const sum = (
    r: RunResult,
    key:
      | "sentInWindow"
      | "expectedDeliveries"
      | "deliveries"
      | "awarenessDeliveries"
      | "expectedAwarenessDeliveries"
      | "notConverged"
      | "disconnects"
      | "acked"
      | "ackFailures"
      | "sentTotal",
  ) => r.results.reduce((n, g) => n + g[key], 0);
  const cell = (s: SystemKind, f: (r: RunResult) => string) => {
    const r = by.get(s);
    if (r) return f(r);
    return s === "panel" && panel?.unavailable ? "not available yet" : "—";
  };
  const share = (cpu: number, r: RunResult) =>
    `${fixed(cpu, 1)} s (${fixed((cpu / (r.measureMs / 1000) / cores) * 100, 0)}%)`;
  const rows: string[][] = [
    ["clients (sockets)", ...cols.map((s) => cell(s, (r) => String(r.clients)))],
    [
      "changes sent in the window / planned",
      ...cols.map((s) =>
        cell(
          s,
          (r) => `${sum(r, "sentInWindow")} / ${Math.round((r.clients * r.measureMs) / shape.periodMs)}`,
        ),
      ),
    ],
    [
      "change delivery p50 ms (undelivered = never)",
      ...cols.map((s) => cell(s, (r) => ms(deliveryPct(r, 50)))),
    ],
    ["change delivery p99 ms", ...cols.map((s) => cell(s, (r) => ms(deliveryPct(r, 99))))],
    [
      "change delivery p99 ms, each round",
      ...cols.map((s) =>
        cell(s, () =>
          perRound
            .map((round) => round.find((r) => r.system === s))
            .map((r) => (r ? ms(deliveryPct(r, 99)) : "—"))
            .join(" · "),
        ),
      ),
    ],
    ["change delivery max ms", ...cols.map((s) => cell(s, (r) => ms(deliveryPct(r, 100))))],
    [
      "deliveries/s (changes to members)",
      ...cols.map((s) => cell(s, (r) => fixed(r.changes.length / (r.measureMs / 1000), 0))),
    ],
    [
      "deliveries recorded / expected",
      ...cols.map((s) => cell(s, (r) => `${sum(r, "deliveries")} / ${sum(r, "expectedDeliveries")}`)),
    ],
    [
      "cursor delivery p50 / p99 ms",
      ...cols.map((s) => cell(s, (r) => `${ms(pct(r.cursors, 50))} / ${ms(pct(r.cursors, 99))}`)),
    ],
    [
      "cursor deliveries/s",
      ...cols.map((s) => cell(s, (r) => fixed(r.cursors.length / (r.measureMs / 1000), 0))),
    ],
    [
      "ack (committed) p50 / p99 ms",
      ...cols.map((s) =>
        cell(s, (r) => (s === "panel" ? `${ms(pct(r.acks, 50))} / ${ms(pct(r.acks, 99))}` : "no ack")),
      ),
    ],
    ["server CPU (% of all cores)", ...cols.map((s) => cell(s, (r) => share(r.cpu.server, r)))],
    [
      "database backends CPU",
      ...cols.map((s) => cell(s, (r) => (r.cpu.database === null ? "—" : share(r.cpu.database, r)))),
    ],
    ["load generator(s) CPU", ...cols.map((s) => cell(s, (r) => share(r.cpu.generators, r)))],
    [
      "whole machine CPU busy",
      ...cols.map((s) => cell(s, (r) => `${fixed((r.cpu.machineBusy / r.cpu.machineTotal) * 100, 0)}%`)),
    ],
    [
      "of which other processes (not this run)",
      ...cols.map((s) =>
        cell(s, (r) => {
          const ours = r.cpu.server + r.cpu.generators + (r.cpu.database ?? 0);
          return `${fixed((Math.max(0, r.cpu.machineBusy - ours) / r.cpu.machineTotal) * 100, 0)}%`;
        }),
      ),
    ],
    [
      "generator event-loop delay p99 / max (from warm-up)",
      ...cols.map((s) =>
        cell(
          s,
          (r) =>
            `${ms(Math.max(...r.results.map((g) => g.loopDelayP99Ms)))} / ${ms(Math.max(...r.results.map((g) => g.loopDelayMaxMs)))} ms`,
        ),
      ),
    ],
    [
      "changes sent late vs schedule p99 / max",
      ...cols.map((s) =>
        cell(
          s,
          (r) =>
            `${ms(Math.max(...r.results.map((g) => g.sendLateP99Ms)))} / ${ms(Math.max(...r.results.map((g) => g.sendLateMaxMs)))} ms`,
        ),
      ),
    ],
    ["clients not converged after drain", ...cols.map((s) => cell(s, (r) => String(sum(r, "notConverged"))))],
    ["disconnects during the run", ...cols.map((s) => cell(s, (r) => String(sum(r, "disconnects"))))],
    ["join + sync of all clients", ...cols.map((s) => cell(s, (r) => `${fixed(r.connectMs / 1000, 1)} s`))],
  ];
  console.log("\n== bench:panel ==");
  console.log(
    `${meetings} meetings × ${experts} experts = ${meetings * experts} sockets; one change and one cursor move ` +
      `every ${shape.periodMs} ms per client; warm-up ${shape.warmUpMs / 1000} s, window ${shape.measureMs / 1000} s; ` +
      `${cores} CPUs, load generators: ${shape.generators}; ${rounds} round(s), each system once a round ` +
      "in a rotating order, percentiles over the samples of all rounds",
  );
  console.log(table(["figure", ...cols.map((s) => systemLabels[s])], rows));

  const problems: string[] = [];
  for (const r of runs)
    for (const g of r.results) for (const e of g.errors) problems.push(`${r.system}: ${e}`);
  const p = by.get("panel");
  if (p) {
    const acked = sum(p, "acked");
    const failures = sum(p, "ackFailures");
    console.log(
      `\nPanel acks: ${acked} of ${sum(p, "sentTotal")} updates acked as committed, ${failures} refused or timed out.`,
    );
  }
  if (panel?.persisted) {
    const c = panel.persisted;
    console.log(
      `PostgreSQL after the run: ${c.found} of ${c.sent} annotations found in ${c.docs} documents ` +
        `(${c.updateRows} update rows, ${c.snapshots} snapshots).`,
    );
    for (const q of c.problems.slice(0, 10)) problems.push(`persisted: ${q}`);
  }
  if (p) {
    const c = p.counters;
    const perS = (n: number | undefined) => fixed((n ?? 0) / (p.measureMs / 1000), 0);
    console.log(
      `Panel database in the window: ${perS(c.transactions)} transactions/s, ${perS(c.rowsInserted)} rows inserted/s, ` +
        `${perS(c.rowsRead)} rows read/s.`,
    );
  }
  for (const r of runs) {
    const reasons: Record<string, number> = {};
    for (const g of r.results) {
      for (const [k, v] of Object.entries(g.disconnectReasons)) reasons[k] = (reasons[k] ?? 0) + v;
    }
    if (Object.keys(reasons).length > 0) console.log(`Disconnects (${r.system}): ${JSON.stringify(reasons)}`);
  }
  if (panel?.health)
    console.log(`Panel /healthz/documents after each round:\n  ${panel.health.slice(0, 2000)}`);
  if (problems.length > 0) {
    console.log("Problems:");
    for (const q of problems.slice(0, 20)) console.log(`  - ${q}`);
  }

  console.log("\nGoals:");
  const verdict = (met: boolean) => (met ? "PASS" : "FAIL");
  const bare = by.get("bare");
  const hocus = by.get("hocuspocus");
  if (!p) {
    console.log(
      `  —  panel run ${panel?.unavailable ? `not available yet: ${panel.unavailable}` : "not run"}`,
    );
    return;
  }
  const panelP99 = deliveryPct(p, 99);
  if (hocus) {
    const h = deliveryPct(hocus, 99);
    console.log(`  ${verdict(panelP99 <= h)}  panel p99 ≤ Hocuspocus p99: ${ms(panelP99)} ms vs ${ms(h)} ms`);
  }
  if (bare) {
    const b = deliveryPct(bare, 99);
    console.log(
      `  ${verdict(panelP99 <= 2 * b)}  panel p99 ≤ 2 × bare p99: ${ms(panelP99)} ms vs 2 × ${ms(b)} = ${ms(2 * b)} ms`,
    );
  }
  if (panel?.persisted) {
    const c = panel.persisted;
    const stored = c.found === c.sent && c.problems.length === 0;
    console.log(`  ${verdict(stored)}  every change sent is in PostgreSQL: ${c.found} / ${c.sent}`);
    const acked = sum(p, "acked");
    const total = sum(p, "sentTotal");
    console.log(
      `  ${verdict(acked === total)}  every update acked as committed (within 10 s): ${acked} / ${total}`,
    );
  }
}

async function main() {
  const started = performance.now();
  log(
    `${meetings} meetings × ${experts} experts; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ` +
      `${fixed(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}, load ${loadavg()
        .map((l) => fixed(l, 2))
        .join(" ")}`,
  );
  workDir = await mkdtemp(join(tmpdir(), "titles-bench-panel-"));
  const perRound: RunResult[][] = [];
  const panelRounds: PanelOutcome[] = [];
  // The systems take turns, first in one round and last in another, so that neither the order nor
  // what else the machine did for a minute favours one of them.
  for (let round = 0; round < rounds; round++) {
    const runs: RunResult[] = [];
    perRound.push(runs);
    const turn = systems.map((_, i) => systems[(i + round) % systems.length]!);
    if (rounds > 1) log(`round ${round + 1} of ${rounds}: ${turn.join(", ")}`);
    for (const system of turn) {
      if (system === "bare") runs.push(await runBare());
      if (system === "hocuspocus") runs.push(await runHocuspocus());
      if (system === "panel") {
        const unavailable = await panelAvailable();
        if (unavailable) {
          log(`panel: not available yet (${unavailable})`);
          panelRounds.push({ run: null, persisted: null, unavailable });
        } else {
          const outcome = await runPanel();
          panelRounds.push(outcome);
          if (outcome.run) runs.push(outcome.run);
        }
      }
      const last = runs.at(-1);
      if (last && last.system === system) {
        log(
          `  ${systemLabels[system]}: p50 ${ms(deliveryPct(last, 50))} ms, p99 ${ms(deliveryPct(last, 99))} ms, ` +
            `${fixed(last.changes.length / (last.measureMs / 1000), 0)} deliveries/s`,
        );
      }
    }
  }
  report(perRound, pooledPanel(panelRounds));
  log(`done in ${fixed((performance.now() - started) / 1000, 0)} s`);
}

try {
  await main();
  await cleanUp();
} catch (error) {
  console.error(
    `[panel-bench] the benchmark itself failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
  );
  for (const s of services) console.error(`--- ${s.name} ---\n${s.tail()}`);
  await cleanUp();
  process.exit(1);
}
