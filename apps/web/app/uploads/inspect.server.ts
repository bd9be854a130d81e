import { readFile, stat } from "node:fs/promises";
import { DomainError } from "@titles/domain";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";

/** What the server accepts, whatever the browser or the file name claims. */
export const acceptedMimes = ["image/jpeg", "image/png", "image/webp", "application/pdf"] as const;

export interface InspectLimits {
  maxBytes: number;
  /** Decoded pixels an image may have; checked from the header, before decoding. */
  maxPixels: number;
  /** Longest side of a stored photo; larger ones are scaled down. */
  maxSide: number;
  thumbnailWidth: number;
}

export const defaultInspectLimits: InspectLimits = {
  maxBytes: 30 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxSide: 4000,
  thumbnailWidth: 320,
};

export interface EncodedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * What intake accepted, ready for the file store as received. A photo's header has been read (type,
 * size, pixel count) but its pixels not yet decoded: `processImage` does that later, off the upload.
 */
export type ReceivedUpload =
  | { kind: "image"; mime: "image/jpeg" | "image/png" | "image/webp"; width: number; height: number }
  | { kind: "pdf"; mime: "application/pdf"; size: number; pages: number };

/** A photo as it is shown: re-encoded (no EXIF/GPS), with its thumbnail. */
export interface ProcessedImage {
  image: EncodedImage;
  thumbnail: EncodedImage;
}

const typeLabels: Record<string, { "zh-CN": string; en: string }> = {
  exe: { "zh-CN": "Windows 可执行文件", en: "a Windows executable" },
  elf: { "zh-CN": "Linux 可执行程序", en: "a Linux executable" },
  macho: { "zh-CN": "macOS 可执行程序", en: "a macOS executable" },
  zip: { "zh-CN": "ZIP 压缩包", en: "a ZIP archive" },
  rar: { "zh-CN": "RAR 压缩包", en: "a RAR archive" },
  "7z": { "zh-CN": "7z 压缩包", en: "a 7z archive" },
  docx: { "zh-CN": "Word 文档", en: "a Word document" },
  doc: { "zh-CN": "Word 文档", en: "a Word document" },
  xlsx: { "zh-CN": "Excel 表格", en: "an Excel workbook" },
  gif: { "zh-CN": "GIF 动图", en: "a GIF image" },
  mp4: { "zh-CN": "视频", en: "a video" },
  mov: { "zh-CN": "视频", en: "a video" },
};

function typeNotAllowed(ext: string | undefined): DomainError {
  const label = ext ? typeLabels[ext] : undefined;
  return new DomainError("UPLOAD_TYPE_NOT_ALLOWED", {
    detected: label?.["zh-CN"] ?? (ext ? `${ext.toUpperCase()} 文件` : "无法识别的内容"),
    detectedEn: label?.en ?? (ext ? `a ${ext.toUpperCase()} file` : "unrecognised data"),
  });
}

/**
 * Decides from the bytes what an upload is, cheaply enough to answer on the upload itself: size,
 * type sniffed from the content, a photo's header (pixel limit, so an image bomb is never decoded),
 * a PDF's active content. Throws the DomainError a person should read. Nothing is written anywhere.
 */
export async function intakeUpload(
  source: string | Buffer,
  limits: InspectLimits = defaultInspectLimits,
): Promise<ReceivedUpload> {
  const size = typeof source === "string" ? (await stat(source)).size : source.length;
  if (size > limits.maxBytes) {
    throw new DomainError("UPLOAD_TOO_LARGE", { maxMb: Math.floor(limits.maxBytes / 1024 / 1024) });
  }
  if (size === 0) throw new DomainError("UPLOAD_UNREADABLE");
  const bytes = typeof source === "string" ? await readFile(source) : source;
  const type = await fileTypeFromBuffer(bytes);
  if (type?.mime === "image/heic" || type?.mime === "image/heif") {
    throw new DomainError("UPLOAD_HEIC_NOT_DECODED");
  }
  switch (type?.mime) {
    case "image/jpeg":
    case "image/png":
    case "image/webp":
      return { kind: "image", mime: type.mime, ...(await readImageHeader(bytes, limits)) };
    case "application/pdf":
      return { kind: "pdf", mime: "application/pdf", size, pages: await checkPdf(bytes) };
    default:
      throw typeNotAllowed(type?.ext);
  }
}

/** Width and height as the photo is seen (EXIF orientations 5–8 turn it a quarter). */
async function readImageHeader(
  bytes: Buffer,
  limits: InspectLimits,
): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
    if (!meta.width || !meta.height) throw new DomainError("UPLOAD_UNREADABLE");
    if (meta.width * meta.height > limits.maxPixels) throw tooManyPixels(limits);
    const turned = (meta.orientation ?? 1) >= 5;
    const scale = Math.min(1, limits.maxSide / Math.max(meta.width, meta.height));
    const width = Math.round((turned ? meta.height : meta.width) * scale);
    const height = Math.round((turned ? meta.width : meta.height) * scale);
    return { width, height };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError("UPLOAD_UNREADABLE");
  }
}

/**
 * Intake and processing at once, as a test or a one-off tool wants it: a photo comes back decoded
 * and re-encoded, a PDF checked.
 */
