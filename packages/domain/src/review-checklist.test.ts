import { describe, expect, it } from "vitest";
import { formStepsFor, submissionDocuments } from "./application-form";
import { levels, series } from "./catalog";
import {
  type ReviewChecklist,
  reviewChecklistFor,
  reviewChecklists,
  ZReviewChecklist,
  ZReviewTarget,
} from "./review-checklist";

const fieldsOf = (s: (typeof series)[number], level: (typeof levels)[number]) =>
  new Set(formStepsFor(s, level).flatMap((st) => st.fields.map((f) => f.name)));

describe("review checklists", () => {
  it("every series has one, with unique ids and both languages", () => {
    for (const s of series) {
      const list = reviewChecklists[s];
      expect(list.series).toBe(s);
      const ids = list.items.map((i) => i.id);
      expect(new Set(ids).size, s).toBe(ids.length);
      for (const item of list.items) {
        expect(item.label["zh-CN"].length).toBeGreaterThan(0);
        expect(item.label.en.length).toBeGreaterThan(0);
      }
    }
  });

  it("points only at fields the series' form has, at every level", () => {
    for (const s of series) {
      for (const level of levels) {
        const fields = fieldsOf(s, level);
        for (const item of reviewChecklistFor(s, level)) {
          if (item.concerns.type === "field")
            expect(fields.has(item.concerns.fieldId), `${s}/${item.id}`).toBe(true);
        }
      }
    }
  });

  it("checks the three stamped documents everywhere, and each series' own fields", () => {
    for (const s of series) {
      const kinds = reviewChecklistFor(s, "senior").flatMap((i) =>
        i.concerns.type === "material" ? [i.concerns.kind] : [],
      );
      for (const d of submissionDocuments) expect(kinds, s).toContain(d);
    }
    const ids = (s: (typeof series)[number]) => reviewChecklistFor(s, "senior").map((i) => i.id);
    expect(ids("engineering")).toEqual(expect.arrayContaining(["engineering-projects", "engineering-field"]));
    expect(ids("accounting")).toContain("continuing-education");
    expect(ids("social-science-research")).toContain("research-grants");
    expect(ids("library")).not.toContain("engineering-projects");
  });

  it("covers every field of every form that a reviewer could fault, except the self-evident ones", () => {
    // Not checked against documents: gender, school, major, department, post.
    const unchecked = new Set(["gender", "school", "major", "department", "post"]);
    for (const s of series) {
      const checked = new Set(
        reviewChecklistFor(s, "senior").flatMap((i) =>
          i.concerns.type === "field" ? [i.concerns.fieldId] : [],
        ),
      );
      for (const f of fieldsOf(s, "senior")) {
        if (!unchecked.has(f)) expect(checked.has(f), `${s}/${f}`).toBe(true);
      }
    }
  });
});

describe("ZReviewChecklist", () => {
  const base = (): ReviewChecklist => structuredClone(reviewChecklists.engineering);

  it("accepts the shipped data", () => {
    expect(ZReviewChecklist.safeParse(base()).success).toBe(true);
  });

  it.each<[string, (c: ReviewChecklist) => void]>([
    [
      "a field the form lacks",
      (c) => {
        c.items[0]!.concerns = { type: "field", fieldId: "grants" };
      },
    ],
    [
      "a repeated id",
      (c) => {
        c.items[1]!.id = c.items[0]!.id;
      },
    ],
    [
      "an id that is not a slug",
      (c) => {
        c.items[0]!.id = "Bad Id";
      },
    ],
    [
      "empty text",
      (c) => {
        c.items[0]!.label = { "zh-CN": " ", en: "x" };
      },
    ],
    [
      "no items",
      (c) => {
        c.items = [];
      },
    ],
  ])("refuses %s", (_name, breakIt) => {
    const c = base();
    breakIt(c);
    expect(ZReviewChecklist.safeParse(c).success).toBe(false);
  });

  it("gives a category only to achievement materials", () => {
    expect(
      ZReviewTarget.safeParse({ type: "material", kind: "achievement", category: "papers" }).success,
    ).toBe(true);
    expect(
      ZReviewTarget.safeParse({ type: "material", kind: "signed-pledge", category: "papers" }).success,
    ).toBe(false);
    expect(ZReviewTarget.safeParse({ type: "material", kind: "photo" }).success).toBe(false);
  });
});
