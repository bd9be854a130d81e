import { DomainError, type Result } from "./errors";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// ---- Login throttling ----------------------------------------------------

export interface LoginThrottlePolicy {
  /** Failures tolerated inside the window before a lock starts. */
  freeAttempts: number;
  windowMinutes: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export const defaultLoginThrottlePolicy: LoginThrottlePolicy = {
  freeAttempts: 5,
  windowMinutes: 15,
  baseLockSeconds: 60,
  maxLockSeconds: 3600,
};

export type LoginThrottleResult =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; lockedUntil: Date };

/**
 * Whether a login attempt may proceed. Counts the failures in the window that
 * ends at the latest failure (not at `now`), so a long lock does not lapse
 * just because its failures age out of the window. With k ≥ freeAttempts such
 * failures the account is locked from the latest failure for
 * baseLock · 2^(k − freeAttempts) seconds, capped at maxLock.
 * Pass failures from at least windowMinutes + maxLockSeconds back; failures
 * after `now` are ignored.
 */
export function loginThrottle(
  failures: readonly Date[],
  now: Date,
  policy: LoginThrottlePolicy = defaultLoginThrottlePolicy,
): LoginThrottleResult {
  const t = now.getTime();
  const past = failures.map((f) => f.getTime()).filter((f) => f <= t);
  if (past.length < policy.freeAttempts) return { allowed: true };
  const last = Math.max(...past);
  const windowMs = policy.windowMinutes * MINUTE;
  const k = past.filter((f) => last - f < windowMs).length;
  if (k < policy.freeAttempts) return { allowed: true };
  // Exponent capped so 2^n stays exact; the cap below does the rest.
  const exponent = Math.min(k - policy.freeAttempts, 30);
  const lockMs = Math.min(policy.baseLockSeconds * 2 ** exponent, policy.maxLockSeconds) * SECOND;
  const lockedUntil = last + lockMs;
  if (t >= lockedUntil) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: Math.ceil((lockedUntil - t) / SECOND),
    lockedUntil: new Date(lockedUntil),
  };
}

/** LOGIN_THROTTLED for a refused attempt. */
export function loginThrottledError(retryAfterSeconds: number): DomainError {
  return new DomainError("LOGIN_THROTTLED", {
    seconds: retryAfterSeconds,
    minutes: Math.ceil(retryAfterSeconds / 60),
  });
}

// ---- Sessions --------------------------------------------------------------

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  /** lastSeenAt is refreshed at most this often, to spare the database. */
  touchEverySeconds: number;
}

export const defaultSessionPolicy: SessionPolicy = {
  idleMinutes: 30,
  absoluteHours: 12,
  touchEverySeconds: 60,
};

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

export type SessionStatus = "active" | "idle-expired" | "absolute-expired";

/** A session expires after idle time or absolute age, whichever comes first. */
export function sessionStatus(
  session: SessionTimes,
  now: Date,
  policy: Partial<SessionPolicy> = {},
): SessionStatus {
  const p = { ...defaultSessionPolicy, ...policy };
  const t = now.getTime();
  if (t - session.createdAt.getTime() >= p.absoluteHours * HOUR) {
    return "absolute-expired";
  }
  if (t - session.lastSeenAt.getTime() >= p.idleMinutes * MINUTE) {
    return "idle-expired";
  }
  return "active";
}

/** The instant the session will expire if not used again. */
export function sessionExpiresAt(session: SessionTimes, policy: Partial<SessionPolicy> = {}): Date {
  const p = { ...defaultSessionPolicy, ...policy };
  return new Date(
    Math.min(
      session.lastSeenAt.getTime() + p.idleMinutes * MINUTE,
      session.createdAt.getTime() + p.absoluteHours * HOUR,
    ),
  );
}

