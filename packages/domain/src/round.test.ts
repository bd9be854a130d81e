import { describe, expect, it } from "vitest";
import { levels, series } from "./catalog";
import { DomainError } from "./errors";
import {
  latestPublicityStart,
  offeredChoices,
  openWindows,
  type RoundConfig,
  round2021,
  tryWindowFor,
  upcomingWindows,
  windowFor,
  ZRoundConfig,
} from "./round";

function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
  }
  throw new Error("expected a DomainError");
}

const shanghai = (s: string) => new Date(`${s}+08:00`);

describe("round2021 windows", () => {
  it("general series, all levels, regular: 7/6–7/26", () => {
    for (const s of ["engineering", "notary", "library", "social-science-research"] as const) {
      for (const level of levels) {
        const w = windowFor(round2021, { series: s, level, track: "regular" });
        expect(w).toMatchObject({ opens: "2021-07-06", closes: "2021-07-26" });
        expect(w.recommendedSubmitToEmployerBy).toBe("2021-07-15");
        expect(w.recommendedPublicityDoneBy).toBe("2021-07-22");
      }
    }
  });

  it("accounting, statistics, audit at deputy-senior: same dates", () => {
    for (const s of ["accounting", "statistics", "audit"] as const) {
      expect(windowFor(round2021, { series: s, level: "deputy-senior", track: "regular" }).closes).toBe(
        "2021-07-26",
      );
    }
  });

  it("through-train: district deadline 7/29", () => {
    const w = windowFor(round2021, { series: "engineering", level: "senior", track: "through-train" });
    expect(w).toMatchObject({ opens: "2021-07-06", closes: "2021-07-26", districtDeadline: "2021-07-29" });
  });

  it("economics deputy-senior and the pilots: 9/1–9/23", () => {
    expect(
      windowFor(round2021, { series: "economics", level: "deputy-senior", track: "regular" }),
    ).toMatchObject({
      opens: "2021-09-01",
      closes: "2021-09-23",
      recommendedSubmitToEmployerBy: "2021-09-10",
      recommendedPublicityDoneBy: "2021-09-18",
    });
    for (const s of ["economics", "accounting"] as const) {
      expect(windowFor(round2021, { series: s, level: "senior", track: "pilot" }).opens).toBe("2021-09-01");
    }
  });

  it("other authorities: senior health and all teachers", () => {
    const e = errorOf(() => windowFor(round2021, { series: "health", level: "senior", track: "regular" }));
    expect(e.code).toBe("OTHER_AUTHORITY");
    expect(String(e.params.where)).toContain("以相关行业主管部门评审服务机构安排为准");
    for (const s of ["teachers-primary-secondary", "teachers-vocational", "teachers-technical"] as const) {
      for (const level of levels) {
        expect(errorOf(() => windowFor(round2021, { series: s, level, track: "regular" })).code).toBe(
          "OTHER_AUTHORITY",
        );
      }
    }
  });

  it("says why nothing applies", () => {
    const code = (c: Parameters<typeof windowFor>[1]) => errorOf(() => windowFor(round2021, c)).code;
    expect(code({ series: "accounting", level: "intermediate", track: "regular" })).toBe("NO_SUCH_LEVEL");
    expect(code({ series: "agriculture", level: "senior", track: "through-train" })).toBe("NO_SUCH_TRACK");
    expect(code({ series: "engineering", level: "deputy-senior", track: "through-train" })).toBe(
      "NO_SUCH_TRACK",
    );
    expect(code({ series: "accounting", level: "senior", track: "regular" })).toBe("NO_SUCH_TRACK");
    expect(code({ series: "engineering", level: "senior", track: "pilot" })).toBe("NO_SUCH_TRACK");
    expect(code({ series: "health", level: "intermediate", track: "regular" })).toBe("NOT_THIS_ROUND");
    expect(code({ series: "statistics", level: "senior", track: "pilot" })).toBe("NOT_THIS_ROUND");
    const r = tryWindowFor(round2021, { series: "accounting", level: "senior", track: "regular" });
    expect(r.ok === false && r.error.params.offered).toBe("pilot");
  });

  it("every combination either has a window or a reason", () => {
    for (const s of series) {
      for (const level of levels) {
        for (const track of ["regular", "through-train", "pilot"] as const) {
          const r = tryWindowFor(round2021, { series: s, level, track });
          if (!r.ok) {
            expect(["OTHER_AUTHORITY", "NO_SUCH_LEVEL", "NO_SUCH_TRACK", "NOT_THIS_ROUND"]).toContain(
              r.error.code,
            );
          }
        }
      }
    }
  });
});

