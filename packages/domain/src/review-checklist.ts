import { z } from "zod";
import { materialKinds } from "./access";
import { formStepsFor, materialCategories } from "./application-form";
import { type Labels, type Level, levels, type Series, series as seriesList, ZSeries } from "./catalog";

/**
 * The agency's completeness review (notice §2.4): per series, the points a reviewer checks. Each point
 * concerns a field of the series' form or a kind of material, so a failed point becomes an item of
 * the one-time correction notice already tied to what the applicant must fix.
 */

const ZFieldId = z.string().min(1).max(64);
const ZLabelText = z.string().trim().min(1).max(200);

export const ZMaterialKind = z.enum(materialKinds);
export const ZMaterialCategory = z.enum(materialCategories);

/** A field of the form, or a kind of material (achievements optionally narrowed to a category). */
export const ZReviewTarget = z.discriminatedUnion("type", [
  z.object({ type: z.literal("field"), fieldId: ZFieldId }),
  z
    .object({
      type: z.literal("material"),
      kind: ZMaterialKind,
      category: ZMaterialCategory.optional(),
    })
    .refine((t) => t.category === undefined || t.kind === "achievement", {
      message: "only achievement materials have a category",
      path: ["category"],
    }),
]);
export type ReviewTarget = z.output<typeof ZReviewTarget>;

export const ZReviewChecklistItem = z.object({
  id: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, "lowercase words joined by hyphens"),
  label: z.object({ "zh-CN": ZLabelText, en: ZLabelText }),
  concerns: ZReviewTarget,
});
export type ReviewChecklistItem = z.output<typeof ZReviewChecklistItem>;

/** Field names of a series' form at any level (a checklist is per series; forms may vary by level). */
function seriesFieldNames(s: Series): Set<string> {
  return new Set(
    levels.flatMap((level) => formStepsFor(s, level).flatMap((st) => st.fields.map((f) => f.name))),
  );
}

export const ZReviewChecklist = z
  .object({
    series: ZSeries,
    items: z.array(ZReviewChecklistItem).min(1).max(100),
  })
  .superRefine((list, ctx) => {
    const ids = new Set<string>();
    const fields = seriesFieldNames(list.series);
    list.items.forEach((item, i) => {
      if (ids.has(item.id)) {
        ctx.addIssue({ code: "custom", path: ["items", i, "id"], message: `id ${item.id} is used twice` });
      }
      ids.add(item.id);
      if (item.concerns.type === "field" && !fields.has(item.concerns.fieldId)) {
        ctx.addIssue({
          code: "custom",
          path: ["items", i, "concerns", "fieldId"],
          message: `the ${list.series} form has no field ${item.concerns.fieldId}`,
        });
      }
    });
  });
export type ReviewChecklist = z.output<typeof ZReviewChecklist>;

type RawItem = { id: string; label: Labels; concerns: ReviewTarget };
const l = (zh: string, en: string): Labels => ({ "zh-CN": zh, en });
const field = (id: string, fieldId: string, label: Labels): RawItem => ({
  id,
  label,
  concerns: { type: "field", fieldId },
});
const material = (
  id: string,
  concerns: Omit<Extract<ReviewTarget, { type: "material" }>, "type">,
  label: Labels,
) => ({ id, label, concerns: { type: "material", ...concerns } }) satisfies RawItem;

