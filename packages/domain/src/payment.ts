import { z } from "zod";
import { addWorkingDays, defaultCalendar, type WorkingCalendar } from "./calendar";
import { type Level, ZLevel } from "./catalog";
import { type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";
import { defaultRoundFees, type RoundConfig, type RoundFees } from "./round";
import { isDayOver, shanghaiDate } from "./time";

/**
 * The fee (notice §2.6): after the agency approves, the applicant pays online by a due date; a
 * successful payment completes the application, no payment by then counts as giving up.
 */

const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });

/** What the applicant owes: fixed when the application is approved. */
export const ZFeeOrder = z.object({
  level: ZLevel,
  amountFen: z.number().int().min(0),
  /** Last day to pay (Asia/Shanghai, included); becomes the state machine's `feeDueBy`. */
  dueBy: ZIsoDate,
});
export type FeeOrder = z.output<typeof ZFeeOrder>;

/** The round's fee settings, or the defaults for a configuration written before fees existed. */
export function feesOf(round: Pick<RoundConfig, "fees">): RoundFees {
  return round.fees ?? defaultRoundFees;
}

/** The fee for a level, in fen. */
export function feeFor(round: Pick<RoundConfig, "fees">, level: Level): number {
  return feesOf(round).amountsFen[level];
}

/** The last day to pay: the round's working days after the approval day in Asia/Shanghai. */
export function paymentDueDate(
  approvedAt: Date,
  round: Pick<RoundConfig, "fees">,
  calendar: WorkingCalendar = defaultCalendar,
): IsoDate {
  return addWorkingDays(shanghaiDate(approvedAt), feesOf(round).dueWorkingDays, calendar);
}

/** The order created on approval: the level's amount and the due date. */
export function feeOrderFor(
  round: Pick<RoundConfig, "fees">,
  level: Level,
  approvedAt: Date,
  calendar: WorkingCalendar = defaultCalendar,
): FeeOrder {
  return { level, amountFen: feeFor(round, level), dueBy: paymentDueDate(approvedAt, round, calendar) };
}

/** `12345` → `"123.45"`. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A payment must be exactly the order's amount (PAYMENT_AMOUNT_MISMATCH, amounts in yuan). */
export function checkPaymentAmount(
  order: Pick<FeeOrder, "amountFen">,
  paidFen: number,
): DomainError | undefined {
  if (!Number.isSafeInteger(paidFen) || paidFen < 0) {
    return new DomainError("VALIDATION", {
      details: `a paid amount is a whole number of fen, got ${paidFen}`,
    });
  }
  return paidFen === order.amountFen
    ? undefined
    : new DomainError("PAYMENT_AMOUNT_MISMATCH", {
        expected: formatYuan(order.amountFen),
        paid: formatYuan(paidFen),
      });
}

/** True once the due date is over unpaid: time for `deadlinePassed{payment}` (视为放弃). */
export function paymentOverdue(order: Pick<FeeOrder, "dueBy">, now: Date): boolean {
  return isDayOver(now, order.dueBy);
}
