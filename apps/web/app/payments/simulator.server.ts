import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type CheckoutView,
  type CreatePaymentRequest,
  requestPayload,
  SIGNATURE_HEADER,
  signature,
  TIMESTAMP_HEADER,
  unixSeconds,
  verifySigned,
  ZCheckoutAction,
  ZCreatePaymentRequest,
} from "./protocol.server";

/**
 * The built-in payment gateway: what a remote gateway does, in process and in memory. It keeps its
 * own orders (it never reads the portal's tables), serves a merchant API (create, query — signed),
 * the payer's checkout (behind an unguessable token) and, once an order is paid, notifies the
 * merchant asynchronously with a signed callback, retrying with backoff until it gets a 2xx, a 4xx
 * (the merchant refuses: retrying cannot help) or runs out of attempts. Decision 0007.
 */

export interface GatewaySimulatorOptions {
  /** Shared with the merchant: signs notifications, verifies API calls. */
  secret: string;
  now?: () => Date;
  /** The browser URL of the hosted pay page for a checkout token. */
  payPageUrl?: (token: string) => string;
  /**
   * Waits before each retry of a notification; its length bounds the attempts (one more than it).
   * Default: 2 s, 10 s, 30 s, 2 min, 10 min, 30 min, 1 h.
   */
  retryDelaysMs?: readonly number[];
  /** A merchant answering slower than this counts as not answering. */
  notifyTimeoutMs?: number;
  log?: (line: string) => void;
}

export const defaultRetryDelaysMs = [2_000, 10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000] as const;

export interface DeliveryAttempt {
  attempt: number;
  at: Date;
  /** HTTP status, 0 when the merchant could not be reached; `lost` when a test hook dropped it. */
  status: number | "lost";
}

/** A notification exactly as sent: what someone on the wire could capture and replay. */
export interface SentNotification {
  url: string;
  body: string;
  timestamp: number;
  signature: string;
}

interface SimOrder {
  request: CreatePaymentRequest;
  token: string;
  status: "pending" | "paid" | "failed";
  tradeNo: string | null;
  paidAt: Date | null;
  notifyId: string | null;
  attempts: DeliveryAttempt[];
  /** The last notification sent for it. */
  sent: SentNotification | null;
}

export interface GatewaySimulator {
  /** Express-compatible; mount it with `app.use(path, simulator.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Test hook: every notification of this order is lost on the way (the merchant never hears). */
  loseCallbacks(orderNo: string): void;
  /** Test hook: posts a notification with exactly this body, timestamp and signature. */
  sendCallback(input: {
    url: string;
    body: string;
    /** Default: now. */
    timestamp?: number;
    /** Default: the correct signature of body and timestamp. */
    signature?: string;
  }): Promise<{ status: number; body: string }>;
  /** The notification body the gateway sends for a paid order (for tests crafting variants). */
  notificationBody(orderNo: string): string | null;
  /** The last notification sent for an order, as it went over the wire. */
  lastSent(orderNo: string): SentNotification | null;
  deliveries(orderNo: string): DeliveryAttempt[];
  /** Resolves once the order's notification was attempted `count` times. */
  attempted(orderNo: string, count: number): Promise<void>;
  /** The hosted pay URL of an order (null if the merchant never created its payment). */
  payUrlOf(orderNo: string): string | null;
  /** Resolves once no notification is waiting or in flight. */
  settled(): Promise<void>;
  /** Cancels pending retries. */
  close(): void;
}

