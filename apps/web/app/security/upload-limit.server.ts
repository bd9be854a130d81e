// Upload budgets (tus POST/PATCH and the material commands) checked before any byte is read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { messageFor } from "@titles/domain";
import { parse } from "cookie";
import { SESSION_COOKIE } from "~/lib/auth.server";
import { limitKey, rateLimits } from "./limits.server";
import { type RateLimits, rateLimitedError } from "./rate-limit.server";

const SPENDING = new Set(["POST", "PATCH", "PUT"]);

/**
 * Express middleware. The key is the signed-in session (hashed), so one account's uploads share a
 * budget without a database read per chunk; anonymous requests only spend the address's budget
 * (and are refused by the upload handler anyway).
 */
export function uploadLimit(limits: () => Promise<RateLimits> = rateLimits) {
  return (
    req: IncomingMessage & { ip?: string; originalUrl?: string },
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) => {
    if (!SPENDING.has(req.method ?? "")) return next();
    const session = parse(req.headers.cookie ?? "")[SESSION_COOKIE];
    limits()
      .then((limits) =>
        limits.consume("upload", {
          ip: req.ip ?? "unknown",
          key: session ? limitKey("upload", session) : null,
        }),
      )
      .then((decision) => {
        if (decision.ok) return next();
        const error = rateLimitedError(decision.retryAfterSeconds);
        const en = /^en\b/i.test(req.headers["accept-language"] ?? "");
        const message = en
          ? `${messageFor(error, "en")} / ${messageFor(error, "zh-CN")}`
          : `${messageFor(error, "zh-CN")} / ${messageFor(error, "en")}`;
        res.statusCode = 429;
        res.setHeader("Retry-After", String(decision.retryAfterSeconds));
        res.setHeader("Cache-Control", "no-store");
        if ((req.originalUrl ?? req.url ?? "").startsWith("/api/materials")) {
          res.setHeader("Content-Type", "application/json; charset=utf-8");
          res.end(JSON.stringify({ ok: false, code: error.code, message }));
        } else {
          // tus answers: the client shows the body as it is; keep the protocol header it expects.
          res.setHeader("Tus-Resumable", "1.0.0");
          res.setHeader("Content-Type", "text/plain; charset=utf-8");
          res.end(message);
        }
      }, next);
  };
}
