import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { levels } from "./catalog";
import { addDays, type IsoDate } from "./dates";
import {
  committeeAgendaError,
  defenseAttendances,
  defenseDateError,
  needsDefense,
  slotError,
  ZDefenseSessionInput,
  ZDefenseSlot,
} from "./defense";
import { messageFor } from "./errors";
import { round2021 } from "./round";

describe("needsDefense", () => {
  it("intermediate and senior titles are defended; junior ones are evaluated without a defense", () => {
    const byLevel = Object.fromEntries(levels.map((l) => [l, needsDefense(l)]));
    expect(byLevel).toEqual({ junior: false, intermediate: true, "deputy-senior": true, senior: true });
  });
});

describe("defenseDateError against the 2021 round (August–November)", () => {
  const window = round2021.defenseMonths;

  it("the 2021 defense months are 1 August to 30 November", () => {
    expect(window).toEqual({ from: "2021-08-01", to: "2021-11-30" });
  });

  it("31 July and 1 December are refused; 1 August and 30 November are allowed", () => {
    expect(defenseDateError("2021-07-31", window)).toMatchObject({
      code: "DEFENSE_OUTSIDE_WINDOW",
      params: { date: "2021-07-31", from: "2021-08-01", to: "2021-11-30" },
    });
    expect(defenseDateError("2021-08-01", window)).toBeUndefined();
    expect(defenseDateError("2021-11-30", window)).toBeUndefined();
    const december = defenseDateError("2021-12-01", window);
    expect(december).toMatchObject({ code: "DEFENSE_OUTSIDE_WINDOW", params: { date: "2021-12-01" } });
    expect(messageFor(december!, "zh-CN")).toBe(
      "答辩日期2021-12-01不在本年度答辩时间（2021-08-01至2021-11-30）内。",
    );
    expect(messageFor(december!, "en")).not.toMatch(/\{\w+\}/);
  });

  it("other years' dates are outside the 2021 window", () => {
    expect(defenseDateError("2020-09-15", window)?.code).toBe("DEFENSE_OUTSIDE_WINDOW");
    expect(defenseDateError("2022-09-15", window)?.code).toBe("DEFENSE_OUTSIDE_WINDOW");
  });

  it("every day of 2021: allowed iff in August–November (exhaustive)", () => {
    let allowed = 0;
    for (let d: IsoDate = "2021-01-01"; d <= "2021-12-31"; d = addDays(d, 1)) {
      const month = Number(d.slice(5, 7));
      const inWindow = month >= 8 && month <= 11;
      expect(defenseDateError(d, window) === undefined, d).toBe(inWindow);
      if (inWindow) allowed++;
    }
    expect(allowed).toBe(31 + 30 + 31 + 30);
  });
});

