import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * The wire protocol of the built-in gateway (decision 0007), shared by the simulator and its client
 * adapter as a gateway's published spec would be. Every message is signed with HMAC-SHA256 over
 * `<timestamp>.<payload>`, where the payload is the raw body as sent (for a notification) or
 * `<METHOD> <path>\n<body>` (for the merchant's API calls): the receiver verifies the bytes it got,
 * never a re-serialisation, and a captured message stops being accepted once its timestamp is old.
 */
export const TIMESTAMP_HEADER = "x-gateway-timestamp";
export const SIGNATURE_HEADER = "x-gateway-signature";
const SIGNATURE_VERSION = "v1";

/** A notification older than this is a replay (or hopelessly late) and is refused. */
export const MAX_AGE_SECONDS = 5 * 60;
/** Clocks drift: a timestamp this far ahead of ours is still accepted. */
export const MAX_FUTURE_SKEW_SECONDS = 30;

export type SignedHeaders = Record<typeof TIMESTAMP_HEADER | typeof SIGNATURE_HEADER, string>;

export const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

function mac(secret: string, timestamp: number | string, payload: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(payload).digest();
}

/** `v1=<hex>` over `<timestamp>.<payload>`. */
export function signature(secret: string, timestamp: number, payload: string | Uint8Array): string {
  return `${SIGNATURE_VERSION}=${mac(secret, timestamp, payload).toString("hex")}`;
}

export function signedHeaders(secret: string, at: Date, payload: string | Uint8Array): SignedHeaders {
  const timestamp = unixSeconds(at);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signature(secret, timestamp, payload),
  };
}

/** The payload a merchant API call is signed over: method, path (with query) and body. */
export function requestPayload(method: string, path: string, body: string | Uint8Array = ""): Buffer {
  return Buffer.concat([Buffer.from(`${method.toUpperCase()} ${path}\n`), Buffer.from(body)]);
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "bad-signature" | "stale" };

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks the signature first (constant time: nothing about the expected MAC leaks through timing),
 * then the age: an unsigned timestamp says nothing, a signed old one is a replay.
 */
export function verifySigned(
  secret: string,
  headers: HeaderBag,
  payload: string | Uint8Array,
  now: Date,
): VerifyResult {
  const timestamp = header(headers, TIMESTAMP_HEADER) ?? "";
  const given = header(headers, SIGNATURE_HEADER) ?? "";
  const match = /^v1=([0-9a-f]{64})$/.exec(given);
  if (!/^\d{1,12}$/.test(timestamp) || !match) return { ok: false, reason: "bad-signature" };
  const expected = mac(secret, timestamp, payload);
  if (!timingSafeEqual(expected, Buffer.from(match[1]!, "hex")))
    return { ok: false, reason: "bad-signature" };
  const age = unixSeconds(now) - Number(timestamp);
  if (age > MAX_AGE_SECONDS || age < -MAX_FUTURE_SKEW_SECONDS) return { ok: false, reason: "stale" };
  return { ok: true, timestamp: Number(timestamp) };
}

/** What the gateway posts to the merchant's notify URL once an order is paid. */
export const ZPaymentNotification = z.object({
  /** Same for every retry of one notification. */
  notifyId: z.string().min(1).max(64),
  event: z.literal("payment.succeeded"),
  orderNo: z.string().regex(/^[A-Z0-9]{8,32}$/),
  tradeNo: z.string().regex(/^[A-Z0-9]{8,64}$/),
  amountFen: z.number().int().min(0).max(100_000_000),
  paidAt: z.string().datetime({ offset: true }),
});
export type PaymentNotification = z.output<typeof ZPaymentNotification>;

/** The merchant's call that makes a payment for an order. */
export const ZCreatePaymentRequest = z.object({
  orderNo: z.string().regex(/^[A-Z0-9]{8,32}$/),
  amountFen: z.number().int().min(1).max(100_000_000),
  subject: z.string().min(1).max(128),
  notifyUrl: z.string().url(),
  returnUrl: z.string().min(1).max(2048),
});
export type CreatePaymentRequest = z.output<typeof ZCreatePaymentRequest>;

export const ZCreatePaymentResponse = z.object({ payUrl: z.string().min(1) });

/** The answer to an order query (reconciliation). */
export const ZOrderQueryResponse = z.discriminatedUnion("status", [
  z.object({
    orderNo: z.string(),
    status: z.literal("paid"),
    tradeNo: z.string(),
    amountFen: z.number().int(),
    paidAt: z.string().datetime({ offset: true }),
  }),
  z.object({ orderNo: z.string(), status: z.enum(["pending", "failed", "unknown"]) }),
]);
export type OrderQueryResponse = z.output<typeof ZOrderQueryResponse>;

/** What the hosted pay page shows and sends (the payer's side of the gateway). */
export const ZCheckoutView = z.object({
  orderNo: z.string(),
  subject: z.string(),
  amountFen: z.number().int(),
  status: z.enum(["pending", "paid", "failed"]),
  tradeNo: z.string().nullable(),
  returnUrl: z.string(),
});
export type CheckoutView = z.output<typeof ZCheckoutView>;

export const ZCheckoutAction = z.object({ action: z.enum(["pay", "fail"]) });
