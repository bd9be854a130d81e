import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  type CalendarYear,
  createCalendar,
  defaultCalendar,
  isKnownYear,
  isWorkingDay,
  publicityEnd,
  publicityStart,
  withCalendarYear,
  workingDaysBetween,
  ZCalendarYear,
} from "./calendar";
import { addDays, isWeekend } from "./dates";
import { DomainError } from "./errors";
import { officialCalendarYears } from "./holidays/index";

describe("official tables", () => {
  it("all pass the admin schema and cover 2021–2026", () => {
    for (const t of officialCalendarYears) expect(ZCalendarYear.safeParse(t).success).toBe(true);
    expect(officialCalendarYears.map((t) => t.year)).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
    for (const y of [2021, 2022, 2023, 2024, 2025, 2026]) expect(isKnownYear(y)).toBe(true);
    expect(isKnownYear(2027)).toBe(false);
  });

  it("2021 matches the notice in domain.md", () => {
    const off = [
      "2021-01-01",
      "2021-01-03",
      "2021-02-11",
      "2021-02-17",
      "2021-04-05",
      "2021-05-03",
      "2021-05-05",
      "2021-06-14",
      "2021-09-20",
      "2021-09-21",
      "2021-10-07",
    ];
    for (const d of off) expect(isWorkingDay(d), d).toBe(false);
    for (const d of [
      "2021-02-07",
      "2021-02-20",
      "2021-04-25",
      "2021-05-08",
      "2021-09-18",
      "2021-09-26",
      "2021-10-09",
    ]) {
      expect(isWorkingDay(d), d).toBe(true);
    }
    expect(isWorkingDay("2021-07-06")).toBe(true);
    expect(isWorkingDay("2021-07-10")).toBe(false); // plain Saturday
  });

  it("2025 and 2026 have the announced holidays and 调休 days", () => {
    expect(isWorkingDay("2025-01-26")).toBe(true);
    expect(isWorkingDay("2025-02-08")).toBe(true);
    expect(isWorkingDay("2025-02-04")).toBe(false);
    expect(isWorkingDay("2025-04-27")).toBe(true);
    expect(isWorkingDay("2025-10-08")).toBe(false);
    expect(isWorkingDay("2025-09-28")).toBe(true);
    expect(isWorkingDay("2025-10-11")).toBe(true);
    expect(isWorkingDay("2026-01-04")).toBe(true);
    expect(isWorkingDay("2026-02-23")).toBe(false);
    expect(isWorkingDay("2026-02-14")).toBe(true);
    expect(isWorkingDay("2026-02-28")).toBe(true);
    expect(isWorkingDay("2026-05-09")).toBe(true);
    expect(isWorkingDay("2026-09-20")).toBe(true);
    expect(isWorkingDay("2026-10-10")).toBe(true);
    expect(isWorkingDay("2026-06-19")).toBe(false);
  });

  it("falls back to Monday–Friday outside the known years", () => {
    expect(isWorkingDay("2030-01-01")).toBe(true); // a Tuesday; no table for 2030
    expect(isWorkingDay("2030-01-05")).toBe(false);
  });
});

describe("working-day arithmetic", () => {
  it("n = 0 returns the date itself, even on a holiday", () => {
    expect(addWorkingDays("2021-10-01", 0)).toBe("2021-10-01");
  });

  it("skips the National Day week and counts 调休 Saturdays", () => {
    expect(addWorkingDays("2021-09-30", 1)).toBe("2021-10-08");
    expect(addWorkingDays("2021-10-08", 1)).toBe("2021-10-09"); // Saturday worked
    expect(addWorkingDays("2021-10-08", -1)).toBe("2021-09-30");
  });

  it("publicity over the Dragon Boat weekend lasts into the next week", () => {
    // 2021-06-10 (Thu), 06-11, [12–14 off], 06-15, 06-16, 06-17: five days.
    expect(publicityEnd("2021-06-10")).toBe("2021-06-17");
    expect(publicityStart("2021-06-12")).toBe("2021-06-15");
    expect(publicityEnd("2021-06-12")).toBe("2021-06-21");
    expect(workingDaysBetween("2021-06-10", "2021-06-17")).toBe(5);
  });

  it("a one-day publicity starting on a working day ends that day", () => {
    expect(publicityEnd("2021-07-06", 1)).toBe("2021-07-06");
  });

  it("workingDaysBetween is 0 for an inverted range", () => {
    expect(workingDaysBetween("2021-07-10", "2021-07-01")).toBe(0);
  });

  it("rejects bad input with a DomainError", () => {
    expect(() => isWorkingDay("2021-02-30")).toThrow(DomainError);
    expect(() => addWorkingDays("2021-07-01", 1.5)).toThrow(DomainError);
    expect(() => publicityEnd("2021-07-01", 0)).toThrow(DomainError);
  });
});

