import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { series } from "./catalog";
import { messageFor } from "./errors";
import {
  defaultScoreSheet,
  defensePassed,
  defenseReference,
  formatScore,
  panelScore,
  type ScoreSheet,
  scoreErrors,
  scoreSheetFor,
  scoreSheets,
  weightedTotal,
  ZScoreSheet,
} from "./scoring";

const shipped: [string, ScoreSheet][] = [
  ["default", defaultScoreSheet],
  ...Object.entries(scoreSheets).map(([k, v]) => [k, v] as [string, ScoreSheet]),
];
const engineering = scoreSheetFor("engineering");

describe("score sheets", () => {
  it("every shipped sheet's weights sum to 100, with unique keys and a pass line of 0–100", () => {
    expect(shipped.length).toBeGreaterThanOrEqual(3);
    for (const [name, sheet] of shipped) {
      expect(
        sheet.criteria.reduce((s, c) => s + c.weight, 0),
        name,
      ).toBe(100);
      expect(new Set(sheet.criteria.map((c) => c.key)).size, name).toBe(sheet.criteria.length);
      expect(sheet.passLine, name).toBeGreaterThanOrEqual(0);
      expect(sheet.passLine, name).toBeLessThanOrEqual(100);
      expect(ZScoreSheet.parse(sheet), name).toEqual(sheet);
      for (const c of sheet.criteria) expect(c.labels["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("every series has a sheet: its own, or the default", () => {
    for (const s of series) {
      const sheet = scoreSheetFor(s);
      expect(
        sheet.criteria.reduce((sum, c) => sum + c.weight, 0),
        s,
      ).toBe(100);
      expect(sheet).toBe(scoreSheets[s] ?? defaultScoreSheet);
    }
    expect(scoreSheetFor("engineering")).not.toBe(defaultScoreSheet);
  });

  it("a configured sheet whose weights do not add to 100, or repeat a key, is refused", () => {
    const c = (key: string, weight: number) => ({ key, labels: { "zh-CN": "项", en: "Item" }, weight });
    expect(ZScoreSheet.safeParse({ criteria: [c("a", 50), c("b", 49)], passLine: 60 }).success).toBe(false);
    expect(ZScoreSheet.safeParse({ criteria: [c("a", 50), c("b", 51)], passLine: 60 }).success).toBe(false);
    expect(ZScoreSheet.safeParse({ criteria: [c("a", 50), c("a", 50)], passLine: 60 }).success).toBe(false);
    expect(ZScoreSheet.safeParse({ criteria: [c("a", 50), c("b", 50)], passLine: 101 }).success).toBe(false);
    expect(ZScoreSheet.safeParse({ criteria: [c("a", 50), c("b", 50)], passLine: 60 }).success).toBe(true);
  });
});

describe("scoreErrors", () => {
  const full = { theory: 80, achievements: 90, "problem-solving": 70, presentation: 85 };

  it("a complete sheet of whole points 0–100 has no errors; 0 and 100 are allowed", () => {
    expect(scoreErrors(engineering, full, true)).toEqual([]);
    expect(scoreErrors(engineering, { ...full, theory: 0, presentation: 100 }, true)).toEqual([]);
  });

  it("−1, 101 and 85.5 are out of range, named by the criterion's Chinese label", () => {
    for (const value of [-1, 101, 85.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const errors = scoreErrors(engineering, { ...full, theory: value }, true);
      expect(errors, String(value)).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        code: "SCORE_OUT_OF_RANGE",
        params: { criterion: "专业理论水平", value: String(value) },
      });
    }
    const e = scoreErrors(engineering, { ...full, theory: 101 }, true)[0]!;
    expect(messageFor(e, "zh-CN")).toBe("“专业理论水平”的分数101无效：每项为0到100之间的整数。");
    expect(messageFor(e, "en")).not.toMatch(/\{\w+\}/);
  });

  it("an unknown criterion is refused", () => {
    const errors = scoreErrors(engineering, { ...full, charisma: 90 }, true);
    expect(errors.map((e) => e.code)).toEqual(["VALIDATION"]);
    expect(String(errors[0]?.params.details)).toContain("charisma");
  });

  it("a submitted sheet must be complete; a draft may be partial", () => {
    const partial = { theory: 80, presentation: 85 };
    expect(scoreErrors(engineering, partial, false)).toEqual([]);
    expect(scoreErrors(engineering, {}, false)).toEqual([]);
    const errors = scoreErrors(engineering, partial, true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: "SCORE_INCOMPLETE",
      params: { missing: "工程业绩与成果、解决复杂技术问题能力" },
    });
    // A draft is still checked for range and unknown criteria.
    expect(scoreErrors(engineering, { theory: 101 }, false).map((e) => e.code)).toEqual([
      "SCORE_OUT_OF_RANGE",
    ]);
  });

  it("reports every problem at once", () => {
    const codes = scoreErrors(engineering, { theory: -1, presentation: 85.5, bogus: 1 }, true).map(
      (e) => e.code,
    );
    expect(codes).toEqual(["SCORE_OUT_OF_RANGE", "SCORE_OUT_OF_RANGE", "VALIDATION", "SCORE_INCOMPLETE"]);
  });

  it("whole points 0–100 on every criterion are accepted (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...shipped.map(([, s]) => s)),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }),
        (sheet, values) => {
          const scores = Object.fromEntries(sheet.criteria.map((c, i) => [c.key, values[i]!]));
          expect(scoreErrors(sheet, scores, true)).toEqual([]);
        },
      ),
    );
  });
});

