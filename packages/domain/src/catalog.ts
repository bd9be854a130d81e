import { z } from "zod";

/** Which locale a label or message is written in. */
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export type Labels = Readonly<Record<Locale, string>>;

// Order matters: it is the order of the notice and of the portal's lists.
export const series = [
  "engineering",
  "agriculture",
  "sports",
  "journalism",
  "publishing",
  "broadcasting",
  "translation",
  "art",
  "arts-crafts",
  "cultural-relics",
  "library",
  "archives",
  "natural-science-research",
  "social-science-research",
  "notary",
  "accounting",
  "statistics",
  "audit",
  "economics",
  "health",
  "teachers-primary-secondary",
  "teachers-vocational",
  "teachers-technical",
] as const;
export type Series = (typeof series)[number];

export const levels = ["junior", "intermediate", "deputy-senior", "senior"] as const;
export type Level = (typeof levels)[number];

export const tracks = ["regular", "through-train", "pilot"] as const;
export type Track = (typeof tracks)[number];

export const ZSeries = z.enum(series);
export const ZLevel = z.enum(levels);
export const ZTrack = z.enum(tracks);

export const seriesLabels: Readonly<Record<Series, Labels>> = {
  engineering: { "zh-CN": "工程技术", en: "Engineering technology" },
  agriculture: { "zh-CN": "农业技术", en: "Agricultural technology" },
  sports: { "zh-CN": "体育", en: "Sports" },
  journalism: { "zh-CN": "新闻", en: "Journalism" },
  publishing: { "zh-CN": "出版", en: "Publishing" },
  broadcasting: { "zh-CN": "播音主持", en: "Broadcasting hosts and announcers" },
  translation: { "zh-CN": "翻译", en: "Translation" },
  art: { "zh-CN": "艺术", en: "Art" },
  "arts-crafts": { "zh-CN": "工艺美术", en: "Arts and crafts" },
  "cultural-relics": { "zh-CN": "文物博物", en: "Cultural relics and museums" },
  library: { "zh-CN": "图书资料", en: "Library and information" },
  archives: { "zh-CN": "档案", en: "Archives" },
  "natural-science-research": {
    "zh-CN": "自然科学研究",
    en: "Natural-science research",
  },
  "social-science-research": {
    "zh-CN": "哲学社会科学研究",
    en: "Philosophy and social-science research",
  },
  notary: { "zh-CN": "公证员", en: "Notaries" },
  accounting: { "zh-CN": "会计", en: "Accounting" },
  statistics: { "zh-CN": "统计", en: "Statistics" },
  audit: { "zh-CN": "审计", en: "Audit" },
  economics: { "zh-CN": "经济", en: "Economics" },
  health: { "zh-CN": "卫生技术", en: "Health technology" },
  "teachers-primary-secondary": {
    "zh-CN": "中小学教师",
    en: "Primary and secondary school teachers",
  },
  "teachers-vocational": {
    "zh-CN": "中等职业学校教师",
    en: "Secondary vocational school teachers",
  },
  "teachers-technical": {
    "zh-CN": "技工院校教师",
    en: "Technical school teachers",
  },
};

export const levelLabels: Readonly<Record<Level, Labels>> = {
  junior: { "zh-CN": "初级", en: "Junior" },
  intermediate: { "zh-CN": "中级", en: "Intermediate" },
  "deputy-senior": { "zh-CN": "副高级", en: "Deputy senior" },
  senior: { "zh-CN": "正高级", en: "Senior" },
};

export const trackLabels: Readonly<Record<Track, Labels>> = {
  regular: { "zh-CN": "常规", en: "Regular" },
  "through-train": { "zh-CN": "直通车", en: "Through-train" },
  pilot: { "zh-CN": "试点", en: "Pilot" },
};

export function isSeries(value: string): value is Series {
  return (series as readonly string[]).includes(value);
}
export function isLevel(value: string): value is Level {
  return (levels as readonly string[]).includes(value);
}
export function isTrack(value: string): value is Track {
  return (tracks as readonly string[]).includes(value);
}

type TitleLadder = Readonly<Record<Level, Labels>>;

function ladder(zh: [string, string, string, string], en: [string, string, string, string]): TitleLadder {
  return {
    junior: { "zh-CN": zh[0], en: en[0] },
    intermediate: { "zh-CN": zh[1], en: en[1] },
    "deputy-senior": { "zh-CN": zh[2], en: en[2] },
    senior: { "zh-CN": zh[3], en: en[3] },
  };
}

const researchLadder = ladder(
  ["研究实习员", "助理研究员", "副研究员", "研究员"],
  ["Research Intern", "Assistant Research Fellow", "Associate Research Fellow", "Research Fellow"],
);
const curatorLadder = ladder(
  ["助理馆员", "馆员", "副研究馆员", "研究馆员"],
  ["Assistant Librarian", "Librarian", "Associate Research Librarian", "Research Librarian"],
);

