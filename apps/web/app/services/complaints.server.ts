import { createHash, randomBytes } from "node:crypto";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import {
  appendAudit,
  applicationRepository,
  type ComplaintRecord,
  type ComplaintTarget,
  complaintRepository,
  type Db,
  fileRepository,
  lookupHash,
  userRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  type ApplicationState,
  applicationStateLabels,
  type ComplaintKind,
  type ComplaintState,
  complaintDecisionError,
  complaintFilingError,
  complaintKindLabels,
  complaintReference,
  complaintStateLabels,
  complaintWindowError,
  DomainError,
  decisionEffect,
  type EntryOutcome,
  type EntryResult,
  entryOutcomeLabels,
  entryResultLabels,
  type IsoDate,
  isApplicationState,
  isComplaintReference,
  isDayOver,
  mayManageBatch,
  normaliseComplaintReference,
  reReviewError,
  type Series,
  seriesLabels,
  validationError,
  ZComplaintDecision,
  ZComplaintInput,
  ZReReviewInput,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import { formatBeijingTime } from "~/documents/application-documents.server";
import type { Actor } from "~/lib/auth.server";
import { settleEntryAfterDecision } from "~/services/results.server";
import { defaultInspectLimits, intakeUpload, processImage } from "~/uploads/inspect.server";
import { apply, type CommandResult, command } from "./applications.server";
import { enqueueSms } from "./notifications.server";

/**
 * Complaints (投诉) against a published result and an applicant's request for a re-review (复查) of their
 * own result, and the staff's decision on either. A complaint is filed without an account and followed by
 * its reference number together with the contact phone; the phone is matched by its keyed hash so the
 * follow-up page never searches on the number itself.
 */

export const MAX_COMPLAINT_ATTACHMENTS = 5;
export const MAX_COMPLAINT_ATTACHMENT_MB = 10;
const attachmentLimits = { ...defaultInspectLimits, maxBytes: MAX_COMPLAINT_ATTACHMENT_MB * 1024 * 1024 };

export interface ComplaintDeps {
  db: Db;
  files: FileStore;
  /** LOOKUP_HASH_KEY: the key of the contact phone's hash. */
  lookupKey: string;
  /** Randomness of the reference number; tests may pin it. */
  random?: (bytes: number) => Uint8Array;
}

/** An attachment as received from the form, not yet looked at. */
export interface AttachmentUpload {
  name: string;
  bytes: Buffer;
}

const ZId = z.string().uuid();

/** The batch's publicity as the domain rules read it. */
const windowOf = (target: ComplaintTarget) => ({
  state: target.batchState,
  publicityStart: target.publicityStart as IsoDate | null,
  publicityEnd: target.publicityEnd as IsoDate | null,
});

/** File names are shown back to staff: no folders, no control characters, bounded length. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return base.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
}

interface PreparedFile {
  bytes: Buffer;
  originalName: string;
  file: {
    sha256: string;
    size: number;
    mime: string;
    width: number | null;
    height: number | null;
    pages: number | null;
  };
}

/**
 * Sniffs each attachment by its content (PDF, JPEG or PNG only, 10 MB each) and re-encodes photos so no
 * EXIF/GPS reaches staff. Done before the transaction: this is the slow part and writes nothing.
 */
async function prepareAttachments(uploads: AttachmentUpload[]): Promise<PreparedFile[]> {
  const real = uploads.filter((u) => u.bytes.length > 0 || u.name);
  if (real.length > MAX_COMPLAINT_ATTACHMENTS) {
    throw new DomainError("VALIDATION", {
      details: `附件最多${MAX_COMPLAINT_ATTACHMENTS}个 / at most ${MAX_COMPLAINT_ATTACHMENTS} attachments`,
    });
  }
  const prepared: PreparedFile[] = [];
  for (const upload of real) {
    const received = await intakeUpload(upload.bytes, attachmentLimits);
    if (received.kind === "image" && received.mime === "image/webp") {
      throw new DomainError("UPLOAD_TYPE_NOT_ALLOWED", { detected: "WebP 图片", detectedEn: "a WebP image" });
    }
    const bytes =
      received.kind === "image"
        ? (await processImage(upload.bytes, attachmentLimits)).image.bytes
        : upload.bytes;
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    prepared.push({
      bytes,
      originalName: cleanName(upload.name),
      file:
        received.kind === "image"
          ? { sha256, size: bytes.length, mime: "image/jpeg", width: null, height: null, pages: null }
          : {
              sha256,
              size: bytes.length,
              mime: received.mime,
              width: null,
              height: null,
              pages: received.pages,
            },
    });
  }
  return prepared;
}

async function newReference(tx: Db, now: Date, random: (n: number) => Uint8Array): Promise<string> {
  const year = Number(formatBeijingTime(now).slice(0, 4));
  for (let attempt = 0; attempt < 5; attempt++) {
    const reference = complaintReference(year, random(5));
    if (!(await complaintRepository.referenceExists(tx, reference))) return reference;
  }
  throw new Error("could not draw a free complaint reference");
}

async function insertWithAttachments(
  tx: Db,
  complaint: Parameters<typeof complaintRepository.insert>[1],
  prepared: PreparedFile[],
): Promise<ComplaintRecord> {
  const row = await complaintRepository.insert(tx, complaint);
  for (const p of prepared) await fileRepository.upsert(tx, p.file);
  await complaintRepository.insertAttachments(
    tx,
    prepared.map((p, i) => ({
      complaintId: row.id,
      position: i + 1,
      fileSha256: p.file.sha256,
      originalName: p.originalName,
    })),
  );
  return row;
}

async function storeBytes(deps: ComplaintDeps, prepared: PreparedFile[]): Promise<void> {
  // Content-addressed and idempotent: if the transaction fails the files wait unreferenced, harmlessly.
  for (const p of prepared) await deps.files.putBuffer(p.bytes);
}

// --------------------------------------------------------------------------------------------------
// Filing (public) and following

export interface FiledComplaint {
  id: string;
  reference: string;
}

/**
 * A complaint against a listed result of a batch in publicity. All or nothing: the complaint, its
 * attachments, the audit record and the SMS with the reference are written in one transaction.
 */
export async function fileComplaint(
  deps: ComplaintDeps,
  raw: { entryId: unknown; name: unknown; phone: unknown; facts: unknown },
  uploads: AttachmentUpload[],
  now: Date,
): Promise<CommandResult<FiledComplaint>> {
  const parsed = ZComplaintInput.safeParse({ name: raw.name, phone: raw.phone, facts: raw.facts });
  const entryId = ZId.safeParse(raw.entryId);
  let prepared: PreparedFile[] = [];
  try {
    if (!entryId.success) throw new DomainError("COMPLAINT_ENTRY_NOT_LISTED");
    if (!parsed.success) throw validationError(parsed.error);
    prepared = await prepareAttachments(uploads);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
  const input = parsed.data!;
  return command(deps.db, async (tx) => {
    const target = await complaintRepository.findTarget(tx, entryId.data!);
    // An unlisted (failed) result or a draft batch is never public: "not listed" whatever the reason.
    if (!target || target.batchState === "draft") throw new DomainError("COMPLAINT_ENTRY_NOT_LISTED");
    const refused = complaintFilingError(now, windowOf(target), {
      listed: target.listed,
      outcome: target.outcome as EntryOutcome,
    });
    if (refused) throw refused;
    await storeBytes(deps, prepared);
    const reference = await newReference(tx, now, deps.random ?? randomBytes);
    const row = await insertWithAttachments(
      tx,
      {
        reference,
        kind: "complaint",
        batchId: target.batchId,
        entryId: target.entryId,
        applicationId: target.applicationId,
        complainantName: input.name,
        contactPhone: input.phone,
        contactPhoneHash: lookupHash(deps.lookupKey, input.phone),
        filedBy: null,
        facts: input.facts,
        filedAt: now,
      },
      prepared,
    );
    // The audit chain keeps who complained about what, not the contact number.
    await appendAudit(tx, {
      at: now,
      actorUserId: null,
      action: "complaint.file",
      objectType: "complaint",
      objectId: row.id,
      data: {
        reference,
        kind: "complaint",
        batchId: target.batchId,
        entryId: target.entryId,
        applicationId: target.applicationId,
        attachments: prepared.map((p) => p.file.sha256),
      },
    });
    await enqueueSms(tx, {
      userId: null,
      phone: input.phone,
      template: "complaint-received",
      params: { reference },
      at: now,
    });
    return { id: row.id, reference };
  });
}

/** What the complainant sees when following a complaint. */
export interface ComplaintFollowView {
  reference: string;
  kind: ComplaintKind;
  kindLabel: string;
  state: ComplaintState;
  stateLabel: string;
  filedAt: string;
  decidedAt: string | null;
  reason: string | null;
  batchTitle: string;
  applicantName: string;
}

/** Reference + phone → the complaint; either one wrong gives the same COMPLAINT_NOT_FOUND. */
export async function followComplaint(
  db: Db,
  lookupKey: string,
  raw: { reference: unknown; phone: unknown },
  locale: Locale,
): Promise<ComplaintFollowView> {
  const reference = normaliseComplaintReference(String(raw.reference ?? ""));
  const phone = String(raw.phone ?? "").replace(/\s+/g, "");
  if (!isComplaintReference(reference) || !/^1\d{10}$/.test(phone))
    throw new DomainError("COMPLAINT_NOT_FOUND");
  const row = await complaintRepository.findByReferenceAndPhoneHash(
    db,
    reference,
    lookupHash(lookupKey, phone),
  );
  if (!row) throw new DomainError("COMPLAINT_NOT_FOUND");
  const target = await complaintRepository.findTarget(db, row.entryId);
  return {
    reference: row.reference,
    kind: row.kind as ComplaintKind,
    kindLabel: complaintKindLabels[row.kind as ComplaintKind]?.[locale] ?? row.kind,
    state: row.state as ComplaintState,
    stateLabel: complaintStateLabels[row.state as ComplaintState]?.[locale] ?? row.state,
    filedAt: formatBeijingTime(row.filedAt),
    decidedAt: row.decidedAt ? formatBeijingTime(row.decidedAt) : null,
    reason: row.outcomeReason,
    batchTitle: target?.batchTitle ?? "",
    applicantName: target?.name ?? "",
  };
}

// --------------------------------------------------------------------------------------------------
// The applicant's re-review (复查)

export interface ReReviewContext {
  applicationId: string;
  target: ComplaintTarget | null;
  /** Why a re-review cannot be asked for now; null when it can. */
  unavailable: DomainError | null;
  /** The applicant's own requests on this application, newest first. */
  requests: Array<{ reference: string; state: string; filedAt: Date; reason: string | null }>;
}

async function reReviewContextIn(
  db: Db,
  actor: Actor,
  applicationId: unknown,
  now: Date,
): Promise<ReReviewContext> {
  const id = ZId.safeParse(applicationId);
  if (!id.success) throw new DomainError("NOT_FOUND");
  const app = await applicationRepository.findById(db, id.data);
  if (!app) throw new DomainError("NOT_FOUND");
  const target = await complaintRepository.findLatestTargetForApplication(db, app.id);
  const openReReviews = target
    ? await complaintRepository.countOpenForEntry(db, target.entryId, "re_review")
    : 0;
  const unavailable =
    reReviewError({
      now,
      userId: actor.user.id,
      applicantId: app.applicantId,
      entry: target
        ? { result: target.result as EntryResult, outcome: target.outcome as EntryOutcome }
        : null,
      batch: target ? windowOf(target) : null,
      openReReview: openReReviews > 0,
    }) ?? null;
  const requests = (await complaintRepository.listForApplication(db, app.id))
    .filter((c) => c.kind === "re_review" && c.filedBy === actor.user.id)
    .map((c) => ({ reference: c.reference, state: c.state, filedAt: c.filedAt, reason: c.outcomeReason }));
  return { applicationId: app.id, target, unavailable, requests };
}

/** For the re-review page and the result notice: may the actor ask for a re-review now, and if not, why. */
export async function reReviewContext(db: Db, actor: Actor, applicationId: unknown, now: Date) {
  const context = await reReviewContextIn(db, actor, applicationId, now);
  // Someone else's application: not even its existence is told.
  if (context.unavailable?.code === "RE_REVIEW_NOT_OWN") throw context.unavailable;
  return context;
}

/** The applicant asks for a re-review of their own failed result during the batch's publicity. */
export async function requestReReview(
  deps: ComplaintDeps,
  actor: Actor,
  applicationId: unknown,
  raw: { facts: unknown },
  uploads: AttachmentUpload[],
  now: Date,
): Promise<CommandResult<FiledComplaint>> {
  const parsed = ZReReviewInput.safeParse({ facts: raw.facts });
  let prepared: PreparedFile[] = [];
  try {
    if (!parsed.success) throw validationError(parsed.error);
    prepared = await prepareAttachments(uploads);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
  return command(deps.db, async (tx) => {
    const id = ZId.safeParse(applicationId);
    if (!id.success) throw new DomainError("NOT_FOUND");
    // The lock keeps two requests sent at once from both passing the "none open" check.
    const locked = await applicationRepository.findByIdForUpdate(tx, id.data);
    if (!locked) throw new DomainError("NOT_FOUND");
    const context = await reReviewContextIn(tx, actor, id.data, now);
    if (context.unavailable) throw context.unavailable;
    const target = context.target!;
    const phone = (await userRepository.findPhoneById(tx, actor.user.id)) ?? "";
    await storeBytes(deps, prepared);
    const reference = await newReference(tx, now, deps.random ?? randomBytes);
    const row = await insertWithAttachments(
      tx,
      {
        reference,
        kind: "re_review",
        batchId: target.batchId,
        entryId: target.entryId,
        applicationId: target.applicationId,
        complainantName: actor.user.name,
        contactPhone: phone,
        contactPhoneHash: lookupHash(deps.lookupKey, phone),
        filedBy: actor.user.id,
        facts: parsed.data!.facts,
        filedAt: now,
      },
      prepared,
    );
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "complaint.file",
      objectType: "complaint",
      objectId: row.id,
      data: {
        reference,
        kind: "re_review",
        batchId: target.batchId,
        entryId: target.entryId,
        applicationId: target.applicationId,
        attachments: prepared.map((p) => p.file.sha256),
      },
    });
    if (phone)
      await enqueueSms(tx, {
        userId: actor.user.id,
        phone,
        template: "complaint-received",
        params: { reference },
        applicationId: target.applicationId,
        at: now,
      });
    return { id: row.id, reference };
  });
}

// --------------------------------------------------------------------------------------------------
// Staff: the batch's complaints and the decision

/** Where staff decide a complaint: the bureau's pages for senior (bureau) batches, the agency's otherwise. */
export function complaintHref(publisher: string, complaintId: string): string {
  return publisher === "bureau" ? `/bureau/complaints/${complaintId}` : `/agency/complaints/${complaintId}`;
}

/** One line of `<BatchComplaints>`; plain strings, ready for the loader's JSON. */
export interface BatchComplaintItem {
  id: string;
  reference: string;
  kind: ComplaintKind;
  applicantName: string;
  complainantName: string;
  filedAt: string;
  state: ComplaintState;
  decidedAt: string | null;
  href: string;
}

/** The complaints and re-review requests on a batch, open ones first; NOT_FOUND when not the actor's. */
export async function listBatchComplaints(
  db: Db,
  actor: Actor,
  batchId: unknown,
): Promise<BatchComplaintItem[]> {
  const id = ZId.safeParse(batchId);
  if (!id.success) throw new DomainError("NOT_FOUND");
  const batch = await complaintRepository.findBatch(db, id.data);
  if (!batch || !mayManageBatch(actor, batch)) throw new DomainError("NOT_FOUND");
  return (await complaintRepository.listForBatch(db, batch.id)).map((c) => ({
    id: c.id,
    reference: c.reference,
    kind: c.kind as ComplaintKind,
    applicantName: c.applicantName,
    complainantName: c.complainantName,
    filedAt: formatBeijingTime(c.filedAt),
    state: c.state as ComplaintState,
    decidedAt: c.decidedAt ? formatBeijingTime(c.decidedAt) : null,
    href: complaintHref(batch.publisher, c.id),
  }));
}

export interface ComplaintDetail {
  complaint: ComplaintRecord;
  target: ComplaintTarget;
  attachments: Array<{ position: number; name: string; mime: string; size: number }>;
  applicationState: string;
  /** The publicity is over: deciding settles the entry at once. */
  publicityOver: boolean;
}

async function complaintIn(db: Db, actor: Actor, id: unknown, forUpdate: boolean) {
  const parsed = ZId.safeParse(id);
  if (!parsed.success) throw new DomainError("COMPLAINT_NOT_FOUND");
  const complaint = forUpdate
    ? await complaintRepository.findByIdForUpdate(db, parsed.data)
    : await complaintRepository.findById(db, parsed.data);
  if (!complaint) throw new DomainError("COMPLAINT_NOT_FOUND");
  const target = await complaintRepository.findTarget(db, complaint.entryId);
  // Another agency's complaint looks exactly like a missing one.
  if (!target || !mayManageBatch(actor, target)) throw new DomainError("COMPLAINT_NOT_FOUND");
  return { complaint, target };
}

const publicityOver = (target: ComplaintTarget, now: Date) =>
  target.batchState === "ended" ||
  (target.publicityEnd !== null && isDayOver(now, target.publicityEnd as IsoDate));

/** The complaint with its entry and attachments, for staff who handle its batch. */
export async function complaintForStaff(
  db: Db,
  actor: Actor,
  id: unknown,
  now: Date,
): Promise<ComplaintDetail> {
  const { complaint, target } = await complaintIn(db, actor, id, false);
  const attachments = await complaintRepository.attachments(db, complaint.id);
  const app = await applicationRepository.findById(db, complaint.applicationId);
  return {
    complaint,
    target,
    attachments: attachments.map((a) => ({
      position: a.position,
      name: a.originalName || `附件${a.position}`,
      mime: a.mime,
      size: a.size,
    })),
    applicationState: app?.state ?? "",
    publicityOver: publicityOver(target, now),
  };
}

/** An attachment's stored file, for staff who handle the complaint's batch. */
export async function complaintAttachmentFor(
  db: Db,
  actor: Actor,
  id: unknown,
  position: unknown,
): Promise<{ sha256: string; mime: string; size: number; name: string }> {
  const { complaint } = await complaintIn(db, actor, id, false);
  const attachments = await complaintRepository.attachments(db, complaint.id);
  const found = attachments.find((a) => String(a.position) === String(position));
  if (!found) throw new DomainError("NOT_FOUND");
  return { sha256: found.fileSha256, mime: found.mime, size: found.size, name: found.originalName };
}

export interface DecidedComplaint {
  id: string;
  state: "dismissed" | "upheld";
  /** The application's new state when the decision moved it. */
  applicationState: string | null;
}

/**
 * Decides a complaint or re-review. In one transaction: the complaint's outcome; when upheld, the entry's
 * outcome and the application's transition (`complaintUpheld` → failed, or `reEvaluate` → evaluating);
 * the SMS to the complainant and to the applicant; the audit record; and, if the publicity is already
 * over, the entry settled at once.
 */
export async function decideComplaint(
  db: Db,
  actor: Actor,
  id: unknown,
  raw: unknown,
  now: Date,
): Promise<CommandResult<DecidedComplaint>> {
  return command(db, async (tx) => {
    const { complaint, target } = await complaintIn(tx, actor, id, true);
    const decided = complaintDecisionError({ state: complaint.state as ComplaintState });
    if (decided) throw decided;
    const parsed = ZComplaintDecision.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    const decision = parsed.data;
    // Same lock order as finalisation (application, then entry): it cannot settle the entry meanwhile.
    const app = await applicationRepository.findByIdForUpdate(tx, complaint.applicationId);
    if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
    await complaintRepository.lockEntry(tx, target.entryId);
    const entryOutcome =
      (await complaintRepository.findTarget(tx, target.entryId))?.outcome ?? target.outcome;
    const effect = decisionEffect(
      complaint.kind as ComplaintKind,
      target.result as EntryResult,
      decision.outcome,
    );
    if (!effect.ok) throw effect.error;
    if (
      !(await complaintRepository.decide(tx, complaint.id, {
        state: decision.outcome,
        reason: decision.reason,
        decidedBy: actor.user.id,
        decidedAt: now,
      }))
    )
      throw new DomainError("COMPLAINT_ALREADY_DECIDED");

    const outcomeZh = decision.outcome === "upheld" ? "成立" : "不成立";
    const kindZh = complaint.kind === "re_review" ? "复查申请" : "投诉";
    const reason = decision.reason.slice(0, 60);
    const applicantNotice = {
      to: "applicant" as const,
      template: "complaint-applicant-outcome" as const,
      params: { kind: kindZh, reference: complaint.reference, outcome: outcomeZh, reason },
    };
    let applicationState: string | null = null;
    // A second upheld complaint on a result already overturned has nothing left to change.
    if (effect.event && entryOutcome === "pending") {
      const updated = await apply(
        tx,
        { ...app, state: app.state },
        { type: effect.event, reason: decision.reason },
        {
          actor,
          now,
          data: { complaintId: complaint.id, reference: complaint.reference, reason: decision.reason },
          notices: [applicantNotice],
        },
      );
      applicationState = updated.state;
      await complaintRepository.setEntryOutcome(tx, target.entryId, effect.entryOutcome);
    } else {
      const phone = await userRepository.findPhoneById(tx, app.applicantId);
      if (phone)
        await enqueueSms(tx, {
          userId: app.applicantId,
          phone,
          template: applicantNotice.template,
          params: applicantNotice.params,
          applicationId: complaint.applicationId,
          at: now,
        });
    }
    // The applicant's own re-review: the applicant message above is the complainant's answer too.
    if (complaint.kind === "complaint")
      await enqueueSms(tx, {
        userId: null,
        phone: complaint.contactPhone,
        template: "complaint-outcome",
        params: { reference: complaint.reference, outcome: outcomeZh, reason },
        at: now,
      });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "complaint.decide",
      objectType: "complaint",
      objectId: complaint.id,
      data: {
        reference: complaint.reference,
        kind: complaint.kind,
        outcome: decision.outcome,
        reason: decision.reason,
        entryId: target.entryId,
        applicationId: complaint.applicationId,
        entryOutcome: entryOutcome === "pending" ? effect.entryOutcome : null,
      },
    });
    if (publicityOver(target, now)) await settleEntryAfterDecision(tx, target.entryId, now, actor);
    return { id: complaint.id, state: decision.outcome, applicationState };
  });
}