describe("weightedTotal", () => {
  it("is exact in hundredths of a point", () => {
    // 80×25 + 90×35 + 70×25 + 85×15 = 8175 → 81.75
    expect(
      weightedTotal(engineering, { theory: 80, achievements: 90, "problem-solving": 70, presentation: 85 }),
    ).toBe(8175);
    // 77×30 + 83×40 + 91×30 = 8360 → 83.60 (in floats 77×0.3 + 83×0.4 + 91×0.3 is not exactly 83.6)
    expect(weightedTotal(defaultScoreSheet, { theory: 77, practice: 83, presentation: 91 })).toBe(8360);
    expect(weightedTotal(defaultScoreSheet, { theory: 100, practice: 100, presentation: 100 })).toBe(10_000);
    expect(weightedTotal(defaultScoreSheet, { theory: 0, practice: 0, presentation: 0 })).toBe(0);
  });

  it("is an integer between min×100 and max×100 of the scores, and s×100 when all are s (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...shipped.map(([, s]) => s)),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 100 }),
        (sheet, values, s) => {
          const used = values.slice(0, sheet.criteria.length);
          const scores = Object.fromEntries(sheet.criteria.map((c, i) => [c.key, used[i]!]));
          const total = weightedTotal(sheet, scores);
          expect(Number.isInteger(total)).toBe(true);
          expect(total).toBe(sheet.criteria.reduce((sum, c, i) => sum + used[i]! * c.weight, 0));
          expect(total).toBeGreaterThanOrEqual(Math.min(...used) * 100);
          expect(total).toBeLessThanOrEqual(Math.max(...used) * 100);
          const same = Object.fromEntries(sheet.criteria.map((c) => [c.key, s]));
          expect(weightedTotal(sheet, same)).toBe(s * 100);
        },
      ),
    );
  });
});

