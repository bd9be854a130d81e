import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  appendAudit,
  applicationRepository,
  type CertificateIssuanceRecord,
  type CertificateSummary,
  certificateRepository,
  type Db,
  fileRepository,
  type IssuableEntry,
  sha256,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  approvalReference,
  type CertificateData,
  certificateData,
  certificateNumber,
  DomainError,
  type IsoDate,
  isApplicationState,
  isValidCertificateNumber,
  type Level,
  maskCertificateIdNumber,
  mayManageBatch,
  normaliseCertificateNumber,
  type ResultPublisher,
  type Series,
  shanghaiDate,
} from "@titles/domain";
import { z } from "zod";
import { toCredential } from "~/certificates/credential.server";
import { ensureSigningKey, type IssuerKey } from "~/certificates/keys.server";
import { type CertificatePdfInput, renderCertificatePdf } from "~/certificates/pdf.server";
import { signCertificate, verifyCertificate } from "~/certificates/signature.server";
import { statusListCredential } from "~/certificates/status-list.server";
import type { Actor } from "~/lib/auth.server";
import { hasRole } from "~/lib/auth.server";
import { apply, attempt, type CommandResult } from "./applications.server";

/**
 * Electronic certificates (issue 7, step 9): issuing them one final result at a time or a batch at a
 * time (a restartable job with progress), the holder's module, public verification and revocation.
 */

/** The one status list all certificates are in; its positions run across years (serial row of year 0). */
export const STATUS_LIST_ID = "1";

export interface CertificateDeps {
  db: Db;
  files: FileStore;
  key: IssuerKey;
  /** Public base URL of the portal: the QR code and the credential's ids point there. */
  baseUrl: string;
  /** The PDF renderer (a worker pool in bulk); the in-thread renderer by default. */
  render?: (input: CertificatePdfInput) => Promise<Uint8Array>;
  log?: (line: string) => void;
}

const isAdmin = (actor: Actor) => hasRole(actor, "admin");

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const verifyUrlOf = (baseUrl: string, number: string, token: string) =>
  `${baseUrl}/verify/${number}?t=${encodeURIComponent(token)}`;

// ---------------------------------------------------------------------------------------------------
// Issuing

/** Everything a certificate is made of, built outside any transaction (rendering is the slow part). */
interface Prepared {
  entry: IssuableEntry;
  serial: number;
  statusIndex: number;
  number: string;
  data: CertificateData;
  signature: string;
  credential: Record<string, unknown>;
  tokenSha256: string;
  pdfSha256: string;
  pdfSize: number;
}

async function prepare(
  deps: CertificateDeps,
  entry: IssuableEntry,
  serial: number,
  statusIndex: number,
  now: Date,
): Promise<Prepared> {
  const number = certificateNumber(entry.roundYear, serial);
  const issueDate = shanghaiDate(now);
  const data = certificateData({
    number,
    holderName: entry.holderName,
    // The full number is read only here, to mask it; it is never logged, returned or stored elsewhere.
    holderIdMasked: maskCertificateIdNumber(entry.holderIdNumber),
    unitName: entry.unitName,
    series: entry.series as Series,
    specialty: entry.specialty,
    level: entry.level as Level,
    committee: entry.committeeName,
    approvedOn: entry.approvedOn as IsoDate,
    approvalReference: approvalReference(
      entry.publisher as ResultPublisher,
      entry.roundYear,
      entry.batchNumber,
    ),
    issueDate,
  });
  const signature = signCertificate(data, deps.key);
  const credential = toCredential(data, {
    key: deps.key,
    baseUrl: deps.baseUrl,
    statusIndex,
    statusListId: STATUS_LIST_ID,
    issuedAt: now,
  }) as unknown as Record<string, unknown>;
  const token = randomBytes(32).toString("base64url");
  const render = deps.render ?? renderCertificatePdf;
  const pdf = await render({
    data,
    signature,
    keyId: deps.key.keyId,
    verifyUrl: verifyUrlOf(deps.baseUrl, number, token),
  });
  // The bytes are stored before the row; a file whose row never came (a crash) is harmless.
  const stored = await deps.files.putBuffer(pdf);
  return {
    entry,
    serial,
    statusIndex,
    number,
    data,
    signature,
    credential,
    tokenSha256: sha256(token),
    pdfSha256: stored.sha256,
    pdfSize: stored.size,
  };
}

