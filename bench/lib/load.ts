import type { Agent } from "node:http";
import { submissionDocuments } from "@titles/domain";
import { clientAgent, send, type Timed } from "./http";
import type { Photo } from "./photos";
import { cpuSecondsOfTree } from "./processes";
import type { Applicant, RunningSystem } from "./system";

export type DocumentKind = (typeof submissionDocuments)[number];

/** Photo `j` of `perApplicant` goes to the stamped form, the pledge or the publicity pages, in thirds. */
export function kindOf(j: number, perApplicant: number): DocumentKind {
  return submissionDocuments[Math.min(2, Math.floor((j * 3) / perApplicant))]!;
}

export interface LoadOptions {
  /** Uploads one virtual applicant has in flight at once (the browser's uploader allows 3). */
  parallel: number;
  timeoutMs: number;
  /** No upload starts after this instant (performance.now()); bounds the run in time. */
  deadline: number;
}

export interface UploadRecord {
  applicant: number;
  photo: number;
  kind: DocumentKind;
  bytes: number;
  ok: boolean;
  error?: string;
  /** The one request of an upload: the portal's tus creation-with-upload, or the baseline's POST. */
  createMs?: number;
  /** The bytes the server kept hash to what was sent (the baseline answers with its hash). */
  transportVerified: boolean;
  materialId?: string;
  endedAt?: number;
}

export interface ConfirmRecord {
  applicant: number;
  ok: boolean;
  ms?: number;
  error?: string;
}

export interface CpuSeconds {
  client: number;
  [service: string]: number;
}

export interface PhaseResult {
  uploads: UploadRecord[];
  confirms: ConfirmRecord[];
  /** Start to the last upload (attached, for the portal); the MB/s and uploads/s window. */
  uploadWallMs: number;
  /** Start to the last confirmation. */
  totalWallMs: number;
  cpu: CpuSeconds;
}

function cpuNow(services: Record<string, number>): CpuSeconds {
  const own = process.cpuUsage();
  const out: CpuSeconds = { client: (own.user + own.system) / 1e6 };
  for (const [name, pid] of Object.entries(services)) out[name] = cpuSecondsOfTree(pid);
  return out;
}

function cpuSince(before: CpuSeconds, services: Record<string, number>): CpuSeconds {
  const after = cpuNow(services);
  const out: CpuSeconds = { client: 0 };
  for (const key of Object.keys(after)) out[key] = (after[key] ?? 0) - (before[key] ?? 0);
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `count` steps with at most `parallel` in flight; a step past the deadline is skipped. */
async function eachBounded(
  count: number,
  parallel: number,
  deadline: number,
  step: (j: number) => Promise<void>,
  skipped: (j: number) => void,
): Promise<void> {
  let next = 0;
  async function lane() {
    while (next < count) {
      const j = next;
      next += 1;
      if (performance.now() > deadline) skipped(j);
      else await step(j);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}

interface Plan {
  applicants: number;
  perApplicant: number;
  photoOf(applicant: number, j: number): Photo;
}

/** One applicant's uploads in turn (bounded, stopping at the deadline), each with its record. */
async function uploadEach(
  applicant: number,
  plan: Plan,
  options: LoadOptions,
  uploads: UploadRecord[],
  sendOne: (photo: Photo, record: UploadRecord, j: number) => Promise<void>,
): Promise<void> {
  await eachBounded(
    plan.perApplicant,
    options.parallel,
    options.deadline,
    async (j) => {
      const photo = plan.photoOf(applicant, j);
      const record: UploadRecord = {
        applicant,
        photo: j,
        kind: kindOf(j, plan.perApplicant),
        bytes: photo.bytes.length,
        ok: false,
        transportVerified: false,
      };
      uploads.push(record);
      try {
        await sendOne(photo, record, j);
      } catch (error) {
        record.error = describe(error);
      }
      record.endedAt = performance.now();
    },
    (j) => uploads.push(skippedRecord(applicant, j, plan)),
  );
}

/** The baseline: the same clients send the same bodies, one POST each, to the bare server. */
export async function runBaseline(
  port: number,
  pid: number,
  plan: Plan,
  options: LoadOptions,
): Promise<PhaseResult> {
  const uploads: UploadRecord[] = [];
  const before = cpuNow({ baseline: pid });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: plan.applicants }, async (_, applicant) => {
      const agent = clientAgent(options.parallel);
      await uploadEach(applicant, plan, options, uploads, async (photo, record, j) => {
        const res = await send({
          agent,
          port,
          method: "POST",
          path: `/upload/${applicant}-${j}`,
          headers: {
            "Content-Type": "application/octet-stream",
            "Content-Length": String(photo.bytes.length),
          },
          body: photo.bytes,
          timeoutMs: options.timeoutMs,
        });
        record.createMs = res.ms;
        if (res.status !== 201) throw new Error(`baseline answered ${res.status}: ${res.body}`);
        const answer = JSON.parse(res.body.toString()) as { sha256: string; size: number };
        record.transportVerified = answer.sha256 === photo.sha256 && answer.size === photo.bytes.length;
        record.ok = record.transportVerified;
        if (!record.ok) record.error = "the baseline received different bytes";
      });
      agent.destroy();
    }),
  );
  const wall = performance.now() - started;
  return {
    uploads,
    confirms: [],
    uploadWallMs: wall,
    totalWallMs: wall,
    cpu: cpuSince(before, { baseline: pid }),
  };
}

function skippedRecord(applicant: number, j: number, plan: Plan): UploadRecord {
  return {
    applicant,
    photo: j,
    kind: kindOf(j, plan.perApplicant),
    bytes: plan.photoOf(applicant, j).bytes.length,
    ok: false,
    error: "not attempted: the run's time limit was reached",
    transportVerified: false,
  };
}