// Every series: the common form fields, the achievement materials and the three stamped documents.
const common: readonly RawItem[] = [
  field("education", "education", l("最高学历与学历证书一致", "Highest education matches the diploma")),
  field("graduated-on", "graduatedOn", l("毕业时间与学历证书一致", "Graduation date matches the diploma")),
  field("work-started-on", "workStartedOn", l("参加工作时间填写准确", "Start of work is stated correctly")),
  field(
    "specialty",
    "specialty",
    l("申报专业与现从事专业一致", "The specialty applied for matches the work actually done"),
  ),
  field(
    "current-title",
    "currentTitle",
    l(
      "现有职称级别与证书一致，符合逐级申报要求",
      "Current title matches its certificate; no level is skipped",
    ),
  ),
  field(
    "current-title-on",
    "currentTitleOn",
    l(
      "取得现职称时间准确，任职年限符合申报条件",
      "Date of the current title is correct and the years in it meet the conditions",
    ),
  ),
  field(
    "duties",
    "duties",
    l("任现职以来履职情况完整、具体", "Duties since the current title are complete and specific"),
  ),
  field(
    "achievements",
    "achievements",
    l("主要业绩成果与上传材料一一对应", "Each achievement listed has its uploaded material"),
  ),
  field(
    "papers",
    "papers",
    l("论文、著作数量与上传材料一致", "The number of papers and books matches the uploaded material"),
  ),
  material(
    "material-papers",
    { kind: "achievement", category: "papers" },
    l(
      "论文、著作材料完整清晰（封面、目录、正文）",
      "Papers and books are complete and legible (cover, contents, text)",
    ),
  ),
  material(
    "material-projects",
    { kind: "achievement", category: "projects" },
    l("项目材料能证明本人承担的任务", "Project material shows the applicant's own role"),
  ),
  material(
    "material-awards",
    { kind: "achievement", category: "awards" },
    l("获奖证书清晰，本人在获奖名单中", "Award certificates are legible and name the applicant"),
  ),
  material(
    "material-patents",
    { kind: "achievement", category: "patents" },
    l("专利证书清晰，本人为发明人", "Patent certificates are legible and name the applicant as inventor"),
  ),
  material(
    "material-certificates",
    { kind: "achievement", category: "certificates" },
    l(
      "学历、现职称等证书齐全清晰",
      "Diploma, current-title and other certificates are all there and legible",
    ),
  ),
  material(
    "stamped-form",
    { kind: "stamped-form" },
    l(
      "申报信息表逐页上传，已填写推荐意见并加盖人事部门印章或单位公章",
      "Every page of the application form is uploaded, with HR's recommendation and the HR or unit stamp",
    ),
  ),
  material(
    "signed-pledge",
    { kind: "signed-pledge" },
    l("诚信承诺书已由本人签字", "The integrity pledge is signed"),
  ),
  material(
    "publicity-material",
    { kind: "publicity-material" },
    l(
      "公示材料已盖章，公示不少于5个工作日且无异议",
      "The publicity material is stamped; the publicity lasted at least 5 working days without objection",
    ),
  ),
];

const research: readonly RawItem[] = [
  field(
    "research-grants",
    "grants",
    l("主持的科研项目（课题）与项目材料一致", "Research grants led match the project material"),
  ),
];

/** What a series' own form step adds to the review. */
const seriesItems: Partial<Record<Series, readonly RawItem[]>> = {
  engineering: [
    field(
      "engineering-projects",
      "projects",
      l(
        "主持或参与的工程项目描述清楚，与项目材料一致",
        "Engineering projects are described clearly and match the material",
      ),
    ),
    field(
      "engineering-field",
      "engineeringField",
      l("工程专业类别与申报专业相符", "The engineering field matches the specialty applied for"),
    ),
  ],
  economics: [
    field(
      "economics-field",
      "economicsField",
      l("专业方向与申报专业相符", "The direction matches the specialty applied for"),
    ),
    field(
      "economics-reports",
      "reports",
      l("调研报告或方案为本人主持或撰写", "Reports or plans were led or written by the applicant"),
    ),
  ],
  accounting: [
    field(
      "accounting-years",
      "accountingYears",
      l("从事会计工作年限符合申报条件", "Years in accounting meet the conditions"),
    ),
    field(
      "continuing-education",
      "continuingEducation",
      l("继续教育完成情况符合要求", "Continuing education meets the requirement"),
    ),
  ],
  "natural-science-research": research,
  "social-science-research": research,
};

/** The checklist of every series, validated once when the module loads. */
export const reviewChecklists: Readonly<Record<Series, ReviewChecklist>> = Object.fromEntries(
  seriesList.map((s) => [
    s,
    ZReviewChecklist.parse({ series: s, items: [...common, ...(seriesItems[s] ?? [])] }),
  ]),
) as Record<Series, ReviewChecklist>;

/** The points to check for an application of this series and level (fields its form really has). */
export function reviewChecklistFor(s: Series, level: Level): readonly ReviewChecklistItem[] {
  const fields = new Set(formStepsFor(s, level).flatMap((st) => st.fields.map((f) => f.name)));
  return reviewChecklists[s].items.filter(
    (i) => i.concerns.type !== "field" || fields.has(i.concerns.fieldId),
  );
}
