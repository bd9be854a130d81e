import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  type ApplicationRecord,
  appendAudit,
  applicationRepository,
  correctionRepository,
  type Db,
  fileRepository,
  type MaterialRecord,
  type MaterialWithFile,
  materialRepository,
  roundRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  type AccessActor,
  type ApplicationState,
  checkApplicationAccess,
  checkMaterialWrite,
  correctionScope,
  DomainError,
  isApplicationState,
  isDayOver,
  materialCategories,
  type RoundConfig,
  windowError,
  ZCorrectionItems,
  ZRoundConfig,
} from "@titles/domain";
import { z } from "zod";
import { windowOf } from "~/services/applications.server";
import {
  defaultInspectLimits,
  type EncodedImage,
  type InspectLimits,
  intakeUpload,
  type ProcessedImage,
  processImage,
  type ReceivedUpload,
} from "~/uploads/inspect.server";
import { MAX_CAPTION, type MaterialKind, type MaterialView, materialKinds } from "~/uploads/material-types";
import type { UploadStaging } from "~/uploads/staging.server";

export { checkMaterialWrite, MAX_CAPTION, type MaterialKind, type MaterialView, materialKinds };

/** What a tus upload must say about itself when it is created. */
export const ZUploadMetadata = z.object({
  applicationId: z.string().uuid(),
  kind: z.enum(materialKinds),
  filename: z.string().max(1000).optional(),
  /** Set by the uploader so that finishing the upload attaches it in the same request. */
  category: z.string().max(40).optional(),
  caption: z.string().max(1000).optional(),
});

export interface MaterialDeps {
  db: Db;
  files: FileStore;
  staging: UploadStaging;
  now: () => Date;
  limits?: InspectLimits;
}

function toView(m: MaterialWithFile): MaterialView {
  return {
    id: m.id,
    applicationId: m.applicationId,
    kind: m.kind as MaterialKind,
    category: m.category,
    caption: m.caption,
    position: m.position,
    originalName: m.originalName,
    // Photos are shown re-encoded as JPEG, whatever they came in as.
    mime: m.mime.startsWith("image/") ? "image/jpeg" : m.mime,
    size: m.size,
    width: m.width,
    height: m.height,
    pages: m.pages,
    processing: m.processing as MaterialView["processing"],
    url: `/files/${m.id}`,
    // A pending photo's thumbnail is made on first request if the worker has not got to it yet.
    thumbnailUrl:
      m.mime.startsWith("image/") && m.processing !== "failed" ? `/files/${m.id}/thumbnail` : null,
  };
}

/** An application as the write rules read it; `windowClosed` is set once its window has closed. */
type App = Pick<ApplicationRecord, "applicantId" | "employerId"> & {
  state: ApplicationState;
  windowClosed?: DomainError | null;
};

/** Parsed round configurations by their JSON: checking a window on every upload must stay cheap. */
const parsedRounds = new Map<string, RoundConfig>();

function parseRound(raw: unknown): RoundConfig {
  const key = JSON.stringify(raw);
  let config = parsedRounds.get(key);
  if (!config) {
    config = ZRoundConfig.parse(raw);
    if (parsedRounds.size > 16) parsedRounds.clear();
    parsedRounds.set(key, config);
  }
  return config;
}

/** After the window's last day (by the server's clock) nothing can be uploaded or changed (notice, step 4). */
export async function windowProblem(
  db: Db,
  app: Pick<ApplicationRecord, "roundYear" | "windowId">,
  now: Date,
) {
  const row = await roundRepository.findByYear(db, app.roundYear);
  if (!row) throw new DomainError("NOT_THIS_ROUND", { year: app.roundYear });
  return windowProblemIn(row.config, app, now);
}

/** The same, from a round configuration already loaded with the application. */
export function windowProblemIn(roundConfig: unknown, app: Pick<ApplicationRecord, "windowId">, now: Date) {
  return windowError(now, windowOf(parseRound(roundConfig), app.windowId)) ?? null;
}

const isUuid = (value: string) => z.string().uuid().safeParse(value).success;

/**
 * While a correction notice is open, the material kinds it names may change until its deadline
 * (`checkMaterialWrite`); in any other state there is nothing to load.
 */