export interface ChunkResult {
  issued: string[];
  /** Entries that could not be certified (a rendering error): left for a later pass, named in the issuance. */
  failed: { entryId: string; message: string }[];
}

/**
 * Issues the certificates of some entries of one batch (one round year) in ONE transaction.
 *
 * Why this shape: the PDF carries the certificate number, and rendering is the slow part, so numbers are
 * guessed from the serial rows read without a lock and the PDFs rendered before the transaction. The
 * transaction then locks the serial rows and each application, drops entries that meanwhile stopped being
 * issuable (another pass certified them, a complaint was opened), and numbers the rest from the locked
 * values; an entry whose guessed number or status position turned out wrong (another issuer got there
 * first) is prepared again under the lock. So numbers have no gaps and no repeats, a crash before the
 * commit leaves nothing but orphan files (content-addressed, harmless), and a crash after it leaves whole
 * certificates. The unique index on application_id is the last guard against issuing twice.
 */
export async function issueEntries(
  deps: CertificateDeps,
  entries: IssuableEntry[],
  context: { actor: Actor | null; now: Date; issuanceId?: string | null },
): Promise<ChunkResult> {
  const failed: ChunkResult["failed"] = [];
  if (entries.length === 0) return { issued: [], failed };
  const year = entries[0]!.roundYear;
  if (entries.some((e) => e.roundYear !== year)) throw new Error("issueEntries: one round year per chunk");
  await ensureSigningKey(deps.db, deps.key);

  const guess = await certificateRepository.peekSerials(deps.db, year);
  // Rendered side by side, so a worker pool (deps.render) keeps every thread busy.
  const settled = await Promise.allSettled(
    entries.map((entry, i) =>
      prepare(deps, entry, guess.serial + i + 1, guess.statusIndex + i + 1, context.now),
    ),
  );
  const prepared = new Map<string, Prepared>();
  settled.forEach((outcome, i) => {
    const entry = entries[i]!;
    if (outcome.status === "fulfilled") prepared.set(entry.entryId, outcome.value);
    else
      failed.push({
        entryId: entry.entryId,
        message: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason),
      });
  });
  if (prepared.size === 0) return { issued: [], failed };

  const issued = await deps.db.transaction(async (tx) => {
    const locked = await certificateRepository.lockSerials(tx, year);
    const already = await certificateRepository.issuedApplicationIds(
      tx,
      [...prepared.values()].map((p) => p.entry.applicationId),
    );
    let serial = locked.serial;
    let statusIndex = locked.statusIndex;
    const done: string[] = [];
    for (const item of prepared.values()) {
      const { entry } = item;
      const app = await applicationRepository.findByIdForUpdate(tx, entry.applicationId);
      if (!app || !isApplicationState(app.state) || app.state !== "final") continue;
      if (already.has(app.id)) continue;
      if ((await certificateRepository.entryOutcome(tx, entry.entryId)) !== "final") continue;
      if (await certificateRepository.hasOpenComplaint(tx, entry.entryId)) continue;
      serial += 1;
      statusIndex += 1;
      const ready =
        item.serial === serial && item.statusIndex === statusIndex
          ? item
          : await prepare(deps, entry, serial, statusIndex, context.now);
      await fileRepository.upsert(tx, {
        sha256: ready.pdfSha256,
        size: ready.pdfSize,
        mime: "application/pdf",
        width: null,
        height: null,
        pages: 1,
      });
      const row = await certificateRepository.insert(tx, {
        number: ready.number,
        applicationId: app.id,
        entryId: entry.entryId,
        holderId: entry.holderId,
        tokenSha256: ready.tokenSha256,
        data: ready.data as unknown as Record<string, unknown>,
        signature: ready.signature,
        keyId: deps.key.keyId,
        credential: ready.credential,
        statusIndex: ready.statusIndex,
        pdfSha256: ready.pdfSha256,
        issueDate: ready.data.issueDate,
        issuedAt: context.now,
        issuanceId: context.issuanceId ?? null,
      });
      await apply(
        tx,
        { ...app, state: app.state },
        { type: "issueCertificate" },
        {
          actor: context.actor,
          now: context.now,
          data: { certificate: row.id, number: row.number },
          notices: [
            {
              to: "applicant",
              template: "certificate-ready",
              params: { qualification: ready.data.qualification, number: row.number },
            },
          ],
        },
      );
      await appendAudit(tx, {
        at: context.now,
        actorUserId: context.actor?.user.id ?? null,
        action: "certificate.issue",
        objectType: "certificate",
        objectId: row.id,
        data: {
          number: row.number,
          applicationId: app.id,
          entryId: entry.entryId,
          pdf: ready.pdfSha256,
          issuance: context.issuanceId ?? null,
        },
      });
      done.push(entry.entryId);
    }
    await certificateRepository.setSerials(tx, year, { serial, statusIndex });
    if (context.issuanceId && done.length)
      await certificateRepository.addIssued(tx, context.issuanceId, done.length);
    return done;
  });
  return { issued, failed };
}

