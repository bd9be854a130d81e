import { createHash } from "node:crypto";
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
import { beforeAll, describe, expect, it } from "vitest";
import { pdfPagesText } from "~/testing/pdf";
import {
  type ApplicationDocumentData,
  contentDisposition,
  documentFileName,
  documentKinds,
  formatBeijingTime,
  groupHash,
  type ReceiptData,
  renderApplicationForm,
  renderConfirmationReceipt,
  renderDocument,
  renderIntegrityPledge,
  renderPublicityTemplate,
} from "./application-documents.server";
import { preloadDocumentFonts, sourceFont, wrapText } from "./fonts.server";

const workHistory = Array.from(
  { length: 14 },
  (_, i) =>
    `${2008 + i}年，作为项目负责人主持城市轨道交通信号系统第${i + 1}期改造工程，完成联锁逻辑优化、故障诊断平台研制和现场调试，累计缩短平均故障处理时间约百分之${20 + i}，相关成果获得北京市科学技术进步奖三等奖并在燕郊、亦庄等线路推广应用。`,
).join("\n");

const achievements =
  "主持完成国家重点研发计划课题一项、北京市科技计划项目两项；获授权发明专利五项（第一发明人三项）；在《铁道学报》《城市轨道交通研究》发表论文八篇；主编团体标准一项；培养青年工程师十二名，带领团队攻克车—地无线通信抗干扰难题，为首都轨道交通安全运营作出突出贡献。";

const data: ApplicationDocumentData = {
  roundYear: 2021,
  applicantName: "张伟",
  idNumberMasked: "110105********1234",
  gender: "男",
  employerName: "北京示例科技有限公司",
  department: "轨道交通研究院",
  post: "主任工程师",
  education: "研究生（硕士）",
  seriesLabel: "工程技术",
  levelLabel: "高级",
  specialty: "交通运输工程",
  trackLabel: "普通申报",
  achievementsSummary: achievements,
  sections: [
    {
      title: "学历及专业技术工作经历",
      rows: [
        { label: "毕业院校及专业", value: "北京交通大学 交通信息工程及控制" },
        { label: "参加工作时间", value: "2008年7月" },
        { label: "专业技术工作经历", value: workHistory },
      ],
    },
    {
      title: "业绩成果",
      rows: [
        { label: "主要业绩成果", value: achievements },
        {
          label: "论文著作",
          value: "《基于通信的列车控制系统故障诊断方法研究》，《铁道学报》2019年第4期，独著。",
        },
        { label: "获奖情况", value: "" },
      ],
    },
  ],
  materials: [
    { category: "学历证书", caption: "硕士研究生毕业证书及学位证书", pages: 2 },
    { category: "业绩成果", caption: "北京市科学技术进步奖证书", pages: 1 },
    { category: "论文著作", caption: "期刊论文（含封面、目录、正文）" },
  ],
  generatedAt: new Date("2026-11-27T02:31:05Z"),
};

const manifestSha256 = createHash("sha256").update("manifest").digest("hex");
const receipt: ReceiptData = {
  roundYear: 2021,
  applicationId: "BJ2021-000123",
  applicantName: "张伟",
  seriesLabel: "工程技术",
  levelLabel: "高级",
  employerName: "北京示例科技有限公司",
  confirmedAt: new Date("2026-11-27T02:31:05Z"),
  manifestSha256,
  entries: [
    { label: "申报信息（表单）", sha256: createHash("sha256").update("form").digest("hex") },
    { label: "诚信承诺书（签字页照片）", sha256: createHash("sha256").update("pledge").digest("hex") },
    { label: "公示材料（盖章页照片）", sha256: createHash("sha256").update("publicity").digest("hex") },
  ],
};

const squash = (text: string) => text.replace(/\s+/g, "");
const cjk = (text: string) => [...new Set(text.match(/[\u3400-\u9fff]/gu) ?? [])];

/**
 * Reads every embedded subset font and its ToUnicode map back out of the PDF and compares each glyph's
 * outline with the same glyph in the source TTF: catches subsetting that garbles or drops glyphs, which
 * text extraction alone would not see.
 */
