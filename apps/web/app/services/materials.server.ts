import {
  type ApplicationRecord,
  appendAudit,
  applicationRepository,
  type Db,
  fileRepository,
  type MaterialRecord,
  type MaterialWithFile,
  materialRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  type AccessActor,
  type ApplicationState,
  checkApplicationAccess,
  checkMaterialWrite,
  DomainError,
  isApplicationState,
  materialCategories,
  windowError,
} from "@titles/domain";
import { z } from "zod";
import { loadRules, windowOf } from "~/services/applications.server";
import { defaultInspectLimits, type InspectLimits, inspectUpload } from "~/uploads/inspect.server";
import { MAX_CAPTION, type MaterialKind, type MaterialView, materialKinds } from "~/uploads/material-types";
import type { UploadStaging } from "~/uploads/staging.server";

export { checkMaterialWrite, MAX_CAPTION, type MaterialKind, type MaterialView, materialKinds };

/** What a tus upload must say about itself when it is created. */
export const ZUploadMetadata = z.object({
  applicationId: z.string().uuid(),
  kind: z.enum(materialKinds),
  filename: z.string().max(1000).optional(),
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
    mime: m.mime,
    size: m.size,
    width: m.width,
    height: m.height,
    pages: m.pages,
    url: `/files/${m.id}`,
    thumbnailUrl: m.thumbnailSha256 ? `/files/${m.id}/thumbnail` : null,
  };
}

/** An application as the write rules read it; `windowClosed` is set once its window has closed. */
type App = Pick<ApplicationRecord, "applicantId" | "employerId"> & {
  state: ApplicationState;
  windowClosed?: DomainError | null;
};

/** After the window's last day (by the server's clock) nothing can be uploaded or changed (notice, step 4). */
export async function windowProblem(
  db: Db,
  app: Pick<ApplicationRecord, "roundYear" | "windowId">,
  now: Date,
) {
  const rules = await loadRules(db, app.roundYear);
  return windowError(now, windowOf(rules.round, app.windowId)) ?? null;
}

const isUuid = (value: string) => z.string().uuid().safeParse(value).success;

async function loadApp(db: Db, id: string, forUpdate = false): Promise<ApplicationRecord & App> {
  if (!isUuid(id)) throw new DomainError("NOT_FOUND");
  const app = forUpdate
    ? await applicationRepository.findByIdForUpdate(db, id)
    : await applicationRepository.findById(db, id);
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  return { ...app, state: app.state };
}

async function viewOf(db: Db, material: MaterialRecord): Promise<MaterialView> {
  const all = await materialRepository.findForApplication(db, material.applicationId, material.kind);
  const found = all.find((m) => m.id === material.id);
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
  category?: string | null;
  caption?: string;
}

/**
 * Turns a finished resumable upload into a material: checks who may, inspects the bytes (outside
 * the transaction: it can take a while), stores them by sha256, then writes the file, the material
 * and the audit record in one transaction. Refused bytes are dropped from staging and nothing is
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
  const category = kind === "achievement" ? parseCategory(input.category) : null;
  const caption = parseCaption(input.caption ?? "");

  const target = await loadApp(deps.db, applicationId);
  const denied = checkMaterialWrite(
    actor,
    { ...target, windowClosed: await windowProblem(deps.db, target, deps.now()) },
    kind,
  );
  if (denied) throw denied;

  let inspected: Awaited<ReturnType<typeof inspectUpload>>;
  try {
    inspected = await inspectUpload(staged.path, deps.limits ?? defaultInspectLimits);
  } catch (error) {
    // Refused bytes will not get better by trying again.
    if (error instanceof DomainError) await deps.staging.remove(staged.id);
    throw error;
  }

  // Content-addressed writes are idempotent; if the transaction below fails, the file waits unreferenced.
  let file: {
    sha256: string;
    size: number;
    width: number | null;
    height: number | null;
    pages: number | null;
  };
  let thumbnail: { sha256: string; size: number; width: number; height: number } | null = null;
  if (inspected.kind === "image") {
    const main = await deps.files.putBuffer(inspected.image.bytes);
    const thumb = await deps.files.putBuffer(inspected.thumbnail.bytes);
    file = { ...main, width: inspected.image.width, height: inspected.image.height, pages: null };
    thumbnail = { ...thumb, width: inspected.thumbnail.width, height: inspected.thumbnail.height };
  } else {
    const stored = await deps.files.putFile(inspected.sourcePath);
    file = { ...stored, width: null, height: null, pages: inspected.pages };
  }

  const at = deps.now();
  const result = await deps.db.transaction(async (tx) => {
    const app = await loadApp(tx, applicationId, true);
    const again = checkMaterialWrite(actor, { ...app, windowClosed: await windowProblem(tx, app, at) }, kind);
    if (again) throw again;
    const existing = (await materialRepository.findForApplication(tx, applicationId, kind)).find(
      (m) => m.fileSha256 === file.sha256,
    );
    if (existing) return { material: toView(existing), duplicate: true };
    await fileRepository.upsert(tx, { ...file, mime: inspected.mime });
    if (thumbnail) await fileRepository.upsert(tx, { ...thumbnail, mime: "image/jpeg", pages: null });
    const row = await materialRepository.insert(tx, {
      applicationId,
      kind,
      category,
      caption,
      fileSha256: file.sha256,
      thumbnailSha256: thumbnail?.sha256 ?? null,
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
      data: {
        materialId: row.id,
        kind,
        category,
        sha256: file.sha256,
        mime: inspected.mime,
        size: file.size,
      },
    });
    return { material: await viewOf(tx, row), duplicate: false };
  });
  await deps.staging.remove(staged.id);
  return result;
}

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
    { ...app, windowClosed: await windowProblem(tx, app, now) },
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
      { ...app, windowClosed: await windowProblem(tx, app, at) },
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

/** The stored file (or its thumbnail) of a material the actor may read. */
export async function materialFileFor(
  db: Db,
  actor: AccessActor,
  materialId: string,
  which: "file" | "thumbnail",
): Promise<{ sha256: string; mime: string; size: number; name: string }> {
  if (!isUuid(materialId)) throw new DomainError("NOT_FOUND");
  const material = await materialRepository.findById(db, materialId);
  if (!material) throw new DomainError("NOT_FOUND");
  const app = await loadApp(db, material.applicationId);
  const denied = checkApplicationAccess(actor, app, "read");
  if (denied) throw denied;
  const sha256 = which === "file" ? material.fileSha256 : material.thumbnailSha256;
  const file = sha256 ? await fileRepository.findBySha256(db, sha256) : null;
  if (!file) throw new DomainError("NOT_FOUND");
  return { sha256: file.sha256, mime: file.mime, size: file.size, name: material.originalName };
}