/**
 * Issues the certificate of one final result now (staff, outside a bulk run). Refused for a result with
 * an open complaint (RESULT_UNDER_COMPLAINT) or one that is not final or already certified.
 */
export async function issueCertificate(
  deps: CertificateDeps,
  actor: Actor,
  entryId: string,
  now: Date,
): Promise<CommandResult<{ number: string }>> {
  return attempt(async () => {
    if (!isAdmin(actor)) throw new DomainError("FORBIDDEN");
    const { db } = deps;
    const entry = await certificateRepository.findEntryForIssue(db, entryId);
    if (!entry) throw new DomainError("NOT_FOUND");
    if (await certificateRepository.hasOpenComplaint(db, entryId))
      throw new DomainError("RESULT_UNDER_COMPLAINT", { name: entry.holderName });
    const [issuable] = await certificateRepository.issuableEntries(db, entry.batchId, 1, [], entryId);
    if (!issuable) throw new DomainError("CERTIFICATE_NOT_ISSUABLE", { name: entry.holderName });
    const result = await issueEntries(deps, [issuable], { actor, now });
    if (result.failed.length) throw new Error(result.failed[0]!.message);
    if (!result.issued.length) throw new DomainError("CERTIFICATE_NOT_ISSUABLE", { name: entry.holderName });
    const [row] = await certificateRepository.certificatesOfEntries(db, result.issued);
    return { number: row!.number };
  });
}

// ---------------------------------------------------------------------------------------------------
// Bulk issuance (the `certificate-issuance` job)

export type IssuanceState = "queued" | "running" | "done" | "failed";

/** What the batch page and the progress endpoint show. Dates as ISO strings (it crosses to the browser). */
export interface IssuanceStatus {
  /** Null while no issuance was ever started for the batch. */
  id: string | null;
  batchId: string;
  state: IssuanceState | null;
  total: number;
  issued: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** Final results of the batch still without a certificate (what a start would issue). */
  pending: number;
  /** Certificates of this batch so far. */
  certified: number;
  /** The viewer may start (or resume) an issuance now. */
  canStart: boolean;
}

function statusOf(
  batchId: string,
  row: CertificateIssuanceRecord | null,
  pending: number,
  certified: number,
  admin: boolean,
): IssuanceStatus {
  const active = row?.state === "queued" || row?.state === "running";
  return {
    id: row?.id ?? null,
    batchId,
    state: (row?.state as IssuanceState | undefined) ?? null,
    total: row?.total ?? 0,
    issued: row?.issued ?? 0,
    startedAt: row?.startedAt.toISOString() ?? null,
    finishedAt: row?.finishedAt?.toISOString() ?? null,
    error: row?.error ?? null,
    pending,
    certified,
    canStart: admin && !active && pending > 0,
  };
}

/**
 * The batch's latest issuance with its progress, for the staff batch page (H4). Null when there is
 * nothing to show: no issuance ever and no final result waiting for a certificate.
 */
export async function issuanceStatus(db: Db, actor: Actor, batchId: string): Promise<IssuanceStatus | null> {
  const batch = await certificateRepository.batchFacts(db, batchId);
  if (!batch || !mayManageBatch(actor, batch)) return null;
  const [row, pending, certified] = await Promise.all([
    certificateRepository.latestIssuance(db, batchId),
    certificateRepository.countIssuable(db, batchId),
    certificateRepository.countForBatch(db, batchId),
  ]);
  if (!row && pending === 0 && certified === 0) return null;
  return statusOf(batchId, row, pending, certified, isAdmin(actor));
}