async function checkEmbeddedGlyphs(bytes: Uint8Array): Promise<{ glyphs: number; text: string }> {
  const doc = await PDFDocument.load(bytes);
  const ctx = doc.context;
  const stream = (ref: unknown) => {
    const object = ctx.lookup(ref as PDFRef);
    if (!(object instanceof PDFRawStream)) throw new Error("expected a stream");
    return decodePDFRawStream(object).decode();
  };
  let glyphs = 0;
  let text = "";
  for (const [, object] of ctx.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Subtype")) !== PDFName.of("Type0")) continue;
    const baseFont = object.lookup(PDFName.of("BaseFont"), PDFName).decodeText();
    const source = sourceFont(baseFont.includes("Bold") ? "bold" : "regular");
    const cid = object.lookup(PDFName.of("DescendantFonts"), PDFArray).lookup(0, PDFDict);
    const descriptor = cid.lookup(PDFName.of("FontDescriptor"), PDFDict);
    const subset = fontkit.create(stream(descriptor.get(PDFName.of("FontFile2"))));
    const cmap = new TextDecoder().decode(stream(object.get(PDFName.of("ToUnicode"))));
    for (const [, gidHex, unicodeHex] of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/gi)) {
      const chars = String.fromCharCode(
        ...(unicodeHex!.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)),
      );
      // Layout picks a glyph by script: digits in a Latin run come from the font's Latin set.
      const candidates = [chars, `a${chars}`, `中${chars}`].map(
        (context) => source.layout(context).glyphs.at(-1)!,
      );
      expect(candidates[0]!.id, `${chars} has a glyph in the source font`).not.toBe(0);
      const actual = subset.getGlyph(Number.parseInt(gidHex!, 16));
      const expected = candidates.find((g) => g.path.toSVG() === actual.path.toSVG()) ?? candidates[0]!;
      expect(actual.path.toSVG(), `outline of ${chars} in ${baseFont}`).toBe(expected.path.toSVG());
      expect(actual.advanceWidth).toBe(expected.advanceWidth);
      glyphs++;
      text += chars;
    }
  }
  return { glyphs, text };
}

beforeAll(() => {
  preloadDocumentFonts();
});

async function extract(bytes: Uint8Array): Promise<{ pages: string[]; all: string }> {
  const pages = await pdfPagesText(bytes);
  return { pages, all: pages.join("") };
}

