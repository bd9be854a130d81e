import { describe, expect, it } from "vitest";
import { formStepsFor, validateField, validateForm, validateFormStep, ZFormPatch } from "./application-form";
import { applicationStates } from "./application-states";
import { isEditable, timelineStage, timelineStages } from "./application-timeline";
import { series } from "./catalog";

const today = "2026-11-27";

describe("application form", () => {
  it("gives every series the common steps, and some series their own step", () => {
    for (const s of series) {
      const ids = formStepsFor(s, "intermediate").map((step) => step.id);
      expect(ids.slice(0, 3)).toEqual(["personal", "position", "achievements"]);
    }
    expect(formStepsFor("engineering", "senior").at(-1)?.id).toBe("series");
    expect(formStepsFor("natural-science-research", "senior").at(-1)?.id).toBe("series");
    expect(formStepsFor("translation", "junior")).toHaveLength(3);
  });

  it("names the missing field in Chinese and in English", () => {
    const [personal] = formStepsFor("engineering", "senior");
    const errors = validateFormStep(personal!, { gender: "male" }, "zh-CN", today);
    expect(errors.school).toBe("请填写“毕业院校”。");
    expect(errors.gender).toBeUndefined();
    const en = validateFormStep(personal!, {}, "en", today);
    expect(en.school).toBe("Please fill in “School”.");
  });

  it("checks dates, numbers, choices and lengths", () => {
    const steps = formStepsFor("engineering", "senior");
    const field = (name: string) => steps.flatMap((s) => s.fields).find((f) => f.name === name)!;
    expect(validateField(field("graduatedOn"), "2026-02-30", "zh-CN", today)).toContain("有效日期");
    expect(validateField(field("graduatedOn"), "2027-01-01", "zh-CN", today)).toContain("不能晚于今天");
    expect(validateField(field("papers"), "-1", "zh-CN", today)).toContain("整数");
    expect(validateField(field("papers"), "3", "zh-CN", today)).toBeNull();
    expect(validateField(field("education"), "phd-of-life", "zh-CN", today)).toContain("从列表中选择");
    expect(validateField(field("duties"), "字".repeat(3001), "zh-CN", today)).toContain("3000");
    expect(validateField(field("currentTitleOn"), "", "zh-CN", today)).toBeNull();
  });

  it("finds every missing required field of the whole form", () => {
    const steps = formStepsFor("economics", "deputy-senior");
    const required = steps
      .flatMap((s) => s.fields)
      .filter((f) => f.required)
      .map((f) => f.name);
    expect(Object.keys(validateForm(steps, {}, "zh-CN", today)).sort()).toEqual(required.sort());
  });

  it("accepts autosave patches of known fields only", () => {
    const patch = ZFormPatch(formStepsFor("engineering", "senior"));
    expect(patch.safeParse({ school: "清华大学" }).success).toBe(true);
    expect(patch.safeParse({ password: "x" }).success).toBe(false);
    expect(patch.safeParse({ school: "x".repeat(5001) }).success).toBe(false);
  });
});

describe("timeline", () => {
  it("puts every state in one stage, end states in none", () => {
    for (const state of applicationStates) {
      const stage = timelineStage(state);
      if (stage !== null) expect(timelineStages).toContain(stage);
    }
    expect(timelineStage("draft")).toBe("fill");
    expect(timelineStage("publicity")).toBe("publicity");
    expect(timelineStage("recommended")).toBe("confirm");
    expect(timelineStage("confirmed")).toBe("review");
    expect(timelineStage("objection_upheld")).toBeNull();
  });

  it("lets the applicant edit only a draft or a returned application", () => {
    expect(applicationStates.filter(isEditable)).toEqual(["draft", "employer_returned"]);
  });
});
