// Which state-changing requests a browser may send on the user's behalf (decision 0015). One rule for the
// portal's form actions and uploads and for the panel's mutations and socket handshakes.
import { DomainError } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginRequest {
  method: string;
  /** The Origin header, if any ("null" from sandboxed or privacy-sensitive contexts). */
  origin: string | null | undefined;
  /** Sec-Fetch-Site, if any: same-origin, same-site, cross-site or none. */
  secFetchSite: string | null | undefined;
  /** The origin the request was sent to, as the server sees it (scheme and Host). */
  ownOrigin: string;
}

/**
 * CROSS_SITE_REQUEST, or null when the request may go on. Safe methods always may. A browser sends
 * Origin with every POST/PATCH/PUT/DELETE and WebSocket handshake (and Sec-Fetch-Site in current
 * browsers): it must be our own origin or one of `trusted`. Without either header the caller is not a
 * browser (curl, the payment gateway, the load benchmark): it cannot carry a victim's cookie in a forged
 * request, and SameSite=Lax already keeps the cookie off cross-site subrequests, so it passes to the
 * usual checks.
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
