import type { Labels } from "./catalog";

/**
 * Why one item of a correction notice is refused. A leaf module (types only) so that errors.ts can
 * show these labels without importing the notice rules.
 */
export const correctionItemProblems = [
  "unknown-field",
  "unknown-checklist-item",
  "unknown-material",
  "material-kind-mismatch",
  "field-after-first-notice",
  "material-not-named",
  "material-not-introduced",
] as const;
export type CorrectionItemProblem = (typeof correctionItemProblems)[number];

export const correctionItemProblemLabels: Readonly<Record<CorrectionItemProblem, Labels>> = {
  "unknown-field": { "zh-CN": "该系列申报表中没有此字段", en: "the series' form has no such field" },
  "unknown-checklist-item": {
    "zh-CN": "该审核要点不属于本系列",
    en: "the checklist point is not in this series' checklist",
  },
  "unknown-material": { "zh-CN": "本申报中没有此材料", en: "the application has no such material" },
  "material-kind-mismatch": {
    "zh-CN": "材料类型与所指材料不符",
    en: "the material kind does not match the material",
  },
  "field-after-first-notice": {
    "zh-CN": "申报表内容应在首次告知时一并指出",
    en: "form entries had to be in the first notice",
  },
  "material-not-named": {
    "zh-CN": "未指明补正时新增或更换的具体材料",
    en: "it names no material added or replaced in the correction",
  },
  "material-not-introduced": {
    "zh-CN": "该材料不是补正时新增或更换的",
    en: "this material was not added or replaced in the correction",
  },
};