export async function correctionContext(
  db: Db,
  app: { id: string; state: string },
  now: Date,
): Promise<{ materialKinds: string[]; closed: DomainError | null } | null> {
  if (app.state !== "correction_requested") return null;
  const notice = await correctionRepository.findOpen(db, app.id);
  if (!notice) return { materialKinds: [], closed: null };
  const items = ZCorrectionItems.safeParse(notice.items);
  return {
    materialKinds: items.success ? correctionScope(items.data).materialKinds : [],
    closed: isDayOver(now, notice.deadline)
      ? new DomainError("DEADLINE_PASSED", { deadline: notice.deadline })
      : null,
  };
}

async function loadApp(db: Db, id: string, forUpdate = false): Promise<ApplicationRecord & App> {
  if (!isUuid(id)) throw new DomainError("NOT_FOUND");
  const app = forUpdate
    ? await applicationRepository.findByIdForUpdate(db, id)
    : await applicationRepository.findById(db, id);
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  return { ...app, state: app.state };
}

async function viewOf(db: Db, material: MaterialRecord): Promise<MaterialView> {
  const found = await materialRepository.findWithFile(db, material.id);
  if (!found) throw new DomainError("NOT_FOUND");
  return toView(found);
}

/** The materials of an application the actor may read, in their order. */
export async function listMaterials(
  db: Db,
  actor: AccessActor,
  applicationId: string,
  kind?: MaterialKind,
): Promise<MaterialView[]> {
  const app = await loadApp(db, applicationId);
  const denied = checkApplicationAccess(actor, app, "read");
  if (denied) throw denied;
  return (await materialRepository.findForApplication(db, applicationId, kind)).map(toView);
}

/** File names are shown back to people: no folders, no control characters, bounded length. */
function cleanName(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return base.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
}

export interface AttachInput {
  uploadId: string;
  /** Leave the staged upload for the caller to remove (the tus server still reads it while answering). */
  keepStaged?: boolean;
  category?: string | null;
  caption?: string;
}

/**
 * Turns a finished resumable upload into a material. The bytes are read once and taken in (type
 * sniffed, a photo's header, a PDF's active content); then one transaction locks the application,
 * checks who may attach to it now, stores the bytes by sha256 as received and writes the file, the
 * material and the audit record. A photo is `pending` until `processMaterial` has re-encoded it;
 * nobody is shown the received bytes. Refused bytes are dropped from staging and nothing is
 * stored. The same file attached twice to the same list returns the first material.
 */
export async function attachUpload(
  deps: MaterialDeps,
  actor: AccessActor,
  input: AttachInput,
): Promise<{ material: MaterialView; duplicate: boolean }> {
  const staged = await deps.staging.find(input.uploadId);
  if (!staged) throw new DomainError("NOT_FOUND");
  if (staged.metadata.uploadedBy !== actor.userId) {
    throw new DomainError("FORBIDDEN", { reason: "not-uploader" });
  }
  if (staged.size === null || staged.offset !== staged.size) throw new DomainError("UPLOAD_INCOMPLETE");
  const meta = ZUploadMetadata.safeParse(staged.metadata);
  if (!meta.success) throw new DomainError("VALIDATION", { details: "upload metadata" });
  const { applicationId, kind } = meta.data;
  if (!isUuid(applicationId)) throw new DomainError("NOT_FOUND");
  const category = kind === "achievement" ? parseCategory(input.category ?? meta.data.category) : null;
  const caption = parseCaption(input.caption ?? meta.data.caption ?? "");
  const limits = deps.limits ?? defaultInspectLimits;
  if (staged.size > limits.maxBytes) {
    throw new DomainError("UPLOAD_TOO_LARGE", { maxMb: Math.floor(limits.maxBytes / 1024 / 1024) });
  }

  const bytes = await readFile(staged.path);
  let received: ReceivedUpload;
  try {
    received = await intakeUpload(bytes, limits);
  } catch (error) {
    // Refused bytes will not get better by trying again.
    if (error instanceof DomainError) await deps.staging.remove(staged.id);
    throw error;
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const file = {
    sha256,
    size: bytes.length,
    mime: received.mime,
    width: received.kind === "image" ? received.width : null,
    height: received.kind === "image" ? received.height : null,
    pages: received.kind === "pdf" ? received.pages : null,
  };

  const at = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    const found = await applicationRepository.findWithRound(tx, applicationId, true);
    if (!found || !isApplicationState(found.app.state)) throw new DomainError("NOT_FOUND");
    const app = { ...found.app, state: found.app.state };
    const windowClosed = windowProblemIn(found.roundConfig, app, at);
    const correction = await correctionContext(tx, app, at);
    const denied = checkMaterialWrite(actor, { ...app, windowClosed, correction }, kind);
    if (denied) throw denied;
    const existing = await materialRepository.findDuplicate(tx, applicationId, kind, sha256);
    if (existing) return { material: toView(existing), duplicate: true };
    // Content-addressed writes are idempotent; if the transaction fails, the file waits unreferenced.
    await deps.files.putBuffer(bytes);
    await fileRepository.upsert(tx, file);
    const row = await materialRepository.insert(tx, {
      applicationId,
      kind,
      category,
      caption,
      fileSha256: sha256,
      thumbnailSha256: null,
      processing: received.kind === "image" ? "pending" : "ready",
      originalName: cleanName(meta.data.filename),
      uploadedBy: actor.userId,
      at,
    });
    await appendAudit(tx, {
      at,
      actorUserId: actor.userId,
      action: "material.attach",
      objectType: "application",
      objectId: applicationId,
      data: { materialId: row.id, kind, category, sha256, mime: file.mime, size: file.size },
    });
    return { material: toView({ ...row, ...file }), duplicate: false };
  });
  if (!input.keepStaged) await deps.staging.remove(staged.id);
  return result;
}