/** tus `Upload-Metadata`: comma-separated `key base64(value)` pairs. */
function tusMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");
}

function expectStatus(res: Timed, status: number, what: string): void {
  if (res.status !== status) {
    throw new Error(`${what}: ${res.status} ${res.body.toString().slice(0, 200).replace(/\s+/g, " ")}`);
  }
}

/**
 * One photo as the portal's uploader sends it: a downscaled photo goes in one tus creation-with-upload
 * request, which the portal answers with the attached material (it is re-encoded later, by the worker).
 * The stored bytes are compared with the sent ones after the run (`verifyPortal`).
 */
async function uploadToPortal(
  system: RunningSystem,
  agent: Agent,
  who: Applicant,
  photo: Photo,
  record: UploadRecord,
  timeoutMs: number,
): Promise<void> {
  const res = await send({
    agent,
    port: system.port,
    method: "POST",
    path: "/api/uploads",
    headers: {
      "Tus-Resumable": "1.0.0",
      Cookie: who.cookie,
      "Content-Type": "application/offset+octet-stream",
      "Content-Length": String(photo.bytes.length),
      "Upload-Length": String(photo.bytes.length),
      "Upload-Metadata": tusMetadata({
        filename: `${record.kind}-${record.photo + 1}.jpg`,
        filetype: "image/jpeg",
        applicationId: who.applicationId,
        kind: record.kind,
      }),
    },
    body: photo.bytes,
    timeoutMs,
  });
  record.createMs = res.ms;
  expectStatus(res, 201, "tus creation-with-upload");
  if (res.headers["upload-offset"] !== String(photo.bytes.length)) {
    throw new Error(`tus left the offset at ${res.headers["upload-offset"]}`);
  }
  const answer = JSON.parse(res.body.toString()) as {
    ok: boolean;
    duplicate?: boolean;
    material?: { id: string; width: number | null; height: number | null; processing: string };
  };
  if (!answer.ok || !answer.material) throw new Error(`attach refused: ${res.body}`);
  if (answer.duplicate) throw new Error("attach found a duplicate: photos must all differ");
  if (answer.material.width !== photo.width || answer.material.height !== photo.height) {
    throw new Error(`attach recorded ${answer.material.width}×${answer.material.height}`);
  }
  record.materialId = answer.material.id;
  record.ok = true;
}

/** The confirmation form as the browser posts it; the portal answers with a redirect to the application. */
async function confirm(system: RunningSystem, agent: Agent, who: Applicant, timeoutMs: number) {
  const res = await send({
    agent,
    port: system.port,
    method: "POST",
    path: `/applications/${who.applicationId}/confirm`,
    headers: {
      Cookie: who.cookie,
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": "0",
      Accept: "text/html",
    },
    body: "",
    timeoutMs,
  });
  const location = res.headers.location ?? "";
  if (res.status < 300 || res.status > 399 || !location.includes("confirmed=1")) {
    const text = res.body.toString();
    const alert = /role="alert"[^>]*>([^<]{0,200})/.exec(text)?.[1] ?? text.slice(0, 200);
    throw new Error(`confirm answered ${res.status} ${location}: ${alert.replace(/\s+/g, " ")}`);
  }
  return res.ms;
}

/**
 * Deadline day on the portal: every virtual applicant at once uploads and attaches its photos, then
 * confirms. The upload window closes when the last attach answers.
 */
export async function runPortal(
  system: RunningSystem,
  applicants: readonly Applicant[],
  plan: Plan,
  options: LoadOptions,
): Promise<PhaseResult> {
  const uploads: UploadRecord[] = [];
  const confirms: ConfirmRecord[] = [];
  const pids = { web: system.web.child.pid!, db: system.db.child.pid!, worker: system.worker.child.pid! };
  const before = cpuNow(pids);
  const started = performance.now();
  await Promise.all(
    applicants.map(async (who, applicant) => {
      const agent = clientAgent(options.parallel);
      await uploadEach(applicant, plan, options, uploads, async (photo, record) => {
        await uploadToPortal(system, agent, who, photo, record, options.timeoutMs);
      });
      const record: ConfirmRecord = { applicant, ok: false };
      confirms.push(record);
      if (performance.now() > options.deadline) {
        record.error = "not attempted: the run's time limit was reached";
      } else {
        try {
          record.ms = await confirm(system, agent, who, options.timeoutMs);
          record.ok = true;
        } catch (error) {
          record.error = describe(error);
        }
      }
      agent.destroy();
    }),
  );
  const ended = performance.now();
  const lastUpload = Math.max(started, ...uploads.map((u) => u.endedAt ?? started));
  return {
    uploads,
    confirms,
    uploadWallMs: lastUpload - started,
    totalWallMs: ended - started,
    cpu: cpuSince(before, pids),
  };
}

/** Warms both code paths (JIT, lazy imports, first connections) with a throwaway applicant. */
export async function warmUp(
  system: RunningSystem,
  who: Applicant,
  photos: readonly Photo[],
  timeoutMs: number,
): Promise<void> {
  const agent = clientAgent(1);
  try {
    for (const [j, photo] of photos.entries()) {
      const record: UploadRecord = {
        applicant: -1,
        photo: j,
        kind: kindOf(j, photos.length),
        bytes: photo.bytes.length,
        ok: false,
        transportVerified: false,
      };
      await uploadToPortal(system, agent, who, photo, record, timeoutMs);
    }
    await confirm(system, agent, who, timeoutMs);
  } finally {
    agent.destroy();
  }
}
