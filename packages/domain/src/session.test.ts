import { describe, expect, it } from "vitest";
import {
  checkSession,
  formatSmsCode,
  isSmsCodeFormat,
  loginThrottle,
  loginThrottledError,
  sessionExpiresAt,
  sessionStatus,
  shouldTouchSession,
  smsCanResend,
  smsCodeAttempt,
  smsCodeCheck,
} from "./session";

const t0 = new Date("2021-07-06T09:00:00+08:00");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe("loginThrottle", () => {
  it("allows up to 4 failures", () => {
    expect(loginThrottle([at(0), at(1), at(2), at(3)], at(4))).toEqual({ allowed: true });
  });

  it("locks 60 s from the 5th failure, then doubles", () => {
    const five = [at(0), at(1), at(2), at(3), at(4)];
    expect(loginThrottle(five, at(4))).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect(loginThrottle(five, at(63.5))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(loginThrottle(five, at(64))).toEqual({ allowed: true });
    const six = [...five, at(70)];
    expect(loginThrottle(six, at(70))).toMatchObject({ allowed: false, retryAfterSeconds: 120 });
  });

  it("ignores order and caps the lock at an hour", () => {
    const many = Array.from({ length: 20 }, (_, i) => at(19 - i));
    const r = loginThrottle(many, at(20));
    expect(r).toMatchObject({ allowed: false, retryAfterSeconds: 3599 });
    // The lock outlives the 15-minute window: counted from the last failure.
    expect(loginThrottle(many, at(20 * 60)).allowed).toBe(false);
    expect(loginThrottle(many, at(19 + 3600)).allowed).toBe(true);
  });

  it("does not count failures spread wider than the window", () => {
    const spread = [at(0), at(300), at(600), at(900), at(1200)];
    expect(loginThrottle(spread, at(1201))).toEqual({ allowed: true });
  });

  it("builds LOGIN_THROTTLED with minutes rounded up", () => {
    expect(loginThrottledError(61).params).toEqual({ seconds: 61, minutes: 2 });
  });
});

describe("sessions", () => {
  const s = { createdAt: t0, lastSeenAt: t0 };

  it("expires after 30 idle minutes or 12 hours", () => {
    expect(sessionStatus(s, at(29 * 60))).toBe("active");
    expect(sessionStatus(s, at(30 * 60))).toBe("idle-expired");
    const busy = { createdAt: t0, lastSeenAt: at(12 * 3600 - 10) };
    expect(sessionStatus(busy, at(12 * 3600))).toBe("absolute-expired");
    expect(sessionExpiresAt(busy).getTime()).toBe(at(12 * 3600).getTime());
    expect(checkSession(s, at(31 * 60))).toMatchObject({ ok: false, error: { code: "SESSION_EXPIRED" } });
    expect(checkSession(s, at(60))).toEqual({ ok: true });
  });

  it("touches lastSeenAt at most once a minute", () => {
    expect(shouldTouchSession(s, at(59))).toBe(false);
    expect(shouldTouchSession(s, at(60))).toBe(true);
    expect(shouldTouchSession(s, at(3600))).toBe(false); // expired: log in again instead
  });
});

describe("SMS codes", () => {
  const fresh = { issuedAt: t0, attempts: 0, consumed: false };

  it("six digits", () => {
    expect(isSmsCodeFormat("012345")).toBe(true);
    expect(isSmsCodeFormat("12345")).toBe(false);
    expect(formatSmsCode(42)).toBe("000042");
    expect(formatSmsCode(1_234_567)).toBe("234567");
  });

  it("valid for 5 minutes, once", () => {
    expect(smsCodeCheck(fresh, at(299))).toEqual({ ok: true });
    expect(smsCodeCheck(fresh, at(300))).toMatchObject({ ok: false, error: { code: "SMS_CODE_EXPIRED" } });
    const used = smsCodeAttempt(fresh, true, at(10));
    expect(used).toMatchObject({ ok: true, state: { consumed: true } });
    expect(smsCodeAttempt(used.state, true, at(11))).toMatchObject({
      ok: false,
      error: { code: "SMS_CODE_USED" },
    });
  });

  it("five wrong attempts, then a new code is needed", () => {
    let state = fresh;
    for (let i = 1; i <= 4; i++) {
      const r = smsCodeAttempt(state, false, at(i));
      expect(r).toMatchObject({
        ok: false,
        error: { code: "SMS_CODE_WRONG", params: { attemptsLeft: 5 - i } },
      });
      state = r.state;
    }
    const fifth = smsCodeAttempt(state, false, at(5));
    expect(fifth).toMatchObject({
      ok: false,
      error: { code: "SMS_CODE_TOO_MANY_ATTEMPTS" },
      state: { attempts: 5 },
    });
    expect(smsCodeAttempt(fifth.state, true, at(6))).toMatchObject({
      ok: false,
      error: { code: "SMS_CODE_TOO_MANY_ATTEMPTS" },
    });
  });

  it("resend after 60 s", () => {
    expect(smsCanResend(undefined, t0)).toEqual({ ok: true });
    expect(smsCanResend(t0, at(59.2))).toMatchObject({ ok: false, error: { params: { seconds: 1 } } });
    expect(smsCanResend(t0, at(60))).toEqual({ ok: true });
  });
});