describe("ZDefenseSessionInput", () => {
  const valid = {
    title: "2021年工程技术高级答辩（第一场）",
    date: "2021-09-15",
    venue: "市人才服务中心三楼会议室",
    slots: [
      { start: "09:00", capacity: 6 },
      { start: "14:30", capacity: "4" },
    ],
    requirements: "  持绿色健康码、全程佩戴口罩、入场测温  ",
  };

  it("accepts a session, coercing capacities and trimming text", () => {
    const v = ZDefenseSessionInput.parse(valid);
    expect(v.slots).toEqual([
      { start: "09:00", capacity: 6 },
      { start: "14:30", capacity: 4 },
    ]);
    expect(v.requirements).toBe("持绿色健康码、全程佩戴口罩、入场测温");
    expect(ZDefenseSessionInput.parse({ ...valid, requirements: undefined }).requirements).toBe("");
  });

  it("refuses duplicate slot times", () => {
    const r = ZDefenseSessionInput.safeParse({
      ...valid,
      slots: [
        { start: "09:00", capacity: 6 },
        { start: "09:00", capacity: 3 },
      ],
    });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.issues).toHaveLength(1);
      expect(r.error.issues[0]).toMatchObject({
        path: ["slots"],
        message: "时段重复 / Duplicate slot times",
      });
    }
  });

  it("refuses bad times", () => {
    for (const start of ["24:00", "9:00", "09:60", "0900", "09:00:00", "", "noon", "-1:00"]) {
      const r = ZDefenseSessionInput.safeParse({ ...valid, slots: [{ start, capacity: 5 }] });
      expect(r.success, start).toBe(false);
      if (!r.success) expect(r.error.issues[0]?.message).toBe("时间格式为 HH:MM / Time is HH:MM");
    }
    for (const start of ["00:00", "08:30", "19:59", "23:59"]) {
      expect(ZDefenseSlot.safeParse({ start, capacity: 1 }).success, start).toBe(true);
    }
  });

  it("refuses bad dates", () => {
    for (const date of ["2021-02-30", "2021-13-01", "2021/09/15", "15-09-2021", ""]) {
      const r = ZDefenseSessionInput.safeParse({ ...valid, date });
      expect(r.success, date).toBe(false);
      if (!r.success) expect(r.error.issues[0]?.path).toEqual(["date"]);
    }
  });

  it("refuses a missing venue, no slots, too many slots, bad capacities", () => {
    expect(ZDefenseSessionInput.safeParse({ ...valid, venue: "  " }).success).toBe(false);
    expect(ZDefenseSessionInput.safeParse({ ...valid, title: "" }).success).toBe(false);
    expect(ZDefenseSessionInput.safeParse({ ...valid, slots: [] }).success).toBe(false);
    const many = Array.from({ length: 21 }, (_, i) => ({
      start: `${String(i).padStart(2, "0")}:00`,
      capacity: 1,
    }));
    expect(ZDefenseSessionInput.safeParse({ ...valid, slots: many }).success).toBe(false);
    expect(ZDefenseSessionInput.safeParse({ ...valid, slots: many.slice(0, 20) }).success).toBe(true);
    for (const capacity of [0, -1, 51, 2.5, "x"]) {
      expect(ZDefenseSlot.safeParse({ start: "09:00", capacity }).success, String(capacity)).toBe(false);
    }
    expect(ZDefenseSessionInput.safeParse({ ...valid, requirements: "要".repeat(2001) }).success).toBe(false);
  });

  it("the date window is a separate rule: a December session parses, then defenseDateError refuses it", () => {
    const december = ZDefenseSessionInput.parse({ ...valid, date: "2021-12-01" });
    expect(defenseDateError(december.date, round2021.defenseMonths)?.code).toBe("DEFENSE_OUTSIDE_WINDOW");
  });
});

describe("slotError", () => {
  it("a slot takes applicants up to its capacity, then refuses", () => {
    const slot = { start: "09:00", capacity: 3 };
    expect(slotError(slot, 0)).toBeUndefined();
    expect(slotError(slot, 2)).toBeUndefined();
    expect(slotError(slot, 3)).toMatchObject({
      code: "DEFENSE_SLOT_FULL",
      params: { start: "09:00", capacity: 3 },
    });
    expect(slotError(slot, 4)?.code).toBe("DEFENSE_SLOT_FULL");
    expect(messageFor(slotError(slot, 3)!, "zh-CN")).toBe("09:00时段已满（最多3人）。");
  });

  it("full iff taken >= capacity (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.nat(60), (capacity, taken) => {
        expect(slotError({ start: "10:00", capacity }, taken) !== undefined).toBe(taken >= capacity);
      }),
    );
  });

  it("attendance is pending, present or a no-show", () => {
    expect([...defenseAttendances]).toEqual(["pending", "present", "no_show"]);
  });
});

describe("committeeAgendaError", () => {
  it("admits a complete junior, a defended senior or intermediate, and a carried-over file; refuses the rest", () => {
    const base = { defenseHeld: false, carriedOver: false };
    expect(committeeAgendaError({ ...base, state: "complete", level: "junior" })).toBeUndefined();
    expect(committeeAgendaError({ ...base, state: "complete", level: "intermediate" })?.code).toBe(
      "AGENDA_NOT_ELIGIBLE",
    );
    expect(committeeAgendaError({ ...base, state: "defense_scheduled", level: "senior" })?.code).toBe(
      "AGENDA_NOT_ELIGIBLE",
    );
    expect(
      committeeAgendaError({ ...base, state: "defense_scheduled", level: "senior", defenseHeld: true }),
    ).toBeUndefined();
    expect(
      committeeAgendaError({ ...base, state: "evaluating", level: "senior", carriedOver: true }),
    ).toBeUndefined();
    expect(committeeAgendaError({ ...base, state: "evaluating", level: "senior" })?.params.from).toBe(
      "evaluating",
    );
  });
});
