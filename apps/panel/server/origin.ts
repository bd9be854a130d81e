// Cross-site refusal for the panel (decision 0015): state-changing requests and socket handshakes sent
// by a page of another origin carry the expert's cookie but not the expert's intent.
import type { IncomingMessage, ServerResponse } from "node:http";
import { crossSiteRefusal, DomainError, messageFor } from "@titles/domain";

/**
 * Whether a request may go on, by the one cross-site rule (@titles/domain `crossSiteRefusal`): the
 * panel's own origin is the first of `origins`.
 */
export function allowedOrigin(
  headers: IncomingMessage["headers"],
  origins: readonly string[],
  method = "POST",
): boolean {
  const refusal = crossSiteRefusal(
    {
      method,
      origin: headers.origin,
      secFetchSite: [headers["sec-fetch-site"]].flat()[0],
      ownOrigin: origins[0] ?? "",
    },
    origins,
  );
  return refusal === null;
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
