// Where browsers report what the panel's CSP blocked (report-uri): one log line each, so a violation
// in any e2e run fails the log audit (tests/log-audit.ts). The portal has the same (apps never share code).
import type { IncomingMessage, ServerResponse } from "node:http";

export const CSP_REPORT_PATH = "/csp-report";
const MAX_BYTES = 16 * 1024;
const MAX_LINES_PER_MINUTE = 30;

/** The part of a URL worth logging: no query or fragment (tokens live there). */
function bare(url: unknown): string {
  if (typeof url !== "string" || url === "") return "-";
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? `${u.origin}${u.pathname}` : u.protocol;
  } catch {
    return url.slice(0, 40);
  }
}

/** A report's lines, from either the report-uri shape or the Reporting API's. */
export function describeReports(body: unknown): string[] {
  const items = Array.isArray(body)
    ? body.map((r) => r?.body)
    : [(body as Record<string, unknown>)?.["csp-report"]];
  return items
    .filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null)
    .map((r) => {
      const directive = r["effective-directive"] ?? r.effectiveDirective ?? r["violated-directive"] ?? "?";
      const blocked = bare(r["blocked-uri"] ?? r.blockedURL);
      const page = bare(r["document-uri"] ?? r.documentURL);
      return `CSP violation: ${String(directive)} blocked ${blocked} on ${page}`;
    });
}

/** Express-compatible handler for POST /csp-report; answers 204 whatever it gets. */
export function cspReportHandler(tag: string) {
  let windowStart = 0;
  let lines = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      res.statusCode = 204;
      res.end();
      if (size > MAX_BYTES) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return;
      }
      const now = Date.now();
      if (now - windowStart > 60_000) {
        windowStart = now;
        lines = 0;
      }
      for (const line of describeReports(body)) {
        if (++lines > MAX_LINES_PER_MINUTE) return;
        console.warn(`[${tag}] ${line}`);
      }
    });
  };
}
