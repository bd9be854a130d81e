// Security headers of every portal response (decision 0015), helmet with a per-request script nonce.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import { CSP_REPORT_PATH } from "./csp-report.server";

export interface HeaderOptions {
  /** "strict": production and the e2e mode (the built app); "dev": Vite's inline scripts and HMR socket. */
  mode: "strict" | "dev";
  /** Send HSTS (production only: browsers ignore it over plain http anyway). */
  hsts: boolean;
  /** Our public address: https turns on upgrade-insecure-requests. */
  publicUrl: string;
  /** The panel's address: its pages post the logout form here and are sent back to after login. */
  panelUrl: string;
}

type Res = ServerResponse & { locals?: Record<string, unknown> };

/**
 * Pages whose address carries a secret token: the referrer they send must not. (The certificate check
 * and credential routes already say no-referrer themselves; the payment page does not.)
 */
const TOKEN_PAGES = [/^\/pay\/sim\//];

export function cspDirectives(options: HeaderOptions, nonce: (res: Res) => string) {
  const panel = new URL(options.panelUrl).origin;
  const strict = options.mode === "strict";
  return {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    // Remix's inline hydration scripts carry the nonce; module chunks and the pdf.js worker are ours.
    "script-src": strict
      ? ["'self'", (_req: IncomingMessage, res: ServerResponse) => `'nonce-${nonce(res as Res)}'`]
      : ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "script-src-attr": ["'none'"],
    // React writes style attributes into server-rendered HTML; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    // Thumbnails and photos are downscaled in the browser (blob:), pdf.js paints to data: images.
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": strict ? ["'self'"] : ["'self'", "ws:", "wss:"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    // After login the browser may be sent on to the panel.
    "form-action": ["'self'", panel],
    "manifest-src": ["'self'"],
    "upgrade-insecure-requests": options.publicUrl.startsWith("https:") ? [] : null,
    "report-uri": [CSP_REPORT_PATH],
  };
}

/** Express middleware: a fresh nonce in res.locals.cspNonce, then helmet's headers. */
export function securityHeaders(options: HeaderOptions) {
  const nonceOf = (res: Res) => String(res.locals?.cspNonce ?? "");
  const protect = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(options, nonceOf) },
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    xFrameOptions: { action: "deny" },
    // The panel (another origin) opens portal pages in the same tab only; no window needs an opener.
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
  return (req: IncomingMessage, res: Res, next: (error?: unknown) => void) => {
    res.locals ??= {};
    res.locals.cspNonce = randomBytes(16).toString("base64");
    // A route's own Referrer-Policy (no-referrer on token pages) replaces ours rather than being appended.
    const express = res as Res & { append?: (field: string, value: string | string[]) => unknown };
    const append = express.append?.bind(express);
    if (append) {
      express.append = (field, value) =>
        field.toLowerCase() === "referrer-policy" ? res.setHeader(field, value) : append(field, value);
    }
    protect(req, res, (error?: unknown) => {
      if (error) return next(error);
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (TOKEN_PAGES.some((p) => p.test(path))) res.setHeader("Referrer-Policy", "no-referrer");
      next();
    });
  };
}
