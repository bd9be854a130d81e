import { type Level, levelLabels, type Series, seriesLabels } from "@titles/domain";
import { PDFDocument } from "pdf-lib";
import { formatBeijingTime } from "./application-documents.server";
import { embedDocumentFonts } from "./fonts.server";
import { CONTENT_WIDTH, Flow, MARGIN_X, MUTED, type Row } from "./layout.server";

/** What the minutes (会议纪要) of a closed committee meeting record. */
export interface MinutesData {
  title: string;
  startsAt: Date;
  closedAt: Date | null;
  venue: string;
  series: string;
  level: string;
  committeeName: string;
  chairName: string;
  present: string[];
  absent: string[];
  quorum: { members: number; present: number; needed: number; inclusive: boolean };
  applicants: Array<{
    name: string;
    unit: string;
    opinions: Array<{ group: string; recommendation: string; opinion: string }>;
    /** The defense panel's score (`85.50`), `未参加答辩` or `未评分`; null without a defense session. */
    defenseScore: string | null;
    ballot: {
      state: string;
      yes: number;
      no: number;
      abstain: number;
      blank: number;
      voters: number;
      needed: number | null;
      passed: boolean | null;
      signedAt: Date | null;
      signedByName: string | null;
    } | null;
    /** Names of the experts recused from this applicant (an internal record). */
    recused: string[];
  }>;
  /** When the chair signed the last result. */
  signedAt: Date | null;
}

const recommendationLabels: Record<string, string> = { support: "建议通过", oppose: "建议不通过" };

/** `同意 3 票　不同意 1 票　弃权 0 票　未投 0 票　应投 4 票　需 3 票` */
export function tallyLine(b: NonNullable<MinutesData["applicants"][number]["ballot"]>): string {
  return [
    `同意 ${b.yes} 票`,
    `不同意 ${b.no} 票`,
    `弃权 ${b.abstain} 票`,
    `未投 ${b.blank} 票`,
    `应投 ${b.voters} 票`,
    `需 ${b.needed ?? "—"} 票`,
  ].join("　");
}

function resultOf(b: MinutesData["applicants"][number]["ballot"]): string {
  if (!b || b.passed === null) return "未表决";
  return b.passed ? "通过" : "未通过";
}

const names = (list: string[]) => (list.length ? list.join("、") : "无");

/** 会议纪要: who sat, the quorum, and per applicant the references, the tally and the result. */
export async function renderMinutes(data: MinutesData): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${data.title} 会议纪要`, { showInWindowTitleBar: true });
  doc.setAuthor(data.committeeName || "北京市职称评审");
  doc.setSubject("评审委员会会议纪要");
  doc.setCreator("北京市职称评审申报系统");
  doc.setProducer("pdf-lib");
  doc.setLanguage("zh-CN");
  // Times from the data: the same meeting gives the same bytes.
  const stamp = data.closedAt ?? data.startsAt;
  doc.setCreationDate(stamp);
  doc.setModificationDate(stamp);
  const fonts = await embedDocumentFonts(doc);
  const flow = new Flow(doc, fonts);

  flow.title("评审委员会会议纪要", 20, 4);
  const w = flow.width(data.title, 11);
  flow.text(data.title, MARGIN_X + Math.max(0, (CONTENT_WIDTH - w) / 2), flow.y, 11, { color: MUTED });
  flow.gap(28);

  const two = [110, CONTENT_WIDTH - 110];
  const row = (label: string, value: string): Row => ({
    cells: [{ text: label, label: true }, { text: value.trim() === "" ? "—" : value }],
  });
  const seriesLabel = seriesLabels[data.series as Series]?.["zh-CN"] ?? data.series;
  const levelLabel = levelLabels[data.level as Level]?.["zh-CN"] ?? data.level;
  flow.table(two, [
    row("会议名称", data.title),
    row("评审委员会", data.committeeName),
    row("系列／级别", `${seriesLabel}／${levelLabel}`),
    row("会议时间", formatBeijingTime(data.startsAt)),
    row("会议地点", data.venue),
    row("主任委员", data.chairName),
    row(
      "出席情况",
      `委员 ${data.quorum.members} 人，出席 ${data.quorum.present} 人，缺席 ${data.absent.length} 人；` +
        `法定人数 ${data.quorum.needed} 人（三分之二${data.quorum.inclusive ? "，含本数" : "，不含本数"}），` +
        (data.quorum.present >= data.quorum.needed ? "会议有效。" : "未达法定人数。"),
    ),
    row("出席委员", names(data.present)),
    row("缺席委员", names(data.absent)),
  ]);

  flow.gap(18);
  flow.splitLine("评审情况", `共 ${data.applicants.length} 人`, 12, { bold: true });
  flow.gap(4);
  data.applicants.forEach((a, index) => {
    flow.gap(8);
    flow.ensure(120);
    flow.splitLine(`${index + 1}．${a.name}`, a.unit, 11, { bold: true });
    const opinions = a.opinions.length
      ? a.opinions
          .map(
            (o) => `${o.group}：${recommendationLabels[o.recommendation] ?? o.recommendation}。${o.opinion}`,
          )
          .join("\n")
      : "无";
    const b = a.ballot;
    flow.table(two, [
      row("工作单位", a.unit),
      row("评议组意见", opinions),
      row("答辩成绩", a.defenseScore ?? "无答辩"),
      row("表决情况", b ? tallyLine(b) : "未表决"),
      row("表决结果", resultOf(b)),
      row("回避专家", names(a.recused)),
      row(
        "主任委员签署",
        b?.signedAt ? `${b.signedByName ?? data.chairName}　${formatBeijingTime(b.signedAt)}` : "未签署",
      ),
    ]);
  });

  flow.gap(20);
  flow.paragraph(
    "以上评审结果经评审委员会无记名投票表决产生，同意票数达到出席且未回避委员的三分之二以上者为通过。本纪要为内部记录，请勿外传。",
    { size: 10, lineHeight: 10 * 1.8, indent: true, justify: true },
  );
  flow.gap(24);
  flow.splitLine("", `主任委员（签字）：${data.chairName}`, 11);
  flow.splitLine("", `签署时间：${data.signedAt ? formatBeijingTime(data.signedAt) : "未签署"}`, 11);
  flow.finish(data.title);
  return doc.save();
}