/** The progress of one issuance (polled every second by the batch page). */
export async function issuanceProgress(
  db: Db,
  actor: Actor,
  issuanceId: string,
): Promise<CommandResult<IssuanceStatus>> {
  return attempt(async () => {
    if (!z.string().uuid().safeParse(issuanceId).success) throw new DomainError("NOT_FOUND");
    const row = await certificateRepository.findIssuance(db, issuanceId);
    if (!row) throw new DomainError("NOT_FOUND");
    const batch = await certificateRepository.batchFacts(db, row.batchId);
    if (!batch || !mayManageBatch(actor, batch)) throw new DomainError("FORBIDDEN");
    const [pending, certified] = await Promise.all([
      certificateRepository.countIssuable(db, row.batchId),
      certificateRepository.countForBatch(db, row.batchId),
    ]);
    return statusOf(row.batchId, row, pending, certified, isAdmin(actor));
  });
}

/**
 * Starts (or, after a failure, resumes) issuing a batch's certificates: an issuance row `queued` with the
 * number to issue; the job does the work. The bureau only. Refused while one is queued or running.
 */
export async function startIssuance(
  db: Db,
  actor: Actor,
  batchId: string,
  now: Date,
): Promise<CommandResult<IssuanceStatus>> {
  return attempt(async () => {
    if (!isAdmin(actor)) throw new DomainError("FORBIDDEN");
    if (!z.string().uuid().safeParse(batchId).success) throw new DomainError("NOT_FOUND");
    return db.transaction(async (tx) => {
      const batch = await certificateRepository.batchFacts(tx, batchId);
      if (!batch) throw new DomainError("NOT_FOUND");
      await certificateRepository.lockBatch(tx, batchId);
      if (await certificateRepository.activeIssuance(tx, batchId)) throw new DomainError("ISSUANCE_RUNNING");
      const total = await certificateRepository.countIssuable(tx, batchId);
      if (total === 0) throw new DomainError("CERTIFICATE_NOT_ISSUABLE", { name: batch.title });
      const row = await certificateRepository.insertIssuance(tx, {
        batchId,
        total,
        startedBy: actor.user.id,
        startedAt: now,
      });
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "certificate.issuance.start",
        objectType: "result_batch",
        objectId: batchId,
        data: { issuance: row.id, total },
      });
      const certified = await certificateRepository.countForBatch(tx, batchId);
      return statusOf(batchId, row, total, certified, true);
    });
  });
}

export interface IssuanceJobResult {
  issuances: number;
  issued: number;
  failed: number;
}

/**
 * One pass of the job: works through every queued or running issuance (a running one is what a crash
 * left), chunk by chunk, until its batch has no issuable entry left, then marks it done (or failed, naming
 * what could not be issued). `limit` stops after about that many certificates (tests; a pass that is cut
 * short is finished by the next one). Safe to run twice at once: see `issueEntries`.
 */