export type ProcessOutcome = "ready" | "failed" | "not-pending";

/**
 * Re-encodes a received photo (`processing = 'pending'`) into what people are shown, with its
 * thumbnail. Idempotent: the files are content-addressed and the row changes only while it is still
 * pending, so the worker and a viewer asking first can both run it. A photo whose pixels turn out
 * broken is marked `failed` for the applicant to replace.
 */
export async function processMaterial(
  deps: Pick<MaterialDeps, "db" | "files" | "limits">,
  materialId: string,
  at: Date,
): Promise<ProcessOutcome> {
  const material = await materialRepository.findById(deps.db, materialId);
  if (material?.processing !== "pending") return "not-pending";
  let processed: ProcessedImage | null = null;
  try {
    processed = await processImage(deps.files.path(material.fileSha256), deps.limits ?? defaultInspectLimits);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  const main = processed ? await deps.files.putBuffer(processed.image.bytes) : null;
  const thumb = processed ? await deps.files.putBuffer(processed.thumbnail.bytes) : null;
  return deps.db.transaction(async (tx) => {
    const row = await materialRepository.findByIdForUpdate(tx, materialId);
    if (row?.processing !== "pending") return "not-pending";
    if (processed && main && thumb) {
      const { image, thumbnail } = processed;
      await fileRepository.upsert(tx, { ...main, mime: "image/jpeg", ...dims(image), pages: null });
      await fileRepository.upsert(tx, { ...thumb, mime: "image/jpeg", ...dims(thumbnail), pages: null });
      await materialRepository.setProcessed(tx, materialId, {
        processing: "ready",
        displaySha256: main.sha256,
        thumbnailSha256: thumb.sha256,
      });
    } else {
      await materialRepository.setProcessed(tx, materialId, { processing: "failed" });
    }
    const outcome = processed ? "ready" : "failed";
    await appendAudit(tx, {
      at,
      actorUserId: null,
      action: "material.process",
      objectType: "application",
      objectId: row.applicationId,
      data: { materialId, outcome, ...(main ? { displaySha256: main.sha256 } : {}) },
    });
    return outcome;
  });
}

const dims = (image: EncodedImage) => ({ width: image.width, height: image.height });

function parseCategory(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (!(materialCategories as readonly string[]).includes(value)) {
    throw new DomainError("VALIDATION", { details: `category ${value.slice(0, 40)}` });
  }
  return value;
}

function parseCaption(value: string): string {
  const caption = value.trim();
  if (caption.length > MAX_CAPTION) {
    throw new DomainError("VALIDATION", { details: `caption longer than ${MAX_CAPTION}` });
  }
  return caption;
}

/** Loads a material and its application, locked, and checks the actor may change it now. */
async function lockMaterial(tx: Db, actor: AccessActor, materialId: string, now: Date) {
  if (!isUuid(materialId)) throw new DomainError("NOT_FOUND");
  const material = await materialRepository.findById(tx, materialId);
  if (!material) throw new DomainError("NOT_FOUND");
  const app = await loadApp(tx, material.applicationId, true);
  const denied = checkMaterialWrite(
    actor,
    {
      ...app,
      windowClosed: await windowProblem(tx, app, now),
      correction: await correctionContext(tx, app, now),
    },
    material.kind as MaterialKind,
  );
  if (denied) throw denied;
  return material;
}

export async function updateMaterial(
  deps: Pick<MaterialDeps, "db" | "now">,
  actor: AccessActor,
  input: { materialId: string; caption?: string; category?: string | null },
): Promise<MaterialView> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const material = await lockMaterial(tx, actor, input.materialId, deps.now());
    const patch: { caption?: string; category?: string | null } = {};
    if (input.caption !== undefined) patch.caption = parseCaption(input.caption);
    if (input.category !== undefined && material.kind === "achievement") {
      patch.category = parseCategory(input.category);
    }
    await materialRepository.updateCaption(tx, material.id, patch);
    await appendAudit(tx, {
      at,
      actorUserId: actor.userId,
      action: "material.update",
      objectType: "application",
      objectId: material.applicationId,
      data: { materialId: material.id, ...patch },
    });
    return viewOf(tx, material);
  });
}

