// The portal's rate limits, made once from the environment, and their use from Remix actions.
import type { AppLoadContext } from "@remix-run/node";
import { lookupHash } from "@titles/db";
import type { DomainError } from "@titles/domain";
import { env } from "~/env.server";
import {
  createRateLimits,
  type LimitKind,
  type RateLimits,
  rateLimitedError,
  retryAfterOf,
} from "./rate-limit.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-request CSP nonce (entry.server passes it to React). */
    cspNonce?: string;
    /** Sets a header on the response Remix is about to send (Retry-After with a 429). */
    setResponseHeader?: (name: string, value: string) => void;
  }
}

let instance: Promise<RateLimits> | null = null;

export function rateLimits(): Promise<RateLimits> {
  instance ??= make();
  return instance;
}

async function make(): Promise<RateLimits> {
  const config = env();
  let redis: unknown;
  if (config.REDIS_URL) {
    const { createClient } = await import("redis");
    const client = createClient({ url: config.REDIS_URL, disableOfflineQueue: true });
    let lastLog = 0;
    client.on("error", (error: Error) => {
      if (Date.now() - lastLog < 5000) return;
      lastLog = Date.now();
      console.error(`[web] Redis (rate limits): ${error.message}`);
    });
    // Not awaited: while Redis is unreachable (at start or later) commands fail at once (no offline
    // queue) and each process counts in its own memory (the insurance limiter) instead of hanging.
    client.connect().catch((error: Error) => console.error(`[web] Redis (rate limits): ${error.message}`));
    redis = client;
  }
  return createRateLimits(
    {
      login: { perIp: config.RATE_LIMIT_LOGIN_PER_IP, perKey: config.RATE_LIMIT_LOGIN_PER_ACCOUNT },
      sms: { perIp: config.RATE_LIMIT_SMS_PER_IP, perKey: config.RATE_LIMIT_SMS_PER_PHONE },
      smsVerify: {
        perIp: config.RATE_LIMIT_SMS_VERIFY_PER_IP,
        perKey: config.RATE_LIMIT_SMS_VERIFY_PER_PHONE,
      },
      upload: { perIp: config.RATE_LIMIT_UPLOAD_PER_IP, perKey: config.RATE_LIMIT_UPLOAD_PER_USER },
      allowIps: config.RATE_LIMIT_ALLOW_IPS,
    },
    redis,
  );
}

/** The limiter's key for a login name, phone or user id: a keyed hash, never the value itself. */
export function limitKey(kind: LimitKind, value: string): string {
  return lookupHash(env().LOOKUP_HASH_KEY, `rate:${kind}:${value}`);
}

/** Spends one request; a refusal comes back as RATE_LIMITED with Retry-After already on the response. */
export async function spendOrRefuse(
  context: AppLoadContext,
  kind: LimitKind,
  who: { ip: string; key?: string | null },
): Promise<DomainError | null> {
  const decision = await (await rateLimits()).consume(kind, who);
  if (decision.ok) return null;
  const error = rateLimitedError(decision.retryAfterSeconds);
  markRetryAfter(context, error);
  return error;
}

/** Puts Retry-After on the response for any throttling error (RATE_LIMITED, LOGIN_THROTTLED, SMS_…). */
export function markRetryAfter(context: AppLoadContext, error: DomainError): number | null {
  const seconds = retryAfterOf(error);
  if (seconds !== null) context.setResponseHeader?.("Retry-After", String(seconds));
  return seconds;
}
