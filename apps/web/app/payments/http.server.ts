import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { paymentRepository } from "@titles/db";
import { type PaymentDeps, receiveNotification } from "./payments.server";

/** Where the gateway posts its notifications. */
export const PAYMENT_NOTIFY_PATH = "/api/payments/notify";
/** Where the built-in gateway simulator is mounted (its merchant API and checkout). */
export const PAYMENT_GATEWAY_PATH = "/gateway-sim";

/** A notification is a few hundred bytes; anything much larger is not one. */
const MAX_NOTIFICATION_BYTES = 16 * 1024;

async function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_NOTIFICATION_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function answer(res: ServerResponse, status: number, outcome: string): void {
  const ok = status >= 200 && status < 300;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ result: ok ? "SUCCESS" : "FAIL", outcome }));
}

/**
 * The portal's callback endpoint, mounted before anything that parses or compresses: the signature
 * covers the raw bytes, so they must reach the check untouched. 2xx when handled (or a harmless
 * duplicate), 4xx when refused for good, 5xx on a transient failure so that the gateway retries.
 */
export function createPaymentCallbackHandler(deps: PaymentDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST" });
        res.end();
        return;
      }
      let raw: Buffer | null = null;
      try {
        raw = await readRaw(req);
        if (raw === null) {
          await paymentRepository.recordCallback(deps.db, {
            receivedAt: deps.now(),
            orderNo: null,
            providerTradeNo: null,
            outcome: "malformed",
            bodySha256: "",
          });
          answer(res, 413, "malformed");
          return;
        }
        const result = await receiveNotification(deps, {
          headers: req.headers,
          rawBody: raw,
          from: req.socket.remoteAddress,
        });
        answer(res, result.status, result.outcome);
      } catch (error) {
        // Never the body or headers in the log: they carry the signature.
        console.error(
          `[payments] callback failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (raw) {
          await paymentRepository
            .recordCallback(deps.db, {
              receivedAt: deps.now(),
              orderNo: null,
              providerTradeNo: null,
              outcome: "error",
              bodySha256: createHash("sha256").update(raw).digest("hex"),
            })
            .catch(() => {});
        }
        if (!res.headersSent) answer(res, 503, "error");
      }
    })();
  };
}
