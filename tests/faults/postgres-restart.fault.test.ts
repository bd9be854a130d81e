import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { messageFor, submissionDocuments } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAgent, send } from "../../bench/lib/http";
import { generatePhotos } from "../../bench/lib/photos";
import { type Applicant, prepareApplicants } from "../../bench/lib/system";
import { confirmWithRetry, resumableUpload } from "./lib/client";
import { type Cluster, createCluster } from "./lib/cluster";
import { checkConsistency, describeChecks, sql } from "./lib/consistency";
import { type Portal, startPortal } from "./lib/portal";

// Fault 2 (issue 8): PostgreSQL stopped and restarted, then killed (-9) and restarted, under load.
const APPLICANTS = 8;
const log = (line: string) => console.log(`[faults:postgres-restart] ${line}`);
const UNAVAILABLE = messageFor("DATABASE_UNAVAILABLE", "zh-CN");

interface Outcome {
  what: string;
  status: number;
  ms: number;
  /** A 503 that says, in Chinese first, that the database is away and nothing was saved. */
  clear: boolean;
  duringOutage: boolean;
  sample?: string;
}

describe("PostgreSQL restarted while requests are in flight", () => {
  let dir: string;
  let cluster: Cluster;
  let portal: Portal | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faults-pg-restart-"));
    cluster = createCluster(dir, 55440);
    cluster.start();
    // With the photo worker and the job schedules on: they must outlive the outage too.
    portal = await startPortal({
      databaseUrl: cluster.url,
      dataDir: join(dir, "portal"),
      port: 3300,
      worker: true,
      schedules: true,
    });
  });
  afterAll(async () => {
    if (process.env.FAULTS_VERBOSE)
      console.log(portal?.web.tail(), "\n-- worker --\n", portal?.worker.tail());
    await portal?.stop();
    if (process.env.FAULTS_KEEP) log(`kept ${dir} (PostgreSQL on ${cluster.port})`);
    else await cluster?.remove();
  });

  it("answers 503 with a clear message during the outage, recovers without a restart, and stays consistent", async () => {
    const system = portal!;
    const webPid = system.web.child.pid;
    const workerPid = system.worker.child.pid;
    const applicants = await prepareApplicants(system, APPLICANTS);
    // Each application gets its three stamped documents before the fault, so it can be confirmed.
    const photos = await generatePhotos(APPLICANTS * 3, { width: 800, height: 600, grain: 20 }, 2);
    const setupDeadline = performance.now() + 60_000;
    await Promise.all(
      applicants.map(async (who, a) => {
        const agent = clientAgent(1);
        for (const [j, kind] of submissionDocuments.entries()) {
          const bytes = photos[a * 3 + j]!.bytes;
          await resumableUpload(
            { port: system.port, cookie: who.cookie, agent, deadline: setupDeadline },
            {
              bytes,
              applicationId: who.applicationId,
              kind,
              name: `${kind}.jpg`,
              chunk: bytes.length,
              pauseMs: 0,
            },
          );
        }
        agent.destroy();
      }),
    );

    let outage = false;
    const outcomes: Outcome[] = [];
    const request = async (
      who: Applicant,
      agent: ReturnType<typeof clientAgent>,
      what: string,
      path: string,
      method = "GET",
      headers: Record<string, string> = {},
    ) => {
      const during = outage;
      const started = performance.now();
      try {
        const res = await send({
          agent,
          port: system.port,
          method,
          path,
          headers: { Cookie: who.cookie, ...headers },
          timeoutMs: 15_000,
        });
        const body = res.body.toString();
        outcomes.push({
          what,
          status: res.status,
          ms: performance.now() - started,
          // Every kind of client (a browser's page, tRPC, tus) is also told when to try again.
          clear: res.status === 503 && body.includes(UNAVAILABLE) && res.headers["retry-after"] !== undefined,
          sample:
            res.status >= 500 ? `${res.headers["retry-after"] ?? "-"} ${body.slice(0, 2000)}` : undefined,
          duringOutage: during || outage,
        });
      } catch (error) {
        // A timeout is a hang; a refused connection would mean the web server died.
        outcomes.push({
          what: `${what} (${(error as Error).message})`,
          status: 0,
          ms: performance.now() - started,
          clear: false,
          duringOutage: during || outage,
        });
      }
    };

    const loadEnds = performance.now() + 16_000;
    const deadline = performance.now() + 60_000;
    const confirmed: Array<{ attempts: number }> = [];
    const load = applicants.map(async (who, a) => {
      const agent = clientAgent(2);
      const confirmAt = performance.now() + 600 + a * 1200;
      let done = false;
      while (performance.now() < loadEnds || !done) {
        if (!done && performance.now() >= confirmAt) {
          confirmed.push(
            await confirmWithRetry(
              { port: system.port, cookie: who.cookie, agent, deadline },
              who.applicationId,
              async () =>
                (
                  await sql<{ state: string }>(
                    system.databaseUrl,
                    "select state from applications where id = $1",
                    [who.applicationId],
                  ).catch(() => [])
                )[0]?.state === "confirmed",
            ),
          );
          done = true;
        }
        await request(who, agent, "page", `/applications/${who.applicationId}`);
        await request(who, agent, "trpc", "/api/trpc/me.get");
        // tus: continuing an upload that does not exist (404 normally; 503 while the database is away).
        await request(who, agent, "upload", `/api/uploads/${"0".repeat(32)}`, "PATCH", {
          "Tus-Resumable": "1.0.0",
          "Content-Type": "application/offset+octet-stream",
          "Upload-Offset": "0",
          "Content-Length": "0",
        });
        await sleep(100);
      }
      agent.destroy();
    });

    const fault = (async () => {
      await sleep(1500);
      outage = true;
      cluster.stop();
      log("PostgreSQL stopped (pg_ctl stop -m fast) under load");
      await sleep(3000);
      cluster.start();
      outage = false;
      log("PostgreSQL started again");
      await sleep(3000);
      outage = true;
      await cluster.killPostmaster();
      log("PostgreSQL postmaster killed (SIGKILL) under load");
      await sleep(3000);
      cluster.start();
      outage = false;
      log("PostgreSQL started again (crash recovery)");
    })();
    await Promise.all([...load, fault]);

    const failed = outcomes.filter((o) => o.status >= 500 || o.status === 0);
    const unclear = failed.filter((o) => !o.clear);
    log(
      `${outcomes.length} requests under load: ${failed.length} refused during the outages, ` +
        `${failed.filter((o) => o.clear).length} of them 503 with the DATABASE_UNAVAILABLE message ` +
        `(${["page", "trpc", "upload"].map((k) => `${k} ${failed.filter((o) => o.what === k).length}`).join(", ")}); ` +
        `slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms; confirmations took ` +
        `${confirmed.map((c) => c.attempts).join(",")} attempts`,
    );
    if (unclear[0]) log(`first unclear answer: ${unclear[0].sample}`);
    // Every refusal is a clear 503, never a 500 with a stack, a hang or a dead server.
    expect(unclear.map((o) => `${o.what}: ${o.status}`)).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    // Both servers lived through it: same processes.
    expect(system.web.child.exitCode).toBeNull();
    expect(system.web.child.pid).toBe(webPid);
    expect(system.worker.child.exitCode).toBeNull();
    expect(system.worker.child.pid).toBe(workerPid);

    // Back to normal without a restart: every kind of request succeeds again.
    const agent = clientAgent(1);
    const who = applicants[0]!;
    for (const path of [`/applications/${who.applicationId}`, "/api/trpc/me.get", "/results"]) {
      const res = await send({
        agent,
        port: system.port,
        method: "GET",
        path,
        headers: { Cookie: who.cookie },
        timeoutMs: 15_000,
      });
      expect(res.status, path).toBe(200);
    }
    agent.destroy();

    // Each application confirmed exactly once: one event, one audit record, one SMS.
    const rows = await sql<{ id: string; state: string; confirms: number }>(
      system.databaseUrl,
      `select a.id, a.state,
              (select count(*)::int from application_events e where e.application_id = a.id and e.event = 'confirm') as confirms
         from applications a where a.id = any($1::uuid[])`,
      [applicants.map((a) => a.applicationId)],
    );
    expect(rows.map((r) => [r.state, r.confirms])).toEqual(applicants.map(() => ["confirmed", 1]));
    // The worker processed the photos received before the outage.
    const giveUp = Date.now() + 60_000;
    let pending = -1;
    while (Date.now() < giveUp) {
      [{ pending }] = (await sql<{ pending: number }>(
        system.databaseUrl,
        "select count(*)::int as pending from materials where processing = 'pending'",
      )) as [{ pending: number }];
      if (pending === 0) break;
      await sleep(500);
    }
    expect(pending).toBe(0);

    const consistency = await checkConsistency(system.databaseUrl, {
      filesDir: system.filesDir,
      applications: applicants.map((a) => a.applicationId),
    });
    log(`checked: ${describeChecks(consistency)}`);
    expect(consistency.problems).toEqual([]);
  });
});
