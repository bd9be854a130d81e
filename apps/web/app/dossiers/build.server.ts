import {
  appendAudit,
  applicationRepository,
  type Db,
  type DossierOutlineEntry,
  type DossierSourceMaterial,
  dossierRepository,
  dossierStates,
  fileRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  DomainError,
  type MaterialCategory,
  materialCategoryLabels,
  type SubmissionDocument,
  submissionDocumentLabels,
} from "@titles/domain";
import {
  type PDFDocument as Doc,
  PDFArray,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFPage,
  type PDFRef,
  rgb,
} from "pdf-lib";
import sharp from "sharp";
import { renderApplicationForm } from "~/documents/application-documents.server";
import { embedDocumentFonts } from "~/documents/fonts.server";
import { documentDataFor } from "~/lib/documents.server";
import { processMaterial } from "~/services/materials.server";

/**
 * The evaluation dossier of an application (issue 5): one PDF with the application information form,
 * then every material in a fixed order, photos as pages, with a bookmark per section and page labels
 * (`论文3-2`). A dossier is never changed: a correction that changes the materials makes a new version,
 * so annotations made on a version keep their pages.
 */

export interface DossierDeps {
  db: Db;
  files: FileStore;
  now: () => Date;
}

export interface DossierBuild {
  version: number;
  built: boolean;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 28;
const FOOTER = 20;
const MUTED = rgb(0.42, 0.42, 0.42);

const kindLabels: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(submissionDocumentLabels).map(([k, v]) => [k as SubmissionDocument, v["zh-CN"]]),
  ),
  "employer-scan": "单位盖章扫描件",
};

/** The section name of each material, numbered within its category or kind: `论文 3`, `盖章的诚信承诺书 1`. */
function sectionNames(materials: DossierSourceMaterial[]): string[] {
  const counters = new Map<string, number>();
  return materials.map((m) => {
    const group =
      m.kind === "achievement"
        ? (materialCategoryLabels[(m.category ?? "other") as MaterialCategory]?.["zh-CN"] ??
          materialCategoryLabels.other["zh-CN"])
        : (kindLabels[m.kind] ?? m.kind);
    const n = (counters.get(group) ?? 0) + 1;
    counters.set(group, n);
    return `${group} ${n}`;
  });
}

/** What a material becomes in the dossier: copied PDF pages, a photo page, or a placeholder. */
type Part =
  | { type: "pdf"; doc: Doc }
  | { type: "image"; bytes: Uint8Array; format: "jpg" | "png" }
  | { type: "placeholder" };

async function readStored(files: FileStore, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of files.createReadStream(sha256)) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

