import type { Db } from "@titles/db";
import { type ConstructorOptions, PgBoss, type QueueOptions } from "pg-boss";
import { z } from "zod";
import type { DossierJobResult } from "~/dossiers/build.server";
import type { IssuanceJobResult } from "~/services/certificates.server";
import { type SweepResult, sweepDeadlines } from "./deadlines.server";
import { applyEvaluationResults, type EvaluationResultsResult } from "./evaluation-results.server";
import { type ResultFinalisationResult, runResultFinalisation } from "./result-finalisation.server";

/**
 * The scheduled jobs, on pg-boss (decision 0008): a queue per job in the application's own
 * PostgreSQL (or the embedded PGlite served over the wire protocol), a cron schedule per job, and
 * workers in whichever processes start the runner. Every job is idempotent, so a retry or a
 * second instance changes nothing.
 */

export const jobNames = [
  "deadline-sweep",
  "payment-reconcile",
  "dossier-build",
  "evaluation-results",
  "certificate-issuance",
  "result-finalisation",
] as const;
export type JobName = (typeof jobNames)[number];
export const ZJobName = z.enum(jobNames);

export type JobOutput =
  | SweepResult
  | ReconcileResult
  | DossierJobResult
  | EvaluationResultsResult
  | IssuanceJobResult
  | ResultFinalisationResult;

/** What each job answers. */
export interface JobOutputs {
  "deadline-sweep": SweepResult;
  "payment-reconcile": ReconcileResult;
  "dossier-build": DossierJobResult;
  "evaluation-results": EvaluationResultsResult;
  "certificate-issuance": IssuanceJobResult;
  "result-finalisation": ResultFinalisationResult;
}

/** What a reconciliation pass did: orders asked about, completed from the gateway's answer, failed. */
export interface ReconcileResult {
  checked: number;
  applied: number;
  failed: number;
}

/** What a job carries. `now` only from the test clock's on-demand runs (see `acceptJobClock`). */
const ZJobData = z.object({ now: z.string().datetime({ offset: true }).optional() }).strip();

export interface JobDeps {
  db: Db;
  /** The server's clock. */
  now: () => Date;
  log: (line: string) => void;
  /**
   * Asks the payment provider about the open fee orders and completes the paid ones whose callback
   * was lost (`reconcileOpenOrders`). Without it the reconciliation job does nothing.
   */
  reconcilePayments?: (now: Date) => Promise<ReconcileResult>;
  /**
   * Builds the evaluation dossiers that are missing or out of date, a bounded number per pass
   * (`buildMissingDossiers`). Without it the dossier job does nothing.
   */
  buildDossiers?: (now: Date) => Promise<DossierJobResult>;
  /**
   * Works through the queued and interrupted certificate issuances (`processIssuances`). Without it the
   * certificate job does nothing.
   */
  issueCertificates?: (now: Date) => Promise<IssuanceJobResult>;
}

interface JobDefinition {
  /** Cron expression (Asia/Shanghai). */
  cron: string;
  queue: QueueOptions;
  run(deps: JobDeps, now: Date): Promise<JobOutput>;
}

/**
 * Every job's queue: `expireInSeconds` is how long a pass may run before it counts as hung and is retried
 * (with backoff); a waiting pass older than an hour is dropped, because the next scheduled pass does the
 * same work, and finished ones are kept a day for inspection.
 */
function queueOptions(o: { expireInSeconds: number; retryLimit: number; retryDelay: number }): QueueOptions {
  return { ...o, retryBackoff: true, retentionSeconds: 3600, deleteAfterSeconds: 86_400 };
}

