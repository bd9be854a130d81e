import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  certificateRepository,
  createDb,
  type DbHandle,
  lookupHash,
  notificationRepository,
  organisationRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import { addDays, type IsoDate, shanghaiDate, tryWindowFor, ZRoundConfig } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, createCluster } from "./lib/cluster";
import { checkConsistency, describeChecks, sql } from "./lib/consistency";
import { root, seedDatabase, useKeysOf } from "./lib/portal";

// Fault 3 (issue 8): the same job started twice at the same instant, in two processes.
const log = (line: string) => console.log(`[faults:jobs-twice] ${line}`);

/** Starts `job` in two processes, lets both go at once, and answers both results. */
async function runTwiceAtOnce(env: NodeJS.ProcessEnv, job: string, now: Date): Promise<unknown[]> {
  const children = [0, 1].map(() =>
    spawn(
      join(root, "node_modules/.bin/node"),
      ["--import", "tsx", "tests/faults/job-pass.ts", job, now.toISOString()],
      {
        cwd: root,
        env: { ...env, TSX_TSCONFIG_PATH: join(root, "apps/web/tsconfig.json") },
        stdio: ["pipe", "pipe", "pipe"],
      },
    ),
  );
  const outputs = children.map((child) => {
    let text = "";
    let errors = "";
    child.stderr.on("data", (c: Buffer) => {
      errors += c.toString();
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        text += c.toString();
        if (/^ready$/m.test(text)) resolve();
      });
      child.once("exit", (code) =>
        reject(new Error(`${job} exited (${code}) before it was ready: ${errors.slice(-2000)}`)),
      );
    });
    const done = new Promise<unknown>((resolve, reject) => {
      child.once("exit", (code) => {
        const line = /^result (.*)$/m.exec(text)?.[1];
        if (code === 0 && line) resolve(JSON.parse(line));
        else reject(new Error(`${job} failed (${code}): ${errors.slice(-2000)}`));
      });
    });
    return { child, ready, done };
  });
  try {
    await Promise.all(outputs.map((o) => o.ready));
    for (const o of outputs) o.child.stdin.write("go\n");
    return await Promise.all(outputs.map((o) => o.done));
  } finally {
    for (const o of outputs) if (o.child.exitCode === null) o.child.kill("SIGKILL");
  }
}