// --------------------------------------------------------------------------------------------------
// Views for the pages

/** What the public filing form shows about the result complained about. */
export interface ComplaintFormContext {
  batchId: string;
  batchTitle: string;
  publicityStart: string | null;
  publicityEnd: string | null;
  entry: { id: string; name: string; unitName: string; series: string; level: string; qualification: string };
  /** Why no complaint can be filed now (window closed or not open); null while it can. */
  closed: DomainError | null;
}

/** The listed entry of a published batch, or COMPLAINT_ENTRY_NOT_LISTED (an unlisted result is never shown). */
export async function complaintFormContext(
  db: Db,
  batchId: unknown,
  entryId: unknown,
  now: Date,
): Promise<ComplaintFormContext> {
  const entry = ZId.safeParse(entryId);
  if (!entry.success) throw new DomainError("COMPLAINT_ENTRY_NOT_LISTED");
  const target = await complaintRepository.findTarget(db, entry.data);
  if (!target?.listed || target.batchState === "draft" || target.batchId !== batchId)
    throw new DomainError("COMPLAINT_ENTRY_NOT_LISTED");
  return {
    batchId: target.batchId,
    batchTitle: target.batchTitle,
    publicityStart: target.publicityStart,
    publicityEnd: target.publicityEnd,
    entry: {
      id: target.entryId,
      name: target.name,
      unitName: target.unitName,
      series: target.series,
      level: target.level,
      qualification: target.qualification,
    },
    closed: complaintWindowError(now, windowOf(target)) ?? null,
  };
}