export async function reorderMaterials(
  deps: Pick<MaterialDeps, "db" | "now">,
  actor: AccessActor,
  input: { applicationId: string; kind: MaterialKind; orderedIds: string[] },
): Promise<MaterialView[]> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const app = await loadApp(tx, input.applicationId, true);
    const denied = checkMaterialWrite(
      actor,
      {
        ...app,
        windowClosed: await windowProblem(tx, app, at),
        correction: await correctionContext(tx, app, at),
      },
      input.kind,
    );
    if (denied) throw denied;
    const current = await materialRepository.findForApplication(tx, input.applicationId, input.kind);
    const same =
      new Set(input.orderedIds).size === input.orderedIds.length &&
      input.orderedIds.length === current.length &&
      current.every((m) => input.orderedIds.includes(m.id));
    // Someone changed the list meanwhile (another tab): reorder what the person actually sees.
    if (!same) throw new DomainError("VALIDATION", { details: "the list has changed; reload the page" });
    await materialRepository.reorder(tx, input.applicationId, input.kind, input.orderedIds);
    await appendAudit(tx, {
      at,
      actorUserId: actor.userId,
      action: "material.reorder",
      objectType: "application",
      objectId: input.applicationId,
      data: { kind: input.kind, orderedIds: input.orderedIds },
    });
    return (await materialRepository.findForApplication(tx, input.applicationId, input.kind)).map(toView);
  });
}

/** Removes a material from the application; the stored file stays (other materials may share it). */
export async function deleteMaterial(
  deps: Pick<MaterialDeps, "db" | "now">,
  actor: AccessActor,
  input: { materialId: string },
): Promise<void> {
  const at = deps.now();
  await deps.db.transaction(async (tx) => {
    const material = await lockMaterial(tx, actor, input.materialId, deps.now());
    await materialRepository.delete(tx, material.id);
    await appendAudit(tx, {
      at,
      actorUserId: actor.userId,
      action: "material.delete",
      objectType: "application",
      objectId: material.applicationId,
      data: { materialId: material.id, kind: material.kind, sha256: material.fileSha256 },
    });
  });
}

/**
 * What a person who may read the material's application is shown of it: the re-encoded photo (or its
 * thumbnail) or the PDF, never a photo's bytes as received. A photo the worker has not processed yet
 * is processed now.
 */
export async function materialFileFor(
  deps: Pick<MaterialDeps, "db" | "files" | "now" | "limits">,
  actor: AccessActor,
  materialId: string,
  which: "file" | "thumbnail",
): Promise<{ sha256: string; mime: string; size: number; name: string }> {
  if (!isUuid(materialId)) throw new DomainError("NOT_FOUND");
  let material = await materialRepository.findById(deps.db, materialId);
  if (!material) throw new DomainError("NOT_FOUND");
  const app = await loadApp(deps.db, material.applicationId);
  const denied = checkApplicationAccess(actor, app, "read");
  if (denied) throw denied;
  if (material.processing === "pending") {
    await processMaterial(deps, material.id, deps.now());
    material = await materialRepository.findById(deps.db, materialId);
    if (!material) throw new DomainError("NOT_FOUND");
  }
  if (material.processing === "failed") throw new DomainError("UPLOAD_UNREADABLE");
  const sha256 = which === "file" ? material.displaySha256 : material.thumbnailSha256;
  const file = sha256 ? await fileRepository.findBySha256(deps.db, sha256) : null;
  if (!file) throw new DomainError("NOT_FOUND");
  return { sha256: file.sha256, mime: file.mime, size: file.size, name: material.originalName };
}