describe("a job run twice at once, in two processes, has one effect", () => {
  let dir: string;
  let cluster: Cluster;
  let env: NodeJS.ProcessEnv;
  let handle: DbHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faults-jobs-"));
    cluster = createCluster(dir, 55442);
    cluster.start();
    env = seedDatabase(cluster.url, join(dir, "data"));
    await useKeysOf({ env });
    handle = createDb({ url: cluster.url, max: 2 });
  });
  afterAll(async () => {
    await handle?.close();
    await cluster?.remove();
  });

  let serial = 0;
  /** A fresh applicant with an application in `state` in the demo round's open window. */
  async function application(state: string, correctionDeadline: IsoDate) {
    serial += 1;
    const round = ZRoundConfig.parse((await roundRepository.findActive(handle.db))!.config);
    const found = tryWindowFor(round, { series: "engineering", level: "intermediate", track: "regular" });
    if (!found.ok) throw new Error(found.error.code);
    const employer = (await organisationRepository.findByKind(handle.db, "employer"))[0]!;
    const phone = `1371${String(serial).padStart(7, "0")}`;
    const idNumber = `FAULTS-${serial}`;
    const user = await userRepository.insert(handle.db, {
      name: `逾期${serial}`,
      idType: "mainland",
      idNumber,
      idNumberHash: lookupHash(env.LOOKUP_HASH_KEY!, idNumber),
      phone,
      phoneHash: lookupHash(env.LOOKUP_HASH_KEY!, phone),
      passwordHash: "faults-no-password",
      phoneVerifiedAt: new Date(),
    });
    await userRepository.setEmployer(handle.db, user.id, employer.id);
    const app = await applicationRepository.insert(handle.db, {
      applicantId: user.id,
      roundYear: round.year,
      windowId: found.window.id,
      series: "engineering",
      level: "intermediate",
      track: "regular",
      state,
      at: new Date(),
    });
    await applicationRepository.update(handle.db, app.id, { correctionDeadline, updatedAt: new Date() });
    return app.id;
  }

  it("the deadline sweep: each lapsed application given up once, one SMS each, one reminder each", async () => {
    const now = new Date();
    const today = shanghaiDate(now);
    const lapsed = [];
    const reminded = [];
    for (let i = 0; i < 12; i += 1)
      lapsed.push(await application("correction_requested", addDays(today, -1)));
    for (let i = 0; i < 6; i += 1)
      reminded.push(await application("correction_requested", addDays(today, 1)));
    const ids = [...lapsed, ...reminded];

    const results = (await runTwiceAtOnce(env, "deadline-sweep", now)) as Array<{
      abandoned: number;
      reminded: number;
    }>;
    log(`deadline sweep twice at once: ${JSON.stringify(results)}`);
    // Between them the two passes did the work once.
    expect(results.reduce((n, r) => n + r.abandoned, 0)).toBe(lapsed.length);
    expect(results.reduce((n, r) => n + r.reminded, 0)).toBe(reminded.length);

    const rows = await sql<{
      id: string;
      state: string;
      lapses: number;
      given_up: number;
      reminders: number;
      audits: number;
    }>(
      cluster.url,
      `select a.id, a.state,
              (select count(*)::int from application_events e where e.application_id = a.id and e.event = 'deadlinePassed') as lapses,
              (select count(*)::int from notifications n where n.application_id = a.id and n.template = 'given-up') as given_up,
              (select count(*)::int from notifications n where n.application_id = a.id and n.template = 'correction-deadline-near') as reminders,
              (select count(*)::int from audit_log l where l.object_id = a.id::text and l.action = 'application.deadlinePassed') as audits
         from applications a where a.id = any($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of lapsed)
      expect(byId.get(id)).toMatchObject({ state: "abandoned", lapses: 1, given_up: 1, audits: 1 });
    for (const id of reminded)
      expect(byId.get(id)).toMatchObject({
        state: "correction_requested",
        lapses: 0,
        given_up: 0,
        reminders: 1,
      });

    const consistency = await checkConsistency(cluster.url, { applications: ids });
    log(`checked: ${describeChecks(consistency)}`);
    expect(consistency.problems).toEqual([]);
  });

  it("the SMS outbox: every due message sent once, by one of the two dispatchers", async () => {
    const now = new Date();
    const phones = Array.from({ length: 40 }, (_, i) => `1372${String(i).padStart(7, "0")}`);
    for (const phone of phones)
      await notificationRepository.enqueue(handle.db, {
        userId: null,
        phone,
        template: "registered",
        body: `【北京市职称评审】故障测试 ${phone.slice(-4)}`,
        params: {},
        at: new Date(now.getTime() - 1000),
      });
    const [{ due }] = (await sql<{ due: number }>(
      cluster.url,
      `select count(*)::int as due from notifications where status in ('pending', 'retrying') and next_attempt_at <= $1`,
      [now],
    )) as [{ due: number }];

    const results = (await runTwiceAtOnce(env, "sms-outbox", now)) as Array<{
      claimed: number;
      sent: string[];
    }>;
    const sent = results.flatMap((r) => r.sent);
    log(
      `SMS outbox twice at once: ${results.map((r) => r.claimed).join(" + ")} messages of ${due} due; ${sent.length} sent`,
    );
    // Both dispatchers worked, and no message went out twice.
    expect(results.every((r) => r.claimed > 0)).toBe(true);
    expect(sent).toHaveLength(due);
    // Every due message went out (none is left unsent, below) and as many sends as messages: none twice.
    for (const phone of phones) {
      const hash = createHash("sha256").update(phone).digest("hex");
      expect(sent.filter((p) => p === hash)).toHaveLength(1);
    }
    const [{ left }] = (await sql<{ left: number }>(
      cluster.url,
      `select count(*)::int as left from notifications where status not in ('sent', 'delivered')`,
    )) as [{ left: number }];
    expect(left).toBe(0);
  });

  it("result finalisation: each entry settled once, one SMS per final result, the batch ended once", async () => {
    const [batch] = await sql<{ id: string; publicity_end: string }>(
      cluster.url,
      `select id, publicity_end from result_batches where state = 'publicity' order by publicity_end limit 1`,
    );
    expect(batch, "the demo seed has a batch under publicity").toBeDefined();
    // The demo's complaint was decided (dismissed) before the publicity ended: nothing keeps the batch open.
    await sql(
      cluster.url,
      `update complaints set state = 'dismissed', outcome_reason = '经核查，反映问题不属实。', decided_at = now()
        where state = 'open' and entry_id in (select id from result_entries where batch_id = $1)`,
      [batch!.id],
    );
    const entries = await sql<{ id: string; application_id: string; result: string }>(
      cluster.url,
      `select id, application_id, result from result_entries where batch_id = $1 and outcome = 'pending'`,
      [batch!.id],
    );
    expect(entries.length).toBeGreaterThan(0);
    // The morning after the publicity's last day (Beijing time).
    const now = new Date(`${addDays(batch!.publicity_end as IsoDate, 1)}T02:00:00+08:00`);

    const results = (await runTwiceAtOnce(env, "result-finalisation", now)) as Array<{
      finalised: number;
      ended: number;
    }>;
    log(`result finalisation twice at once: ${JSON.stringify(results)} for ${entries.length} entries`);
    expect(results.reduce((n, r) => n + r.finalised, 0)).toBe(entries.length);
    expect(results.reduce((n, r) => n + r.ended, 0)).toBe(1);

    const settled = await sql<{ id: string; outcome: string; audits: number; finals: number; sms: number }>(
      cluster.url,
      `select r.id, r.outcome,
              (select count(*)::int from audit_log l where l.object_id = r.id::text and l.action = 'result-entry.settled') as audits,
              (select count(*)::int from application_events e where e.application_id = r.application_id and e.event = 'finalise') as finals,
              (select count(*)::int from notifications n where n.application_id = r.application_id and n.template = 'result-final') as sms
         from result_entries r where r.batch_id = $1`,
      [batch!.id],
    );
    const passed = new Set(entries.filter((e) => e.result === "passed").map((e) => e.id));
    for (const row of settled.filter((r) => entries.some((e) => e.id === r.id))) {
      expect(row.outcome).not.toBe("pending");
      expect(row.audits).toBe(1);
      expect([row.finals, row.sms]).toEqual(passed.has(row.id) ? [1, 1] : [0, 0]);
    }
    const [{ ended }] = (await sql<{ ended: number }>(
      cluster.url,
      `select count(*)::int as ended from audit_log where object_id = $1 and action = 'result-batch.ended'`,
      [batch!.id],
    )) as [{ ended: number }];
    expect(ended).toBe(1);

    const consistency = await checkConsistency(cluster.url, {
      applications: entries.map((e) => e.application_id),
      events: ["finalise"],
    });
    log(`checked: ${describeChecks(consistency)}`);
    expect(consistency.problems).toEqual([]);
  });

  it("certificate issuance: one certificate per person, no number twice, one SMS each", async () => {
    // The batch the previous test finalised; the bureau starts its bulk issuance.
    const [batch] = await sql<{ id: string }>(
      cluster.url,
      `select id from result_batches where state = 'ended' order by ended_at desc limit 1`,
    );
    const [admin] = await sql<{ user_id: string }>(
      cluster.url,
      `select user_id from user_roles where role = 'admin' limit 1`,
    );
    const now = new Date();
    const total = await certificateRepository.countIssuable(handle.db, batch!.id);
    expect(total).toBeGreaterThan(0);
    await certificateRepository.insertIssuance(handle.db, {
      batchId: batch!.id,
      total,
      startedBy: admin!.user_id,
      startedAt: now,
    });

    const results = (await runTwiceAtOnce(env, "certificate-issuance", now)) as Array<{
      issued: number;
      failed: number;
    }>;
    log(`certificate issuance twice at once: ${JSON.stringify(results)} for ${total} issuable results`);
    expect(results.reduce((n, r) => n + r.issued, 0)).toBe(total);
    expect(results.reduce((n, r) => n + r.failed, 0)).toBe(0);

    const certificates = await sql<{
      entry_id: string;
      number: string;
      status_index: number;
      audits: number;
      sms: number;
    }>(
      cluster.url,
      `select c.entry_id, c.number, c.status_index,
              (select count(*)::int from audit_log l where l.object_id = c.id::text and l.action = 'certificate.issue') as audits,
              (select count(*)::int from notifications n where n.application_id = c.application_id and n.template = 'certificate-ready') as sms
         from certificates c join result_entries r on r.id = c.entry_id where r.batch_id = $1`,
      [batch!.id],
    );
    expect(certificates).toHaveLength(total);
    expect(new Set(certificates.map((c) => c.entry_id)).size).toBe(total);
    const [all] = await sql<{ n: number; numbers: number; indexes: number }>(
      cluster.url,
      `select count(*)::int as n, count(distinct number)::int as numbers, count(distinct status_index)::int as indexes from certificates`,
    );
    expect([all!.numbers, all!.indexes]).toEqual([all!.n, all!.n]);
    for (const c of certificates) expect([c.audits, c.sms]).toEqual([1, 1]);
    const [issuance] = await sql<{ state: string; issued: number }>(
      cluster.url,
      `select state, issued from certificate_issuances where batch_id = $1`,
      [batch!.id],
    );
    expect(issuance).toMatchObject({ state: "done", issued: total });

    const consistency = await checkConsistency(cluster.url, {
      applications: await entryApplications(batch!.id),
      events: ["issueCertificate"],
    });
    log(`checked: ${describeChecks(consistency)}`);
    expect(consistency.problems).toEqual([]);
  });

  async function entryApplications(batchId: string): Promise<string[]> {
    const rows = await sql<{ application_id: string }>(
      cluster.url,
      `select application_id from result_entries where batch_id = $1`,
      [batchId],
    );
    return rows.map((r) => r.application_id);
  }
});