// Only series with one well-known ladder are listed; series whose titles
// depend on the specialty (agriculture, art, health, journalism, sports,
// teachers) use the generic name rather than a possibly wrong one.
// Junior titles are the 助理级 ones (the 员级 step is rarely evaluated).
const titleLadders: Partial<Record<Series, TitleLadder>> = {
  engineering: ladder(
    ["助理工程师", "工程师", "高级工程师", "正高级工程师"],
    ["Assistant Engineer", "Engineer", "Senior Engineer", "Professor-level Senior Engineer"],
  ),
  economics: ladder(
    ["助理经济师", "经济师", "高级经济师", "正高级经济师"],
    ["Assistant Economist", "Economist", "Senior Economist", "Professor-level Senior Economist"],
  ),
  accounting: ladder(
    ["助理会计师", "会计师", "高级会计师", "正高级会计师"],
    ["Assistant Accountant", "Accountant", "Senior Accountant", "Professor-level Senior Accountant"],
  ),
  statistics: ladder(
    ["助理统计师", "统计师", "高级统计师", "正高级统计师"],
    ["Assistant Statistician", "Statistician", "Senior Statistician", "Professor-level Senior Statistician"],
  ),
  audit: ladder(
    ["助理审计师", "审计师", "高级审计师", "正高级审计师"],
    ["Assistant Auditor", "Auditor", "Senior Auditor", "Professor-level Senior Auditor"],
  ),
  "natural-science-research": researchLadder,
  "social-science-research": researchLadder,
  translation: ladder(
    ["助理翻译", "翻译", "副译审", "译审"],
    ["Assistant Translator", "Translator", "Associate Senior Translator", "Senior Translator"],
  ),
  publishing: ladder(
    ["助理编辑", "编辑", "副编审", "编审"],
    ["Assistant Editor", "Editor", "Associate Senior Editor", "Senior Editor"],
  ),
  library: curatorLadder,
  archives: curatorLadder,
  "cultural-relics": curatorLadder,
  "arts-crafts": ladder(
    ["助理工艺美术师", "工艺美术师", "高级工艺美术师", "正高级工艺美术师"],
    [
      "Assistant Arts and Crafts Master",
      "Arts and Crafts Master",
      "Senior Arts and Crafts Master",
      "Professor-level Senior Arts and Crafts Master",
    ],
  ),
  notary: ladder(
    ["四级公证员", "三级公证员", "二级公证员", "一级公证员"],
    ["Grade 4 Notary", "Grade 3 Notary", "Grade 2 Notary", "Grade 1 Notary"],
  ),
  broadcasting: ladder(
    ["三级播音员（主持人）", "二级播音员（主持人）", "一级播音员（主持人）", "播音指导（主持人）"],
    [
      "Grade 3 Announcer (Host)",
      "Grade 2 Announcer (Host)",
      "Grade 1 Announcer (Host)",
      "Chief Announcer (Host)",
    ],
  ),
};

/**
 * The title a certificate names, e.g. engineering/senior → 正高级工程师.
 * Falls back to a generic `${series}${level}职称` where the title depends on
 * the specialty.
 */
export function qualificationTitle(s: Series, level: Level, locale: Locale = "zh-CN"): string {
  const known = titleLadders[s]?.[level][locale];
  if (known) return known;
  return locale === "zh-CN"
    ? `${seriesLabels[s]["zh-CN"]}${levelLabels[level]["zh-CN"]}职称`
    : `${levelLabels[level].en} title, ${seriesLabels[s].en}`;
}

// Junior and intermediate economics, accounting, statistics and audit titles
// are obtained by national examination, not by evaluation.
const examOnlyLevels: Partial<Record<Series, readonly Level[]>> = {
  economics: ["junior", "intermediate"],
  accounting: ["junior", "intermediate"],
  statistics: ["junior", "intermediate"],
  audit: ["junior", "intermediate"],
};

/** Levels at which a series is evaluated by a committee at all. */
export function evaluatedLevels(s: Series): readonly Level[] {
  const exam = examOnlyLevels[s] ?? [];
  return levels.filter((l) => !exam.includes(l));
}

/** Through-train (直通车) exists only for these senior titles. */
export const throughTrainPairs: readonly { series: Series; level: Level }[] = [
  { series: "engineering", level: "senior" },
  { series: "natural-science-research", level: "senior" },
  { series: "social-science-research", level: "senior" },
];

export function hasThroughTrain(s: Series, level: Level): boolean {
  return throughTrainPairs.some((p) => p.series === s && p.level === level);
}

export interface OtherAuthority {
  series: Series;
  levels: readonly Level[];
  where: Labels;
}

const otherAuthorityWhere: Labels = {
  "zh-CN": "以相关行业主管部门评审服务机构安排为准",
  en: "follow the arrangements of the competent industry authority's evaluation service agency",
};

/** Series and levels whose applications go to another authority (notice §3.6). */
export const otherAuthorities: readonly OtherAuthority[] = [
  {
    series: "health",
    levels: ["deputy-senior", "senior"],
    where: {
      "zh-CN": `卫生技术系列高级职称${otherAuthorityWhere["zh-CN"]}`,
      en: `Senior health-technology titles ${otherAuthorityWhere.en}`,
    },
  },
  ...(["teachers-primary-secondary", "teachers-vocational", "teachers-technical"] as const).map((s) => ({
    series: s,
    levels: levels,
    where: {
      "zh-CN": `${seriesLabels[s]["zh-CN"]}系列职称${otherAuthorityWhere["zh-CN"]}`,
      en: `Titles for ${seriesLabels[s].en.toLowerCase()} ${otherAuthorityWhere.en}`,
    },
  })),
];

export function otherAuthorityFor(s: Series, level: Level): OtherAuthority | undefined {
  return otherAuthorities.find((o) => o.series === s && o.levels.includes(level));
}