describe("calendar schema", () => {
  const ok: CalendarYear = { year: 2027, holidays: ["2027-01-01"], workdays: ["2027-01-02"] };

  it("accepts a consistent table", () => {
    expect(ZCalendarYear.safeParse(ok).success).toBe(true);
  });

  it.each([
    ["date outside the year", { ...ok, holidays: ["2026-12-31"] }],
    ["holiday and workday at once", { ...ok, holidays: ["2027-01-02"], workdays: ["2027-01-02"] }],
    ["workday on a weekday", { ...ok, workdays: ["2027-01-04"] }],
    ["duplicate", { ...ok, holidays: ["2027-01-01", "2027-01-01"] }],
    ["not a date", { ...ok, holidays: ["2027-02-29"] }],
  ])("rejects a %s", (_, table) => {
    expect(ZCalendarYear.safeParse(table).success).toBe(false);
    expect(() => createCalendar([table])).toThrow(DomainError);
  });

  it("rejects a year given twice", () => {
    expect(() => createCalendar([ok, ok])).toThrow(/twice/);
  });

  it("an edited year replaces the shipped one", () => {
    const edited = withCalendarYear(defaultCalendar, { year: 2021, holidays: [], workdays: [] });
    expect(isWorkingDay("2021-10-08", edited)).toBe(true);
    expect(isWorkingDay("2021-10-09", edited)).toBe(false);
    expect(isWorkingDay("2022-10-03", edited)).toBe(false);
  });
});

// Dates from 2020 to 2027 so the properties cross known and unknown years.
const arbDate = fc.integer({ min: 0, max: 8 * 366 }).map((n) => addDays("2020-01-01", n));
const arbN = fc.integer({ min: 1, max: 400 });

describe("calendar properties", () => {
  it("addWorkingDays(d, n) is a working day for n ≥ 1", () => {
    fc.assert(fc.property(arbDate, arbN, (d, n) => isWorkingDay(addWorkingDays(d, n))));
  });

  it("addWorkingDays is strictly increasing in n", () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 0, max: 300 }), (d, n) => {
        return addWorkingDays(d, n) < addWorkingDays(d, n + 1);
      }),
    );
  });

  it("workingDaysBetween(d, addWorkingDays(d, n)) counts n, plus d if it works", () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 0, max: 300 }), (d, n) => {
        const expected = n + (isWorkingDay(d) ? 1 : 0);
        return workingDaysBetween(d, addWorkingDays(d, n)) === expected;
      }),
    );
  });

  it("going forward then back returns to a working day", () => {
    fc.assert(
      fc.property(arbDate, arbN, (d, n) => {
        const start = publicityStart(d);
        return addWorkingDays(addWorkingDays(start, n), -n) === start;
      }),
    );
  });

  it("publicityEnd(start, k) gives exactly k working days from publicityStart", () => {
    fc.assert(
      fc.property(arbDate, fc.integer({ min: 1, max: 30 }), (d, k) => {
        const start = publicityStart(d);
        const end = publicityEnd(d, k);
        return (
          isWorkingDay(start) &&
          isWorkingDay(end) &&
          start >= d &&
          workingDaysBetween(start, end) === k &&
          workingDaysBetween(d, addDays(start, -1)) === 0
        );
      }),
    );
  });

  it("every holiday is off and every 调休 day is worked", () => {
    for (const t of officialCalendarYears) {
      for (const h of t.holidays) expect(isWorkingDay(h), h).toBe(false);
      for (const w of t.workdays) {
        expect(isWorkingDay(w), w).toBe(true);
        expect(isWeekend(w), w).toBe(true);
      }
    }
  });

  it("a weekday that is no holiday is worked, a weekend day that is no 调休 is not", () => {
    const holidays = new Set(officialCalendarYears.flatMap((t) => t.holidays));
    const workdays = new Set(officialCalendarYears.flatMap((t) => t.workdays));
    fc.assert(
      fc.property(arbDate, (d) => {
        const expected = workdays.has(d) || (!holidays.has(d) && !isWeekend(d));
        return isWorkingDay(d) === expected;
      }),
    );
  });
});
