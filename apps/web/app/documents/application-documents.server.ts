import { PDFDocument } from "pdf-lib";
import { cleanText, embedDocumentFonts } from "./fonts.server";
import { CONTENT_WIDTH, Flow, MARGIN_X, MUTED, type Row } from "./layout.server";

/**
 * The printable documents of an application (2021 notice, 申报流程 2: “下载打印职称申报信息表、诚信承诺书、
 * 公示模板”) and the receipt of the confirmation. Data in, PDF bytes out: no database, no clock (times come
 * in the data), all strings already localised by the caller.
 */

export interface DocumentSection {
  /** The section title without numbering (“学历及工作经历”); the form numbers the sections. */
  title: string;
  rows: { label: string; value: string }[];
}

export interface DocumentMaterial {
  category: string;
  caption: string;
  pages?: number;
}

export interface ApplicationDocumentData {
  roundYear: number;
  applicantName: string;
  /** Already masked by the caller, e.g. 110105********1234. */
  idNumberMasked: string;
  gender: string;
  employerName: string;
  department: string;
  post: string;
  education: string;
  seriesLabel: string;
  levelLabel: string;
  specialty: string;
  trackLabel: string;
  achievementsSummary: string;
  sections: DocumentSection[];
  materials: DocumentMaterial[];
  generatedAt: Date;
}

export interface ReceiptData {
  roundYear: number;
  applicationId: string;
  applicantName: string;
  seriesLabel: string;
  levelLabel: string;
  employerName: string;
  /** Server time of the confirmation. */
  confirmedAt: Date;
  /** sha256 (hex) of the manifest of everything submitted. */
  manifestSha256: string;
  entries: { label: string; sha256: string }[];
}

export const documentKinds = ["application-form", "integrity-pledge", "publicity-template"] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentKindLabels: Record<DocumentKind | "confirmation-receipt", { zh: string; en: string }> = {
  "application-form": { zh: "申报信息表", en: "Application information form" },
  "integrity-pledge": { zh: "诚信承诺书", en: "Integrity pledge" },
  "publicity-template": { zh: "公示模板", en: "Publicity template" },
  "confirmation-receipt": { zh: "确认申报回执", en: "Confirmation receipt" },
};

/** `申报信息表-张伟.pdf`; characters that are unsafe in file names are dropped from the name. */
export function documentFileName(kind: DocumentKind | "confirmation-receipt", applicantName: string): string {
  const name = [...cleanText(applicantName)]
    .filter((c) => !'\\/:*?"<>|\n'.includes(c))
    .join("")
    .trim();
  const label = documentKindLabels[kind].zh;
  return name ? `${label}-${name}.pdf` : `${label}.pdf`;
}

/**
 * A Content-Disposition value carrying the Chinese file name (RFC 6266 / RFC 5987) with an ASCII
 * fallback, e.g. `attachment; filename="application-form.pdf"; filename*=UTF-8''%E7%94%B3...`.
 */
