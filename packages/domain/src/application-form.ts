import { z } from "zod";
import type { Labels, Level, Locale, Series } from "./catalog";
import { compareDates, isIsoDate } from "./dates";

/**
 * The application form as data: steps of fields, shared by every series, plus the fields a series adds.
 * The portal renders it, autosaves it and validates it field by field with `validateFormStep`.
 */
export type FieldType = "text" | "textarea" | "date" | "select" | "number";

export interface FormField {
  name: string;
  label: Labels;
  type: FieldType;
  required: boolean;
  hint?: Labels;
  options?: ReadonlyArray<{ value: string; label: Labels }>;
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface FormStep {
  id: string;
  title: Labels;
  fields: readonly FormField[];
}

const l = (zh: string, en: string): Labels => ({ "zh-CN": zh, en });

const educationOptions = [
  { value: "doctorate", label: l("博士研究生", "Doctorate") },
  { value: "master", label: l("硕士研究生", "Master's") },
  { value: "bachelor", label: l("大学本科", "Bachelor's") },
  { value: "college", label: l("大学专科", "College diploma") },
  { value: "secondary", label: l("中专及以下", "Secondary or below") },
] as const;

const currentTitleOptions = [
  { value: "none", label: l("无", "None") },
  { value: "junior", label: l("初级", "Junior") },
  { value: "intermediate", label: l("中级", "Intermediate") },
  { value: "deputy-senior", label: l("副高级", "Deputy senior") },
] as const;

const personal: FormStep = {
  id: "personal",
  title: l("基本信息", "Personal details"),
  fields: [
    {
      name: "gender",
      label: l("性别", "Gender"),
      type: "select",
      required: true,
      options: [
        { value: "male", label: l("男", "Male") },
        { value: "female", label: l("女", "Female") },
      ],
    },
    {
      name: "education",
      label: l("最高学历", "Highest education"),
      type: "select",
      required: true,
      options: educationOptions,
    },
    { name: "school", label: l("毕业院校", "School"), type: "text", required: true, maxLength: 100 },
    { name: "major", label: l("所学专业", "Field of study"), type: "text", required: true, maxLength: 100 },
    { name: "graduatedOn", label: l("毕业时间", "Graduated on"), type: "date", required: true },
    { name: "workStartedOn", label: l("参加工作时间", "Started work on"), type: "date", required: true },
  ],
};

const position: FormStep = {
  id: "position",
  title: l("现任职务与职称", "Position and current title"),
  fields: [
    { name: "department", label: l("所在部门", "Department"), type: "text", required: true, maxLength: 100 },
    {
      name: "post",
      label: l("现任职务（岗位）", "Current post"),
      type: "text",
      required: true,
      maxLength: 100,
    },
    {
      name: "specialty",
      label: l("申报专业", "Specialty applied for"),
      type: "text",
      required: true,
      maxLength: 100,
    },
    {
      name: "currentTitle",
      label: l("现有职称级别", "Current title level"),
      type: "select",
      required: true,
      options: currentTitleOptions,
    },
    {
      name: "currentTitleOn",
      label: l("取得现职称时间", "Current title obtained on"),
      type: "date",
      required: false,
      hint: l("没有职称可不填", "Leave empty if you hold none"),
    },
  ],
};

const achievements: FormStep = {
  id: "achievements",
  title: l("履职情况与业绩成果", "Duties and achievements"),
  fields: [
    {
      name: "duties",
      label: l("任现职以来履职情况", "Duties since the current title"),
      type: "textarea",
      required: true,
      maxLength: 3000,
      hint: l(
        "概述主要工作职责与完成情况，不超过 3000 字",
        "Summarise your duties and results, at most 3000 characters",
      ),
    },
    {
      name: "achievements",
      label: l("主要业绩成果", "Main achievements"),
      type: "textarea",
      required: true,
      maxLength: 3000,
      hint: l(
        "论文、项目、获奖、专利等，请与上传的材料对应",
        "Papers, projects, awards, patents…, matching the materials you upload",
      ),
    },
    {
      name: "papers",
      label: l("论文、著作数量", "Number of papers and books"),
      type: "number",
      required: true,
      min: 0,
      max: 500,
    },
  ],
};

/** What a series adds to the common steps. */
const seriesExtras: Partial<Record<Series, FormStep>> = {
  engineering: {
    id: "series",
    title: l("工程技术专项信息", "Engineering details"),
    fields: [
      {
        name: "projects",
        label: l("主持或参与的工程项目", "Engineering projects led or joined"),
        type: "textarea",
        required: true,
        maxLength: 2000,
      },
      {
        name: "engineeringField",
        label: l("工程专业类别", "Engineering field"),
        type: "select",
        required: true,
        options: [
          { value: "construction", label: l("建筑工程", "Construction") },
          { value: "electronics", label: l("电子信息", "Electronics and IT") },
          { value: "mechanical", label: l("机械", "Mechanical") },
          { value: "environment", label: l("环境保护", "Environment") },
          { value: "other", label: l("其他", "Other") },
        ],
      },
    ],
  },
  economics: {
    id: "series",
    title: l("经济专项信息", "Economics details"),
    fields: [
      {
        name: "economicsField",
        label: l("专业方向", "Direction"),
        type: "select",
        required: true,
        options: [
          { value: "business", label: l("工商管理", "Business administration") },
          { value: "finance", label: l("金融", "Finance") },
          { value: "hr", label: l("人力资源管理", "Human resources") },
          { value: "other", label: l("其他", "Other") },
        ],
      },
      {
        name: "reports",
        label: l("主要调研报告或方案", "Main reports or plans"),
        type: "textarea",
        required: true,
        maxLength: 2000,
      },
    ],
  },
  accounting: {
    id: "series",
    title: l("会计专项信息", "Accounting details"),
    fields: [
      {
        name: "accountingYears",
        label: l("从事会计工作年限", "Years in accounting"),
        type: "number",
        required: true,
        min: 0,
        max: 60,
      },
      {
        name: "continuingEducation",
        label: l("继续教育完成情况", "Continuing education"),
        type: "textarea",
        required: true,
        maxLength: 1000,
      },
    ],
  },
};

const researchExtras: FormStep = {
  id: "series",
  title: l("科研专项信息", "Research details"),
  fields: [
    {
      name: "grants",
      label: l("主持的科研项目（课题）", "Research grants led"),
      type: "textarea",
      required: true,
      maxLength: 2000,
    },
  ],
};

/** The steps of the form for a series and level; the review step is the portal's, not data. */
export function formStepsFor(series: Series, _level: Level): readonly FormStep[] {
  const extra =
    seriesExtras[series] ??
    (series === "natural-science-research" || series === "social-science-research"
      ? researchExtras
      : undefined);
  return extra ? [personal, position, achievements, extra] : [personal, position, achievements];
}

export type FormValues = Record<string, string>;

const messages = {
  required: l("请填写“{label}”。", "Please fill in “{label}”."),
  tooLong: l("“{label}”不能超过 {max} 个字。", "“{label}” can have at most {max} characters."),
  date: l("“{label}”请填写有效日期。", "“{label}” needs a valid date."),
  future: l("“{label}”不能晚于今天。", "“{label}” cannot be in the future."),
  number: l(
    "“{label}”请填写 {min} 到 {max} 之间的整数。",
    "“{label}” needs a whole number from {min} to {max}.",
  ),
  option: l("请从列表中选择“{label}”。", "Please choose “{label}” from the list."),
} as const;

function say(key: keyof typeof messages, locale: Locale, params: Record<string, string | number>): string {
  return messages[key][locale].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
}

/** One field's problem, or null; `today` (YYYY-MM-DD, Asia/Shanghai) bounds dates. */
export function validateField(
  field: FormField,
  raw: string | undefined,
  locale: Locale,
  today: string,
): string | null {
  const value = (raw ?? "").trim();
  const label = field.label[locale];
  if (!value) return field.required ? say("required", locale, { label }) : null;
  switch (field.type) {
    case "text":
    case "textarea":
      return field.maxLength && [...value].length > field.maxLength
        ? say("tooLong", locale, { label, max: field.maxLength })
        : null;
    case "date":
      if (!isIsoDate(value)) return say("date", locale, { label });
      return compareDates(value, today) > 0 ? say("future", locale, { label }) : null;
    case "number": {
      const n = Number(value);
      const min = field.min ?? 0;
      const max = field.max ?? 1_000_000;
      return Number.isInteger(n) && n >= min && n <= max ? null : say("number", locale, { label, min, max });
    }
    case "select":
      return field.options?.some((o) => o.value === value) ? null : say("option", locale, { label });
    default: {
      const never: never = field.type;
      return String(never);
    }
  }
}

/** Every problem of one step, keyed by field name. */
export function validateFormStep(
  step: FormStep,
  values: FormValues,
  locale: Locale,
  today: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of step.fields) {
    const problem = validateField(field, values[field.name], locale, today);
    if (problem) errors[field.name] = problem;
  }
  return errors;
}