const definitions: Record<JobName, JobDefinition> = {
  // Every minute, so a deadline is acted on within a minute of 24:00 Beijing time.
  "deadline-sweep": {
    cron: "* * * * *",
    queue: queueOptions({ expireInSeconds: 600, retryLimit: 3, retryDelay: 10 }),
    run: (deps, now) => sweepDeadlines(deps.db, now, { log: deps.log }),
  },
  // Every five minutes: a payment whose callback never arrived is found by asking the gateway.
  "payment-reconcile": {
    cron: "*/5 * * * *",
    queue: queueOptions({ expireInSeconds: 600, retryLimit: 3, retryDelay: 30 }),
    run: async (deps, now) =>
      deps.reconcilePayments ? deps.reconcilePayments(now) : { checked: 0, applied: 0, failed: 0 },
  },
  // Every minute: an application that became complete, or whose correction changed its materials,
  // gets its (new) dossier; each pass builds a few, the next pass the rest.
  "dossier-build": {
    cron: "* * * * *",
    queue: queueOptions({ expireInSeconds: 900, retryLimit: 2, retryDelay: 30 }),
    run: async (deps, now) =>
      deps.buildDossiers ? deps.buildDossiers(now) : { checked: 0, built: 0, failed: 0 },
  },
  // Every minute: a result the chair signed reaches the application (passed or failed) and the applicant.
  "evaluation-results": {
    cron: "* * * * *",
    queue: queueOptions({ expireInSeconds: 600, retryLimit: 3, retryDelay: 10 }),
    run: (deps, now) => applyEvaluationResults(deps.db, now, { log: deps.log }),
  },
  // Every minute (and at once when the bureau starts one): bulk certificate issuance, resumed after a
  // crash. A pass may take minutes for a large batch; progress is committed chunk by chunk.
  "certificate-issuance": {
    cron: "* * * * *",
    queue: queueOptions({ expireInSeconds: 3600, retryLimit: 3, retryDelay: 10 }),
    run: async (deps, now) =>
      deps.issueCertificates ? deps.issueCertificates(now) : { issuances: 0, issued: 0, failed: 0 },
  },
  // Every minute: a batch whose publicity ended at 24:00 becomes final within a minute (open
  // complaints wait for their decision).
  "result-finalisation": {
    cron: "* * * * *",
    queue: queueOptions({ expireInSeconds: 600, retryLimit: 3, retryDelay: 10 }),
    run: (deps, now) => runResultFinalisation(deps.db, now, { log: deps.log }),
  },
};

export interface JobRunner {
  /** `pg-boss`, or `timer` when the queue could not start (see `startJobRunnerOrFallback`). */
  readonly kind: "pg-boss" | "timer";
  /**
   * Runs a job now, through the queue like a scheduled run, and waits for its result. `now` (test
   * clock only) is the instant the job judges by; without it the job reads the server's clock.
   */
  runNow<N extends JobName>(name: N, options?: { now?: Date; timeoutMs?: number }): Promise<JobOutputs[N]>;
  stop(): Promise<void>;
}

