import { formatYuan } from "@titles/domain";
import { PDFDocument } from "pdf-lib";
import { formatBeijingTime } from "~/documents/application-documents.server";
import { cleanText, embedDocumentFonts } from "~/documents/fonts.server";
import { CONTENT_WIDTH, Flow, MARGIN_X, MUTED, type Row } from "~/documents/layout.server";

/** What the fee receipt shows; data in, PDF bytes out (no database, no clock). */
export interface PaymentReceiptData {
  orderNo: string;
  tradeNo: string;
  roundYear: number;
  applicationId: string;
  applicantName: string;
  seriesLabel: string;
  levelLabel: string;
  employerName: string;
  amountFen: number;
  paidAt: Date;
}

const digits = [..."零壹贰叁肆伍陆柒捌玖"];
const places = ["仟", "佰", "拾", ""];
const sections = ["", "万", "亿"];

function fourDigits(group: number): string {
  const ds = [
    Math.floor(group / 1000),
    Math.floor(group / 100) % 10,
    Math.floor(group / 10) % 10,
    group % 10,
  ];
  let out = "";
  let gap = false;
  ds.forEach((d, k) => {
    if (d === 0) {
      if (out) gap = true;
      return;
    }
    if (gap) out += "零";
    gap = false;
    out += digits[d]! + places[k]!;
  });
  return out;
}

function integerInWords(n: number): string {
  if (n === 0) return "零";
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = "";
  let gap = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i]!;
    if (group === 0) {
      if (out) gap = true;
      continue;
    }
    if (out && (gap || group < 1000)) out += "零";
    gap = false;
    out += fourDigits(group) + sections[i]!;
  }
  return out;
}

/** An amount in fen in the capital numerals of financial documents: 30000 → 叁佰元整. */
export function amountInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen >= 1e14)
    throw new RangeError(`amount out of range: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return "零元整";
  let out = yuan > 0 ? `${integerInWords(yuan)}元` : "";
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) out += `${digits[jiao]}角`;
  else if (yuan > 0) out += "零";
  if (cents > 0) out += `${digits[cents]}分`;
  return out;
}

/** `缴费电子票据-张伟.pdf`, with an ASCII fallback name for old clients. */
export function receiptContentDisposition(applicantName: string): string {
  const name = [...cleanText(applicantName)]
    .filter((c) => !'\\/:*?"<>|\n'.includes(c))
    .join("")
    .trim();
  const file = name ? `缴费电子票据-${name}.pdf` : "缴费电子票据.pdf";
  const encoded = encodeURIComponent(file).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="payment-receipt.pdf"; filename*=UTF-8''${encoded}`;
}

/** 职称评审费缴费电子票据: who paid what for which application, when, and the gateway's trade number. */
export async function renderPaymentReceipt(data: PaymentReceiptData): Promise<Uint8Array> {
  const title = "职称评审费缴费电子票据";
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setAuthor("北京市职称评审申报系统");
  doc.setSubject(title);
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  // The payment time, not the rendering time: the same payment gives the same bytes (and hash).
  doc.setCreationDate(data.paidAt);
  doc.setModificationDate(data.paidAt);
  const flow = new Flow(doc, await embedDocumentFonts(doc));

  flow.title(title, 20, 4);
  const subtitle = `${data.roundYear}年度北京市专业技术资格评审`;
  flow.text(subtitle, MARGIN_X + (CONTENT_WIDTH - flow.width(subtitle, 11)) / 2, flow.y, 11, {
    color: MUTED,
  });
  flow.gap(28);

  const row = (label: string, value: string): Row => ({
    cells: [{ text: label, label: true }, { text: value.trim() === "" ? "—" : value }],
  });
  flow.table(
    [130, CONTENT_WIDTH - 130],
    [
      row("票据号码", data.orderNo),
      row("缴费人", data.applicantName),
      row("申报编号", data.applicationId),
      row("申报系列／级别", `${data.seriesLabel}／${data.levelLabel}`),
      row("工作单位", data.employerName),
      row("收费项目", `${data.roundYear}年度职称评审费`),
      row("金额（小写）", `¥${formatYuan(data.amountFen)}`),
      row("金额（大写）", amountInWords(data.amountFen)),
      row("支付平台交易号", data.tradeNo),
      row("支付时间", formatBeijingTime(data.paidAt)),
      row("缴费状态", "已缴费，申报完成"),
    ],
  );

  flow.gap(14);
  flow.paragraph(
    "说明：本票据由系统在收到支付平台的支付成功通知、核对订单金额无误后自动生成，支付时间以支付平台记录为准。缴费完成即申报完成，评审安排将通过系统和短信另行通知。",
    { size: 9.5, lineHeight: 9.5 * 1.7, indent: false, justify: true },
  );
  flow.finish(`票据号码：${data.orderNo}`);
  return doc.save();
}