/** The result block on the applicant's status page (see `<ResultNotice>`). */
export interface ResultNoticeView {
  applicationId: string;
  state: string;
  batchTitle: string;
  publicityStart: string | null;
  publicityEnd: string | null;
  result: "passed" | "failed";
  qualification: string;
  outcome: string;
  /** The re-review link is offered (own failed result, batch in publicity, none open). */
  reReview: boolean;
  openReReview: string | null;
  certified: boolean;
}

const noticeStates = new Set(["result_publicity", "failed", "final", "certified"]);

/** Null when there is no published result to tell about (or the application is not the actor's). */
export async function resultNoticeFor(
  db: Db,
  actor: Actor,
  app: { id: string; applicantId: string; state: string },
  now: Date,
): Promise<ResultNoticeView | null> {
  if (!noticeStates.has(app.state) || app.applicantId !== actor.user.id) return null;
  const context = await reReviewContextIn(db, actor, app.id, now);
  const target = context.target;
  if (!target) return null;
  // A failed result is told here only while its batch is in publicity (the time to ask for a re-review).
  if (app.state === "failed" && target.batchState !== "publicity") return null;
  return {
    applicationId: app.id,
    state: app.state,
    batchTitle: target.batchTitle,
    publicityStart: target.publicityStart,
    publicityEnd: target.publicityEnd,
    result: target.result as "passed" | "failed",
    qualification: target.qualification,
    outcome: target.outcome,
    reReview: context.unavailable === null,
    openReReview: context.requests.find((r) => r.state === "open")?.reference ?? null,
    certified: app.state === "certified",
  };
}

