import { sessionStatus, shouldTouchSession } from "@titles/domain";
import type { Db } from "./client";
import { sha256, verifySignedToken } from "./crypto";
import { sessionRepository } from "./repositories/sessions";
import { type RoleGrant, type UserRecord, userRepository } from "./repositories/users";

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
  const session = await sessionRepository.findByTokenHash(db, sha256(token));
  if (!session) return { ok: false, code: "SESSION_EXPIRED" };
  const status = sessionStatus(session, now);
  if (status !== "active") {
    await sessionRepository.deleteById(db, session.id);
    return { ok: false, code: "SESSION_EXPIRED" };
  }
  const user = await userRepository.findById(db, session.userId);
  if (!user || user.disabled) return { ok: false, code: "SESSION_EXPIRED" };
  if (shouldTouchSession(session, now)) await sessionRepository.touch(db, session.id, now);
  const roles = await userRepository.findRoles(db, user.id);
  return { ok: true, sessionId: session.id, user, roles };
}
