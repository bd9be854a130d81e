import { describe, expect, it } from "vitest";
import { DomainError } from "./errors";
import {
  daysLeft,
  isDayOver,
  isWithinWindow,
  shanghaiDate,
  shanghaiEndOfDay,
  shanghaiStartOfDay,
  windowBounds,
  windowError,
  windowStatus,
} from "./time";

const w = { opens: "2021-07-06", closes: "2021-07-26" };

describe("Shanghai time", () => {
  it("dates an instant in UTC+8", () => {
    expect(shanghaiDate(new Date("2021-07-05T15:59:59.999Z"))).toBe("2021-07-05");
    expect(shanghaiDate(new Date("2021-07-05T16:00:00Z"))).toBe("2021-07-06");
    expect(shanghaiStartOfDay("2021-07-06").toISOString()).toBe("2021-07-05T16:00:00.000Z");
    expect(shanghaiEndOfDay("2021-07-26").toISOString()).toBe("2021-07-26T16:00:00.000Z");
  });

  it("rejects an invalid Date", () => {
    expect(() => shanghaiDate(new Date("nope"))).toThrow(DomainError);
  });
});

describe("windows", () => {
  it("open from 00:00 on the first day to 24:00 on the last, Shanghai time", () => {
    expect(isWithinWindow(new Date("2021-07-05T15:59:59.999Z"), w)).toBe(false);
    expect(isWithinWindow(new Date("2021-07-05T16:00:00Z"), w)).toBe(true);
    expect(isWithinWindow(new Date("2021-07-26T15:59:59.999Z"), w)).toBe(true);
    expect(isWithinWindow(new Date("2021-07-26T16:00:00Z"), w)).toBe(false);
    expect(windowBounds(w).closesAt.toISOString()).toBe("2021-07-26T16:00:00.000Z");
  });

  it("says why an instant is outside", () => {
    expect(windowStatus(new Date("2021-07-01T00:00:00Z"), w)).toBe("not-open");
    expect(windowError(new Date("2021-07-01T00:00:00Z"), w)?.code).toBe("WINDOW_NOT_OPEN");
    expect(windowError(new Date("2021-07-27T00:00:00Z"), w)?.code).toBe("WINDOW_CLOSED");
    expect(windowError(new Date("2021-07-27T00:00:00Z"), w)?.params).toEqual(w);
    expect(windowError(new Date("2021-07-10T00:00:00Z"), w)).toBeUndefined();
  });

  it("counts days left including today", () => {
    expect(daysLeft(new Date("2021-07-26T10:00:00+08:00"), w)).toBe(1);
    expect(daysLeft(new Date("2021-07-25T23:59:00+08:00"), w)).toBe(2);
    expect(daysLeft(new Date("2021-07-27T00:00:00+08:00"), w)).toBe(0);
    expect(daysLeft(new Date("2021-06-01T00:00:00+08:00"), w)).toBe(21);
    expect(daysLeft(new Date("2021-07-06T00:00:00+08:00"), w)).toBe(21);
  });

  it("a day is over from the next Shanghai midnight", () => {
    expect(isDayOver(new Date("2021-07-22T23:59:59+08:00"), "2021-07-22")).toBe(false);
    expect(isDayOver(new Date("2021-07-23T00:00:00+08:00"), "2021-07-22")).toBe(true);
  });
});
