import { z } from "zod";
import { addDays, dayNumber, type IsoDate, isIsoDate, isWeekend, yearOf } from "./dates";
import { DomainError } from "./errors";
import { officialCalendarYears } from "./holidays/index";

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });

/**
 * One year's holiday table as announced by the State Council: the days off
 * (weekend days inside a holiday included) and the weekend days worked (调休).
 */
export const ZCalendarYear = z
  .object({
    year: z.number().int().min(1900).max(2999),
    holidays: z.array(ZIsoDate),
    workdays: z.array(ZIsoDate),
  })
  .superRefine((t, ctx) => {
    const check = (list: "holidays" | "workdays") => {
      const seen = new Set<string>();
      t[list].forEach((d, i) => {
        if (!isIsoDate(d)) return; // already reported by the element schema
        if (yearOf(d) !== t.year) {
          ctx.addIssue({
            code: "custom",
            path: [list, i],
            message: `${d} is not in ${t.year}`,
          });
        }
        if (seen.has(d)) {
          ctx.addIssue({
            code: "custom",
            path: [list, i],
            message: `${d} is listed twice`,
          });
        }
        seen.add(d);
      });
    };
    check("holidays");
    check("workdays");
    const holidays = new Set(t.holidays);
    t.workdays.forEach((d, i) => {
      if (!isIsoDate(d)) return;
      if (holidays.has(d)) {
        ctx.addIssue({
          code: "custom",
          path: ["workdays", i],
          message: `${d} is both a holiday and a workday`,
        });
      }
      // A 调休 workday only makes sense on a Saturday or Sunday.
      if (!isWeekend(d)) {
        ctx.addIssue({
          code: "custom",
          path: ["workdays", i],
          message: `${d} is not a weekend day`,
        });
      }
    });
  });
export type CalendarYear = z.infer<typeof ZCalendarYear>;

/**
 * Working days: Monday–Friday, minus the holidays, plus the 调休 workdays of
 * the years it knows. For a year with no table it falls back to plain
 * Monday–Friday, so dates far ahead still compute; check `isKnownYear` before
 * trusting a deadline in such a year.
 */
export interface WorkingCalendar {
  readonly years: readonly CalendarYear[];
  readonly knownYears: ReadonlySet<number>;
  readonly holidays: ReadonlySet<IsoDate>;
  readonly workdays: ReadonlySet<IsoDate>;
}

function invalid(details: string): DomainError {
  return new DomainError("CALENDAR_INVALID", { details });
}

/** Builds a calendar from per-year tables; throws CALENDAR_INVALID on bad data. */
export function createCalendar(tables: readonly CalendarYear[]): WorkingCalendar {
  const years: CalendarYear[] = [];
  const knownYears = new Set<number>();
  const holidays = new Set<IsoDate>();
  const workdays = new Set<IsoDate>();
  for (const table of tables) {
    const parsed = ZCalendarYear.safeParse(table);
    if (!parsed.success) {
      throw invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }
    if (knownYears.has(parsed.data.year)) {
      throw invalid(`year ${parsed.data.year} is given twice`);
    }
    knownYears.add(parsed.data.year);
    years.push(parsed.data);
    for (const d of parsed.data.holidays) holidays.add(d);
    for (const d of parsed.data.workdays) workdays.add(d);
  }
  years.sort((a, b) => a.year - b.year);
  return { years, knownYears, holidays, workdays };
}

/** Replaces (or adds) one year's table, e.g. after the admin edited it. */
export function withCalendarYear(calendar: WorkingCalendar, table: CalendarYear): WorkingCalendar {
  return createCalendar([...calendar.years.filter((y) => y.year !== table.year), table]);
}

/** The built-in calendar: official tables for 2021–2026. */
export const defaultCalendar: WorkingCalendar = createCalendar(officialCalendarYears);

export function isKnownYear(year: number, calendar: WorkingCalendar = defaultCalendar): boolean {
  return calendar.knownYears.has(year);
}

export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar = defaultCalendar): boolean {
  dayNumber(date); // validates
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  return !isWeekend(date);
}

// About a century of working days; larger counts are a bug, not a deadline.
const MAX_WORKING_DAYS = 25_000;

function checkCount(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
    throw new DomainError("VALIDATION", {
      details: `${name} must be an integer of at most ${MAX_WORKING_DAYS}, got ${n}`,
    });
  }
}

/**
 * The n-th working day after `date` (n > 0), before it (n < 0), or `date`
 * itself (n = 0, even if it is not a working day).
 */
export function addWorkingDays(
  date: IsoDate,
  n: number,
  calendar: WorkingCalendar = defaultCalendar,
): IsoDate {
  dayNumber(date);
  checkCount(n, "n");
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = date;
  while (left > 0) {
    d = addDays(d, step);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
}

/** The first working day on or after `start`: the day a publicity really begins. */
export function publicityStart(start: IsoDate, calendar: WorkingCalendar = defaultCalendar): IsoDate {
  return isWorkingDay(start, calendar) ? start : addWorkingDays(start, 1, calendar);
}

/**
 * The last day of a publicity that starts on `start` (or the next working
 * day) and lasts `days` working days, the first day included.
 */
export function publicityEnd(start: IsoDate, days = 5, calendar: WorkingCalendar = defaultCalendar): IsoDate {
  checkCount(days, "days");
  if (days < 1) {
    throw new DomainError("VALIDATION", {
      details: "a publicity lasts at least one working day",
    });
  }
  return addWorkingDays(publicityStart(start, calendar), days - 1, calendar);
}

/** Working days in [a, b], both ends included; 0 when b is before a. */
export function workingDaysBetween(
  a: IsoDate,
  b: IsoDate,
  calendar: WorkingCalendar = defaultCalendar,
): number {
  const from = dayNumber(a);
  const to = dayNumber(b);
  if (to - from > MAX_WORKING_DAYS * 2) {
    throw new DomainError("VALIDATION", { details: "date range too long" });
  }
  let count = 0;
  for (let d = a, i = from; i <= to; i++, d = addDays(d, 1)) {
    if (isWorkingDay(d, calendar)) count++;
  }
  return count;
}
