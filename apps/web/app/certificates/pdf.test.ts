import {
  type CertificateData,
  certificateData,
  certificateNumber,
  DomainError,
  formatCertificateNumber,
  maskCertificateIdNumber,
} from "@titles/domain";
import * as fontkit from "fontkit";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  type PDFRef,
} from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import QRCode from "qrcode";
import { beforeAll, describe, expect, it } from "vitest";
import { preloadDocumentFonts, sourceFont } from "~/documents/fonts.server";
import { CERTIFICATE_PAGE, type CertificatePdfInput, chineseDate, renderCertificatePdf } from "./pdf.server";

// A real-looking ID number; the renderer only ever sees its masked form.
const fullIdNumber = "110105198712035217";
const number = certificateNumber(2021, 1);

function sample(overrides: Partial<Parameters<typeof certificateData>[0]> = {}): CertificateData {
  return certificateData({
    number,
    holderName: "王鑫瑄",
    holderIdMasked: maskCertificateIdNumber(fullIdNumber),
    unitName: "北京市海淀区中关村科技园区某某高新技术研究院有限责任公司轨道交通信号系统研发中心",
    series: "engineering",
    specialty: "交通运输工程",
    level: "deputy-senior",
    committee: "北京市工程技术系列（交通运输）高级专业技术资格评审委员会",
    approvedOn: "2021-12-03",
    approvalReference: "京人社专技字〔2021〕123号",
    issueDate: "2022-02-10",
    ...overrides,
  });
}

const keyId =
  "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const signature = "mYl3p5-vI1bTQ2o7cKkQx9Lw0b2X1f3sV8hQj4ZyR6uN0aDeFgHiJkLmNoPqRsTuVwXyZa0b1c2d3e4f5g6h7i8jA";

function input(data: CertificateData = sample()): CertificatePdfInput {
  return {
    data,
    signature,
    keyId,
    verifyUrl: `https://zhicheng.example.gov.cn/verify/${data.number}?t=Qm9vbGVhbkNlcnRUb2tlbjEy`,
  };
}

interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
}

async function extract(bytes: Uint8Array): Promise<{ pages: number; items: TextItem[]; all: string }> {
  const task = getDocument({ data: bytes.slice(), verbosity: 0 });
  const pdf = await task.promise;
  const page = await pdf.getPage(1);
  const content = await page.getTextContent();
  const items = content.items.flatMap((item) =>
    "str" in item && item.str.trim() !== ""
      ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number, width: item.width }]
      : [],
  );
  const pages = pdf.numPages;
  await task.destroy();
  return { pages, items, all: squash(items.map((i) => i.str).join("")) };
}

const squash = (text: string) => text.replace(/\s+/g, "");

function streamBytes(doc: PDFDocument, ref: unknown): Uint8Array {
  const object = doc.context.lookup(ref as PDFRef);
  if (!(object instanceof PDFRawStream)) throw new Error("expected a stream");
  return decodePDFRawStream(object).decode();
}

interface EmbeddedFont {
  name: string;
  subset: ReturnType<typeof fontkit.create>;
  /** glyph id in the subset → the text it stands for (from the ToUnicode map) */
  toUnicode: Map<number, string>;
}

/** Every embedded Type0 (CJK) font: its FontFile2 parsed with fontkit and its ToUnicode map. */
async function embeddedFonts(bytes: Uint8Array): Promise<EmbeddedFont[]> {
  const doc = await PDFDocument.load(bytes);
  const fonts: EmbeddedFont[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Subtype")) !== PDFName.of("Type0")) continue;
    const cid = object.lookup(PDFName.of("DescendantFonts"), PDFArray).lookup(0, PDFDict);
    const descriptor = cid.lookup(PDFName.of("FontDescriptor"), PDFDict);
    const subset = fontkit.create(streamBytes(doc, descriptor.get(PDFName.of("FontFile2"))));
    const cmap = new TextDecoder().decode(streamBytes(doc, object.get(PDFName.of("ToUnicode"))));
    const toUnicode = new Map<number, string>();
    for (const [, gid, unicode] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      const units = (unicode!.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16));
      toUnicode.set(Number.parseInt(gid!, 16), String.fromCharCode(...units));
    }
    fonts.push({ name: object.lookup(PDFName.of("BaseFont"), PDFName).decodeText(), subset, toUnicode });
  }
  return fonts;
}

