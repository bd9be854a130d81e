import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transition } from "./application-state";
import { levels } from "./catalog";
import { messageFor } from "./errors";
import {
  checkPaymentAmount,
  feeFor,
  feeOrderFor,
  formatYuan,
  paymentDueDate,
  paymentOverdue,
  ZFeeOrder,
} from "./payment";
import { defaultRoundFees, type RoundConfig, round2021, ZRoundConfig } from "./round";

const sh = (s: string) => new Date(`${s}+08:00`);
const withFees: RoundConfig = ZRoundConfig.parse({
  ...round2021,
  fees: {
    amountsFen: { junior: 5_000, intermediate: 15_000, "deputy-senior": 35_000, senior: 45_050 },
    dueWorkingDays: 3,
  },
});

describe("fee configuration", () => {
  it("older configurations without fees still parse and get the defaults", () => {
    const { fees: _none, ...old } = round2021;
    const parsed = ZRoundConfig.parse(old);
    expect(parsed.fees).toBeUndefined();
    for (const level of levels) expect(feeFor(parsed, level)).toBe(defaultRoundFees.amountsFen[level]);
  });

  it("a round's own amounts win", () => {
    expect(feeFor(withFees, "senior")).toBe(45_050);
    expect(feeFor(withFees, "junior")).toBe(5_000);
  });

  it.each<[string, unknown]>([
    ["a fractional amount", 100.5],
    ["a negative amount", -1],
    ["an amount in yuan as text", "450"],
  ])("refuses %s", (_name, amount) => {
    const fees = { ...defaultRoundFees, amountsFen: { ...defaultRoundFees.amountsFen, senior: amount } };
    expect(ZRoundConfig.safeParse({ ...round2021, fees }).success).toBe(false);
  });

  it("refuses a missing level and a due period of zero", () => {
    const { senior: _s, ...three } = defaultRoundFees.amountsFen;
    expect(
      ZRoundConfig.safeParse({ ...round2021, fees: { ...defaultRoundFees, amountsFen: three } }).success,
    ).toBe(false);
    expect(
      ZRoundConfig.safeParse({ ...round2021, fees: { ...defaultRoundFees, dueWorkingDays: 0 } }).success,
    ).toBe(false);
  });
});

describe("paymentDueDate", () => {
  it("counts working days from the approval day in Shanghai, 调休 included", () => {
    // After Friday 9/17: 9/18 (worked Saturday), 9/22, 9/23, 9/24, 9/26 (worked Sunday).
    expect(paymentDueDate(sh("2021-09-17T20:00:00"), round2021)).toBe("2021-09-26");
    // 17:00 UTC on 9/17 is already 9/18 in Shanghai.
    expect(paymentDueDate(new Date("2021-09-17T17:00:00Z"), round2021)).toBe("2021-09-27");
    expect(paymentDueDate(sh("2021-08-02T10:00:00"), withFees)).toBe("2021-08-05");
  });

  it("the order it makes is accepted by the state machine at approval, and lapses after", () => {
    const approvedAt = sh("2021-08-02T10:00:00");
    const order = feeOrderFor(withFees, "deputy-senior", approvedAt);
    expect(order).toEqual({ level: "deputy-senior", amountFen: 35_000, dueBy: "2021-08-05" });
    expect(ZFeeOrder.safeParse(order).success).toBe(true);
    const ctx = { now: approvedAt, level: "deputy-senior", track: "regular" } as const;
    expect(transition("confirmed", { type: "approve", feeDueBy: order.dueBy }, ctx)).toEqual({
      ok: true,
      state: "approved",
    });
    expect(paymentOverdue(order, sh("2021-08-05T23:59:59"))).toBe(false);
    expect(paymentOverdue(order, sh("2021-08-06T00:00:00"))).toBe(true);
    const lapse = transition(
      "approved",
      { type: "deadlinePassed", kind: "payment" },
      { ...ctx, now: sh("2021-08-06T00:00:00"), feeDueBy: order.dueBy },
    );
    expect(lapse).toEqual({ ok: true, state: "abandoned" });
  });
});

describe("checkPaymentAmount", () => {
  const order = { amountFen: 45_050 };

  it("accepts exactly the amount due", () => {
    expect(checkPaymentAmount(order, 45_050)).toBeUndefined();
  });

  it("refuses any other amount, saying both in yuan", () => {
    const e = checkPaymentAmount(order, 45_049);
    expect(e?.code).toBe("PAYMENT_AMOUNT_MISMATCH");
    expect(e?.params).toEqual({ expected: "450.50", paid: "450.49" });
    expect(messageFor(e!, "zh-CN")).toBe("缴费金额450.49元与应缴金额450.50元不一致。");
    expect(messageFor(e!, "en")).toBe("The amount paid (¥450.49) differs from the fee due (¥450.50).");
  });

  it("refuses amounts that are not whole fen", () => {
    expect(checkPaymentAmount(order, 450.5)?.code).toBe("VALIDATION");
    expect(checkPaymentAmount(order, -45_050)?.code).toBe("VALIDATION");
    expect(checkPaymentAmount(order, Number.NaN)?.code).toBe("VALIDATION");
  });

  it("accepts a payment if and only if it equals the order (property)", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (due, paid) => {
        return (checkPaymentAmount({ amountFen: due }, paid) === undefined) === (due === paid);
      }),
    );
  });

  it("formatYuan writes fen exactly (property)", () => {
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(40_000)).toBe("400.00");
    fc.assert(fc.property(fc.nat(10_000_000), (fen) => Math.round(Number(formatYuan(fen)) * 100) === fen));
  });
});