export async function inspectUpload(
  path: string,
  limits: InspectLimits = defaultInspectLimits,
): Promise<
  | { kind: "image"; mime: "image/jpeg"; image: EncodedImage; thumbnail: EncodedImage }
  | { kind: "pdf"; mime: "application/pdf"; sourcePath: string; size: number; pages: number }
> {
  const received = await intakeUpload(path, limits);
  if (received.kind === "pdf") return { ...received, sourcePath: path };
  return { kind: "image", mime: "image/jpeg", ...(await processImage(path, limits)) };
}

function tooManyPixels(limits: InspectLimits): DomainError {
  return new DomainError("UPLOAD_IMAGE_TOO_MANY_PIXELS", { maxMp: Math.round(limits.maxPixels / 1e6) });
}

/**
 * Decodes a received photo fully and re-encodes it: only pixels are kept, so EXIF (with GPS), XMP and
 * ICC comments are not carried over. The pixel limit is checked from the header again first, so an
 * image bomb is never decoded. Throws UPLOAD_UNREADABLE when the pixels turn out to be broken.
 */
export async function processImage(
  path: string | Buffer,
  limits: InspectLimits = defaultInspectLimits,
): Promise<ProcessedImage> {
  const open = () => sharp(path, { limitInputPixels: limits.maxPixels, failOn: "error", pages: 1 });
  try {
    const meta = await open().metadata();
    if (!meta.width || !meta.height) throw new DomainError("UPLOAD_UNREADABLE");
    if (meta.width * meta.height > limits.maxPixels) throw tooManyPixels(limits);
    const main = await open()
      .rotate()
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(main.data)
      .resize({ width: limits.thumbnailWidth, withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer({ resolveWithObject: true });
    return {
      image: { bytes: main.data, width: main.info.width, height: main.info.height },
      thumbnail: { bytes: thumb.data, width: thumb.info.width, height: thumb.info.height },
    };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels(limits);
    throw new DomainError("UPLOAD_UNREADABLE");
  }
}

type ActiveContent = "javascript" | "launch" | "embedded";

const activeLabels: Record<ActiveContent, { "zh-CN": string; en: string }> = {
  javascript: { "zh-CN": "JavaScript 脚本", en: "JavaScript" },
  launch: { "zh-CN": "启动外部程序的动作", en: "actions that launch programs" },
  embedded: { "zh-CN": "嵌入的附件", en: "embedded files" },
};

function activeContent(found: Set<ActiveContent>): DomainError {
  const list = [...found].sort();
  return new DomainError("UPLOAD_PDF_ACTIVE_CONTENT", {
    what: list.map((k) => activeLabels[k]["zh-CN"]).join("、"),
    whatEn: list.map((k) => activeLabels[k].en).join(", "),
  });
}

const riskyNames: Record<string, ActiveContent> = {
  JavaScript: "javascript",
  JS: "javascript",
  Launch: "launch",
  EmbeddedFile: "embedded",
  EmbeddedFiles: "embedded",
};

/**
 * The second line of defence: PDF names in the raw bytes, with `#xx` escapes decoded (so
 * `/J#61vaScript` counts). Objects inside compressed object streams are left to pdf.js.
 */
export function scanPdfBytes(bytes: Uint8Array): Set<ActiveContent> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const found = new Set<ActiveContent>();
  for (const match of text.matchAll(/\/([A-Za-z0-9#]{2,20})(?=[\s/<>[\]()%{}]|$)/g)) {
    const name = match[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
    const kind = riskyNames[name];
    if (kind) found.add(kind);
  }
  return found;
}

/** Opens the PDF with pdf.js (no scripting, no worker thread), refuses active content, counts pages. */
async function checkPdf(source: Buffer): Promise<number> {
  // pdf.js takes the array over (transfers it): give it a copy.
  const bytes = new Uint8Array(source);
  const found = scanPdfBytes(bytes);
  // pdf.js 6 has no eval code path left (isEvalSupported is gone) and in Node runs its
  // "fake worker" in this thread, so no worker configuration is needed.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = getDocument({
    data: bytes,
    verbosity: 0,
    stopAtErrors: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
  });
  try {
    const doc = await task.promise;
    if (await doc.getJSActions()) found.add("javascript");
    const attachments = await doc.getAttachments();
    if (attachments && attachments.size > 0) found.add("embedded");
    const open = await doc.getOpenAction();
    if (open && (open.get("action") === "Launch" || open.get("S") === "Launch")) found.add("launch");
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      if (await page.getJSActions()) found.add("javascript");
      for (const annotation of (await page.getAnnotations()) as Array<Record<string, unknown>>) {
        if (annotation.subtype === "FileAttachment") found.add("embedded");
        if (annotation.actions && Object.keys(annotation.actions).length > 0) found.add("javascript");
      }
      page.cleanup();
    }
    if (found.size > 0) throw activeContent(found);
    if (doc.numPages < 1) throw new DomainError("UPLOAD_UNREADABLE");
    return doc.numPages;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (found.size > 0) throw activeContent(found);
    throw new DomainError("UPLOAD_UNREADABLE");
  } finally {
    await task.destroy();
  }
}