/** The page's content stream(s), decoded, as text. */
async function pageContent(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const contents = doc.getPage(0).node.Contents();
  const refs =
    contents instanceof PDFArray ? contents.asArray() : [doc.getPage(0).node.get(PDFName.of("Contents"))];
  return refs.map((ref) => new TextDecoder("latin1").decode(streamBytes(doc, ref))).join("\n");
}

beforeAll(() => {
  preloadDocumentFonts();
});

describe("renderCertificatePdf", () => {
  it("prints every field in Chinese, and the masked ID number only", async () => {
    const data = sample();
    const { pages, all } = await extract(await renderCertificatePdf(input(data)));
    expect(pages).toBe(1);
    expect(all).toContain("专业技术资格证书");
    expect(all).toContain("电子职称证书");
    expect(all).toContain("王鑫瑄");
    expect(all).toContain(number);
    expect(all).toContain(squash(data.unitName));
    expect(all).toContain("高级工程师");
    expect(all).toContain(data.holderIdMasked);
    expect(data.holderIdMasked).toBe("1101**********5217");
    expect(all).toContain("工程技术／交通运输工程");
    expect(all).toContain(data.level);
    expect(all).toContain(squash(data.committee));
    expect(all).toContain("2021年12月3日");
    expect(all).toContain("京人社专技字〔2021〕123号");
    expect(all).toContain("北京市人力资源和社会保障局");
    expect(all).toContain("2022年2月10日");
    expect(all).toContain("扫码核验");
    for (const label of [
      "姓名",
      "身份证件号码",
      "工作单位",
      "系列／专业",
      "资格名称",
      "级别",
      "评审委员会",
    ]) {
      expect(all).toContain(label);
    }
    for (const label of ["评审通过时间", "审批文号", "证书编号", "发证机关", "发证日期"])
      expect(all).toContain(label);
    // The signature and key id are printed so a paper copy can be checked.
    expect(all).toContain(signature);
    expect(all).toContain(squash(keyId));
    // Neither the full ID number nor its birth date appears anywhere.
    expect(all).not.toContain(fullIdNumber);
    expect(all).not.toContain("19871203");
    expect(all).not.toContain("5217X");
  });

  it("prints the certificate number grouped: region, year, serial, check character", async () => {
    const { items } = await extract(await renderCertificatePdf(input()));
    expect(formatCertificateNumber(number)).toMatch(/^11 2021 0000001 [\dX]$/);
    expect(items.map((i) => i.str)).toContain(formatCertificateNumber(number));
  });

  it("wraps a long unit name inside the frame and shrinks a very long one to keep the page", async () => {
    for (const unitName of [
      sample().unitName,
      `北京市${"某某区某某街道某某社区卫生服务中心附属".repeat(8)}研究所`.slice(0, 200),
    ]) {
      const data = sample({ unitName });
      const { pages, items, all } = await extract(await renderCertificatePdf(input(data)));
      expect(pages).toBe(1);
      expect(all).toContain(squash(unitName));
      const unitLines = items.filter((i) => unitName.includes(i.str.trim()) && i.str.trim().length > 4);
      expect(unitLines.length).toBeGreaterThan(1);
      for (const item of items) {
        expect(item.x, item.str).toBeGreaterThanOrEqual(30);
        expect(item.x + item.width, item.str).toBeLessThanOrEqual(CERTIFICATE_PAGE.width - 30);
        expect(item.y, item.str).toBeGreaterThanOrEqual(30);
        expect(item.y, item.str).toBeLessThanOrEqual(CERTIFICATE_PAGE.height - 30);
      }
    }
  });

  it("embeds a non-empty glyph for every character, including 鑫, 瑄 and 赟", async () => {
    const data = sample({ holderName: "欧阳赟瑄", unitName: "北京鑫瑄赟科技有限公司" });
    const bytes = await renderCertificatePdf(input(data));
    const fonts = await embeddedFonts(bytes);
    expect(fonts.map((f) => f.name).join(" ")).toMatch(/NotoSerifSC-Regular/);

    // Every glyph the page shows with a CJK font is in that font's subset, not .notdef, with an outline.
    const content = await pageContent(bytes);
    const fontByResource = new Map<string, EmbeddedFont>();
    const doc = await PDFDocument.load(bytes);
    const resources = doc.getPage(0).node.Resources()!.lookup(PDFName.of("Font"), PDFDict);
    for (const [name, ref] of resources.entries()) {
      const dict = doc.context.lookup(ref, PDFDict);
      const base = dict.lookup(PDFName.of("BaseFont"), PDFName).decodeText();
      const font = fonts.find((f) => f.name === base);
      if (font) fontByResource.set(name.decodeText(), font);
    }
    let current: EmbeddedFont | undefined;
    let shown = "";
    let glyphCount = 0;
    for (const [, fontName, hex] of content.matchAll(/\/(\S+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj/g)) {
      if (fontName) {
        current = fontByResource.get(fontName);
        continue;
      }
      if (!current || !hex) continue;
      for (const gidHex of hex.match(/.{4}/g) ?? []) {
        const gid = Number.parseInt(gidHex, 16);
        const text = current.toUnicode.get(gid) ?? "";
        expect(gid, `glyph ${gidHex} (${text}) in ${current.name}`).not.toBe(0);
        const glyph = current.subset.getGlyph(gid);
        if (text.trim() !== "") {
          // fontkit's Path has `commands`; the type pdf-lib ships for it leaves them out.
          const { commands } = glyph.path as unknown as { commands: unknown[] };
          expect(commands.length, `outline of ${text} in ${current.name}`).toBeGreaterThan(0);
          // The very outline of the source font (the renderer keeps decoded outlines between documents).
          const source = sourceFont(current.name.includes("Bold") ? "bold" : "regular");
          const candidates = [text, `中${text}`, `a${text}`].map((c) => source.layout(c).glyphs.at(-1)!);
          const outlines = candidates.map((g) => g.path.toSVG());
          expect(outlines, `outline of ${text} in ${current.name}`).toContain(glyph.path.toSVG());
        }
        shown += text;
        glyphCount++;
      }
    }
    expect(glyphCount).toBeGreaterThan(100);

    // …and every character of the Chinese strings was shown that way.
    const strings = [
      ...Object.values(data).filter((v): v is string => typeof v === "string"),
      chineseDate(data.approvedOn),
      "专业技术资格证书电子职称证书扫码核验发证机关发证日期",
    ];
    for (const string of strings) {
      for (const char of string.replace(/[ -~]/g, "")) {
        expect(shown, `${char} (${string})`).toContain(char);
      }
    }
    for (const char of "赟瑄鑫欧阳") expect(shown).toContain(char);
  });

  it("refuses a character the font does not have, naming it and the field, before rendering", async () => {
    const data = sample({ holderName: "王𠀾" });
    const error = await renderCertificatePdf(input(data)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("VALIDATION");
    const details = String((error as DomainError).params.details);
    expect(details).toContain("𠀾");
    expect(details).toContain("U+2003E");
    expect(details).toContain("姓名");
  });

  it("draws the QR code of the verification URL module for module", async () => {
    const data = sample();
    const url = input(data).verifyUrl;
    const content = await pageContent(await renderCertificatePdf(input(data)));
    const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
    const size = modules.size;
    // The QR code is drawn in module units after one `cm`: rectangles `x y w 1 re`, y counted from the bottom.
    const qr = content.slice(content.indexOf(" cm"));
    const drawn = new Set<string>();
    for (const [, x, y, w, h] of qr.matchAll(/(-?\d+) (-?\d+) (\d+) (\d+) re/g)) {
      expect(Number(h)).toBe(1);
      for (let dx = 0; dx < Number(w); dx++) drawn.add(`${size - 1 - Number(y)},${Number(x) + dx}`);
    }
    const expected = new Set<string>();
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) if (modules.get(row, col)) expected.add(`${row},${col}`);
    }
    expect(drawn.size).toBe(expected.size);
    expect([...expected].every((m) => drawn.has(m))).toBe(true);
    // The QR code carries the number and the token, never the ID number.
    expect(url).not.toContain(fullIdNumber);
  });

  it("sets the document metadata and gives the same bytes for the same certificate", async () => {
    const bytes = await renderCertificatePdf(input());
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe(`专业技术资格证书 ${number}`);
    expect(doc.getAuthor()).toBe("北京市人力资源和社会保障局");
    expect(doc.getCreationDate()?.toISOString()).toBe("2022-02-09T16:00:00.000Z");
    const page = doc.getPage(0);
    expect(page.getWidth()).toBeCloseTo(CERTIFICATE_PAGE.width);
    expect(page.getHeight()).toBeCloseTo(CERTIFICATE_PAGE.height);
    const again = await renderCertificatePdf(input());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    // A subset of the CJK font, not the 15 MB file.
    expect(bytes.byteLength).toBeLessThan(200_000);
  });

  it("writes dates the Chinese way", () => {
    expect(chineseDate("2021-12-03")).toBe("2021年12月3日");
    expect(chineseDate("2022-10-31")).toBe("2022年10月31日");
  });
});
