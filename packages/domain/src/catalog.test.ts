import { describe, expect, it } from "vitest";
import {
  evaluatedLevels,
  hasThroughTrain,
  levelLabels,
  levels,
  otherAuthorityFor,
  qualificationTitle,
  series,
  seriesLabels,
  trackLabels,
} from "./catalog";

describe("catalog", () => {
  it("has the names the notice uses", () => {
    expect(series).toHaveLength(23);
    expect(seriesLabels.engineering["zh-CN"]).toBe("工程技术");
    expect(seriesLabels.broadcasting["zh-CN"]).toBe("播音主持");
    expect(seriesLabels["social-science-research"]["zh-CN"]).toBe("哲学社会科学研究");
    expect(seriesLabels["teachers-vocational"]["zh-CN"]).toBe("中等职业学校教师");
    expect(levels.map((l) => levelLabels[l]["zh-CN"])).toEqual(["初级", "中级", "副高级", "正高级"]);
    expect(trackLabels["through-train"]["zh-CN"]).toBe("直通车");
    for (const s of series) expect(seriesLabels[s].en.length).toBeGreaterThan(0);
  });

  it("names qualification titles, generic where unsure", () => {
    expect(qualificationTitle("engineering", "senior")).toBe("正高级工程师");
    expect(qualificationTitle("engineering", "deputy-senior")).toBe("高级工程师");
    expect(qualificationTitle("economics", "deputy-senior")).toBe("高级经济师");
    expect(qualificationTitle("natural-science-research", "senior")).toBe("研究员");
    expect(qualificationTitle("engineering", "senior", "en")).toBe("Professor-level Senior Engineer");
    expect(qualificationTitle("sports", "senior")).toBe("体育正高级职称");
    expect(qualificationTitle("art", "junior", "en")).toBe("Junior title, Art");
  });

  it("knows levels, tracks and other authorities", () => {
    expect(evaluatedLevels("economics")).toEqual(["deputy-senior", "senior"]);
    expect(evaluatedLevels("translation")).toEqual(levels);
    expect(hasThroughTrain("engineering", "senior")).toBe(true);
    expect(hasThroughTrain("engineering", "deputy-senior")).toBe(false);
    expect(otherAuthorityFor("health", "deputy-senior")?.where["zh-CN"]).toContain("卫生技术系列高级");
    expect(otherAuthorityFor("health", "intermediate")).toBeUndefined();
    expect(otherAuthorityFor("teachers-technical", "junior")).toBeDefined();
  });
});
