import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applicationRepository, createDb, materialRepository } from "@titles/db";
import { submissionDocuments } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAgent } from "../../bench/lib/http";
import { generatePhotos, type Photo } from "../../bench/lib/photos";
import { prepareApplicants } from "../../bench/lib/system";
import { confirmWithRetry, patchesInFlight, resumableUpload, type UploadTrace } from "./lib/client";
import { type Cluster, createCluster } from "./lib/cluster";
import { checkConsistency, describeChecks, sql } from "./lib/consistency";
import { type Portal, startPortal, useKeysOf } from "./lib/portal";

// Fault 1 (issue 8): `kill -9` of the web server in the middle of deadline-day uploads.
const APPLICANTS = 16;
const PHOTOS = 5;
const CHUNK = 48 * 1024;
const log = (line: string) => console.log(`[faults:upload-kill] ${line}`);

describe("kill -9 of the web server during the surge's resumable uploads", () => {
  let dir: string;
  let cluster: Cluster;
  let portal: Portal | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faults-upload-kill-"));
    cluster = createCluster(dir, 55441);
    cluster.start();
    portal = await startPortal({
      databaseUrl: cluster.url,
      dataDir: join(dir, "portal"),
      port: 3301,
      worker: false,
    });
    await useKeysOf(portal);
  });
  afterAll(async () => {
    if (process.env.FAULTS_VERBOSE) console.log(portal?.web.tail());
    await portal?.stop();
    await cluster?.remove();
  });

  it("resumes every upload from its offset, loses no confirmed submission and half-writes nothing", async () => {
    const system = portal!;
    const applicants = await prepareApplicants(system, APPLICANTS);
    const photos = await generatePhotos(APPLICANTS * PHOTOS, { width: 1024, height: 768, grain: 20 }, 2);
    const photoOf = (a: number, j: number): Photo => photos[a * PHOTOS + j]!;
    const kindOf = (j: number) => submissionDocuments[Math.min(2, Math.floor((j * 3) / PHOTOS))]!;
    const deadline = performance.now() + 60_000;
    const traces: UploadTrace[] = [];
    const confirmedBeforeKill = new Map<string, string>();
    let confirmations = 0;
    let killed = false;

    const handle = createDb({ url: system.databaseUrl, max: 2 });
    const stateOf = async (id: string) => (await applicationRepository.findById(handle.db, id))?.state;
    try {
      // The first few applicants upload and confirm; the others start once they have, so that the kill
      // finds confirmed submissions and many uploads mid-body however fast or loaded the machine is.
      const EARLY = 3;
      let earlySettled = 0;
      let earlyDone: () => void = () => {};
      const early = new Promise<void>((resolve) => {
        earlyDone = resolve;
      });
      const clients = applicants.map(async (who, a) => {
        if (a >= EARLY) await early;
        await new Promise((r) => setTimeout(r, a < EARLY ? a * 100 : (a - EARLY) * 30));
        const agent = clientAgent(2);
        const target = { port: system.port, cookie: who.cookie, agent, deadline };
        try {
          for (let j = 0; j < PHOTOS; j += 1) {
            const trace = await resumableUpload(target, {
              bytes: photoOf(a, j).bytes,
              applicationId: who.applicationId,
              kind: kindOf(j),
              name: `${kindOf(j)}-${j + 1}.jpg`,
              chunk: CHUNK,
              pauseMs: 40,
            });
            traces.push(trace);
          }
          await confirmWithRetry(
            target,
            who.applicationId,
            async () => (await stateOf(who.applicationId)) === "confirmed",
          );
          confirmations += 1;
        } finally {
          // Released however the early ones end, so a failure is reported rather than waited on.
          if (a < EARLY && ++earlySettled === EARLY) earlyDone();
          agent.destroy();
        }
      });

      // The fault: once a few applicants have confirmed, SIGKILL the server with uploads mid-body.
      const fault = (async () => {
        while ((confirmations < EARLY || patchesInFlight.count < 3) && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 5));
        const midBody = patchesInFlight.count;
        for (const row of await sql<{ id: string; receipt_hash: string }>(
          system.databaseUrl,
          `select id, receipt_hash from applications where state = 'confirmed'`,
        ))
          confirmedBeforeKill.set(row.id, row.receipt_hash);
        await system.killWeb();
        killed = true;
        log(
          `SIGKILL to the web server with ${confirmedBeforeKill.size} applications confirmed and ` +
            `${midBody} PATCH bodies half sent; restarting it`,
        );
        await new Promise((r) => setTimeout(r, 1000));
        await system.restartWeb();
        log("web server back");
      })();
      await Promise.all([...clients, fault]);

      expect(killed).toBe(true);
      const resumed = traces.filter((t) => t.resumedFrom.length > 0);
      const failed = traces.reduce((n, t) => n + t.failures.length, 0);
      const offsets = resumed.flatMap((t) => t.resumedFrom);
      log(
        `${traces.length} uploads finished; ${resumed.length} resumed from a server offset (HEAD, PATCH on), ` +
          `${offsets.filter((o) => o % CHUNK !== 0).length} of them from inside a half-received PATCH; ` +
          `${traces.filter((t) => t.attachedBy === "command").length} attached by the command after a lost answer; ` +
          `${failed} failed requests retried`,
      );
      // The kill interrupted uploads, and they went on from where the server got to, never from 0.
      expect(resumed.length).toBeGreaterThan(0);
      expect(traces.reduce((n, t) => n + t.restartedFromZero, 0)).toBe(0);
      expect(traces).toHaveLength(APPLICANTS * PHOTOS);

      // Every application confirmed, holding exactly the photos sent (by sha256); earlier ones unchanged.
      for (const [a, who] of applicants.entries()) {
        const app = await applicationRepository.findById(handle.db, who.applicationId);
        expect(app?.state).toBe("confirmed");
        const materials = await materialRepository.findForApplication(handle.db, who.applicationId);
        expect(materials.map((m) => m.fileSha256).sort()).toEqual(
          Array.from({ length: PHOTOS }, (_, j) => photoOf(a, j).sha256).sort(),
        );
        const before = confirmedBeforeKill.get(who.applicationId);
        if (before) expect(app?.receiptHash).toBe(before);
      }
      const staged = readdirSync(system.uploadsDir).filter((f) => !f.endsWith(".json")).length;
      log(`${staged} staged uploads left for the daily expiry (attached before the kill, not yet removed)`);
    } finally {
      await handle.close();
    }

    const consistency = await checkConsistency(system.databaseUrl, {
      filesDir: system.filesDir,
      applications: applicants.map((a) => a.applicationId),
    });
    log(`checked: ${describeChecks(consistency)}`);
    expect(consistency.problems).toEqual([]);
  });
});