async function partOf(files: FileStore, m: DossierSourceMaterial): Promise<Part> {
  if (m.processing !== "ready" || !m.displaySha256) return { type: "placeholder" };
  try {
    const bytes = await readStored(files, m.displaySha256);
    if (m.mime === "application/pdf") {
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      return doc.getPageCount() > 0 ? { type: "pdf", doc } : { type: "placeholder" };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return { type: "image", bytes, format: "jpg" };
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return { type: "image", bytes, format: "png" };
    // Any other picture (the display copy is normally a JPEG already) is re-encoded.
    return { type: "image", bytes: new Uint8Array(await sharp(bytes).jpeg().toBuffer()), format: "jpg" };
  } catch {
    return { type: "placeholder" };
  }
}

/** A text string for the PDF (UTF-16, so Chinese bookmarks and labels show in every viewer). */
const text = (value: string) => PDFHexString.fromText(value);

function footer(page: PDFPage, font: PDFFont, label: string) {
  const size = 9;
  const width = font.widthOfTextAtSize(label, size);
  page.drawText(label, {
    x: (page.getWidth() - width) / 2,
    y: MARGIN / 2,
    size,
    font,
    color: MUTED,
  });
}

/** The outline (bookmarks): one flat entry per section, each opening its first page. */
function writeOutline(doc: Doc, entries: Array<{ title: string; page: PDFRef }>) {
  if (entries.length === 0) return;
  const context = doc.context;
  const root = context.nextRef();
  const refs = entries.map(() => context.nextRef());
  entries.forEach((entry, i) => {
    const item = context.obj({
      Title: text(entry.title),
      Parent: root,
      Dest: [entry.page, PDFName.of("Fit")],
    });
    if (i > 0) item.set(PDFName.of("Prev"), refs[i - 1]!);
    if (i < refs.length - 1) item.set(PDFName.of("Next"), refs[i + 1]!);
    context.assign(refs[i]!, item);
  });
  context.assign(
    root,
    context.obj({ Type: "Outlines", First: refs[0]!, Last: refs.at(-1)!, Count: refs.length }),
  );
  doc.catalog.set(PDFName.of("Outlines"), root);
  doc.catalog.set(PDFName.of("PageMode"), PDFName.of("UseOutlines"));
}

/** The /PageLabels number tree: each section restarts at 1 with its own prefix, e.g. `论文3-1`. */
function writePageLabels(doc: Doc, sections: Array<{ startIndex: number; prefix: string }>) {
  const nums = PDFArray.withContext(doc.context);
  for (const s of sections) {
    nums.push(PDFNumber.of(s.startIndex));
    const label = doc.context.obj({ S: "D", St: 1 });
    label.set(PDFName.of("P"), text(s.prefix));
    nums.push(label);
  }
  const tree = doc.context.obj({});
  tree.set(PDFName.of("Nums"), nums);
  doc.catalog.set(PDFName.of("PageLabels"), tree);
}

/** Assembles the dossier PDF; the outline it returns says which pages hold what. */
async function assemble(
  deps: DossierDeps,
  applicationId: string,
  materials: DossierSourceMaterial[],
  at: Date,
): Promise<{ bytes: Uint8Array; pages: number; outline: DossierOutlineEntry[] }> {
  const app = await applicationRepository.findById(deps.db, applicationId);
  if (!app) throw new DomainError("NOT_FOUND");
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`评审材料：${app.applicantName}`, { showInWindowTitleBar: true });
  doc.setAuthor("北京市职称评审申报系统");
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  let fonts: Awaited<ReturnType<typeof embedDocumentFonts>> | null = null;
  const font = async () => {
    fonts ??= await embedDocumentFonts(doc);
    return fonts.regular;
  };

  const outline: DossierOutlineEntry[] = [];
  const bookmarks: Array<{ title: string; page: PDFRef }> = [];
  const labels: Array<{ startIndex: number; prefix: string }> = [];
  const section = (
    entry: Omit<DossierOutlineEntry, "firstPage" | "pages" | "label" | "pageLabels">,
    name: string,
    pages: PDFPage[],
  ) => {
    const firstPage = doc.getPageCount() - pages.length + 1;
    const label = `${name.replace(/\s+/g, "")}-`;
    outline.push({
      ...entry,
      firstPage,
      pages: pages.length,
      label,
      pageLabels: pages.map((_, i) => `${name} / 第 ${i + 1} 页`),
    });
    bookmarks.push({ title: entry.title, page: pages[0]!.ref });
    labels.push({ startIndex: firstPage - 1, prefix: label });
  };

  // 1. The application information form, as the applicant printed it.
  const form = await PDFDocument.load(await renderApplicationForm(await documentDataFor(deps.db, app, at)), {
    updateMetadata: false,
  });
  const formPages = await doc.copyPages(form, form.getPageIndices());
  for (const page of formPages) doc.addPage(page);
  section({ kind: "form", materialId: null, title: "申报信息表" }, "申报信息表", formPages);

  // 2. Every material, in dossier order.
  const names = sectionNames(materials);
  for (const [index, m] of materials.entries()) {
    const name = names[index]!;
    const title = m.caption.trim() ? `${name}：${m.caption.trim()}` : name;
    const part = await partOf(deps.files, m);
    const pages: PDFPage[] = [];
    if (part.type === "pdf") {
      for (const page of await doc.copyPages(part.doc, part.doc.getPageIndices()))
        pages.push(doc.addPage(page));
    } else if (part.type === "image") {
      const image = part.format === "jpg" ? await doc.embedJpg(part.bytes) : await doc.embedPng(part.bytes);
      const landscape = image.width > image.height;
      const page = doc.addPage(landscape ? [A4[1], A4[0]] : A4);
      const boxW = page.getWidth() - 2 * MARGIN;
      const boxH = page.getHeight() - 2 * MARGIN - FOOTER;
      const scale = Math.min(boxW / image.width, boxH / image.height);
      const w = image.width * scale;
      const h = image.height * scale;
      page.drawImage(image, {
        x: (page.getWidth() - w) / 2,
        y: MARGIN + FOOTER + (boxH - h) / 2,
        width: w,
        height: h,
      });
      footer(page, await font(), `${name} / 第 1 页`);
      pages.push(page);
    } else {
      const page = doc.addPage(A4);
      const regular = await font();
      const lines: Array<[string, number]> = [
        [title, 14],
        ["此材料无法读取（文件损坏或无法识别）。", 12],
        ["This material could not be read.", 11],
      ];
      let y = A4[1] - 160;
      for (const [line, size] of lines) {
        const shown = [...line].length > 30 ? `${[...line].slice(0, 29).join("")}…` : line;
        const width = regular.widthOfTextAtSize(shown, size);
        page.drawText(shown, { x: (A4[0] - width) / 2, y, size, font: regular });
        y -= size * 2.2;
      }
      page.drawRectangle({
        x: MARGIN * 2,
        y: y - 20,
        width: A4[0] - MARGIN * 4,
        height: A4[1] - 120 - y,
        borderColor: MUTED,
        borderWidth: 0.8,
      });
      footer(page, regular, `${name} / 第 1 页`);
      pages.push(page);
    }
    section(
      {
        kind: m.kind,
        materialId: m.id,
        title,
        ...(part.type === "placeholder" ? { placeholder: true } : {}),
      },
      name,
      pages,
    );
  }

  writeOutline(doc, bookmarks);
  writePageLabels(doc, labels);
  const bytes = await doc.save();
  return { bytes, pages: doc.getPageCount(), outline };
}

