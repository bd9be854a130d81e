import { sessionStatus, shouldTouchSession } from "@titles/domain";
import type { Db } from "./client";
import { sha256, verifySignedToken } from "./crypto";
import { sessionRepository } from "./repositories/sessions";
import type { RoleGrant, UserRecord } from "./repositories/users";

/**
 * The session cookie both apps read. `__Host-` makes the browser refuse it unless it is Secure, has
 * Path=/ and no Domain, so no sibling host or plain-HTTP page can plant or shadow it. Browsers treat
 * localhost as secure, so development over http://localhost still works.
 */
export const SESSION_COOKIE = "__Host-titles_session";

export type SessionResolution =
  | { ok: true; sessionId: string; user: UserRecord; roles: RoleGrant[] }
  | { ok: false; code: "SESSION_INVALID" | "SESSION_EXPIRED" };

/**
 * Turns a session cookie value into the acting user; both apps call this, so the panel accepts
 * the portal's sessions. Expired sessions are deleted on sight.
 */
export async function resolveSession(
  db: Db,
  cookieValue: string,
  secret: string,
  now: Date,
): Promise<SessionResolution> {
  const token = verifySignedToken(cookieValue, secret);
  if (!token) return { ok: false, code: "SESSION_INVALID" };
  const found = await sessionRepository.findWithActor(db, sha256(token));
  if (!found) return { ok: false, code: "SESSION_EXPIRED" };
  const { session, user, roles } = found;
  const status = sessionStatus(session, now);
  if (status !== "active") {
    await sessionRepository.deleteById(db, session.id);
    return { ok: false, code: "SESSION_EXPIRED" };
  }
  if (user.disabled) return { ok: false, code: "SESSION_EXPIRED" };
  if (shouldTouchSession(session, now)) await sessionRepository.touch(db, session.id, now);
  return { ok: true, sessionId: session.id, user, roles };
}
