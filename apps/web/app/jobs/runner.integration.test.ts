import { randomBytes } from "node:crypto";
import {
  applicationRepository,
  createDb,
  type DbHandle,
  DEMO_PASSWORD,
  demoRound,
  seedDemo,
  userRepository,
} from "@titles/db";
import { type EmbeddedServer, startEmbeddedServer } from "@titles/db/embedded";
import { queryRows } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type JobRunner,
  type JobRunnerOptions,
  startJobRunner,
  startJobRunnerOrFallback,
} from "./runner.server";

const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);
const SEEDED = at("2026-11-27T09:00:00");
const round = demoRound(SEEDED);
const DEADLINE = "2026-12-01";
const BEFORE = at("2026-12-01T12:00:00");
const AFTER = at("2026-12-02T08:00:00");

/** A database the runner reaches by URL, as the web server does: the embedded server, or a real one. */
interface Target {
  url: string;
  close(): Promise<void>;
}

async function embeddedTarget(): Promise<Target> {
  const server: EmbeddedServer = await startEmbeddedServer({ port: 0 });
  return { url: server.url, close: () => server.stop() };
}

/** A database of its own on the PostgreSQL server, dropped again afterwards. */
async function postgresTarget(base: string): Promise<Target> {
  const name = `titles_jobs_${randomBytes(6).toString("hex")}`;
  const onServer = async (statement: string) => {
    const admin = createDb({ url: base, max: 1 });
    try {
      await queryRows(admin.db, statement);
    } finally {
      await admin.close();
    }
  };
  await onServer(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), close: () => onServer(`drop database if exists ${name} with (force)`) };
}

const targets: Array<[string, () => Promise<Target>]> = [
  ["the embedded PGlite server", embeddedTarget],
  ...(process.env.TEST_DATABASE_URL
    ? [
        ["PostgreSQL", () => postgresTarget(process.env.TEST_DATABASE_URL!)] as [
          string,
          () => Promise<Target>,
        ],
      ]
    : []),
];

const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe.each(targets)("the job runner (pg-boss) on %s", (_label, makeTarget) => {
  let target: Target;
  let handle: DbHandle;
  let serial = 0;
  const lines: string[] = [];
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    target = await makeTarget();
    handle = createDb({ url: target.url, max: 4 });
    await handle.migrate();
    await seedDemo(handle.db, {
      hashPassword: async () => DEMO_PASSWORD,
      lookupKey: "k".repeat(32),
      now: SEEDED,
    });
  });
  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await handle.close();
    await target.close();
  });

  const options = (overrides: Partial<JobRunnerOptions>): JobRunnerOptions => ({
    url: target.url,
    db: handle.db,
    now: () => AFTER,
    log: (line) => lines.push(line),
    schedules: false,
    acceptJobClock: false,
    tuning: { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
    ...overrides,
  });
  const start = async (overrides: Partial<JobRunnerOptions>) => {
    const runner = await startJobRunner(options(overrides));
    runners.push(runner);
    return runner;
  };
  const stop = async (runner: JobRunner) => {
    runners.splice(runners.indexOf(runner), 1);
    await runner.stop();
  };

  /** An applicant whose correction deadline (2026-12-01) has passed by AFTER. */
  async function lapsedCorrection() {
    serial += 1;
    const user = await userRepository.insert(handle.db, {
      name: `申请人${serial}`,
      idType: "mainland",
      idNumber: `ID-${serial}`,
      idNumberHash: randomBytes(16).toString("hex"),
      phone: `1370000${String(serial).padStart(4, "0")}`,
      phoneHash: randomBytes(16).toString("hex"),
      passwordHash: "x",
      phoneVerifiedAt: SEEDED,
    });
    const app = await applicationRepository.insert(handle.db, {
      applicantId: user.id,
      roundYear: round.year,
      windowId: round.windows[0]!.id,
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      state: "correction_requested",
      at: SEEDED,
    });
    return applicationRepository.update(handle.db, app.id, {
      correctionDeadline: DEADLINE,
      updatedAt: SEEDED,
    });
  }
  const stateOf = async (id: string) => (await applicationRepository.findByIdForUpdate(handle.db, id))!.state;
  const givenUp = async (id: string) =>
    (
      await queryRows(
        handle.db,
        `select count(*)::int as n from notifications where application_id = '${id}' and template = 'given-up'`,
      )
    )[0]!.n;

  it("runs the every-minute schedule by itself: a lapsed correction is given up with its SMS", async () => {
    const app = await lapsedCorrection();
    const runner = await start({ schedules: true });
    await until("the scheduled sweep", async () => (await stateOf(app.id)) === "abandoned", 75_000);
    expect(await givenUp(app.id)).toBe(1);
    await stop(runner);
  }, 90_000);

  it("runs a pass on demand through the queue; two instances at once give each application up once", async () => {
    const apps = [await lapsedCorrection(), await lapsedCorrection(), await lapsedCorrection()];
    // The server clocks read before the deadline; the on-demand job carries the test clock.
    const a = await start({ now: () => BEFORE, acceptJobClock: true });
    const b = await start({ now: () => BEFORE, acceptJobClock: true });
    const [ra, rb] = await Promise.all([
      a.runNow("deadline-sweep", { now: AFTER }),
      b.runNow("deadline-sweep", { now: AFTER }),
    ]);
    expect(ra.abandoned + rb.abandoned).toBe(3);
    for (const app of apps) {
      expect(await stateOf(app.id)).toBe("abandoned");
      expect(await givenUp(app.id)).toBe(1);
    }
    expect(await a.runNow("deadline-sweep", { now: AFTER })).toEqual({ abandoned: 0, reminded: 0 });
    await stop(a);
    await stop(b);
  }, 60_000);

  it("outside the test mode a job cannot bring its own clock: the server's clock decides", async () => {
    const app = await lapsedCorrection();
    const runner = await start({ now: () => BEFORE, acceptJobClock: false });
    expect(await runner.runNow("deadline-sweep", { now: AFTER })).toEqual({ abandoned: 0, reminded: 1 });
    expect(await stateOf(app.id)).toBe("correction_requested");
    expect(lines.some((l) => l.includes("refused outside the test mode"))).toBe(true);
    await stop(runner);
  }, 60_000);

  it("falls back to an in-process timer, saying so, when pg-boss cannot reach its database", async () => {
    const app = await lapsedCorrection();
    const runner = await startJobRunnerOrFallback(
      options({ url: "postgres://postgres:postgres@127.0.0.1:1/none?sslmode=disable" }),
    );
    runners.push(runner);
    expect(runner.kind).toBe("timer");
    expect(lines.some((l) => l.includes("the job queue (pg-boss) did not start"))).toBe(true);
    expect((await runner.runNow("deadline-sweep")).abandoned).toBeGreaterThanOrEqual(1);
    expect(await stateOf(app.id)).toBe("abandoned");
    await stop(runner);
  }, 60_000);
});