export function contentDisposition(
  kind: DocumentKind | "confirmation-receipt",
  applicantName: string,
  disposition: "attachment" | "inline" = "attachment",
): string {
  const encoded = encodeURIComponent(documentFileName(kind, applicantName)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${kind}.pdf"; filename*=UTF-8''${encoded}`;
}

/** Renders one of the three applicant documents by kind (for a `documents/$kind` route). */
export function renderDocument(kind: DocumentKind, data: ApplicationDocumentData): Promise<Uint8Array> {
  switch (kind) {
    case "application-form":
      return renderApplicationForm(data);
    case "integrity-pledge":
      return renderIntegrityPledge(data);
    case "publicity-template":
      return renderPublicityTemplate(data);
  }
}

// ---------------------------------------------------------------------------------------------------------

const DATE_BLANK = "　　　　年　　月　　日";

const beijing = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** `2026-11-27 10:31:05 (北京时间)`: Beijing time whatever the server's time zone. */
export function formatBeijingTime(date: Date): string {
  const parts = Object.fromEntries(beijing.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} (北京时间)`;
}

/** A sha256 hex string in groups of eight, so it wraps at group boundaries and is easy to read aloud. */
export function groupHash(hex: string): string {
  return (hex.toLowerCase().match(/.{1,8}/g) ?? []).join(" ");
}

/** The grouped hash on two lines of four groups, so every copy breaks at the same place. */
function hashLines(hex: string): string {
  const groups = groupHash(hex).split(" ");
  return `${groups.slice(0, 4).join(" ")}\n${groups.slice(4).join(" ")}`;
}

const numerals = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

function chineseNumber(n: number): string {
  if (n <= 10) return numerals[n]!;
  if (n < 20) return `十${numerals[n - 10]}`;
  if (n < 100) return `${numerals[Math.floor(n / 10)]}十${n % 10 === 0 ? "" : numerals[n % 10]}`;
  return String(n);
}

async function newDocument(title: string, author: string, date: Date) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setAuthor(author);
  doc.setSubject(title);
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  // The times come from the data so the same input gives the same bytes.
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const fonts = await embedDocumentFonts(doc);
  return { doc, flow: new Flow(doc, fonts) };
}

function orBlank(value: string): string {
  return value.trim() === "" ? "—" : value;
}

// ---------------------------------------------------------------------------------------------------------

/** 申报信息表: basics, every form section, the employer's recommendation box and the materials list. */
export async function renderApplicationForm(data: ApplicationDocumentData): Promise<Uint8Array> {
  const title = `${data.roundYear}年度北京市专业技术资格评审申报信息表`;
  const { doc, flow } = await newDocument(title, data.applicantName, data.generatedAt);
  flow.title(title, 17, 8);
  flow.splitLine(`申报通道：${data.trackLabel}`, `生成时间：${formatBeijingTime(data.generatedAt)}`, 9, {
    color: MUTED,
  });
  flow.gap(4);

  const labelWidth = 86;
  const valueWidth = (CONTENT_WIDTH - 2 * labelWidth) / 2;
  const four = [labelWidth, valueWidth, labelWidth, valueWidth];
  const heading = (text: string): Row => ({ cells: [{ text, span: 4, label: true }] });
  const pair = (a: string, av: string, b: string, bv: string): Row => ({
    cells: [{ text: a, label: true }, { text: orBlank(av) }, { text: b, label: true }, { text: orBlank(bv) }],
  });
  const wide = (label: string, value: string): Row => ({
    cells: [
      { text: label, label: true },
      { text: orBlank(value), span: 3 },
    ],
  });

  flow.table(four, [
    heading("一、基本情况"),
    pair("姓名", data.applicantName, "性别", data.gender),
    pair("证件号码", data.idNumberMasked, "学历", data.education),
    wide("工作单位", data.employerName),
    pair("所在部门", data.department, "现职务", data.post),
    pair("申报系列", data.seriesLabel, "申报级别", data.levelLabel),
    pair("申报专业", data.specialty, "申报通道", data.trackLabel),
  ]);

  data.sections.forEach((section, index) => {
    const rows =
      section.rows.length > 0 ? section.rows.map((r) => wide(r.label, r.value)) : [wide("内容", "")];
    // Keep a section heading with at least its first row.
    flow.ensure(60);
    flow.table(four, [heading(`${chineseNumber(index + 2)}、${section.title}`), ...rows]);
  });

  flow.gap(10);
  flow.box("单位推荐意见", labelWidth, 190, (area) => {
    const left = area.x + 12;
    const right = area.x + area.width - 12;
    for (let i = 1; i <= 4; i++) flow.guide(left, right, area.top - 12 - i * 26);
    flow.text("负责人（签字）：", left, area.top - area.height + 62, 10.5);
    flow.textRight("人事部门（盖章）", right - 24, area.top - area.height + 62, 10.5);
    flow.textRight(DATE_BLANK, right - 12, area.top - area.height + 34, 10.5);
  });

  flow.gap(18);
  flow.ensure(80);
  flow.splitLine("附：申报材料清单", "", 12, { bold: true });
  flow.gap(4);
  const materials: Row[] = [
    {
      cells: [
        { text: "序号", label: true },
        { text: "材料类别", label: true },
        { text: "材料名称", label: true },
        { text: "页数", label: true },
      ],
    },
    ...data.materials.map((m, index) => ({
      cells: [
        { text: String(index + 1), align: "center" as const },
        { text: m.category },
        { text: m.caption },
        { text: m.pages === undefined ? "—" : String(m.pages), align: "center" as const },
      ],
    })),
  ];
  if (data.materials.length === 0)
    materials.push({ cells: [{ text: "（未上传材料）", span: 4, align: "center" }] });
  flow.table([40, 120, CONTENT_WIDTH - 40 - 120 - 50, 50], materials);

  flow.finish(`申报人：${data.applicantName}`);
  return doc.save();
}

// ---------------------------------------------------------------------------------------------------------

function pledgeUndertakings(data: ApplicationDocumentData): string[] {
  return [
    "一、本人所填报的身份信息、学历学位、资格资历、任职经历和专业技术工作经历等内容真实、准确、完整，不存在虚报、瞒报或者隐瞒重要事实的情形。",
    "二、本人提交的学历学位证书、资格证书、业绩成果、论文著作、获奖证明等申报材料及其照片、扫描件与原件一致，不存在伪造、变造、冒用他人材料或者抄袭、剽窃他人成果的情形。",
    `三、本人符合本次申报的资格条件，所申报的${data.seriesLabel}系列${data.levelLabel}专业技术资格（${data.specialty}专业）与本人实际从事的专业技术工作相符，本年度未在其他系列或者地区重复申报。`,
    "四、本人自觉遵守职称评审工作纪律，不以任何形式请托、说情或者干扰评审工作，主动接受工作单位审核、公示和社会监督，并按要求及时补正材料。",
    "五、如有弄虚作假或者违反评审纪律的行为，本人自愿接受撤销所取得的专业技术资格、记入职称申报评审诚信档案等处理，并依法承担相应责任。",
  ];
}

/** 诚信承诺书: who promises what, five undertakings, signature and date lines. */
export async function renderIntegrityPledge(data: ApplicationDocumentData): Promise<Uint8Array> {
  const { doc, flow } = await newDocument("诚信承诺书", data.applicantName, data.generatedAt);
  flow.gap(10);
  flow.title("诚信承诺书", 22, 22);
  const size = 14;
  const lineHeight = 24;
  flow.paragraph(
    `本人${data.applicantName}（证件号码：${data.idNumberMasked}），工作单位为${data.employerName}，申报${data.roundYear}年度北京市${data.seriesLabel}系列${data.levelLabel}专业技术资格。本人已认真阅读本年度北京市职称评价工作的有关通知和评价标准，了解申报的条件、程序和纪律要求，现郑重承诺如下：`,
    { size, lineHeight },
  );
  for (const undertaking of pledgeUndertakings(data)) flow.paragraph(undertaking, { size, lineHeight });
  flow.paragraph("本承诺书一经签署即具效力，本人愿意承担因违反上述承诺而产生的一切后果。", {
    size,
    lineHeight,
  });

  flow.gap(36);
  flow.ensure(80);
  const right = MARGIN_X + CONTENT_WIDTH;
  flow.textRight("承诺人（签字）：＿＿＿＿＿＿＿＿", right, flow.y, size);
  flow.y -= size * 2.4;
  flow.textRight(DATE_BLANK, right, flow.y, size);
  flow.y -= size * 2;

  flow.finish();
  return doc.save();
}

// ---------------------------------------------------------------------------------------------------------

/** 公示模板: the notice the employer posts for at least five working days before recommending. */
export async function renderPublicityTemplate(data: ApplicationDocumentData): Promise<Uint8Array> {
  const title = `关于${data.applicantName}同志申报${data.levelLabel}${data.seriesLabel}专业技术资格的公示`;
  const { doc, flow } = await newDocument(title, data.employerName, data.generatedAt);
  flow.gap(6);
  flow.title(title, 18, 16);
  const size = 12;
  flow.paragraph(
    `根据${data.roundYear}年度北京市职称评价工作的有关规定，经本单位审核，${data.applicantName}同志申报${data.levelLabel}${data.seriesLabel}专业技术资格（${data.specialty}专业）。为广泛接受群众监督，现将其有关情况公示如下：`,
    { size },
  );
  flow.gap(6);

  const l = 76;
  const v = (CONTENT_WIDTH - 3 * l) / 3;
  const six = [l, v, l, v, l, v];
  const label = (text: string) => ({ text, label: true });
  flow.table(six, [
    {
      cells: [
        label("姓名"),
        { text: data.applicantName },
        label("性别"),
        { text: orBlank(data.gender) },
        label("学历"),
        { text: orBlank(data.education) },
      ],
    },
    { cells: [label("工作单位"), { text: orBlank(data.employerName), span: 5 }] },
    {
      cells: [
        label("部门"),
        { text: orBlank(data.department), span: 2 },
        label("现职务"),
        { text: orBlank(data.post), span: 2 },
      ],
    },
    {
      cells: [
        label("申报系列"),
        { text: orBlank(data.seriesLabel) },
        label("申报级别"),
        { text: orBlank(data.levelLabel) },
        label("申报专业"),
        { text: orBlank(data.specialty) },
      ],
    },
    { cells: [label("主要业绩成果"), { text: orBlank(data.achievementsSummary), span: 5 }], minHeight: 120 },
  ]);
  flow.gap(10);

  flow.paragraph("公示期为＿＿＿＿年＿＿月＿＿日至＿＿＿＿年＿＿月＿＿日（不少于 5 个工作日）。", { size });
  flow.paragraph(
    "公示期间，如对公示内容有异议，请以书面形式或者当面向本单位人事部门实名反映，并提供联系方式和具体事实，以便核实。反映情况应当实事求是、客观公正；匿名或者缺乏具体事实的反映原则上不予受理。",
    { size },
  );
  flow.gap(4);
  const contact = [
    "联系部门：＿＿＿＿＿＿＿＿＿＿",
    "联 系 人：＿＿＿＿＿＿＿＿＿＿",
    "联系电话：＿＿＿＿＿＿＿＿＿＿",
    "电子邮箱：＿＿＿＿＿＿＿＿＿＿",
  ];
  for (const line of contact)
    flow.paragraph(line, { size, indent: true, justify: false, lineHeight: size * 1.8 });

  flow.gap(30);
  flow.ensure(90);
  const right = MARGIN_X + CONTENT_WIDTH;
  flow.textRight(`${data.employerName}（盖章）`, right, flow.y, size);
  flow.y -= size * 2.4;
  flow.textRight(DATE_BLANK, right, flow.y, size);
  flow.y -= size * 2;

  flow.finish();
  return doc.save();
}

// ---------------------------------------------------------------------------------------------------------

/** 确认申报回执: what was confirmed and when, and the hash of the manifest of everything submitted. */
export async function renderConfirmationReceipt(data: ReceiptData): Promise<Uint8Array> {
  const { doc, flow } = await newDocument("确认申报回执", "北京市职称评审申报系统", data.confirmedAt);
  flow.title("确认申报回执", 20, 4);
  const subtitle = `${data.roundYear}年度北京市专业技术资格评审`;
  const w = flow.width(subtitle, 11);
  flow.text(subtitle, MARGIN_X + (CONTENT_WIDTH - w) / 2, flow.y, 11, { color: MUTED });
  flow.gap(28);

  const two = [120, CONTENT_WIDTH - 120];
  const row = (label: string, value: string): Row => ({
    cells: [{ text: label, label: true }, { text: orBlank(value) }],
  });
  flow.table(two, [
    row("申报编号", data.applicationId),
    row("姓名", data.applicantName),
    row("申报系列／级别", `${data.seriesLabel}／${data.levelLabel}`),
    row("工作单位", data.employerName),
    row("确认时间", formatBeijingTime(data.confirmedAt)),
    row("申报清单摘要（SHA-256）", hashLines(data.manifestSha256)),
  ]);

  flow.gap(18);
  flow.ensure(80);
  flow.splitLine("申报清单", `共 ${data.entries.length} 项`, 12, { bold: true });
  flow.gap(4);
  flow.table(
    [36, 190, CONTENT_WIDTH - 36 - 190],
    [
      {
        cells: [
          { text: "序号", label: true },
          { text: "内容", label: true },
          { text: "SHA-256", label: true },
        ],
      },
      ...data.entries.map((entry, index) => ({
        cells: [
          { text: String(index + 1), align: "center" as const },
          { text: entry.label },
          { text: hashLines(entry.sha256) },
        ],
      })),
    ],
    9.5,
  );

  flow.gap(14);
  flow.paragraph(
    "说明：本回执由系统在申报人确认申报信息时自动生成，确认时间以服务器时间为准。申报清单摘要是上表所列全部内容的 SHA-256 摘要值，可用于核验确认后提交的信息和材料未被更改。",
    { size: 9.5, lineHeight: 9.5 * 1.7, indent: false, justify: true },
  );

  flow.finish(`申报编号：${data.applicationId}`);
  return doc.save();
}
