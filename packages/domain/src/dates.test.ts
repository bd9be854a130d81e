import { describe, expect, it } from "vitest";
import { addDays, addYears, dayOfWeek, isIsoDate, isLeapYear } from "./dates";

describe("dates", () => {
  it("knows real dates and leap years", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("1900-02-29")).toBe(false);
    expect(isIsoDate("2021-13-01")).toBe(false);
    expect(isIsoDate("2021-7-6")).toBe(false);
    expect(isLeapYear(2100)).toBe(false);
  });

  it("adds days and years across boundaries", () => {
    expect(addDays("2021-12-31", 1)).toBe("2022-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addYears("2024-02-29", 3)).toBe("2027-02-28");
  });

  it("knows the weekday", () => {
    expect(dayOfWeek("2021-07-06")).toBe(2); // Tuesday
    expect(dayOfWeek("1969-12-28")).toBe(0); // Sunday, before the epoch
  });
});