export interface JobRunnerOptions extends JobDeps {
  /** PostgreSQL URL (the real server, or the embedded PGlite over the wire protocol). */
  url: string;
  /**
   * Install the recurring schedules. Off, the schedules are removed and jobs run only on demand:
   * the e2e suite moves the clock, and a sweep at a moment it did not choose would lapse another
   * test's application.
   */
  schedules: boolean;
  /** Let an on-demand job carry the instant to judge by (ALLOW_TEST_CLOCK only). */
  acceptJobClock: boolean;
  /** pg-boss's own schema. */
  schema?: string;
  /** Connections pg-boss may hold. */
  max?: number;
  /** Faster polling and cron passes, for tests. */
  tuning?: Pick<ConstructorOptions, "cronMonitorIntervalSeconds" | "cronWorkerIntervalSeconds"> & {
    pollingIntervalSeconds?: number;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function judgeBy(options: JobRunnerOptions, name: JobName, data: unknown): Date {
  const parsed = ZJobData.safeParse(data ?? {});
  if (!parsed.success) throw new Error(`${name}: invalid job data`);
  if (parsed.data.now === undefined) return options.now();
  if (!options.acceptJobClock) {
    options.log(`[jobs] ${name}: a job carried its own clock, which is refused outside the test mode`);
    return options.now();
  }
  return new Date(parsed.data.now);
}

/** Starts pg-boss on `url`: creates the queues, registers the workers and (optionally) the schedules. */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema ?? "pgboss",
    max: options.max ?? 4,
    application_name: "titles-jobs",
    // pg-boss checks every key it is given, so unset ones must be absent rather than undefined.
    ...(options.tuning?.cronMonitorIntervalSeconds
      ? { cronMonitorIntervalSeconds: options.tuning.cronMonitorIntervalSeconds }
      : {}),
    ...(options.tuning?.cronWorkerIntervalSeconds
      ? { cronWorkerIntervalSeconds: options.tuning.cronWorkerIntervalSeconds }
      : {}),
  });
  // Without a listener an 'error' event would throw and end the process.
  boss.on("error", (error) => options.log(`[jobs] pg-boss: ${error.message}`));
  await boss.start();
  const workers = new Map<JobName, string>();
  try {
    for (const name of jobNames) {
      const definition = definitions[name];
      // `singleton`: at most one pass of a job active at a time, across every instance.
      await boss.createQueue(name, { policy: "singleton", ...definition.queue });
      const workerId = await boss.work(
        name,
        { pollingIntervalSeconds: options.tuning?.pollingIntervalSeconds ?? 2 },
        async ([job]) => (job ? definition.run(options, judgeBy(options, name, job.data)) : null),
      );
      workers.set(name, workerId);
      if (options.schedules) await boss.schedule(name, definition.cron, {}, { tz: "Asia/Shanghai" });
      else await boss.unschedule(name);
    }
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => {});
    throw error;
  }

  return {
    kind: "pg-boss",
    async runNow<N extends JobName>(
      name: N,
      { now, timeoutMs = 60_000 }: { now?: Date; timeoutMs?: number } = {},
    ): Promise<JobOutputs[N]> {
      const id = await boss.send(name, now ? { now: now.toISOString() } : {});
      if (!id) throw new Error(`${name}: the queue refused the job`);
      const workerId = workers.get(name);
      if (workerId) boss.notifyWorker(workerId);
      const giveUpAt = Date.now() + timeoutMs;
      while (Date.now() < giveUpAt) {
        const [job] = await boss.findJobs<object>(name, { id });
        if (job?.state === "completed") return job.output as JobOutputs[N];
        if (job?.state === "failed" || job?.state === "cancelled") {
          const output = job.output as { message?: string } | null;
          throw new Error(`${name} ${job.state}: ${output?.message ?? "no detail"}`);
        }
        await sleep(100);
      }
      throw new Error(`${name}: not finished within ${timeoutMs} ms`);
    },
    async stop() {
      // Lets a running pass finish (each application is its own transaction anyway).
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

/**
 * The fallback when pg-boss cannot start: the same idempotent jobs on an in-process timer, one pass
 * at a time in this process. Several processes may run it at once safely, only less economically.
 */
export function startTimerRunner(options: JobRunnerOptions, intervalMs = 60_000): JobRunner {
  let chain: Promise<unknown> = Promise.resolve();
  const run = (name: JobName, now?: Date) => {
    const pass = chain.then(() => definitions[name].run(options, now ?? options.now()));
    chain = pass.catch(() => {});
    return pass;
  };
  const timer = options.schedules
    ? setInterval(() => {
        for (const name of jobNames)
          run(name).catch((e) => options.log(`[jobs] ${name}: ${e instanceof Error ? e.message : e}`));
      }, intervalMs)
    : null;
  return {
    kind: "timer",
    runNow: <N extends JobName>(name: N, { now }: { now?: Date } = {}) =>
      run(name, options.acceptJobClock ? now : undefined) as Promise<JobOutputs[N]>,
    async stop() {
      if (timer) clearInterval(timer);
      await chain;
    },
  };
}

/** pg-boss, or, when it cannot start on this database, the timer with a log line that says why. */
export async function startJobRunnerOrFallback(options: JobRunnerOptions): Promise<JobRunner> {
  try {
    const runner = await startJobRunner(options);
    options.log(
      `[jobs] 任务队列已启动 / job queue started (pg-boss; schedules ${options.schedules ? "on" : "off: on demand only"})`,
    );
    return runner;
  } catch (error) {
    options.log(
      `[jobs] 任务队列未能启动，改用进程内定时器 / the job queue (pg-boss) did not start: ${
        error instanceof Error ? error.message : String(error)
      }; deadline sweeps run on an in-process timer instead`,
    );
    return startTimerRunner(options);
  }
}

// The route modules are bundled apart from server.ts, so the running instance is found through a
// process-wide key rather than a module variable.
const REGISTRY = Symbol.for("@titles/web/job-runner");
type Registry = { [REGISTRY]?: Promise<JobRunner> };

export function registerJobRunner(runner: Promise<JobRunner> | undefined): void {
  (globalThis as Registry)[REGISTRY] = runner;
}

/** The runner this process started, if any. */
export function registeredJobRunner(): Promise<JobRunner> | undefined {
  return (globalThis as Registry)[REGISTRY];
}
