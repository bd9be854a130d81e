import { dayNumber, fromDayNumber, type IsoDate } from "./dates";
import { DomainError } from "./errors";

// Asia/Shanghai is UTC+8 all year (no DST since 1991), so a fixed offset is exact.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const MS_PER_DAY = 86_400_000;

function checkInstant(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) {
    throw new DomainError("VALIDATION", { details: "invalid instant" });
  }
  return t;
}

/** The calendar date in Asia/Shanghai at an instant. */
export function shanghaiDate(instant: Date): IsoDate {
  const t = checkInstant(instant);
  return fromDayNumber(Math.floor((t + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** The instant 00:00 Asia/Shanghai begins `date`. */
export function shanghaiStartOfDay(date: IsoDate): Date {
  return new Date(dayNumber(date) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** The instant `date` ends in Asia/Shanghai (24:00, i.e. the next day's 00:00). */
export function shanghaiEndOfDay(date: IsoDate): Date {
  return new Date((dayNumber(date) + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** Whole-day window, both days included, in Asia/Shanghai. */
export interface DateWindow {
  opens: IsoDate;
  closes: IsoDate;
}

/** [opensAt, closesAt): closesAt is exclusive, the end of the closing day. */
export function windowBounds(window: DateWindow): {
  opensAt: Date;
  closesAt: Date;
} {
  return {
    opensAt: shanghaiStartOfDay(window.opens),
    closesAt: shanghaiEndOfDay(window.closes),
  };
}

export type WindowStatus = "not-open" | "open" | "closed";

export function windowStatus(instant: Date, window: DateWindow): WindowStatus {
  const t = checkInstant(instant);
  const { opensAt, closesAt } = windowBounds(window);
  if (t < opensAt.getTime()) return "not-open";
  if (t >= closesAt.getTime()) return "closed";
  return "open";
}

/** Open from 00:00 of `opens` to the end of `closes`, Shanghai time. */
export function isWithinWindow(instant: Date, window: DateWindow): boolean {
  return windowStatus(instant, window) === "open";
}

/** WINDOW_NOT_OPEN / WINDOW_CLOSED for an instant outside the window, else undefined. */
export function windowError(instant: Date, window: DateWindow): DomainError | undefined {
  const status = windowStatus(instant, window);
  const params = { opens: window.opens, closes: window.closes };
  switch (status) {
    case "open":
      return undefined;
    case "not-open":
      return new DomainError("WINDOW_NOT_OPEN", params);
    case "closed":
      return new DomainError("WINDOW_CLOSED", params);
    default: {
      const never: never = status;
      throw new Error(`unknown window status ${String(never)}`);
    }
  }
}

/**
 * Calendar days still usable, today included: 1 on the closing day, 0 once
 * closed, the whole window's length before it opens.
 */
export function daysLeft(instant: Date, window: DateWindow): number {
  const today = dayNumber(shanghaiDate(instant));
  const opens = dayNumber(window.opens);
  const closes = dayNumber(window.closes);
  if (today > closes) return 0;
  return closes - Math.max(today, opens) + 1;
}

/** True once the whole of `date` has passed in Shanghai (the day after, or later). */
export function isDayOver(instant: Date, date: IsoDate): boolean {
  return dayNumber(shanghaiDate(instant)) > dayNumber(date);
}
