import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { applicationRepository, createDb, materialRepository } from "@titles/db";
import sharp from "sharp";
import { clientAgent, send } from "./http";
import { type DocumentKind, kindOf, type PhaseResult } from "./load";
import type { Photo } from "./photos";
import type { Applicant, RunningSystem } from "./system";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** What was checked after the run, and every problem found (empty when nothing is lost or corrupted). */
export interface Verification {
  checked: Record<string, number>;
  problems: string[];
}

async function inBatches<T>(items: readonly T[], parallel: number, each: (item: T) => Promise<void>) {
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await each(item);
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane));
}

/** The baseline's files on disk hash to what was sent. */
export async function verifyBaseline(
  dir: string,
  result: PhaseResult,
  photoOf: (applicant: number, j: number) => Photo,
): Promise<Verification> {
  const problems: string[] = [];
  let files = 0;
  await inBatches(result.uploads, 8, async (u) => {
    if (!u.ok) return;
    const expected = photoOf(u.applicant, u.photo);
    const written = await readFile(join(dir, `${u.applicant}-${u.photo}`)).catch(() => null);
    files += 1;
    if (!written) problems.push(`baseline ${u.applicant}-${u.photo}: file missing`);
    else if (sha256(written) !== expected.sha256)
      problems.push(`baseline ${u.applicant}-${u.photo}: sha256 differs`);
  });
  const failed = result.uploads.filter((u) => !u.ok);
  for (const u of failed.slice(0, 5)) problems.push(`baseline ${u.applicant}-${u.photo}: ${u.error}`);
  if (failed.length > 5) problems.push(`… and ${failed.length - 5} more failed baseline uploads`);
  return { checked: { "files re-hashed from disk": files }, problems };
}

/** What `GET /files/<id>` served for every attached material: fetched while the portal still runs. */
export type Served = Map<string, { status: number; sha256: string }>;

export async function fetchServed(
  system: RunningSystem,
  applicants: readonly Applicant[],
  result: PhaseResult,
): Promise<Served> {
  const served: Served = new Map();
  const agent = clientAgent(4);
  try {
    await inBatches(
      result.uploads.filter((u) => u.materialId),
      4,
      async (u) => {
        const res = await send({
          agent,
          port: system.port,
          method: "GET",
          path: `/files/${u.materialId}`,
          headers: { Cookie: applicants[u.applicant]!.cookie },
          timeoutMs: 60_000,
        });
        served.set(u.materialId!, { status: res.status, sha256: sha256(res.body) });
      },
    );
  } finally {
    agent.destroy();
  }
  return served;
}

/** A stored file's bytes, or null when it is missing. */
function readStored(system: RunningSystem, sha256: string) {
  return readFile(join(system.filesDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256)).catch(() => null);
}

/**
 * After the run, from the database, the file store and over HTTP: every applicant's application is
 * confirmed with a receipt hash; it has exactly the materials that were attached (none lost, none
 * extra, all different files); each material's file as received is the photo that was sent (sha256
 * of the bytes sent, re-hashed from the store); the worker has re-encoded it into a file that
 * decodes fully at the photo's dimensions, with a thumbnail; and `GET /files/<id>` served those
 * re-encoded bytes. Run with the web server stopped, over one connection.
 */
