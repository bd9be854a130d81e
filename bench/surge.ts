// bench:surge (issue 3): deadline day on this machine. Many applicants at once upload their photos
// of the stamped pages and confirm, against the real portal; a bare node:http server that streams
// the same bodies to disk is measured in the same run as the baseline. Loopback only; every loop is
// bounded in count and in time. Exits 0 when the measurement completed, whether or not a goal is met.
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { clientAgent, send } from "./lib/http";
import { type PhaseResult, runBaseline, runPortal, warmUp } from "./lib/load";
import { defaultShape, generatePhotos, type Photo, reencodeCpuMs } from "./lib/photos";
import { cpuSecondsOfTree, freePort, type Service, startService } from "./lib/processes";
import { fixed, MB, percentile, sum, table } from "./lib/stats";
import {
  countPending,
  type DatabaseKind,
  prepareApplicants,
  type RunningSystem,
  startSystem,
} from "./lib/system";
import { fetchServed, verifyBaseline, verifyPortal } from "./lib/verify";

const GOAL_RATIO = 0.5;
const GOAL_CONFIRM_P99_MS = 300;
const WARM_UP_PHOTOS = 3;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    applicants: { type: "string", default: "200" },
    photos: { type: "string", default: "30" },
    quick: { type: "boolean", default: false },
    parallel: { type: "string", default: "1" },
    "timeout-s": { type: "string", default: "60" },
    "max-minutes": { type: "string", default: "10" },
    keep: { type: "boolean", default: false },
    database: { type: "string", default: "embedded" },
  },
});
const applicantCount = args.quick ? 20 : Number(args.applicants);
const perApplicant = args.quick ? 10 : Number(args.photos);
const parallel = Number(args.parallel);
const timeoutMs = Number(args["timeout-s"]) * 1000;
const maxMs = Number(args["max-minutes"]) * 60_000;
const database = args.database as DatabaseKind;
if (database !== "embedded" && database !== "postgres") throw new Error("--database is embedded or postgres");
for (const [name, n, min] of [
  ["applicants", applicantCount, 1],
  ["photos", perApplicant, 3],
  ["parallel", parallel, 1],
] as const) {
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
}

const services: Service[] = [];
let system: RunningSystem | null = null;
let workDir: string | null = null;