/**
 * Builds the application's dossier if it has none or its latest one was built from other materials
 * (or another form): a new version, the older ones left as they are. Nothing is built when the latest
 * version is up to date. Photos still waiting to be re-encoded are processed first.
 */
export async function buildDossier(deps: DossierDeps, applicationId: string): Promise<DossierBuild> {
  const app = await applicationRepository.findById(deps.db, applicationId);
  if (!app) throw new DomainError("NOT_FOUND");
  if (!(dossierStates as readonly string[]).includes(app.state)) {
    throw new DomainError("INVALID_TRANSITION", { from: app.state, event: "buildDossier" });
  }
  // A correction may land while the PDF is being made: then the digest moves, and the build is redone.
  for (let attempt = 0; attempt < 3; attempt++) {
    const at = deps.now();
    let materials = await dossierRepository.sourceMaterials(deps.db, applicationId);
    const pending = materials.filter((m) => m.processing === "pending");
    for (const m of pending) await processMaterial({ db: deps.db, files: deps.files }, m.id, at);
    if (pending.length > 0) materials = await dossierRepository.sourceMaterials(deps.db, applicationId);

    const digest = await dossierRepository.sourceDigest(deps.db, applicationId);
    const latest = await dossierRepository.latest(deps.db, applicationId);
    if (latest && latest.sourceDigest === digest) return { version: latest.version, built: false };

    const pdf = await assemble(deps, applicationId, materials, at);
    // Content-addressed and idempotent: a file written for a build that is then dropped harms nothing.
    const stored = await deps.files.putBuffer(pdf.bytes);
    const outcome = await deps.db.transaction(async (tx) => {
      // Material changes hold this lock, so the digest read under it is the one that counts.
      const locked = await applicationRepository.findByIdForUpdate(tx, applicationId);
      if (!locked) throw new DomainError("NOT_FOUND");
      if ((await dossierRepository.sourceDigest(tx, applicationId)) !== digest) return null;
      const current = await dossierRepository.latest(tx, applicationId);
      if (current && current.sourceDigest === digest) return { version: current.version, built: false };
      await fileRepository.upsert(tx, {
        sha256: stored.sha256,
        size: stored.size,
        mime: "application/pdf",
        width: null,
        height: null,
        pages: pdf.pages,
      });
      const version = (current?.version ?? 0) + 1;
      await dossierRepository.insert(tx, {
        applicationId,
        version,
        fileSha256: stored.sha256,
        pages: pdf.pages,
        outline: pdf.outline,
        sourceDigest: digest!,
        builtAt: at,
      });
      await appendAudit(tx, {
        at,
        actorUserId: null,
        action: "dossier.built",
        objectType: "application",
        objectId: applicationId,
        data: {
          version,
          fileSha256: stored.sha256,
          pages: pdf.pages,
          materials: materials.length,
          sourceDigest: digest,
          placeholders: pdf.outline.filter((e) => e.placeholder).length,
        },
      });
      return { version, built: true };
    });
    if (outcome) return outcome;
  }
  throw new Error(`dossier ${applicationId}: the materials kept changing while it was built`);
}

/** What one pass of the dossier job did. */
export interface DossierJobResult {
  checked: number;
  built: number;
  failed: number;
}

/**
 * The job's pass: builds the dossiers that are missing or out of date, at most `limit` of them (the
 * next pass takes the rest). One application failing does not stop the others.
 */
export async function buildMissingDossiers(
  deps: DossierDeps & { log?: (line: string) => void },
  limit = 5,
): Promise<DossierJobResult> {
  const candidates = await dossierRepository.appsNeedingDossier(deps.db, limit);
  const result: DossierJobResult = { checked: candidates.length, built: 0, failed: 0 };
  for (const { applicationId } of candidates) {
    try {
      if ((await buildDossier(deps, applicationId)).built) result.built += 1;
    } catch (error) {
      result.failed += 1;
      deps.log?.(
        `[jobs] dossier-build ${applicationId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return result;
}