describe("open windows and choices", () => {
  it("July: the three July windows; September: the two September ones", () => {
    expect(openWindows(round2021, shanghai("2021-07-06T00:00:00")).map((w) => w.id)).toEqual([
      "2021-general",
      "2021-accounting-statistics-audit",
      "2021-through-train",
    ]);
    expect(openWindows(round2021, shanghai("2021-07-27T00:00:00"))).toEqual([]);
    expect(openWindows(round2021, shanghai("2021-09-23T23:59:59")).map((w) => w.id)).toEqual([
      "2021-economics",
      "2021-pilot",
    ]);
    expect(upcomingWindows(round2021, shanghai("2021-08-01T00:00:00")).map((w) => w.id)).toEqual([
      "2021-economics",
      "2021-pilot",
    ]);
  });

  it("offers each combination with days left, in catalog order", () => {
    const choices = offeredChoices(round2021, shanghai("2021-07-25T12:00:00"));
    expect(choices).toHaveLength(15 * 4 + 3 + 3);
    expect(choices[0]).toMatchObject({
      series: "engineering",
      level: "junior",
      track: "regular",
      daysLeft: 2,
    });
    expect(
      choices.filter((c) => c.series === "engineering" && c.level === "senior").map((c) => c.track),
    ).toEqual(["regular", "through-train"]);
    const sept = offeredChoices(round2021, shanghai("2021-09-01T08:00:00"));
    expect(sept.map((c) => `${c.series}/${c.level}/${c.track}`)).toEqual([
      "accounting/senior/pilot",
      "economics/deputy-senior/regular",
      "economics/senior/pilot",
    ]);
  });

  it("latest publicity start leaves the closing day for stamping and upload", () => {
    // Publicity 7/19–7/23 (Mon–Fri) ends before Monday 7/26.
    expect(latestPublicityStart({ closes: "2021-07-26" })).toBe("2021-07-19");
  });
});

describe("ZRoundConfig", () => {
  const base = (): RoundConfig => structuredClone(round2021);

  it("accepts round2021", () => {
    expect(ZRoundConfig.safeParse(round2021).success).toBe(true);
  });

  const win = (r: RoundConfig, i: number) => {
    const w = r.windows[i];
    if (!w) throw new Error(`no window ${i}`);
    return w;
  };
  const broken: [string, (r: RoundConfig) => void][] = [
    [
      "closes before opens",
      (r) => {
        win(r, 0).closes = "2021-07-01";
      },
    ],
    [
      "advice outside the window",
      (r) => {
        win(r, 0).recommendedPublicityDoneBy = "2021-08-01";
      },
    ],
    [
      "through-train without district deadline",
      (r) => {
        delete win(r, 2).districtDeadline;
      },
    ],
    ["through-train for a series without it", (r) => win(r, 2).series.push("agriculture")],
    ["a combination in two windows", (r) => win(r, 1).series.push("engineering")],
    ["a level that is only examined", (r) => win(r, 1).levels.push("intermediate")],
    ["another authority's series", (r) => win(r, 0).series.push("health")],
    [
      "a duplicate id",
      (r) => {
        win(r, 1).id = "2021-general";
      },
    ],
    [
      "publicity ending before evaluation",
      (r) => {
        r.publicityEndsBy = "2021-12-01";
      },
    ],
    ["an unknown series", (r) => (win(r, 0).series as string[]).push("astrology")],
  ];
  it.each(broken)("rejects %s", (_, breakIt) => {
    const r = base();
    breakIt(r);
    expect(ZRoundConfig.safeParse(r).success).toBe(false);
  });
});