describe("application documents", () => {
  it("renders the application form with every section, wrapping long text onto further pages", async () => {
    const bytes = await renderApplicationForm(data);
    const { pages, all } = await extract(bytes);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeGreaterThan(0);
    expect(all).toContain("2021年度北京市专业技术资格评审申报信息表");
    expect(all).toContain("张伟");
    expect(all).toContain("110105********1234");
    expect(all).toContain("北京示例科技有限公司");
    expect(all).toContain("二、学历及专业技术工作经历");
    expect(all).toContain("单位推荐意见");
    expect(all).toContain("人事部门（盖章）");
    expect(all).toContain("硕士研究生毕业证书及学位证书");
    expect(all).toContain("（续）");
    // The last paragraph of the long answer arrives whole, on a later page than the first.
    const last = workHistory.split("\n").at(-1)!;
    expect(all).toContain(squash(last));
    expect(pages.findIndex((p) => p.includes("2008年，作为项目负责人"))).toBeLessThan(
      pages.findIndex((p) => p.includes(squash(last).slice(0, 20))),
    );
    const input = [workHistory, achievements, ...data.materials.map((m) => m.caption)].join("");
    for (const char of cjk(input)) expect(all).toContain(char);
  });

  it("renders the integrity pledge with the applicant, the undertakings and the signature line", async () => {
    const { pages, all } = await extract(await renderIntegrityPledge(data));
    expect(pages).toHaveLength(1);
    expect(all).toContain("诚信承诺书");
    expect(all).toContain("本人张伟（证件号码：110105********1234）");
    expect(all).toContain("五、如有弄虚作假");
    expect(all).toContain("承诺人（签字）");
    expect(all).toContain("年　　月　　日".replace(/\s+/g, ""));
  });

  it("renders the publicity template with the title, the facts table and the period", async () => {
    const { pages, all } = await extract(await renderPublicityTemplate(data));
    for (const page of pages) expect(page.length).toBeGreaterThan(0);
    expect(all).toContain("关于张伟同志申报高级工程技术专业技术资格的公示");
    expect(all).toContain("轨道交通研究院");
    expect(all).toContain("主任工程师");
    expect(all).toContain(squash(achievements));
    expect(all).toContain("不少于5个工作日");
    expect(all).toContain("北京示例科技有限公司（盖章）");
    for (const char of cjk(achievements)) expect(all).toContain(char);
  });

  it("renders the receipt with the Beijing confirmation time, the manifest hash and its entries", async () => {
    const { all } = await extract(await renderConfirmationReceipt(receipt));
    expect(all).toContain("确认申报回执");
    expect(all).toContain("BJ2021-000123");
    expect(all).toContain("2026-11-2710:31:05(北京时间)");
    expect(all).toContain(manifestSha256);
    for (const entry of receipt.entries) {
      expect(all).toContain(squash(entry.label));
      expect(all).toContain(entry.sha256);
    }
  });

  it("embeds subsets whose glyphs match the source font outline for outline", async () => {
    for (const kind of documentKinds) {
      const bytes = await renderDocument(kind, data);
      const { glyphs, text } = await checkEmbeddedGlyphs(bytes);
      expect(glyphs).toBeGreaterThan(50);
      expect(text).toContain("张");
      // A subset, not the 15 MB font.
      expect(bytes.byteLength).toBeLessThan(1_500_000);
    }
    const { text } = await checkEmbeddedGlyphs(await renderConfirmationReceipt(receipt));
    expect(text).toContain("回");
  });

  it("gives the same bytes for the same data", async () => {
    const a = await renderIntegrityPledge(data);
    const b = await renderIntegrityPledge(data);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe("document helpers", () => {
  it("names files by kind and applicant", () => {
    expect(documentFileName("application-form", "张伟")).toBe("申报信息表-张伟.pdf");
    expect(documentFileName("integrity-pledge", "张/伟")).toBe("诚信承诺书-张伟.pdf");
    expect(documentFileName("confirmation-receipt", "")).toBe("确认申报回执.pdf");
    expect(contentDisposition("publicity-template", "张伟")).toBe(
      `attachment; filename="publicity-template.pdf"; filename*=UTF-8''${encodeURIComponent("公示模板-张伟.pdf")}`,
    );
  });

  it("formats Beijing time and groups hashes", () => {
    expect(formatBeijingTime(new Date("2026-11-27T02:31:05Z"))).toBe("2026-11-27 10:31:05 (北京时间)");
    expect(formatBeijingTime(new Date("2026-11-27T16:00:00Z"))).toBe("2026-11-28 00:00:00 (北京时间)");
    expect(groupHash("ABCDEF0123456789")).toBe("abcdef01 23456789");
  });

  it("wraps CJK per character and keeps closing punctuation off the start of a line", async () => {
    const doc = await PDFDocument.create();
    const { embedDocumentFonts } = await import("./fonts.server");
    const { regular } = await embedDocumentFonts(doc);
    const size = 10;
    const width = regular.widthOfTextAtSize("中", size) * 5;
    const lines = wrapText("一二三四五，六七八九十。\n甲乙", regular, size, width);
    expect(lines.join("")).toBe("一二三四五，六七八九十。甲乙");
    for (const line of lines) expect(/^[，。]/.test(line)).toBe(false);
    expect(lines.at(-1)).toBe("甲乙");
    expect(
      wrapText("alpha beta gamma", regular, size, regular.widthOfTextAtSize("alpha beta", size)),
    ).toEqual(["alpha beta", "gamma"]);
  });
});
