import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transition } from "./application-state";
import { isWorkingDay, workingDaysBetween } from "./calendar";
import {
  type CorrectionItem,
  type CorrectionNotice,
  type CorrectionTarget,
  checkSecondNotice,
  correctionJudgementOutcome,
  defaultCorrectionDeadline,
  mayUploadCorrection,
  validateCorrectionNotice,
  ZCorrectionItem,
  ZCorrectionNotice,
} from "./correction-notice";
import { addDays } from "./dates";
import { messageFor } from "./errors";

const item = (target: CorrectionTarget, extra: Partial<CorrectionItem> = {}): CorrectionItem => ({
  target,
  problem: "材料不清晰",
  needed: "请重新上传清晰的照片",
  ...extra,
});
const fieldItem = (fieldId: string) => item({ type: "field", fieldId });
const materialItem = (materialId?: string, kind: "achievement" | "stamped-form" = "achievement") =>
  item({ type: "material", kind, ...(materialId ? { materialId } : {}) });
const notice = (items: CorrectionItem[]): CorrectionNotice => ({ items, deadline: "2021-08-10" });

describe("ZCorrectionItem and ZCorrectionNotice", () => {
  it("accept a field or a material item and trim the texts", () => {
    const parsed = ZCorrectionItem.parse({ ...fieldItem("education"), problem: "  学历不符 " });
    expect(parsed.problem).toBe("学历不符");
    expect(ZCorrectionItem.safeParse(materialItem("m1")).success).toBe(true);
    expect(
      ZCorrectionItem.safeParse(item({ type: "material", kind: "achievement", category: "awards" })).success,
    ).toBe(true);
  });

  it.each<[string, unknown]>([
    ["an empty problem", { ...fieldItem("education"), problem: "   " }],
    ["an empty need", { ...fieldItem("education"), needed: "" }],
    ["a problem over 500 characters", { ...fieldItem("education"), problem: "长".repeat(501) }],
    ["a target of no known type", { ...fieldItem("education"), target: { type: "page", page: 3 } }],
    ["an unknown material kind", item({ type: "material", kind: "photo" } as unknown as CorrectionTarget)],
    [
      "a category on a stamped document",
      item({ type: "material", kind: "stamped-form", category: "papers" }),
    ],
  ])("refuse %s", (_name, value) => {
    expect(ZCorrectionItem.safeParse(value).success).toBe(false);
  });

  it("a notice has at least one item, at most 100, and a real deadline", () => {
    expect(ZCorrectionNotice.safeParse(notice([fieldItem("education")])).success).toBe(true);
    expect(ZCorrectionNotice.safeParse(notice([])).success).toBe(false);
    expect(ZCorrectionNotice.safeParse(notice(Array(101).fill(fieldItem("education")))).success).toBe(false);
    expect(
      ZCorrectionNotice.safeParse({ ...notice([fieldItem("education")]), deadline: "2021-02-30" }).success,
    ).toBe(false);
  });
});

describe("validateCorrectionNotice", () => {
  const materials = [
    { id: "m1", kind: "achievement" },
    { id: "m2", kind: "stamped-form" },
  ];

  it("accepts items on the series' fields, its checklist and the application's materials", () => {
    const n = notice([
      fieldItem("projects"),
      item({ type: "field", fieldId: "education" }, { checklistItemId: "education" }),
      materialItem("m1"),
      materialItem(undefined, "stamped-form"),
    ]);
    expect(validateCorrectionNotice(n, { series: "engineering", level: "senior", materials })).toEqual({
      ok: true,
    });
  });

  it("lists every item that points at nothing, by position", () => {
    const n = notice([
      fieldItem("education"),
      fieldItem("projects"), // an engineering field, not in the library form
      item({ type: "field", fieldId: "education" }, { checklistItemId: "engineering-projects" }),
      materialItem("m9"),
      materialItem("m2"), // a stamped form, named as an achievement
    ]);
    const r = validateCorrectionNotice(n, { series: "library", level: "intermediate", materials });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { index: 1, problem: "unknown-field" },
      { index: 2, problem: "unknown-checklist-item" },
      { index: 3, problem: "unknown-material" },
      { index: 4, problem: "material-kind-mismatch" },
    ]);
    expect(r.error.code).toBe("CORRECTION_TARGET_UNKNOWN");
    expect(messageFor(r.error, "zh-CN")).toContain("第2项：该系列申报表中没有此字段");
    expect(messageFor(r.error, "en")).toContain("item 5: the material kind does not match the material");
  });

  it("does not check material ids when the materials are not given", () => {
    expect(
      validateCorrectionNotice(notice([materialItem("m9")]), { series: "art", level: "junior" }).ok,
    ).toBe(true);
  });
});