/** True when an active session's lastSeenAt is old enough to be worth writing. */
export function shouldTouchSession(
  session: SessionTimes,
  now: Date,
  policy: Partial<SessionPolicy> = {},
): boolean {
  const p = { ...defaultSessionPolicy, ...policy };
  return (
    sessionStatus(session, now, p) === "active" &&
    now.getTime() - session.lastSeenAt.getTime() >= p.touchEverySeconds * SECOND
  );
}

/** Ok for an active session, else SESSION_EXPIRED. */
export function checkSession(
  session: SessionTimes,
  now: Date,
  policy: Partial<SessionPolicy> = {},
): Result<object> {
  const status = sessionStatus(session, now, policy);
  switch (status) {
    case "active":
      return { ok: true };
    case "idle-expired":
    case "absolute-expired":
      return {
        ok: false,
        error: new DomainError("SESSION_EXPIRED", { status }),
      };
    default: {
      const never: never = status;
      throw new Error(`unknown session status ${String(never)}`);
    }
  }
}

// ---- SMS codes ---------------------------------------------------------------

export const smsCodePolicy = {
  length: 6,
  validSeconds: 300,
  maxWrongAttempts: 5,
  resendAfterSeconds: 60,
} as const;

export interface SmsCodeState {
  issuedAt: Date;
  /** Wrong attempts so far. */
  attempts: number;
  consumed: boolean;
}

/** Six digits; anything else is rejected before comparing. */
export function isSmsCodeFormat(code: string): boolean {
  return new RegExp(`^\\d{${smsCodePolicy.length}}$`).test(code);
}

/**
 * A code from a random integer the caller drew (e.g. crypto.randomInt(10**6)),
 * zero-padded to six digits.
 */
export function formatSmsCode(randomValue: number): string {
  const n = Math.abs(Math.trunc(randomValue)) % 10 ** smsCodePolicy.length;
  return String(n).padStart(smsCodePolicy.length, "0");
}

/** Whether a code may still be tried at `now`. */
export function smsCodeCheck(state: SmsCodeState, now: Date): Result<object> {
  if (state.consumed) {
    return { ok: false, error: new DomainError("SMS_CODE_USED") };
  }
  if (now.getTime() - state.issuedAt.getTime() >= smsCodePolicy.validSeconds * SECOND) {
    return { ok: false, error: new DomainError("SMS_CODE_EXPIRED") };
  }
  if (state.attempts >= smsCodePolicy.maxWrongAttempts) {
    return { ok: false, error: new DomainError("SMS_CODE_TOO_MANY_ATTEMPTS") };
  }
  return { ok: true };
}

/**
 * Applies one attempt. `matches` is the caller's constant-time comparison
 * of the submitted code with the stored hash. Returns the state to store,
 * whether or not the attempt succeeded.
 */
export function smsCodeAttempt(
  state: SmsCodeState,
  matches: boolean,
  now: Date,
): { ok: true; state: SmsCodeState } | { ok: false; state: SmsCodeState; error: DomainError } {
  const usable = smsCodeCheck(state, now);
  if (!usable.ok) return { ok: false, state, error: usable.error };
  if (matches) return { ok: true, state: { ...state, consumed: true } };
  const attempts = state.attempts + 1;
  const attemptsLeft = smsCodePolicy.maxWrongAttempts - attempts;
  return {
    ok: false,
    state: { ...state, attempts },
    error:
      attemptsLeft > 0
        ? new DomainError("SMS_CODE_WRONG", { attemptsLeft })
        : new DomainError("SMS_CODE_TOO_MANY_ATTEMPTS"),
  };
}

/** A new code may be sent 60 s after the previous one was issued. */
export function smsCanResend(lastIssuedAt: Date | undefined, now: Date): Result<object> {
  if (!lastIssuedAt) return { ok: true };
  const waitMs = lastIssuedAt.getTime() + smsCodePolicy.resendAfterSeconds * SECOND - now.getTime();
  if (waitMs <= 0) return { ok: true };
  return {
    ok: false,
    error: new DomainError("SMS_RESEND_TOO_SOON", {
      seconds: Math.ceil(waitMs / SECOND),
    }),
  };
}