/** Every problem of the whole form: what must be empty before the applicant may submit. */
export function validateForm(
  steps: readonly FormStep[],
  values: FormValues,
  locale: Locale,
  today: string,
): Record<string, string> {
  return Object.assign({}, ...steps.map((s) => validateFormStep(s, values, locale, today)));
}

/** Autosave input at the boundary: known field names only, strings of bounded size. */
export function ZFormPatch(steps: readonly FormStep[]) {
  const names = steps.flatMap((s) => s.fields.map((f) => f.name));
  return z.partialRecord(z.enum(names as [string, ...string[]]), z.string().max(5000));
}

/** Kinds of achievement material the applicant can upload. */
export const materialCategories = [
  "papers",
  "projects",
  "awards",
  "patents",
  "certificates",
  "other",
] as const;
export type MaterialCategory = (typeof materialCategories)[number];
export const materialCategoryLabels: Readonly<Record<MaterialCategory, Labels>> = {
  papers: l("论文", "Papers"),
  projects: l("项目", "Projects"),
  awards: l("获奖", "Awards"),
  patents: l("专利", "Patents"),
  certificates: l("证书", "Certificates"),
  other: l("其他", "Other"),
};

/** The signed and stamped pages uploaded for the online submission (step 4 of the notice). */
export const submissionDocuments = ["stamped-form", "signed-pledge", "publicity-material"] as const;
export type SubmissionDocument = (typeof submissionDocuments)[number];
export const submissionDocumentLabels: Readonly<Record<SubmissionDocument, Labels>> = {
  "stamped-form": l("盖章的申报信息表", "Stamped application form"),
  "signed-pledge": l("签字的诚信承诺书", "Signed integrity pledge"),
  "publicity-material": l("盖章的公示材料", "Stamped publicity material"),
};
