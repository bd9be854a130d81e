import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  automaticRecusals,
  type RecusalApplicant,
  type RecusalExpert,
  recusalSourceLabels,
  recusalSources,
  ZRecusalReason,
} from "./recusal";

const applicant = (
  applicationId: string,
  applicantUserId: string,
  employerId: string | null,
): RecusalApplicant => ({
  applicationId,
  applicantUserId,
  employerId,
});

describe("automaticRecusals", () => {
  it("an expert never reviews their own application", () => {
    expect(
      automaticRecusals([{ id: "u-7", unitId: "unit-2" }], [applicant("app-1", "u-7", "unit-9")]),
    ).toEqual([{ expertId: "u-7", applicationId: "app-1", source: "self" }]);
  });

  it("an expert steps out for applicants of their own unit", () => {
    const experts: RecusalExpert[] = [
      { id: "x1", unitId: "unit-a" },
      { id: "x2", unitId: "unit-b" },
    ];
    const applicants = [applicant("app-1", "p1", "unit-a"), applicant("app-2", "p2", "unit-c")];
    expect(automaticRecusals(experts, applicants)).toEqual([
      { expertId: "x1", applicationId: "app-1", source: "same-unit" },
    ]);
  });

  it("self and same unit together is one recusal, recorded as self", () => {
    expect(automaticRecusals([{ id: "p1", unitId: "unit-a" }], [applicant("app-1", "p1", "unit-a")])).toEqual(
      [{ expertId: "p1", applicationId: "app-1", source: "self" }],
    );
  });

  it("a missing unit never matches: not another missing unit, not anything else", () => {
    expect(automaticRecusals([{ id: "x1", unitId: null }], [applicant("app-1", "p1", null)])).toEqual([]);
    expect(automaticRecusals([{ id: "x1", unitId: null }], [applicant("app-1", "p1", "unit-a")])).toEqual([]);
    expect(automaticRecusals([{ id: "x1", unitId: "unit-a" }], [applicant("app-1", "p1", null)])).toEqual([]);
    // …but an expert without a unit is still recused from their own application.
    expect(automaticRecusals([{ id: "p1", unitId: null }], [applicant("app-1", "p1", null)])).toEqual([
      { expertId: "p1", applicationId: "app-1", source: "self" },
    ]);
  });

  it("nobody to review or nobody reviewing: nothing", () => {
    expect(automaticRecusals([], [applicant("app-1", "p1", "unit-a")])).toEqual([]);
    expect(automaticRecusals([{ id: "x1", unitId: "unit-a" }], [])).toEqual([]);
  });

  it("exactly the self and same-unit pairs, each once (property)", () => {
    const unit = fc.option(fc.constantFrom("u1", "u2", "u3"), { nil: null });
    const person = fc.constantFrom("p1", "p2", "p3", "p4", "p5");
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: person, unitId: unit }), { selector: (e) => e.id, maxLength: 5 }),
        fc.uniqueArray(
          fc.record({
            applicationId: fc.constantFrom("a1", "a2", "a3", "a4"),
            applicantUserId: person,
            employerId: unit,
          }),
          { selector: (a) => a.applicationId, maxLength: 4 },
        ),
        (experts, applicants) => {
          const out = automaticRecusals(experts, applicants);
          const expected = applicants.flatMap((a) =>
            experts.flatMap((e) =>
              e.id === a.applicantUserId
                ? [{ expertId: e.id, applicationId: a.applicationId, source: "self" }]
                : e.unitId !== null && e.unitId === a.employerId
                  ? [{ expertId: e.id, applicationId: a.applicationId, source: "same-unit" }]
                  : [],
            ),
          );
          expect(out).toEqual(expected);
          const pairs = out.map((r) => `${r.expertId}/${r.applicationId}`);
          expect(new Set(pairs).size).toBe(pairs.length);
        },
      ),
    );
  });
});

describe("recusal reasons and labels", () => {
  it("a reason is required, 2–500 characters, trimmed", () => {
    expect(ZRecusalReason.parse("  配偶关系  ")).toBe("配偶关系");
    expect(ZRecusalReason.safeParse("").success).toBe(false);
    expect(ZRecusalReason.safeParse("   ").success).toBe(false);
    expect(ZRecusalReason.safeParse(" 亲 ").success).toBe(false);
    expect(ZRecusalReason.safeParse("师生").success).toBe(true);
    expect(ZRecusalReason.safeParse("理".repeat(500)).success).toBe(true);
    expect(ZRecusalReason.safeParse("理".repeat(501)).success).toBe(false);
    expect(ZRecusalReason.safeParse(null).success).toBe(false);
  });

  it("the refusal says what to do in Chinese and English", () => {
    const r = ZRecusalReason.safeParse("");
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.issues[0]?.message).toMatch(/回避理由/);
      expect(r.error.issues[0]?.message).toMatch(/reason/);
    }
  });

  it("every source has a Chinese and an English label", () => {
    expect(Object.keys(recusalSourceLabels).sort()).toEqual([...recusalSources].sort());
    for (const l of Object.values(recusalSourceLabels)) {
      expect(l["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      expect(l.en.length).toBeGreaterThan(0);
    }
  });
});