export async function processIssuances(
  deps: CertificateDeps,
  now: Date,
  options: { limit?: number; chunkSize?: number } = {},
): Promise<IssuanceJobResult> {
  const chunkSize = options.chunkSize ?? 50;
  let budget = options.limit ?? Number.POSITIVE_INFINITY;
  const result: IssuanceJobResult = { issuances: 0, issued: 0, failed: 0 };
  for (const issuance of await certificateRepository.unfinishedIssuances(deps.db)) {
    if (budget <= 0) break;
    result.issuances += 1;
    if (issuance.state === "queued")
      await certificateRepository.updateIssuance(deps.db, issuance.id, { state: "running" });
    const skipped: ChunkResult["failed"] = [];
    let finished = false;
    while (budget > 0) {
      const entries = await certificateRepository.issuableEntries(
        deps.db,
        issuance.batchId,
        Math.min(chunkSize, budget),
        skipped.map((s) => s.entryId),
      );
      if (entries.length === 0) {
        finished = true;
        break;
      }
      const chunk = await issueEntries(deps, entries, { actor: null, now, issuanceId: issuance.id });
      skipped.push(...chunk.failed);
      result.issued += chunk.issued.length;
      result.failed += chunk.failed.length;
      budget -= chunk.issued.length + chunk.failed.length;
      for (const f of chunk.failed)
        deps.log?.(`[jobs] certificate-issuance: entry ${f.entryId}: ${f.message}`);
    }
    if (!finished) continue;
    await certificateRepository.updateIssuance(deps.db, issuance.id, {
      state: skipped.length ? "failed" : "done",
      finishedAt: now,
      error: skipped.length
        ? `${skipped.length} 份证书未能生成 / could not be rendered: ${skipped[0]!.message}`.slice(0, 500)
        : null,
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The holder's module

export interface OwnCertificate {
  number: string;
  qualification: string;
  level: string;
  issueDate: string;
  status: "valid" | "revoked";
  revokedOn: string | null;
}

const ownView = (c: CertificateSummary): OwnCertificate => ({
  number: c.number,
  qualification: c.qualification,
  level: c.level,
  issueDate: c.issueDate,
  status: c.revokedAt ? "revoked" : "valid",
  revokedOn: c.revokedAt ? shanghaiDate(c.revokedAt) : null,
});

export async function listOwnCertificates(db: Db, actor: Actor): Promise<OwnCertificate[]> {
  return (await certificateRepository.findByHolder(db, actor.user.id)).map(ownView);
}

/** The stored PDF of a certificate: its holder's, or any for the bureau. */
export async function certificatePdfOf(
  db: Db,
  actor: Actor,
  numberInput: string,
): Promise<CommandResult<{ number: string; sha256: string }>> {
  return attempt(async () => {
    const number = normaliseCertificateNumber(numberInput);
    if (!isValidCertificateNumber(number))
      throw new DomainError("CERTIFICATE_NUMBER_INVALID", { number: numberInput.slice(0, 40) });
    const row = await certificateRepository.findByNumber(db, number);
    if (!row) throw new DomainError("CERTIFICATE_NOT_FOUND", { number });
    if (row.holderId !== actor.user.id && !isAdmin(actor)) throw new DomainError("FORBIDDEN");
    return { number, sha256: row.pdfSha256 };
  });
}

// ---------------------------------------------------------------------------------------------------
// Public verification

export type Verification =
  | { status: "invalid-number"; input: string; error: DomainError }
  | { status: "unknown"; number: string; error: DomainError }
  /** A real number but the QR token is wrong: nothing about the certificate is shown. */
  | { status: "token-mismatch"; number: string; error: DomainError }
  /** The stored data does not match its signature: treated as not valid. */
  | { status: "bad-signature"; number: string }
  /** Typed in by hand, without the QR token: the status only, no personal details. */
  | { status: "valid" | "revoked"; number: string; detail: null; revokedOn: string | null }
  | {
      status: "valid" | "revoked";
      number: string;
      revokedOn: string | null;
      detail: {
        holderName: string;
        holderIdMasked: string;
        qualification: string;
        level: string;
        issuer: string;
        issueDate: string;
      };
    };

/**
 * What the verification page shows for a number (and the QR token, when scanned). The stored signature is
 * checked against the issuer's public key on every view, so an altered row is never shown as valid.
 */
export async function verifyCertificateNumber(
  db: Db,
  numberInput: string,
  token: string | null,
): Promise<Verification> {
  const number = normaliseCertificateNumber(numberInput);
  if (!isValidCertificateNumber(number))
    return {
      status: "invalid-number",
      input: numberInput.slice(0, 40),
      error: new DomainError("CERTIFICATE_NUMBER_INVALID", { number: numberInput.slice(0, 40) }),
    };
  const row = await certificateRepository.findByNumber(db, number);
  if (!row) return { status: "unknown", number, error: new DomainError("CERTIFICATE_NOT_FOUND", { number }) };
  if (token !== null && !sameHash(sha256(token), row.tokenSha256))
    return { status: "token-mismatch", number, error: new DomainError("CERTIFICATE_TOKEN_MISMATCH") };
  const data = row.data as unknown as CertificateData;
  const genuine =
    row.publicKeyMultibase !== null &&
    data.number === row.number &&
    verifyCertificate(row.data, row.signature, row.publicKeyMultibase);
  if (!genuine) return { status: "bad-signature", number };
  const status = row.revokedAt ? "revoked" : "valid";
  const revokedOn = row.revokedAt ? shanghaiDate(row.revokedAt) : null;
  if (token === null) return { status, number, detail: null, revokedOn };
  return {
    status,
    number,
    revokedOn,
    detail: {
      holderName: data.holderName,
      holderIdMasked: data.holderIdMasked,
      qualification: data.qualification,
      level: data.level,
      issuer: data.issuer,
      issueDate: data.issueDate,
    },
  };
}

/** The stored Verifiable Credential, for whoever holds the QR token. */
export async function credentialOf(
  db: Db,
  numberInput: string,
  token: string | null,
): Promise<CommandResult<Record<string, unknown>>> {
  return attempt(async () => {
    const number = normaliseCertificateNumber(numberInput);
    if (!isValidCertificateNumber(number))
      throw new DomainError("CERTIFICATE_NUMBER_INVALID", { number: numberInput.slice(0, 40) });
    const row = await certificateRepository.findByNumber(db, number);
    if (!row) throw new DomainError("CERTIFICATE_NOT_FOUND", { number });
    if (token === null || !sameHash(sha256(token), row.tokenSha256))
      throw new DomainError("CERTIFICATE_TOKEN_MISMATCH");
    return row.credential;
  });
}

/** The signed Bitstring Status List credential: the revoked certificates' positions set. */
export async function statusListOf(
  deps: Pick<CertificateDeps, "db" | "key" | "baseUrl">,
  listId: string,
  now: Date,
): Promise<CommandResult<Record<string, unknown>>> {
  return attempt(async () => {
    if (listId !== STATUS_LIST_ID) throw new DomainError("NOT_FOUND");
    const revoked = await certificateRepository.revokedIndexes(deps.db);
    return statusListCredential(revoked, {
      key: deps.key,
      baseUrl: deps.baseUrl,
      listId,
      validFrom: now,
    }) as unknown as Record<string, unknown>;
  });
}

// ---------------------------------------------------------------------------------------------------
// Staff: finding and revoking

export const ZRevokeInput = z.object({
  number: z.string().trim().min(1).max(40),
  reason: z.string().trim().min(2, "请填写撤销原因（至少2个字）").max(500, "撤销原因不超过500字"),
});

export async function findCertificates(db: Db, actor: Actor, query: string): Promise<CertificateSummary[]> {
  if (!isAdmin(actor)) throw new DomainError("FORBIDDEN");
  const text = query.trim().slice(0, 50);
  if (!text) return [];
  const number = normaliseCertificateNumber(text);
  return certificateRepository.search(db, isValidCertificateNumber(number) ? number : text);
}

/**
 * Revokes a certificate (the bureau, with a reason): the row, the application (certified → revoked), the
 * holder's SMS and the audit record in one transaction; its status-list bit reads as set from then on.
 */
export async function revokeCertificate(
  db: Db,
  actor: Actor,
  input: unknown,
  now: Date,
): Promise<CommandResult<{ number: string }>> {
  return attempt(async () => {
    if (!isAdmin(actor)) throw new DomainError("FORBIDDEN");
    const parsed = ZRevokeInput.safeParse(input);
    if (!parsed.success)
      throw new DomainError("VALIDATION", { details: parsed.error.issues[0]?.message ?? "" });
    const number = normaliseCertificateNumber(parsed.data.number);
    if (!isValidCertificateNumber(number))
      throw new DomainError("CERTIFICATE_NUMBER_INVALID", { number: parsed.data.number });
    return db.transaction(async (tx) => {
      const found = await certificateRepository.findByNumber(tx, number);
      if (!found) throw new DomainError("CERTIFICATE_NOT_FOUND", { number });
      const row = await certificateRepository.findByIdForUpdate(tx, found.id);
      if (!row) throw new DomainError("CERTIFICATE_NOT_FOUND", { number });
      if (row.revokedAt) throw new DomainError("CERTIFICATE_ALREADY_REVOKED", { number });
      await certificateRepository.revoke(tx, row.id, {
        at: now,
        reason: parsed.data.reason,
        by: actor.user.id,
      });
      const app = await applicationRepository.findByIdForUpdate(tx, row.applicationId);
      if (app && isApplicationState(app.state) && app.state === "certified") {
        await apply(
          tx,
          { ...app, state: app.state },
          { type: "revoke", reason: parsed.data.reason },
          {
            actor,
            now,
            data: { certificate: row.id, number },
            notices: [
              {
                to: "applicant",
                template: "certificate-revoked",
                params: { number, reason: parsed.data.reason },
              },
            ],
          },
        );
      }
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "certificate.revoke",
        objectType: "certificate",
        objectId: row.id,
        data: { number, reason: parsed.data.reason, statusIndex: row.statusIndex },
      });
      return { number };
    });
  });
}
