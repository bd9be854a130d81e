import { deflateSync } from "node:zlib";
import { type CertificateData, DomainError, formatCertificateNumber } from "@titles/domain";
import {
  type Color,
  concatTransformationMatrix,
  fill,
  grayscale,
  PDFContentStream,
  PDFDocument,
  type PDFFont,
  PDFName,
  type PDFOperator,
  type PDFPage,
  PDFRawStream,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  StandardFonts,
  setCharacterSpacing,
  setFillingGrayscaleColor,
} from "pdf-lib";
import QRCode from "qrcode";
import {
  embedDocumentFonts,
  type FontWeight,
  missingGlyphs,
  sourceFont,
  wrapText,
} from "~/documents/fonts.server";

export type { CertificateData };

export interface CertificatePdfInput {
  data: CertificateData;
  /** base64url Ed25519 signature, printed small at the bottom (with the key id) so a paper copy can be checked. */
  signature: string;
  keyId: string;
  /** `${PUBLIC_URL}/verify/${number}?t=${token}` — what the QR code encodes. */
  verifyUrl: string;
}

/** A4 landscape, in points. */
export const CERTIFICATE_PAGE = { width: 841.89, height: 595.28 } as const;

const INK = grayscale(0.08);
const MUTED = grayscale(0.4);
const RED = rgb(0.62, 0.09, 0.09);
const GOLD = rgb(0.66, 0.52, 0.24);

const FRAME_OUTER = 22;
const FRAME_INNER = 30;
const FIELDS_LEFT = 78;
const LABEL_WIDTH = 118;
const FIELDS_RIGHT = 590;
const VALUE_WIDTH = FIELDS_RIGHT - FIELDS_LEFT - LABEL_WIDTH;
const FIELDS_TOP = 452;
/** The lowest a field line may reach before the footer. */
const FIELDS_BOTTOM = 86;
const QR_SIZE = 132;
const QR_LEFT = 646;
const QR_TOP = 452;

/** `2021-12-03` → `2021年12月3日`. */
export function chineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

interface Field {
  label: string;
  value: string;
}

function fieldsOf(data: CertificateData): Field[] {
  const seriesSpecialty = data.specialty.trim() ? `${data.series}／${data.specialty}` : data.series;
  return [
    { label: "姓　　名", value: data.holderName },
    { label: "身份证件号码", value: data.holderIdMasked },
    { label: "工作单位", value: data.unitName },
    { label: "系列／专业", value: seriesSpecialty },
    { label: "资格名称", value: data.qualification },
    { label: "级　　别", value: data.level },
    { label: "评审委员会", value: data.committee },
    { label: "评审通过时间", value: chineseDate(data.approvedOn) },
    { label: "审批文号", value: data.approvalReference },
    { label: "证书编号", value: formatCertificateNumber(data.number) },
  ];
}

const fieldNames: Record<string, string> = {
  holderName: "姓名",
  holderIdMasked: "身份证件号码",
  unitName: "工作单位",
  series: "系列",
  specialty: "专业",
  qualification: "资格名称",
  level: "级别",
  committee: "评审委员会",
  approvalReference: "审批文号",
  issuer: "发证机关",
};

/**
 * A character the font lacks would print as an empty box on an official certificate (a rare character in
 * a name, say). Refusing before rendering lets staff correct the record or have it issued on paper.
 */
function assertPrintable(input: CertificatePdfInput): void {
  const problems: string[] = [];
  for (const [key, name] of Object.entries(fieldNames)) {
    const value = input.data[key as keyof CertificateData];
    if (typeof value !== "string") continue;
    // The issuer is set in bold; everything else the holder's data brings is regular.
    const weight = key === "issuer" ? "bold" : "regular";
    const missing = missingGlyphs(value, weight);
    if (missing.length > 0) {
      const list = missing.map((c) => `“${c}”(U+${c.codePointAt(0)!.toString(16).toUpperCase()})`).join("、");
      problems.push(`${name}中的${list}`);
    }
  }
  if (problems.length > 0) {
    throw new DomainError("VALIDATION", {
      details: `证书字库中没有以下字符，无法生成电子证书：${problems.join("；")}`,
    });
  }
  // The footer is drawn in a standard Latin font (WinAnsi): only printable ASCII belongs there.
  if (!/^[\x20-\x7e]*$/.test(input.signature) || !/^[\x20-\x7e]*$/.test(input.keyId)) {
    throw new DomainError("VALIDATION", { details: "签名或密钥标识含有非 ASCII 字符" });
  }
}

