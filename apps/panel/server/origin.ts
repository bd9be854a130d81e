// Cross-site refusal for the panel (decision 0015): state-changing requests and socket handshakes sent
// by a page of another origin carry the expert's cookie but not the expert's intent.
import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError, messageFor } from "@titles/domain";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

/**
 * Whether a request may go on. Browsers send Origin with every POST (tRPC mutations) and WebSocket
 * handshake; it must be one of `origins`. Without Origin, Sec-Fetch-Site (if sent) must say the request
 * came from the panel itself; a client sending neither is not a browser and is judged by its cookie.
 */
export function allowedOrigin(
  headers: IncomingMessage["headers"],
  origins: readonly string[],
  method = "POST",
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const origin = headers.origin;
  const site = [headers["sec-fetch-site"]].flat()[0]?.toLowerCase();
  // `Origin: null` from our own page (a strict referrer policy): the browser's Sec-Fetch-Site tells.
  if (origin === "null" && site === "same-origin") return true;
  if (origin) return origins.map(originOf).includes(originOf(origin));
  return !site || site === "same-origin" || site === "none";
}

/** Both languages, the reader's first. */
export function crossSiteMessage(acceptLanguage: string | undefined): string {
  const error = new DomainError("CROSS_SITE_REQUEST");
  const [first, second] = /^en\b/i.test(acceptLanguage ?? "")
    ? (["en", "zh-CN"] as const)
    : (["zh-CN", "en"] as const);
  return `${messageFor(error, first)} / ${messageFor(error, second)}`;
}

/** Express middleware: 403 with a bilingual JSON message for a cross-site POST/PUT/PATCH/DELETE. */
export function crossSiteGuard(origins: readonly string[]) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (allowedOrigin(req.headers, origins, req.method)) return next();
    console.warn(`[panel] 拒绝跨站请求 / refused cross-site ${req.method} ${req.url?.split("?")[0]}`);
    res.statusCode = 403;
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    const message = crossSiteMessage(req.headers["accept-language"]);
    res.end(JSON.stringify({ ok: false, code: "CROSS_SITE_REQUEST", message }));
  };
}
