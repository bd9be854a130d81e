// Cross-site request refusal (decision 0015): the browser says where a request comes from (Origin,
// Sec-Fetch-Site); a state-changing request from a page of another site is refused before any work.
import type { IncomingMessage, ServerResponse } from "node:http";
import { crossSiteRefusal, type DomainError, messageFor } from "@titles/domain";

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