/** The fontkit internals memoised below (not in its public types). */
interface MemoisableFont {
  layout(text: string, ...rest: unknown[]): unknown;
  getGlyph(id: number, ...rest: unknown[]): { _decode(): unknown };
}

let fontWorkMemoised = false;

/**
 * Bulk issuance sets the same labels and the same few thousand characters in every certificate, and fontkit
 * redoes the work each time: it re-decodes a glyph's outline whenever a subset takes the glyph (most of the
 * cost of subsetting) and re-shapes every string. Both are pure functions of the static font file, so the
 * results are kept on this process's parsed fonts (about a third of the rendering time).
 */
function memoiseFontWork(): void {
  if (fontWorkMemoised) return;
  fontWorkMemoised = true;
  for (const weight of ["regular", "bold"] as const) {
    const font = sourceFont(weight) as unknown as MemoisableFont;
    const layout = font.layout.bind(font);
    const runs = new Map<string, unknown>();
    font.layout = (text, ...rest) => {
      // pdf-lib passes no features, script or direction: anything else is shaped afresh.
      if (rest.some((arg) => arg !== undefined)) return layout(text, ...rest);
      let run = runs.get(text);
      if (run === undefined) {
        if (runs.size >= 5_000) runs.clear();
        run = layout(text);
        runs.set(text, run);
      }
      return run;
    };
    const getGlyph = font.getGlyph.bind(font);
    const decoded = new WeakSet<object>();
    font.getGlyph = (id, ...rest) => {
      const glyph = getGlyph(id, ...rest);
      if (glyph && !decoded.has(glyph)) {
        decoded.add(glyph);
        const decode = glyph._decode.bind(glyph);
        let result: unknown;
        let done = false;
        glyph._decode = () => {
          if (!done) {
            result = decode();
            done = true;
          }
          return result;
        };
      }
      return glyph;
    };
  }
}

/** Widths at size 1 by weight and text; labels and per-character wrap units repeat in every certificate. */
const widthCache = new Map<string, number>();

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

function measure(fonts: Fonts, weight: FontWeight, text: string, size: number): number {
  const key = `${weight}\u0000${text}`;
  let width = widthCache.get(key);
  if (width === undefined) {
    // pdf-lib's width is linear in the size: one layout per string, whatever the size.
    width = fonts[weight].widthOfTextAtSize(text, 1);
    if (widthCache.size > 50_000) widthCache.clear();
    widthCache.set(key, width);
  }
  return width * size;
}

/** What `wrapText` needs of a font (only widths), served from the cache. */
function measuringFont(fonts: Fonts, weight: FontWeight): PDFFont {
  const widthOfTextAtSize = (text: string, size: number) => measure(fonts, weight, text, size);
  return { widthOfTextAtSize } as unknown as PDFFont;
}

/** Draws `text` with its line box (about `size` high) starting at `top`. */
function drawLine(
  page: PDFPage,
  text: string,
  x: number,
  top: number,
  size: number,
  font: PDFFont,
  color: Color = INK,
) {
  if (text === "") return;
  page.drawText(text, { x, y: top - size * 1.02, size, font, color });
}

function drawCentred(
  page: PDFPage,
  fonts: Fonts,
  weight: FontWeight,
  text: string,
  centreX: number,
  top: number,
  size: number,
  color: Color = INK,
) {
  const x = centreX - measure(fonts, weight, text, size) / 2;
  drawLine(page, text, x, top, size, fonts[weight], color);
}

/**
 * A label spread over the label column, as printed certificates align 姓　　名 with 工作单位: one text run
 * with character spacing (one string for text extraction and screen readers, not one per character).
 */
function drawLabel(page: PDFPage, fonts: Fonts, label: string, x: number, top: number, size: number) {
  const text = label.replace(/\u3000/g, "");
  const count = [...text].length;
  const width = LABEL_WIDTH - 22;
  const spacing = count < 2 ? 0 : Math.max(0, (width - measure(fonts, "bold", text, size)) / (count - 1));
  page.pushOperators(setCharacterSpacing(spacing));
  drawLine(page, text, x, top, size, fonts.bold, MUTED);
  page.pushOperators(setCharacterSpacing(0));
  drawLine(page, "：", x + width, top, size, fonts.bold, MUTED);
}