/**
 * Reads a multipart complaint form with each file bounded while it streams in (nothing on disk), and
 * gives the text fields and the files. A file over the limit is UPLOAD_TOO_LARGE.
 */
export async function readComplaintForm(
  request: Request,
): Promise<{ fields: Record<string, string>; uploads: AttachmentUpload[] }> {
  const maxPartSize = MAX_COMPLAINT_ATTACHMENT_MB * 1024 * 1024;
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  const tooLarge = () => new DomainError("UPLOAD_TOO_LARGE", { maxMb: MAX_COMPLAINT_ATTACHMENT_MB });
  if (declared > (MAX_COMPLAINT_ATTACHMENTS + 1) * maxPartSize) throw tooLarge();
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw tooLarge();
    // Not a multipart form (a hand-made or cross-site request): bad input, not a server error (issue 8).
    throw new DomainError("VALIDATION", { details: "multipart/form-data" });
  }
  const fields: Record<string, string> = {};
  const uploads: AttachmentUpload[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") fields[key] = value;
    else if (value.size > 0)
      uploads.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, uploads };
}

/** The staff decision page's data: plain strings in the reader's language. */
export interface ComplaintPageView {
  id: string;
  reference: string;
  kind: ComplaintKind;
  kindLabel: string;
  state: ComplaintState;
  stateLabel: string;
  complainantName: string;
  contactPhone: string;
  facts: string;
  filedAt: string;
  decidedAt: string | null;
  reason: string | null;
  attachments: Array<{ position: number; name: string; size: number; mime: string; href: string }>;
  entry: {
    name: string;
    unitName: string;
    series: string;
    qualification: string;
    result: string;
    outcome: string;
  };
  batch: {
    id: string;
    title: string;
    publicityStart: string | null;
    publicityEnd: string | null;
    href: string;
  };
  applicationState: string;
  publicityOver: boolean;
  /** What "upheld" would do, told before the decision; null when upholding is not possible. */
  upheldEffect: string | null;
}