export async function verifyPortal(
  system: RunningSystem,
  applicants: readonly Applicant[],
  perApplicant: number,
  result: PhaseResult,
  served: Served,
  photoOf: (applicant: number, j: number) => Photo,
): Promise<Verification> {
  const problems: string[] = [];
  const note = (text: string) => {
    if (problems.length < 50) problems.push(text);
    else if (problems.length === 50) problems.push("… (further problems not listed)");
  };
  const checked = {
    "applications confirmed": 0,
    "materials in the database": 0,
    "received files equal to the bytes sent (sha256)": 0,
    "re-encoded images fully decoded": 0,
    "files served back over HTTP": 0,
  };
  for (const u of result.uploads) if (!u.ok) note(`applicant ${u.applicant} photo ${u.photo}: ${u.error}`);
  for (const c of result.confirms) if (!c.ok) note(`applicant ${c.applicant} confirm: ${c.error}`);
  const sentFor = new Map(
    result.uploads.filter((u) => u.materialId).map((u) => [u.materialId!, photoOf(u.applicant, u.photo)]),
  );

  const handle = createDb({ url: system.databaseUrl, max: 1 });
  try {
    await inBatches(applicants, 1, async (who) => {
      const app = await applicationRepository.findById(handle.db, who.applicationId);
      if (app?.state === "confirmed" && app.receiptHash && app.confirmedAt)
        checked["applications confirmed"] += 1;
      else note(`applicant ${who.index}: application is ${app?.state ?? "missing"}`);

      const materials = await materialRepository.findForApplication(handle.db, who.applicationId);
      checked["materials in the database"] += materials.length;
      const attached = new Set(
        result.uploads.filter((u) => u.applicant === who.index && u.materialId).map((u) => u.materialId!),
      );
      const stored = new Set(materials.map((m) => m.id));
      if (materials.length !== perApplicant) {
        note(`applicant ${who.index}: ${materials.length} materials, expected ${perApplicant}`);
      }
      for (const id of attached) if (!stored.has(id)) note(`applicant ${who.index}: material ${id} lost`);
      for (const id of stored)
        if (!attached.has(id)) note(`applicant ${who.index}: unexpected material ${id}`);
      if (new Set(materials.map((m) => m.fileSha256)).size !== materials.length) {
        note(`applicant ${who.index}: two materials share a file`);
      }
      const perKind = new Map<string, number>();
      for (let j = 0; j < perApplicant; j += 1) {
        const kind: DocumentKind = kindOf(j, perApplicant);
        perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
      }
      for (const [kind, expected] of perKind) {
        const found = materials.filter((m) => m.kind === kind).length;
        if (found !== expected) note(`applicant ${who.index}: ${found} ${kind}, expected ${expected}`);
      }

      for (const m of materials) {
        const sent = sentFor.get(m.id);
        const received = await readStored(system, m.fileSha256);
        if (!sent || !received) {
          note(
            `material ${m.id}: ${sent ? `stored file ${m.fileSha256} missing` : "not one the run attached"}`,
          );
          continue;
        }
        if (m.fileSha256 === sent.sha256 && sha256(received) === sent.sha256 && received.length === m.size) {
          checked["received files equal to the bytes sent (sha256)"] += 1;
        } else note(`material ${m.id}: the stored file is not the photo that was sent`);
        if (m.width !== sent.width || m.height !== sent.height || m.mime !== "image/jpeg") {
          note(`material ${m.id}: recorded as ${m.mime} ${m.width}×${m.height}`);
        }
        if (m.processing !== "ready" || !m.displaySha256) {
          note(`material ${m.id}: not re-encoded (${m.processing})`);
          continue;
        }
        const shown = await readStored(system, m.displaySha256);
        if (!shown || sha256(shown) !== m.displaySha256) {
          note(`material ${m.id}: re-encoded file missing or changed`);
          continue;
        }
        try {
          const decoded = sharp(shown, { failOn: "error" });
          const { info } = await decoded.raw().toBuffer({ resolveWithObject: true });
          const meta = await sharp(shown).metadata();
          if (info.width !== sent.width || info.height !== sent.height) {
            note(`material ${m.id}: decodes to ${info.width}×${info.height}`);
          } else if (meta.exif) note(`material ${m.id}: the re-encoded photo still has EXIF`);
          else checked["re-encoded images fully decoded"] += 1;
        } catch (error) {
          note(`material ${m.id}: does not decode (${(error as Error).message})`);
        }
        const thumb = m.thumbnailSha256 ? await readStored(system, m.thumbnailSha256) : null;
        if (!thumb || sha256(thumb) !== m.thumbnailSha256)
          note(`material ${m.id}: thumbnail missing or changed`);
        const got = served.get(m.id);
        if (got?.status === 200 && got.sha256 === m.displaySha256)
          checked["files served back over HTTP"] += 1;
        else note(`material ${m.id}: GET /files answered ${got?.status ?? "nothing"} with other bytes`);
      }
    });
  } finally {
    await handle.close();
  }
  return { checked, problems };
}
