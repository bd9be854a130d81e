import {
  type CreatePaymentRequest,
  requestPayload,
  signedHeaders,
  verifySigned,
  ZCreatePaymentResponse,
  ZOrderQueryResponse,
  ZPaymentNotification,
} from "./protocol.server";

/** A paid order as the provider reports it (by notification or by query). */
export interface ProviderPayment {
  orderNo: string;
  /** The provider's transaction number: unique per payment. */
  tradeNo: string;
  amountFen: number;
  paidAt: Date;
}

export type ProviderPaymentStatus =
  | ({ paid: true } & ProviderPayment)
  | { paid: false; status: "pending" | "failed" | "unknown" };

/** A notification as received: checked by the provider's own rules before anything is believed. */
export type NotificationCheck =
  | { ok: true; payment: ProviderPayment; notifyId: string }
  | {
      ok: false;
      reason: "bad-signature" | "stale" | "malformed";
      /** The order number the body claims, if it can be read at all (for the record, not trusted). */
      claimedOrderNo: string | null;
    };

/**
 * What any payment gateway adapter provides; the built-in simulator is the default. A real adapter
 * (with its own signature scheme) implements the same three calls.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Registers the payment of an order; the payer is sent to the hosted pay URL. Idempotent per order. */
  createPayment(input: CreatePaymentRequest): Promise<{ payUrl: string }>;
  /** Asks the gateway how an order stands (reconciliation). */
  queryPayment(orderNo: string): Promise<ProviderPaymentStatus>;
  /** Verifies a notification over the raw bytes received. */
  verifyNotification(input: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
    now: Date;
  }): NotificationCheck;
}

/** The gateway could not be reached or answered nonsense: worth trying again later. */
export class PaymentProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentProviderError";
  }
}

function claimedOrderNo(rawBody: Buffer): string | null {
  try {
    const value = (JSON.parse(rawBody.toString("utf8")) as { orderNo?: unknown }).orderNo;
    return typeof value === "string" ? value.slice(0, 64) : null;
  } catch {
    return null;
  }
}

/**
 * The client side of the built-in gateway simulator: talks to its HTTP API like an adapter talks to a
 * remote gateway, with every call signed by the shared secret.
 */
export function createSimulatorProvider(options: {
  /** The simulator's API root, e.g. http://127.0.0.1:3000/gateway-sim */
  baseUrl: string;
  secret: string;
  /** The clock the signatures carry. */
  now?: () => Date;
  timeoutMs?: number;
}): PaymentProvider {
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  const clock = options.now ?? (() => new Date());

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<Response> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers = {
      ...signedHeaders(options.secret, clock(), requestPayload(method, path, text)),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    };
    try {
      return await fetch(new URL(path.slice(1), base), {
        method,
        headers,
        body: body === undefined ? undefined : text,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new PaymentProviderError(
        `gateway unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  return {
    name: "simulator",

    async createPayment(input) {
      const response = await call("POST", "/v1/payments", input);
      if (!response.ok) throw new PaymentProviderError(`gateway refused the payment (${response.status})`);
      const parsed = ZCreatePaymentResponse.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new PaymentProviderError("gateway answered an unreadable payment");
      return parsed.data;
    },

    async queryPayment(orderNo) {
      const response = await call("GET", `/v1/payments/${encodeURIComponent(orderNo)}`);
      if (response.status === 404) return { paid: false, status: "unknown" };
      if (!response.ok) throw new PaymentProviderError(`gateway query failed (${response.status})`);
      const parsed = ZOrderQueryResponse.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new PaymentProviderError("gateway answered an unreadable order");
      const order = parsed.data;
      return order.status === "paid"
        ? {
            paid: true,
            orderNo: order.orderNo,
            tradeNo: order.tradeNo,
            amountFen: order.amountFen,
            paidAt: new Date(order.paidAt),
          }
        : { paid: false, status: order.status };
    },

    verifyNotification({ headers, rawBody, now }) {
      const verified = verifySigned(options.secret, headers, rawBody, now);
      if (!verified.ok)
        return { ok: false, reason: verified.reason, claimedOrderNo: claimedOrderNo(rawBody) };
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString("utf8"));
      } catch {
        return { ok: false, reason: "malformed", claimedOrderNo: null };
      }
      const parsed = ZPaymentNotification.safeParse(json);
      if (!parsed.success) return { ok: false, reason: "malformed", claimedOrderNo: claimedOrderNo(rawBody) };
      const n = parsed.data;
      return {
        ok: true,
        notifyId: n.notifyId,
        payment: {
          orderNo: n.orderNo,
          tradeNo: n.tradeNo,
          amountFen: n.amountFen,
          paidAt: new Date(n.paidAt),
        },
      };
    },
  };
}