export async function complaintPage(
  db: Db,
  actor: Actor,
  id: unknown,
  now: Date,
  locale: Locale,
): Promise<ComplaintPageView> {
  const detail = await complaintForStaff(db, actor, id, now);
  const { complaint: c, target } = detail;
  const en = locale === "en";
  const kind = c.kind as ComplaintKind;
  const effect = decisionEffect(kind, target.result as EntryResult, "upheld");
  const effectText = !effect.ok
    ? null
    : effect.event === "complaintUpheld"
      ? en
        ? "The result is overturned: the application becomes failed and no certificate is issued."
        : "撤销该评审结果：申报转为未通过，不发放证书。"
      : en
        ? "The result goes back to the committee for a new evaluation."
        : "退回评审委员会重新评审。";
  return {
    id: c.id,
    reference: c.reference,
    kind,
    kindLabel: complaintKindLabels[kind]?.[locale] ?? c.kind,
    state: c.state as ComplaintState,
    stateLabel: complaintStateLabels[c.state as ComplaintState]?.[locale] ?? c.state,
    complainantName: c.complainantName,
    contactPhone: c.contactPhone,
    facts: c.facts,
    filedAt: formatBeijingTime(c.filedAt),
    decidedAt: c.decidedAt ? formatBeijingTime(c.decidedAt) : null,
    reason: c.outcomeReason,
    attachments: detail.attachments.map((a) => ({
      ...a,
      href: `/complaints/${c.id}/attachments/${a.position}`,
    })),
    entry: {
      name: target.name,
      unitName: target.unitName,
      series: seriesLabels[target.series as Series]?.[locale] ?? target.series,
      qualification: target.qualification,
      result: entryResultLabels[target.result as EntryResult]?.[locale] ?? target.result,
      outcome: entryOutcomeLabels[target.outcome as EntryOutcome]?.[locale] ?? target.outcome,
    },
    batch: {
      id: target.batchId,
      title: target.batchTitle,
      publicityStart: target.publicityStart,
      publicityEnd: target.publicityEnd,
      href:
        target.publisher === "bureau"
          ? `/bureau/results/${target.batchId}`
          : `/agency/results/${target.batchId}`,
    },
    applicationState:
      applicationStateLabels[detail.applicationState as ApplicationState]?.[locale] ??
      detail.applicationState,
    publicityOver: detail.publicityOver,
    upheldEffect: effectText,
  };
}