/**
 * The QR code as filled rectangles straight from the module matrix: crisp at any zoom and cheaper than
 * encoding a PNG. The matrix is drawn in module units (one `cm`), so every rectangle has small integer
 * coordinates; a run of dark modules on a row is one rectangle, and all are filled at once.
 */
export function qrOperators(url: string, left: number, top: number, size: number): PDFOperator[] {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const count = modules.size;
  const quiet = 2;
  const cell = size / (count + 2 * quiet);
  const ops = [
    pushGraphicsState(),
    concatTransformationMatrix(cell, 0, 0, cell, left + quiet * cell, top - (quiet + count) * cell),
    setFillingGrayscaleColor(0),
  ];
  for (let row = 0; row < count; row++) {
    const y = count - 1 - row;
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      ops.push(rectangle(start, y, col - start, 1));
    }
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}

function drawFrame(page: PDFPage): void {
  const { width, height } = CERTIFICATE_PAGE;
  page.drawRectangle({
    x: FRAME_OUTER,
    y: FRAME_OUTER,
    width: width - 2 * FRAME_OUTER,
    height: height - 2 * FRAME_OUTER,
    borderColor: GOLD,
    borderWidth: 3,
  });
  page.drawRectangle({
    x: FRAME_INNER,
    y: FRAME_INNER,
    width: width - 2 * FRAME_INNER,
    height: height - 2 * FRAME_INNER,
    borderColor: GOLD,
    borderWidth: 0.8,
  });
  // Small corner squares, the usual ornament of a printed certificate.
  for (const [x, y] of [
    [FRAME_INNER, FRAME_INNER],
    [width - FRAME_INNER, FRAME_INNER],
    [FRAME_INNER, height - FRAME_INNER],
    [width - FRAME_INNER, height - FRAME_INNER],
  ] as const) {
    page.drawRectangle({ x: x - 5, y: y - 5, width: 10, height: 10, color: GOLD });
  }
}

interface LaidField {
  label: string;
  lines: string[];
}

/** Wraps every value; shrinks the type until the fields fit above the footer (very long unit names). */
function layoutFields(
  fields: Field[],
  fonts: Fonts,
): { size: number; lineHeight: number; gap: number; laid: LaidField[] } {
  const font = measuringFont(fonts, "regular");
  for (let size = 14; ; size -= 0.5) {
    const lineHeight = size * 1.45;
    const gap = size * 0.62;
    const laid = fields.map((f) => ({ label: f.label, lines: wrapText(f.value, font, size, VALUE_WIDTH) }));
    const height = laid.reduce((sum, f) => sum + f.lines.length * lineHeight + gap, 0);
    if (FIELDS_TOP - height >= FIELDS_BOTTOM || size <= 8) return { size, lineHeight, gap, laid };
  }
}

/**
 * pdf-lib deflates with pako (JavaScript); node's zlib gives the same format several times faster, which
 * matters when thousands of certificates are issued in one run. Font files go through `flateStream` while
 * saving, so that is replaced on this document's context; page content streams are deflated here.
 */
function deflateNatively(doc: PDFDocument): void {
  const context = doc.context;
  context.flateStream = (contents, dict = {}) => {
    const bytes = typeof contents === "string" ? new TextEncoder().encode(contents) : contents;
    return context.stream(deflateSync(bytes), { ...dict, Filter: "FlateDecode" });
  };
}

function deflateContentStreams(doc: PDFDocument): void {
  const context = doc.context;
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFContentStream)) continue;
    const dict = object.dict.clone(context);
    dict.delete(PDFName.of("Length"));
    dict.set(PDFName.of("Filter"), PDFName.of("FlateDecode"));
    context.assign(ref, PDFRawStream.of(dict, deflateSync(object.getUnencodedContents())));
  }
}

