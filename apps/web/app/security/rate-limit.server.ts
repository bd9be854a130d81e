// Request budgets per address and per account (decision 0015): login, SMS codes, uploads.
import { DomainError } from "@titles/domain";
import {
  type IRateLimiterRedisOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

export type LimitKind = "login" | "sms" | "smsVerify" | "upload";

export interface Rate {
  points: number;
  seconds: number;
}

export interface RateLimitConfig {
  login: { perIp: Rate; perKey: Rate };
  sms: { perIp: Rate; perKey: Rate };
  smsVerify: { perIp: Rate; perKey: Rate };
  upload: { perIp: Rate; perKey: Rate };
  /** Addresses the per-address budgets skip (a load-test host). */
  allowIps: string[];
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimits {
  /**
   * Spends one request of `kind` for the address and for the key (an account, a phone, a user: pass a
   * hash, never the value itself, since the store may be Redis).
   */
  consume(kind: LimitKind, who: { ip: string; key?: string | null }): Promise<LimitDecision>;
}

type Limiter = RateLimiterMemory | RateLimiterRedis;

/** Redis when a client is given (budgets shared by every web process), memory otherwise. */
export function createRateLimits(config: RateLimitConfig, redis?: unknown): RateLimits {
  const make = (prefix: string, rate: Rate): Limiter => {
    const base = { keyPrefix: `rl:${prefix}`, points: rate.points, duration: rate.seconds };
    if (!redis) return new RateLimiterMemory(base);
    const options: IRateLimiterRedisOptions = {
      ...base,
      storeClient: redis,
      useRedisPackage: true,
      // While Redis is away each process keeps its own budget rather than refusing everyone.
      insuranceLimiter: new RateLimiterMemory(base),
    };
    return new RateLimiterRedis(options);
  };
  const limiters = Object.fromEntries(
    (["login", "sms", "smsVerify", "upload"] as const).map((kind) => [
      kind,
      { perIp: make(`${kind}:ip`, config[kind].perIp), perKey: make(`${kind}:key`, config[kind].perKey) },
    ]),
  ) as Record<LimitKind, { perIp: Limiter; perKey: Limiter }>;
  const allowed = new Set(config.allowIps);

  const spend = async (limiter: Limiter, key: string): Promise<number | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (result) {
      if (result instanceof RateLimiterRes) return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw result;
    }
  };

  return {
    async consume(kind, who) {
      const pair = limiters[kind];
      const waits = await Promise.all([
        allowed.has(who.ip) ? null : spend(pair.perIp, who.ip),
        who.key ? spend(pair.perKey, who.key) : null,
      ]);
      const wait = Math.max(0, ...waits.map((w) => w ?? 0));
      return wait > 0 ? { ok: false, retryAfterSeconds: wait } : { ok: true };
    },
  };
}

export function rateLimitedError(retryAfterSeconds: number): DomainError {
  return new DomainError("RATE_LIMITED", {
    seconds: retryAfterSeconds,
    minutes: Math.ceil(retryAfterSeconds / 60),
  });
}

/** Seconds to wait, from a throttling domain error (RATE_LIMITED, LOGIN_THROTTLED, SMS_RESEND_TOO_SOON). */
export function retryAfterOf(error: DomainError): number | null {
  const seconds = Number(error.params.seconds);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}
