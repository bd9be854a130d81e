import { describe, expect, it } from "vitest";
import { transition } from "./application-state";
import { messageFor } from "./errors";
import { type RoundConfig, round2021, ZRoundConfig } from "./round";
import {
  districtDeadlineFor,
  districtDecisionEvent,
  districtIntakeError,
  districtIntakeOpen,
  onSiteCheckError,
  ZDistrictDecision,
  ZOnSiteCheck,
} from "./through-train";

const sh = (s: string) => new Date(`${s}+08:00`);
const engineering = { series: "engineering", level: "senior" } as const;

describe("district deadline", () => {
  it("2021: files reach the district bureau by 7/29", () => {
    expect(districtDeadlineFor(round2021)).toBe("2021-07-29");
    expect(districtDeadlineFor(round2021, engineering)).toBe("2021-07-29");
    expect(districtDeadlineFor(round2021, { series: "social-science-research", level: "senior" })).toBe(
      "2021-07-29",
    );
    expect(districtDeadlineFor(round2021, { series: "engineering", level: "intermediate" })).toBeUndefined();
  });

  it("a round without through-train has none", () => {
    const regularOnly: RoundConfig = ZRoundConfig.parse({
      ...round2021,
      windows: round2021.windows.filter((w) => !w.tracks.includes("through-train")),
    });
    expect(districtDeadlineFor(regularOnly)).toBeUndefined();
    expect(districtIntakeError(sh("2021-07-20T10:00:00"), regularOnly)?.code).toBe("NOT_FOUND");
    expect(districtIntakeError(sh("2021-07-20T10:00:00"), regularOnly, engineering)?.code).toBe(
      "NO_SUCH_TRACK",
    );
  });
});

describe("districtIntakeOpen", () => {
  it("from the window's first day to the end of the district deadline, Shanghai time", () => {
    expect(districtIntakeOpen(sh("2021-07-05T23:59:59"), round2021)).toBe(false);
    expect(districtIntakeOpen(sh("2021-07-06T00:00:00"), round2021)).toBe(true);
    // After the online window closed (7/26), the paper files may still arrive.
    expect(districtIntakeOpen(sh("2021-07-28T09:00:00"), round2021, engineering)).toBe(true);
    expect(districtIntakeOpen(sh("2021-07-29T23:59:59"), round2021, engineering)).toBe(true);
    expect(districtIntakeOpen(sh("2021-07-30T00:00:00"), round2021, engineering)).toBe(false);
  });

  it("says why it is closed", () => {
    const late = districtIntakeError(sh("2021-07-30T00:00:00"), round2021, engineering);
    expect(late?.code).toBe("DISTRICT_DEADLINE_PASSED");
    expect(late?.params).toEqual({ deadline: "2021-07-29" });
    expect(messageFor(late!, "zh-CN")).toContain("2021-07-29前报送辖区人力资源和社会保障局");
    const early = districtIntakeError(sh("2021-07-01T10:00:00"), round2021);
    expect(early?.code).toBe("WINDOW_NOT_OPEN");
    expect(early?.params).toEqual({ opens: "2021-07-06", closes: "2021-07-29" });
    expect(
      districtIntakeError(sh("2021-07-10T10:00:00"), round2021, { series: "library", level: "senior" })?.code,
    ).toBe("NO_SUCH_TRACK");
  });

  it("agrees with the state machine's forwardToDistrict guard", () => {
    for (const now of [sh("2021-07-29T23:00:00"), sh("2021-07-30T00:00:00"), sh("2021-08-02T10:00:00")]) {
      const r = transition(
        "confirmed",
        { type: "forwardToDistrict" },
        {
          now,
          level: "senior",
          track: "through-train",
          window: {
            opens: "2021-07-06",
            closes: "2021-07-26",
            districtDeadline: districtDeadlineFor(round2021),
          },
        },
      );
      expect(r.ok).toBe(districtIntakeOpen(now, round2021, engineering));
    }
  });
});

describe("on-site check", () => {
  const check = { date: "2021-08-03", staff: ["王芳", "李强"], outcome: "passed" as const };

  it("records date, staff and outcome", () => {
    expect(ZOnSiteCheck.parse(check)).toEqual(check);
    expect(ZOnSiteCheck.safeParse({ ...check, staff: [] }).success).toBe(false);
    expect(ZOnSiteCheck.safeParse({ ...check, staff: [" "] }).success).toBe(false);
    expect(ZOnSiteCheck.safeParse({ ...check, date: "2021-8-3" }).success).toBe(false);
    expect(ZOnSiteCheck.safeParse({ ...check, outcome: "maybe" }).success).toBe(false);
  });

  it("a failed check says what was found", () => {
    expect(ZOnSiteCheck.safeParse({ ...check, outcome: "failed" }).success).toBe(false);
    expect(ZOnSiteCheck.safeParse({ ...check, outcome: "failed", findings: "  " }).success).toBe(false);
    expect(
      ZOnSiteCheck.safeParse({ ...check, outcome: "failed", findings: "获奖证书原件与上传件不符" }).success,
    ).toBe(true);
  });

  it("is recorded after it happened", () => {
    expect(onSiteCheckError(check, sh("2021-08-03T09:00:00"))).toBeUndefined();
    expect(onSiteCheckError(check, sh("2021-08-02T23:59:59"))?.code).toBe("VALIDATION");
  });
});

describe("district decision", () => {
  const ctx = { now: sh("2021-08-05T10:00:00"), level: "senior", track: "through-train" } as const;

  it("recommended applicants go on to the agency", () => {
    const d = ZDistrictDecision.parse({ recommended: true, decidedOn: "2021-08-05" });
    expect(transition("district_review", districtDecisionEvent(d), ctx)).toEqual({
      ok: true,
      state: "district_recommended",
    });
  });

  it("those not recommended are told why", () => {
    expect(ZDistrictDecision.safeParse({ recommended: false, decidedOn: "2021-08-05" }).success).toBe(false);
    expect(
      ZDistrictDecision.safeParse({ recommended: false, decidedOn: "2021-08-05", reason: " " }).success,
    ).toBe(false);
    const d = ZDistrictDecision.parse({
      recommended: false,
      decidedOn: "2021-08-05",
      reason: "不符合高端领军人才条件",
    });
    expect(districtDecisionEvent(d)).toEqual({ type: "districtDecline", reason: "不符合高端领军人才条件" });
    expect(transition("district_review", districtDecisionEvent(d), ctx)).toEqual({
      ok: true,
      state: "returned",
    });
  });
});