async function cleanUp() {
  if (system) await system.stop().catch(() => {});
  for (const s of services.reverse()) await s.stop().catch(() => {});
  if (workDir && !args.keep) await rm(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`kept ${workDir}`);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping what the benchmark started…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const log = (text: string) => console.log(`[surge] ${text}`);
const seconds = (ms: number) => `${fixed(ms / 1000, 1)} s`;

interface Figures {
  uploads: number;
  failed: number;
  megabytes: number;
  uploadsPerS: number;
  mbPerS: number;
  wallMs: number;
}

function figures(result: PhaseResult): Figures {
  const ok = result.uploads.filter((u) => u.ok);
  const megabytes = sum(ok.map((u) => u.bytes)) / MB;
  const s = result.uploadWallMs / 1000;
  return {
    uploads: ok.length,
    failed: result.uploads.length - ok.length,
    megabytes,
    uploadsPerS: ok.length / s,
    mbPerS: megabytes / s,
    wallMs: result.uploadWallMs,
  };
}

const latency = (samples: number[]) => [fixed(percentile(samples, 50), 0), fixed(percentile(samples, 99), 0)];

async function main(): Promise<void> {
  const started = performance.now();
  const deadline = () => started + maxMs;
  log(
    `${applicantCount} applicants × ${perApplicant} photos, ${parallel} in flight per applicant; ` +
      `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${fixed(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}`,
  );

  const total = applicantCount * perApplicant;
  log(
    `making ${total + WARM_UP_PHOTOS} distinct photos (${defaultShape.width}×${defaultShape.height} JPEG)…`,
  );
  const photos = await generatePhotos(total + WARM_UP_PHOTOS);
  const photoOf = (applicant: number, j: number): Photo => photos[applicant * perApplicant + j]!;
  const warmPhotos = photos.slice(total);
  const photoBytes = sum(photos.slice(0, total).map((p) => p.bytes.length));
  log(
    `  ${fixed(photoBytes / MB, 0)} MiB to send, ${fixed(photoBytes / total / 1024, 0)} KiB a photo on average`,
  );
  const reencodeMs = await reencodeCpuMs(photos.slice(0, 20));
  log(`  the server's re-encoding costs ${fixed(reencodeMs, 1)} CPU-ms a photo (sharp, measured here)`);
  const plan = { applicants: applicantCount, perApplicant, photoOf };

  workDir = await mkdtemp(join(tmpdir(), "titles-bench-surge-"));
  // A PostgreSQL cluster inside runs as its own user, which must be able to reach it.
  await chmod(workDir, 0o755);

  // Baseline: the bare server in its own process, warmed up, then the same load.
  const baselineDir = join(workDir, "baseline");
  await mkdir(baselineDir);
  const baselinePort = await freePort();
  const baseline = await startService({
    name: "baseline",
    command: join(root, "node_modules/.bin/tsx"),
    args: [join(root, "bench/lib/baseline-server.ts"), baselineDir, String(baselinePort)],
    cwd: root,
    env: process.env,
    ready: /listening/,
    timeoutMs: 30_000,
  });
  services.push(baseline);
  const warmAgent = clientAgent(1);
  for (const [j, photo] of warmPhotos.entries()) {
    const res = await send({
      agent: warmAgent,
      port: baselinePort,
      method: "POST",
      path: `/upload/warm-${j}`,
      headers: { "Content-Length": String(photo.bytes.length) },
      body: photo.bytes,
      timeoutMs,
    });
    if (res.status !== 201) throw new Error(`baseline warm-up answered ${res.status}`);
  }
  warmAgent.destroy();
  log("baseline: bare node:http server streaming each body to its own file…");
  const base = await runBaseline(baselinePort, baseline.child.pid!, plan, {
    parallel,
    timeoutMs,
    deadline: deadline(),
  });
  await baseline.stop();
  const baseFig = figures(base);
  log(`  ${baseFig.uploads} uploads in ${seconds(base.uploadWallMs)}: ${fixed(baseFig.mbPerS)} MB/s`);
  const baseCheck = await verifyBaseline(baselineDir, base, photoOf);
  await rm(baselineDir, { recursive: true, force: true });

  log(`portal: ${database} database, migrations and demo seed, built web app (NODE_ENV=production)…`);
  system = await startSystem(root, join(workDir, "portal"), database);
  log(`  web on 127.0.0.1:${system.port}; preparing ${applicantCount} recommended applications…`);
  const applicants = await prepareApplicants(system, applicantCount + 1);
  const warmApplicant = applicants.pop()!;
  await warmUp(system, warmApplicant, warmPhotos, timeoutMs);
  log(`portal: ${applicantCount} applicants upload, attach and confirm at once…`);
  const portal = await runPortal(system, applicants, plan, { parallel, timeoutMs, deadline: deadline() });
  const portalFig = figures(portal);
  log(
    `  ${portalFig.uploads} uploads attached in ${seconds(portal.uploadWallMs)}: ${fixed(portalFig.mbPerS)} MB/s; ` +
      `all confirmed after ${seconds(portal.totalWallMs)}`,
  );
  log("waiting for the photo worker to re-encode what was received…");
  const drain = await waitForWorker(system, deadline());
  log(
    `  ${drain.pendingAtEnd} photos waiting when the surge ended; all processed ${seconds(drain.ms)} later`,
  );
  log("verifying every upload (database, file store, HTTP)…");
  const served = await fetchServed(system, applicants, portal);
  await system.web.stop();
  const check = await verifyPortal(system, applicants, perApplicant, portal, served, photoOf);
  await system.stop();
  system = null;

  report({ base, baseFig, baseCheck, portal, portalFig, check, reencodeMs, total, drain });
  log(`done in ${seconds(performance.now() - started)}`);
}

interface Drain {
  pendingAtEnd: number;
  ms: number;
  workerCpu: number;
}

/** Polls until the worker has no photo left (or the run's time is up); the worker's CPU meanwhile. */
async function waitForWorker(running: RunningSystem, until: number): Promise<Drain> {
  const started = performance.now();
  const cpuBefore = cpuSecondsOfTree(running.worker.child.pid!);
  const pendingAtEnd = await countPending(running);
  let pending = pendingAtEnd;
  while (pending > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    pending = await countPending(running);
  }
  if (pending > 0) throw new Error(`${pending} photos still waiting for the worker when the time was up`);
  return {
    pendingAtEnd,
    ms: performance.now() - started,
    workerCpu: cpuSecondsOfTree(running.worker.child.pid!) - cpuBefore,
  };
}

function report(r: {
  base: PhaseResult;
  baseFig: Figures;
  baseCheck: Awaited<ReturnType<typeof verifyBaseline>>;
  portal: PhaseResult;
  portalFig: Figures;
  check: Awaited<ReturnType<typeof verifyPortal>>;
  reencodeMs: number;
  total: number;
  drain: Drain;
}) {
  const ok = r.portal.uploads.filter((u) => u.ok);
  const confirms = r.portal.confirms.filter((c) => c.ok).map((c) => c.ms!);
  const ratio = r.portalFig.mbPerS / r.baseFig.mbPerS;
  const confirmP99 = percentile(confirms, 99);
  const cores = cpus().length;
  const cpuShare = (cpu: number, wallMs: number) =>
    `${fixed(cpu, 1)} s (${fixed((cpu / (wallMs / 1000) / cores) * 100, 0)}%)`;

  console.log("\n== bench:surge ==");
  console.log(
    table(
      ["figure", "baseline (bare node:http)", `portal (tus, attached on arrival, ${database} db)`],
      [
        [
          "uploads completed / planned",
          `${r.baseFig.uploads} / ${r.total}`,
          `${r.portalFig.uploads} / ${r.total}`,
        ],
        ["upload phase wall time", seconds(r.baseFig.wallMs), seconds(r.portalFig.wallMs)],
        ["uploads/s", fixed(r.baseFig.uploadsPerS), fixed(r.portalFig.uploadsPerS)],
        ["MB/s (MiB of photo bytes)", fixed(r.baseFig.mbPerS), fixed(r.portalFig.mbPerS)],
        [
          "one upload request p50 / p99 ms",
          latency(r.base.uploads.filter((u) => u.ok).map((u) => u.createMs!)).join(" / "),
          latency(ok.map((u) => u.createMs!)).join(" / "),
        ],
        ["confirm p50 / p99 ms", "—", latency(confirms).join(" / ")],
        ["confirmed / applicants", "—", `${confirms.length} / ${r.portal.confirms.length}`],
        [
          "failed requests",
          String(r.baseFig.failed),
          String(r.portalFig.failed + r.portal.confirms.length - confirms.length),
        ],
        [
          "server CPU (% of both cores)",
          cpuShare(r.base.cpu.baseline ?? 0, r.base.totalWallMs),
          cpuShare(r.portal.cpu.web ?? 0, r.portal.totalWallMs),
        ],
        ["database CPU", "—", cpuShare(r.portal.cpu.db ?? 0, r.portal.totalWallMs)],
        ["photo worker CPU (nice 19)", "—", cpuShare(r.portal.cpu.worker ?? 0, r.portal.totalWallMs)],
        [
          "client (this process) CPU",
          cpuShare(r.base.cpu.client, r.base.totalWallMs),
          cpuShare(r.portal.cpu.client, r.portal.totalWallMs),
        ],
      ],
    ),
  );
  const perUpload = (cpu: number | undefined) => fixed(((cpu ?? 0) * 1000) / Math.max(ok.length, 1), 1);
  console.log(
    `\nPer upload during the surge: web ${perUpload(r.portal.cpu.web)} CPU-ms, database ${perUpload(r.portal.cpu.db)} CPU-ms, ` +
      `worker ${perUpload(r.portal.cpu.worker)} CPU-ms. Re-encoding costs ${fixed(r.reencodeMs, 1)} CPU-ms a photo ` +
      `(sharp, measured here) and runs in the worker at the lowest priority: ${r.drain.pendingAtEnd} photos were ` +
      `still waiting when the surge ended, all re-encoded ${seconds(r.drain.ms)} later ` +
      `(worker CPU meanwhile ${fixed(r.drain.workerCpu, 1)} s).`,
  );

  console.log("\nVerified after the run:");
  for (const [what, n] of Object.entries(r.check.checked)) console.log(`  ${what}: ${n}`);
  for (const [what, n] of Object.entries(r.baseCheck.checked)) console.log(`  baseline ${what}: ${n}`);
  const problems = [...r.check.problems];
  const intact = problems.length === 0 && r.portalFig.uploads === r.total;
  if (problems.length > 0) {
    console.log("Problems:");
    for (const p of problems) console.log(`  - ${p}`);
  }
  if (r.baseCheck.problems.length > 0) {
    console.log("Baseline problems (the baseline figure is not trustworthy):");
    for (const p of r.baseCheck.problems) console.log(`  - ${p}`);
  }

  const verdict = (met: boolean) => (met ? "PASS" : "FAIL");
  console.log("\nGoals:");
  console.log(
    `  ${verdict(ratio >= GOAL_RATIO)}  MB/s ≥ ${GOAL_RATIO * 100}% of the baseline: ${fixed(r.portalFig.mbPerS)} / ${fixed(r.baseFig.mbPerS)} = ${fixed(ratio * 100, 1)}%`,
  );
  console.log(
    `  ${verdict(confirmP99 < GOAL_CONFIRM_P99_MS)}  confirm p99 < ${GOAL_CONFIRM_P99_MS} ms: ${fixed(confirmP99, 0)} ms`,
  );
  console.log(
    `  ${verdict(intact)}  zero lost or corrupted uploads: ${r.portalFig.uploads} of ${r.total} attached and verified, ${problems.length} problems`,
  );
}

try {
  await main();
  await cleanUp();
} catch (error) {
  console.error(
    `[surge] the benchmark itself failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
  );
  // Assigned inside main(): the compiler cannot see that from here.
  const running = system as RunningSystem | null;
  if (running) {
    console.error(
      `--- web ---\n${running.web.tail()}\n--- worker ---\n${running.worker.tail()}\n--- db ---\n${running.db.tail()}`,
    );
  }
  await cleanUp();
  process.exit(1);
}
