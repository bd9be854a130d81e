// Cross-site request refusal (decision 0015): the browser says where a request comes from (Origin,
// Sec-Fetch-Site); a state-changing request from a page of another site is refused before any work.
import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError, messageFor } from "@titles/domain";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginRequest {
  method: string;
  /** The Origin header, if any ("null" from sandboxed or privacy-sensitive contexts). */
  origin: string | null | undefined;
  /** Sec-Fetch-Site, if any: same-origin, same-site, cross-site or none. */
  secFetchSite: string | null | undefined;
  /** The origin the request was sent to, as this server sees it (scheme and Host). */
  ownOrigin: string;
}

/**
 * Whether a request may change state. Safe methods always may. A browser sends Origin with every
 * POST/PATCH/PUT/DELETE (and Sec-Fetch-Site in current browsers): it must be our own origin or one of
 * `trusted` (the panel, which posts the logout form). Without either header the caller is not a browser
 * (curl, the payment gateway, the load benchmark): it cannot carry a victim's cookie in a forged request,
 * and SameSite=Lax already keeps the cookie off cross-site subrequests, so it passes to the usual checks.
 */
export function crossSiteRefusal(request: OriginRequest, trusted: readonly string[]): DomainError | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const allowed = new Set([request.ownOrigin, ...trusted].map(normalizeOrigin));
  const origin = request.origin?.trim();
  const site = request.secFetchSite?.trim().toLowerCase();
  // A page whose referrer policy is no-referrer sends `Origin: null` even to itself; the browser's own
  // Sec-Fetch-Site (which no page can set) still says where the request came from.
  if (origin === "null" && site === "same-origin") return null;
  if (origin) {
    return allowed.has(normalizeOrigin(origin)) ? null : new DomainError("CROSS_SITE_REQUEST");
  }
  // No Origin but the browser says where the request came from: only our own pages or the user typing.
  if (site && site !== "same-origin" && site !== "none") return new DomainError("CROSS_SITE_REQUEST");
  return null;
}

function normalizeOrigin(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

/**
 * The origin a Node request was addressed to: its Host with the scheme express derives (X-Forwarded-Proto
 * only from a trusted proxy). Behind a proxy that rewrites Host, PUBLIC_URL (always trusted) covers it.
 */
export function ownOriginOf(req: IncomingMessage & { protocol?: string }): string {
  return `${req.protocol ?? "http"}://${req.headers.host ?? "localhost"}`;
}

function localeOfHeader(header: string | undefined): "zh-CN" | "en" {
  return header && /^en\b/i.test(header) ? "en" : "zh-CN";
}

/** Writes the 403: JSON for API clients, plain text for a page; both languages, the reader's first. */
export function sendCrossSiteRefusal(req: IncomingMessage, res: ServerResponse, error: DomainError): void {
  const first = localeOfHeader(req.headers["accept-language"]);
  const second = first === "en" ? "zh-CN" : "en";
  const message = `${messageFor(error, first)} / ${messageFor(error, second)}`;
  res.statusCode = 403;
  res.setHeader("Cache-Control", "no-store");
  if ((req.headers.accept ?? "").includes("application/json") || req.url?.startsWith("/api/")) {
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.end(JSON.stringify({ ok: false, code: error.code, message }));
    return;
  }
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end(message);
}

/** Express middleware: refuses cross-site state-changing requests with 403 and a bilingual message. */
export function csrfGuard(trusted: readonly string[]) {
  return (
    req: IncomingMessage & { protocol?: string },
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) => {
    const refusal = crossSiteRefusal(
      {
        method: req.method ?? "GET",
        origin: req.headers.origin,
        secFetchSite: header(req.headers["sec-fetch-site"]),
        ownOrigin: ownOriginOf(req),
      },
      trusted,
    );
    if (refusal) {
      // Logged without the cookie or the body: where it came from and where it went.
      console.warn(
        `[web] 拒绝跨站请求 / refused cross-site ${req.method} ${req.url?.split("?")[0]} from ${req.headers.origin ?? header(req.headers["sec-fetch-site"])}`,
      );
      sendCrossSiteRefusal(req, res, refusal);
      return;
    }
    next();
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
