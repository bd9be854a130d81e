import type { Locale } from "@titles/ui";
import { useI18n } from "@titles/ui";

/** Strings of the defense scoring page and the review-group opinion form. */
const zh = {
  "defense.title": "答辩评分",
  "defense.lead": "每项0到100分（整数），按权重计算加权总分。草稿自动保存，提交后不能修改。",
  "defense.link": "进入答辩评分",
  "defense.linkLead": "本场答辩会的评分表：按评分项打分，草稿自动保存。",
  "defense.empty": "议程中没有您需要评分的申报人。",
  "defense.applicant": "{position}. {name}",
  "defense.noShow": "该申报人未到场参加答辩（已登记缺席），不评分。",
  "defense.criteria": "{name} 的评分表",
  "defense.criterion": "{label}（权重 {weight}%）",
  "defense.range": "0–100 的整数",
  "defense.invalid": "请输入0到100之间的整数。",
  "defense.total": "加权总分",
  "defense.totalLabel": "加权总分：",
  "defense.totalValue": "{total} 分",
  "defense.passLine": "合格线 {passLine} 分",
  "save.idle": "尚未打分",
  "save.dirty": "有未保存的修改…",
  "save.saving": "正在保存…",
  "save.saved": "已保存",
  "save.savedAt": "已保存（{time}）",
  "save.invalid": "有分数不符合要求，修改后自动保存。",
  "save.failed": "保存失败：{message}",
  "submit.button": "提交评分",
  "submit.confirm": "提交后评分将锁定，不能再修改。确定提交 {name} 的评分吗？",
  "submit.yes": "确认提交",
  "submit.no": "取消",
  "submit.working": "正在提交…",
  "submit.incomplete": "请为每个评分项打分后再提交。",
  "submitted.badge": "已提交",
  "submitted.at": "已于 {time} 提交，评分已锁定。",
  "summary.title": "答辩小组评分汇总（仅主任委员可见）",
  "summary.count": "已提交 {submitted} / {expected} 份评分表",
  "summary.waiting": "全部到场专家提交后显示小组得分。",
  "summary.score": "小组得分：{score} 分",
  "summary.trimmed": "（去掉一个最高分和一个最低分后取平均）",
  "summary.mean": "（取平均）",
  "summary.passed": "达到合格线（{passLine} 分）",
  "summary.failed": "未达到合格线（{passLine} 分）",
  "summary.refresh": "刷新汇总",
  "opinion.title": "评议组意见：{group}",
  "opinion.lead": "评议意见供评审委员会参考，不是投票。会议结束前可以修改。",
  "opinion.recommendation": "评议结论",
  "opinion.support": "支持推荐",
  "opinion.oppose": "不支持推荐",
  "opinion.text": "评议意见",
  "opinion.save": "保存评议意见",
  "opinion.saving": "正在保存…",
  "opinion.saved": "已保存",
  "opinion.savedAt": "已保存（{time}）",
  "opinion.closed": "会议已结束，评议意见不能再修改。",
  "opinion.none": "尚未填写",
} as const;

export type DefenseTextKey = keyof typeof zh;

const en: Record<DefenseTextKey, string> = {
  "defense.title": "Defense scoring",
  "defense.lead":
    "Score each criterion 0–100 in whole points; the weighted total follows the weights. Drafts save themselves; a submitted sheet is locked.",
  "defense.link": "Open defense scoring",
  "defense.linkLead":
    "The score sheets of this defense session: score each criterion; drafts save themselves.",
  "defense.empty": "There is no applicant for you to score on this agenda.",
  "defense.applicant": "{position}. {name}",
  "defense.noShow": "This applicant did not attend the defense (recorded as a no-show) and is not scored.",
  "defense.criteria": "Score sheet of {name}",
  "defense.criterion": "{label} (weight {weight}%)",
  "defense.range": "A whole number 0–100",
  "defense.invalid": "Enter a whole number from 0 to 100.",
  "defense.total": "Weighted total",
  "defense.totalLabel": "Weighted total: ",
  "defense.totalValue": "{total} points",
  "defense.passLine": "Pass line {passLine}",
  "save.idle": "Not scored yet",
  "save.dirty": "Unsaved changes…",
  "save.saving": "Saving…",
  "save.saved": "Saved",
  "save.savedAt": "Saved ({time})",
  "save.invalid": "Some scores are not valid; they save once corrected.",
  "save.failed": "Could not save: {message}",
  "submit.button": "Submit scores",
  "submit.confirm": "Once submitted, the scores are locked. Submit the scores for {name}?",
  "submit.yes": "Yes, submit",
  "submit.no": "Cancel",
  "submit.working": "Submitting…",
  "submit.incomplete": "Score every criterion before submitting.",
  "submitted.badge": "Submitted",
  "submitted.at": "Submitted at {time}; the scores are locked.",
  "summary.title": "Panel summary (chair only)",
  "summary.count": "{submitted} of {expected} score sheets submitted",
  "summary.waiting": "The panel score shows once every present panelist has submitted.",
  "summary.score": "Panel score: {score}",
  "summary.trimmed": " (mean without the highest and the lowest)",
  "summary.mean": " (mean)",
  "summary.passed": "Reaches the pass line ({passLine})",
  "summary.failed": "Below the pass line ({passLine})",
  "summary.refresh": "Refresh the summary",
  "opinion.title": "Review group opinion: {group}",
  "opinion.lead":
    "The opinion is a reference for the committee, not a vote. It can be changed until the meeting closes.",
  "opinion.recommendation": "Recommendation",
  "opinion.support": "Support",
  "opinion.oppose": "Do not support",
  "opinion.text": "Opinion",
  "opinion.save": "Save the opinion",
  "opinion.saving": "Saving…",
  "opinion.saved": "Saved",
  "opinion.savedAt": "Saved ({time})",
  "opinion.closed": "The meeting is closed; the opinion can no longer be changed.",
  "opinion.none": "Not written yet",
};

export function defenseText(
  locale: Locale,
  key: DefenseTextKey,
  params: Record<string, string> = {},
): string {
  const template = locale === "en" ? en[key] : zh[key];
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => params[name] ?? slot);
}

export function useDefenseText() {
  const { locale } = useI18n();
  return (key: DefenseTextKey, params?: Record<string, string>) => defenseText(locale, key, params);
}

export function formatTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone: "Asia/Shanghai",
  }).format(new Date(iso));
}