const ids = (prefix: string) =>
  `${prefix}${Date.now().toString(36).toUpperCase()}${randomBytes(6).toString("hex").toUpperCase()}`;

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export function createGatewaySimulator(options: GatewaySimulatorOptions): GatewaySimulator {
  const now = options.now ?? (() => new Date());
  const retryDelays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const payPageUrl = options.payPageUrl ?? ((token: string) => `/pay/sim/${token}`);
  const log = options.log ?? (() => {});
  const orders = new Map<string, SimOrder>();
  const byToken = new Map<string, string>();
  const lost = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const attemptWaiters: Array<{ orderNo: string; count: number; resolve: () => void }> = [];

  function recordAttempt(order: SimOrder, attempt: DeliveryAttempt) {
    order.attempts.push(attempt);
    for (let i = attemptWaiters.length - 1; i >= 0; i--) {
      const waiter = attemptWaiters[i]!;
      if (waiter.orderNo === order.request.orderNo && order.attempts.length >= waiter.count) {
        attemptWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  const busy = () => timers.size + inFlight > 0;
  function wake() {
    if (busy()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  }

  function bodyOf(order: SimOrder): string {
    return JSON.stringify({
      notifyId: order.notifyId,
      event: "payment.succeeded",
      orderNo: order.request.orderNo,
      tradeNo: order.tradeNo,
      amountFen: order.request.amountFen,
      paidAt: order.paidAt!.toISOString(),
    });
  }

  async function post(url: string, body: string, timestamp: number, sig: string) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: sig,
      },
      body,
      signal: AbortSignal.timeout(options.notifyTimeoutMs ?? 10_000),
    });
    return { status: response.status, body: await response.text() };
  }

  function schedule(order: SimOrder, attempt: number, delayMs: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      inFlight += 1;
      deliver(order, attempt)
        .catch((error) =>
          log(`notify ${order.request.orderNo}: ${error instanceof Error ? error.message : error}`),
        )
        .finally(() => {
          inFlight -= 1;
          wake();
        });
    }, delayMs);
    timer.unref?.();
    timers.add(timer);
  }

  async function deliver(order: SimOrder, attempt: number) {
    const at = now();
    if (lost.has(order.request.orderNo)) {
      recordAttempt(order, { attempt, at, status: "lost" });
      return;
    }
    // Every attempt is signed afresh: a retry an hour later must not look like a replay.
    const body = bodyOf(order);
    const timestamp = unixSeconds(at);
    const sig = signature(options.secret, timestamp, body);
    order.sent = { url: order.request.notifyUrl, body, timestamp, signature: sig };
    let status = 0;
    try {
      status = (await post(order.request.notifyUrl, body, timestamp, sig)).status;
    } catch {
      status = 0;
    }
    recordAttempt(order, { attempt, at, status });
    const accepted = status >= 200 && status < 300;
    // 4xx: the merchant refuses this notification for good (forged, mismatched...); retrying is pointless.
    const refused = status >= 400 && status < 500 && status !== 408 && status !== 429;
    if (accepted || refused) return;
    const delay = retryDelays[attempt - 1];
    if (delay === undefined) {
      log(`notify ${order.request.orderNo}: giving up after ${attempt} attempts`);
      return;
    }
    schedule(order, attempt + 1, delay);
  }

  function checkoutView(order: SimOrder): CheckoutView {
    return {
      orderNo: order.request.orderNo,
      subject: order.request.subject,
      amountFen: order.request.amountFen,
      status: order.status,
      tradeNo: order.tradeNo,
      returnUrl: order.request.returnUrl,
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    if (body === null) return json(res, 413, { error: "body too large" });

    // The merchant API: every call signed.
    if (url.pathname.startsWith("/v1/")) {
      const verified = verifySigned(
        options.secret,
        req.headers,
        requestPayload(method, url.pathname + url.search, body),
        now(),
      );
      if (!verified.ok) return json(res, 401, { error: verified.reason });
      if (method === "POST" && url.pathname === "/v1/payments") {
        let input: unknown;
        try {
          input = JSON.parse(body.toString("utf8"));
        } catch {
          return json(res, 400, { error: "malformed" });
        }
        const parsed = ZCreatePaymentRequest.safeParse(input);
        if (!parsed.success) return json(res, 400, { error: "malformed" });
        const existing = orders.get(parsed.data.orderNo);
        if (existing) {
          if (existing.request.amountFen !== parsed.data.amountFen) {
            return json(res, 409, { error: "order exists with another amount" });
          }
          return json(res, 200, { payUrl: payPageUrl(existing.token) });
        }
        const token = randomBytes(24).toString("base64url");
        orders.set(parsed.data.orderNo, {
          request: parsed.data,
          token,
          status: "pending",
          tradeNo: null,
          paidAt: null,
          notifyId: null,
          attempts: [],
          sent: null,
        });
        byToken.set(token, parsed.data.orderNo);
        return json(res, 200, { payUrl: payPageUrl(token) });
      }
      const query = /^\/v1\/payments\/([A-Z0-9]{1,64})$/.exec(url.pathname);
      if (method === "GET" && query) {
        const order = orders.get(query[1]!);
        if (!order) return json(res, 404, { orderNo: query[1], status: "unknown" });
        return json(
          res,
          200,
          order.status === "paid"
            ? {
                orderNo: order.request.orderNo,
                status: "paid",
                tradeNo: order.tradeNo,
                amountFen: order.request.amountFen,
                paidAt: order.paidAt!.toISOString(),
              }
            : { orderNo: order.request.orderNo, status: order.status },
        );
      }
      return json(res, 404, { error: "no such call" });
    }

    // The payer's checkout: the token in the URL is the only key.
    const checkout = /^\/checkout\/([A-Za-z0-9_-]{16,64})$/.exec(url.pathname);
    if (checkout) {
      const orderNo = byToken.get(checkout[1]!);
      const order = orderNo ? orders.get(orderNo) : undefined;
      if (!order) return json(res, 404, { error: "no such checkout" });
      if (method === "GET") return json(res, 200, checkoutView(order));
      if (method !== "POST") return json(res, 405, { error: "method" });
      let input: unknown;
      try {
        input = JSON.parse(body.toString("utf8"));
      } catch {
        return json(res, 400, { error: "malformed" });
      }
      const parsed = ZCheckoutAction.safeParse(input);
      if (!parsed.success) return json(res, 400, { error: "malformed" });
      // Paying twice through the page does nothing more: the order is paid once.
      if (order.status !== "paid") {
        if (parsed.data.action === "fail") {
          order.status = "failed";
        } else {
          order.status = "paid";
          order.tradeNo = ids("SIM");
          order.paidAt = now();
          order.notifyId = randomUUID();
          // Answer the payer first; the merchant hears about it afterwards, like from a real gateway.
          schedule(order, 1, 0);
        }
      }
      return json(res, 200, checkoutView(order));
    }
    return json(res, 404, { error: "not found" });
  }

  return {
    handle(req, res, next) {
      route(req, res).catch((error) => {
        if (next) next(error);
        else if (!res.headersSent) json(res, 500, { error: "internal" });
      });
    },
    loseCallbacks(orderNo) {
      lost.add(orderNo);
    },
    async sendCallback(input) {
      const timestamp = input.timestamp ?? unixSeconds(now());
      const sig = input.signature ?? signature(options.secret, timestamp, input.body);
      return post(input.url, input.body, timestamp, sig);
    },
    notificationBody(orderNo) {
      const order = orders.get(orderNo);
      return order?.status === "paid" ? bodyOf(order) : null;
    },
    lastSent: (orderNo) => orders.get(orderNo)?.sent ?? null,
    deliveries: (orderNo) => [...(orders.get(orderNo)?.attempts ?? [])],
    attempted(orderNo, count) {
      if ((orders.get(orderNo)?.attempts.length ?? 0) >= count) return Promise.resolve();
      return new Promise((resolve) => attemptWaiters.push({ orderNo, count, resolve }));
    },
    payUrlOf(orderNo) {
      const order = orders.get(orderNo);
      return order ? payPageUrl(order.token) : null;
    },
    settled() {
      if (!busy()) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      wake();
    },
  };
}