/**
 * 专业技术资格证书 (电子职称证书): one A4 landscape page with every certificate field, the QR code that opens
 * the public verification page, and the signature and key id in the footer. Characters the font lacks are
 * refused (DomainError VALIDATION) before anything is drawn. The bytes depend only on the input (no clock,
 * no randomness), so a certificate re-rendered from its stored data is the same file.
 */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Uint8Array> {
  assertPrintable(input);
  memoiseFontWork();
  const { data } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  deflateNatively(doc);
  doc.setTitle(`专业技术资格证书 ${data.number}`, { showInWindowTitleBar: true });
  doc.setAuthor(data.issuer);
  doc.setSubject(`${data.holderName} ${data.qualification}`);
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  doc.setKeywords(["电子职称证书", data.number]);
  // Beijing midnight of the issue day: the same certificate gives the same bytes.
  const issued = new Date(`${data.issueDate}T00:00:00+08:00`);
  if (!Number.isNaN(issued.getTime())) {
    doc.setCreationDate(issued);
    doc.setModificationDate(issued);
  }

  const fonts = await embedDocumentFonts(doc);
  const latin = await doc.embedFont(StandardFonts.Helvetica);
  const { width, height } = CERTIFICATE_PAGE;
  const page = doc.addPage([width, height]);
  drawFrame(page);

  drawCentred(page, fonts, "bold", "专业技术资格证书", width / 2, height - 62, 30, RED);
  drawCentred(page, fonts, "regular", "电子职称证书", width / 2, height - 106, 14, MUTED);
  page.drawLine({
    start: { x: FIELDS_LEFT, y: height - 128 },
    end: { x: width - FIELDS_LEFT, y: height - 128 },
    thickness: 0.6,
    color: GOLD,
  });

  const { size, lineHeight, gap, laid } = layoutFields(fieldsOf(data), fonts);
  let top = FIELDS_TOP;
  for (const field of laid) {
    const pad = (lineHeight - size) / 2;
    drawLabel(page, fonts, field.label, FIELDS_LEFT, top - pad, size);
    field.lines.forEach((line, index) => {
      drawLine(page, line, FIELDS_LEFT + LABEL_WIDTH, top - pad - index * lineHeight, size, fonts.regular);
    });
    top -= field.lines.length * lineHeight + gap;
  }

  page.pushOperators(...qrOperators(input.verifyUrl, QR_LEFT, QR_TOP, QR_SIZE));
  // The QR code is also a link: the holder opens the PDF, clicks it, and has the verification address
  // (with its token, which the system keeps only hashed) to share; a phone scans the printed copy.
  const qrLink = doc.context.register(
    doc.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [QR_LEFT, QR_TOP - QR_SIZE, QR_LEFT + QR_SIZE, QR_TOP],
      Border: [0, 0, 0],
      A: { Type: "Action", S: "URI", URI: PDFString.of(input.verifyUrl) },
    }),
  );
  page.node.set(PDFName.of("Annots"), doc.context.obj([qrLink]));
  const qrCentre = QR_LEFT + QR_SIZE / 2;
  drawCentred(page, fonts, "regular", "扫码核验", qrCentre, QR_TOP - QR_SIZE - 6, 11, MUTED);

  // Issuer and date sit where the seal would be on paper, under the QR code.
  const issuerSize = 12;
  const issuerWidth = width - FRAME_INNER - 24 - (FIELDS_RIGHT + 20);
  const issuerLines = wrapText(data.issuer, measuringFont(fonts, "bold"), issuerSize, issuerWidth);
  let issuerTop = 210;
  drawCentred(page, fonts, "regular", "发证机关", qrCentre, issuerTop, 10.5, MUTED);
  issuerTop -= 18;
  for (const line of issuerLines) {
    drawCentred(page, fonts, "bold", line, qrCentre, issuerTop, issuerSize);
    issuerTop -= issuerSize * 1.45;
  }
  issuerTop -= 8;
  drawCentred(page, fonts, "regular", "发证日期", qrCentre, issuerTop, 10.5, MUTED);
  drawCentred(page, fonts, "regular", chineseDate(data.issueDate), qrCentre, issuerTop - 18, issuerSize);

  const footerLeft = FRAME_INNER + 14;
  drawLine(page, "电子签名 Ed25519（RFC 8785 规范化数据）", footerLeft, 66, 7, fonts.regular, MUTED);
  drawLine(page, `Signature: ${input.signature}`, footerLeft, 55, 6, latin, MUTED);
  drawLine(page, `Key: ${input.keyId}`, footerLeft, 46, 6, latin, MUTED);

  deflateContentStreams(doc);
  return doc.save();
}