describe("checkSecondNotice", () => {
  const first = notice([fieldItem("education"), materialItem("m1")]);

  it("the first notice is always allowed (but not empty)", () => {
    expect(checkSecondNotice([], [fieldItem("education")], [])).toEqual({ ok: true });
    const r = checkSecondNotice([], [], []);
    expect(r.ok === false && r.error.code).toBe("VALIDATION");
  });

  it("a further notice may only name material the correction added or replaced", () => {
    expect(checkSecondNotice([first], [materialItem("m-new")], ["m-new"])).toEqual({ ok: true });
    const r = checkSecondNotice(
      [first],
      [materialItem("m-new"), fieldItem("education"), materialItem(), materialItem("m1")],
      ["m-new"],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { index: 1, problem: "field-after-first-notice" },
      { index: 2, problem: "material-not-named" },
      { index: 3, problem: "material-not-introduced" },
    ]);
    expect(r.error.code).toBe("CORRECTION_SECOND_NOTICE_REFUSED");
    expect(r.error.params).toEqual({
      itemProblems: "2:field-after-first-notice,3:material-not-named,4:material-not-introduced",
    });
    expect(messageFor(r.error, "zh-CN")).toBe(
      "补正内容已一次性告知，再次告知只能针对补正时新增或更换的材料。以下项目不能告知：第2项：申报表内容应在首次告知时一并指出；第3项：未指明补正时新增或更换的具体材料；第4项：该材料不是补正时新增或更换的。",
    );
    expect(messageFor(r.error, "en")).toContain(
      "item 4: this material was not added or replaced in the correction",
    );
  });

  it("refuses exactly the items that are not introduced material (property)", () => {
    const arbItem = fc.oneof(
      fc.constantFrom("education", "duties", "papers").map(fieldItem),
      fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: undefined }).map((id) => materialItem(id)),
    );
    fc.assert(
      fc.property(
        fc.array(arbItem, { minLength: 1, maxLength: 8 }),
        fc.subarray(["a", "b", "c", "d"]),
        (items, introduced) => {
          const r = checkSecondNotice([first], items, introduced);
          const bad = items
            .map((it, index) => ({ it, index }))
            .filter(
              ({ it }) =>
                it.target.type !== "material" ||
                it.target.materialId === undefined ||
                !introduced.includes(it.target.materialId),
            )
            .map(({ index }) => index);
          if (bad.length === 0) return r.ok;
          return !r.ok && r.issues.map((i) => i.index).join() === bad.join();
        },
      ),
    );
  });
});

describe("defaultCorrectionDeadline", () => {
  it("counts working days after the notice day, holidays and 调休 included", () => {
    // Mid-Autumn 2021: 9/17, 9/18 (worked Saturday), 9/22, 9/23, 9/24.
    expect(defaultCorrectionDeadline("2021-09-16")).toBe("2021-09-24");
    expect(defaultCorrectionDeadline("2021-08-02", 3)).toBe("2021-08-05");
    expect(() => defaultCorrectionDeadline("2021-08-02", 0)).toThrow();
  });

  it("lands on a working day exactly n working days later (property)", () => {
    const arbDate = fc.integer({ min: 0, max: 364 }).map((n) => addDays("2021-01-01", n));
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 1, max: 20 }), (from, n) => {
        const d = defaultCorrectionDeadline(from, n);
        return isWorkingDay(d) && workingDaysBetween(addDays(from, 1), d) === n;
      }),
    );
  });
});

describe("correctionJudgementOutcome", () => {
  it("a minor correction changes nothing", () => {
    expect(correctionJudgementOutcome("minor", { judgedOn: "2021-08-02" })).toEqual({
      event: null,
      employerPublicityRequired: false,
      correctionDeadline: null,
    });
  });

  it("a material change goes back to the employer, with a deadline past the new publicity", () => {
    const o = correctionJudgementOutcome("material-change", { judgedOn: "2021-08-02" });
    // 5 working days of publicity + 5 to upload, after Monday 8/2.
    expect(o).toEqual({
      event: { type: "judgeMaterialChange", deadline: "2021-08-16" },
      employerPublicityRequired: true,
      correctionDeadline: "2021-08-16",
    });
    const r = transition("confirmed", o.event!, {
      now: new Date("2021-08-02T10:00:00+08:00"),
      level: "senior",
      track: "regular",
      correctionAlreadyRequested: true,
    });
    expect(r).toEqual({ ok: true, state: "republicity_required" });
    expect(mayUploadCorrection("republicity_required")).toBe(false);
    expect(mayUploadCorrection("correction_requested")).toBe(true);
    expect(
      correctionJudgementOutcome("material-change", {
        judgedOn: "2021-08-02",
        employerPublicityMinWorkingDays: 7,
        correctionWorkingDays: 3,
      }).correctionDeadline,
    ).toBe("2021-08-16");
  });
});
