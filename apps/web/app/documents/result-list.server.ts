import { PDFDocument } from "pdf-lib";
import { embedDocumentFonts, wrapText } from "./fonts.server";
import { CONTENT_WIDTH, Flow, MARGIN_X, MUTED, type Row } from "./layout.server";

/** What the printable list of a result batch (评审结果公示名单) shows. Never an ID number. */
export interface ResultListData {
  title: string;
  /** Who publishes it: 北京市人力资源和社会保障局, or the agency's name. */
  publisher: string;
  /** YYYY-MM-DD, Asia/Shanghai, both inclusive. */
  publicityStart: string;
  publicityEnd: string;
  workingDays: number;
  /** Where to file a complaint, e.g. the batch's public page. */
  complaintUrl: string;
  /** The day it was published (the document's date; the same batch gives the same bytes). */
  publishedOn: string;
  entries: Array<{
    position: number;
    name: string;
    unitName: string;
    /** Labels, Chinese. */
    series: string;
    specialty: string;
    qualification: string;
  }>;
}

/** `2026-12-01` → `2026年12月1日`. */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

const HEADINGS = ["序号", "姓名", "工作单位", "系列", "专业", "取得资格"];
// Widths in points (they sum to the content width): the unit gets the most room.
const COLUMNS = (() => {
  const fixed = [36, 62, 0, 66, 78, 92];
  fixed[2] = CONTENT_WIDTH - fixed.reduce((a, b) => a + b, 0);
  return fixed;
})();
const SIZE = 9.5;
const LINE = SIZE * 1.55;
const PAD_X = 5;
const PAD_Y = 4;

/** The printable list: title, publisher, dates, how to complain, then the table with page numbers. */
export async function renderResultList(data: ResultListData): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(data.title, { showInWindowTitleBar: true });
  doc.setAuthor(data.publisher);
  doc.setSubject("职称评审结果公示名单");
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  // Dates from the data, not the clock: the archived list can be rebuilt byte for byte.
  const stamp = new Date(`${data.publishedOn}T00:00:00+08:00`);
  if (!Number.isNaN(stamp.getTime())) {
    doc.setCreationDate(stamp);
    doc.setModificationDate(stamp);
  }
  const fonts = await embedDocumentFonts(doc);
  const flow = new Flow(doc, fonts);

  flow.title(data.title, 16, 6);
  const by = `发布单位：${data.publisher}`;
  flow.text(by, MARGIN_X + Math.max(0, (CONTENT_WIDTH - flow.width(by, 10.5)) / 2), flow.y, 10.5, {
    color: MUTED,
  });
  flow.gap(24);
  flow.paragraph(
    `经评审委员会评审，现将以下${data.entries.length}名同志取得专业技术资格的评审结果予以公示。` +
      `公示期为${chineseDate(data.publicityStart)}至${chineseDate(data.publicityEnd)}（${data.workingDays}个工作日）。`,
    { size: 11 },
  );
  flow.paragraph(
    "公示期间，任何单位和个人对公示人员的评审结果有异议的，可登录北京市职称评审申报系统“评审结果公示”栏目，" +
      "对具体人员提出投诉，写明事实和理由，留下真实姓名和联系电话，并可上传证明材料。投诉受理后系统给出投诉编号，" +
      "凭投诉编号和手机号可查询处理结果。评审机构和市人力社保局将对投诉进行复查，经查属实的将依规变更评审结果。" +
      `公示期满（${chineseDate(data.publicityEnd)}24时）后不再受理投诉。`,
    { size: 11 },
  );
  // The address on a line of its own: a URL inside justified Chinese text would stretch the line.
  flow.paragraph(`投诉入口：${data.complaintUrl}`, { size: 11, indent: true, justify: false });
  flow.gap(10);

  const header: Row = { cells: HEADINGS.map((text) => ({ text, label: true })) };
  const headerHeight = LINE + 2 * PAD_Y;
  flow.ensure(headerHeight + LINE * 2);
  flow.table(COLUMNS, [header], SIZE);
  for (const e of data.entries) {
    const row: Row = {
      cells: [
        { text: String(e.position), align: "center" },
        { text: e.name },
        { text: e.unitName || "—" },
        { text: e.series },
        { text: e.specialty || "—" },
        { text: e.qualification },
      ],
    };
    // The heading row is repeated on every page the table runs onto.
    const lines = Math.max(
      ...row.cells.map((c, i) => wrapText(c.text, fonts.regular, SIZE, COLUMNS[i]! - 2 * PAD_X).length),
    );
    if (lines * LINE + 2 * PAD_Y > flow.remaining) {
      flow.newPage();
      flow.table(COLUMNS, [header], SIZE);
    }
    flow.table(COLUMNS, [row], SIZE);
  }
  if (data.entries.length === 0) flow.paragraph("（本批次无公示人员）", { size: 11, indent: false });

  flow.gap(20);
  flow.splitLine("", data.publisher, 11);
  flow.splitLine("", chineseDate(data.publishedOn), 11);
  flow.finish("职称评审结果公示名单");
  return doc.save();
}