describe("panelScore", () => {
  it("nobody has submitted: no score", () => {
    expect(panelScore([])).toEqual({ score: null, count: 0, trimmed: false });
  });

  it("three scores: the plain mean", () => {
    expect(panelScore([8000, 7000, 9000])).toEqual({ score: 8000, count: 3, trimmed: false });
    // 24002 / 3 = 8000.67 → 8001
    expect(panelScore([8000, 8001, 8001])).toEqual({ score: 8001, count: 3, trimmed: false });
    // 24001 / 3 = 8000.33 → 8000
    expect(panelScore([8000, 8000, 8001]).score).toBe(8000);
  });

  it("four scores: still the plain mean", () => {
    expect(panelScore([10_000, 0, 6000, 8000])).toEqual({ score: 6000, count: 4, trimmed: false });
  });

  it("five scores: one highest and one lowest are dropped", () => {
    expect(panelScore([10_000, 9000, 8000, 7000, 0])).toEqual({ score: 8000, count: 5, trimmed: true });
    // Ties: only one of the equal highest and one of the equal lowest go.
    expect(panelScore([9000, 9000, 9000, 1000, 1000])).toEqual({ score: 6333, count: 5, trimmed: true });
    expect(panelScore([5000, 5000, 5000, 5000, 5000]).score).toBe(5000);
  });

  it("rounds half up, in integers", () => {
    // 16001 / 2 = 8000.5 → 8001
    expect(panelScore([8000, 8001]).score).toBe(8001);
    expect(panelScore([0, 1]).score).toBe(1);
    // Six scores: 1, 1, 1, 3 kept → 6 / 4 = 1.5 → 2
    expect(panelScore([0, 1, 1, 1, 3, 10_000])).toEqual({ score: 2, count: 6, trimmed: true });
    // 1, 1, 1, 2 kept → 5 / 4 = 1.25 → 1
    expect(panelScore([0, 1, 1, 1, 2, 10_000]).score).toBe(1);
  });

  it("refuses totals that are not 0–10000 hundredths", () => {
    for (const bad of [-1, 10_001, 85.5, Number.NaN]) {
      expect(() => panelScore([8000, bad, 7000]), String(bad)).toThrow(
        expect.objectContaining({ code: "VALIDATION" }),
      );
    }
  });

  it("lies between the lowest and highest kept total, and is the half-up mean of them (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 25 }),
        (totals) => {
          const r = panelScore(totals);
          const sorted = [...totals].sort((a, b) => a - b);
          const kept = totals.length >= 5 ? sorted.slice(1, -1) : sorted;
          const n = kept.length;
          const sum = kept.reduce((s, t) => s + t, 0);
          expect(r.count).toBe(totals.length);
          expect(r.trimmed).toBe(totals.length >= 5);
          const score = r.score!;
          expect(Number.isInteger(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(kept[0]!);
          expect(score).toBeLessThanOrEqual(kept[n - 1]!);
          // score = floor(sum/n + 1/2), i.e. 2n·score ≤ 2·sum + n < 2n·score + 2n.
          expect(2 * n * score).toBeLessThanOrEqual(2 * sum + n);
          expect(2 * sum + n).toBeLessThan(2 * n * score + 2 * n);
          // The order the sheets came in does not matter.
          expect(panelScore([...totals].reverse())).toEqual(r);
        },
      ),
    );
  });
});

describe("defensePassed and formatScore", () => {
  it("the pass line itself passes; one hundredth below does not", () => {
    for (const [name, sheet] of shipped) {
      expect(defensePassed(sheet.passLine * 100, sheet), name).toBe(true);
      expect(defensePassed(sheet.passLine * 100 - 1, sheet), name).toBe(false);
      expect(defensePassed(10_000, sheet), name).toBe(true);
    }
    expect(defensePassed(6000, defaultScoreSheet)).toBe(true);
    expect(defensePassed(5999, defaultScoreSheet)).toBe(false);
  });

  it("five panelists on the engineering sheet: totals → trimmed mean → pass", () => {
    const sheets = [
      { theory: 60, achievements: 62, "problem-solving": 58, presentation: 60 },
      { theory: 70, achievements: 75, "problem-solving": 65, presentation: 80 },
      { theory: 55, achievements: 50, "problem-solving": 60, presentation: 55 },
      { theory: 90, achievements: 95, "problem-solving": 92, presentation: 88 },
      { theory: 61, achievements: 60, "problem-solving": 59, presentation: 60 },
    ];
    const totals = sheets.map((s) => weightedTotal(engineering, s));
    expect(totals).toEqual([6020, 7200, 5450, 9195, 6000]);
    const p = panelScore(totals);
    // 5450 and 9195 dropped: (6020 + 7200 + 6000) / 3 = 6406.67 → 6407
    expect(p).toEqual({ score: 6407, count: 5, trimmed: true });
    expect(formatScore(p.score!)).toBe("64.07");
    expect(defensePassed(p.score!, engineering)).toBe(true);
  });

  it("formats every score from 0.00 to 100.00 exactly (exhaustive)", () => {
    for (let h = 0; h <= 10_000; h++) {
      const expected = `${Math.floor(h / 100)}.${String(h % 100).padStart(2, "0")}`;
      if (formatScore(h) !== expected) throw new Error(`${h}: ${formatScore(h)} ≠ ${expected}`);
    }
    expect(formatScore(8550)).toBe("85.50");
    expect(formatScore(1)).toBe("0.01");
  });
});

describe("defenseReference", () => {
  it("formats the panel score and judges it against the sheet's pass line", () => {
    expect(defenseReference([8000, 6000, 7000], defaultScoreSheet)).toEqual({
      score: "70.00",
      count: 3,
      trimmed: false,
      passLine: 60,
      passed: true,
    });
    expect(defenseReference([], defaultScoreSheet)).toMatchObject({ score: null, passed: null, count: 0 });
  });
});
