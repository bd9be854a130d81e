import {
  appendAudit,
  type Db,
  loginFailureRepository,
  lookupHash,
  newToken,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
  verifySignedToken,
} from "@titles/db";
import {
  DomainError,
  defaultLoginThrottlePolicy,
  loginThrottle,
  loginThrottledError,
  normalizeLogin,
} from "@titles/domain";
import { z } from "zod";
import { env } from "~/env.server";
import { verifyAgainstNothing, verifyPassword } from "./passwords.server";

export const ZLoginInput = z.object({
  login: z.string().trim().max(40).default(""),
  password: z.string().max(200).default(""),
});
export type TLoginInput = z.infer<typeof ZLoginInput>;

export type LoginResult =
  | { ok: true; userId: string; cookieValue: string }
  | { ok: false; error: DomainError };

// A whole office may share one address, so the address gets more room than one account.
const perAddressPolicy = { ...defaultLoginThrottlePolicy, freeAttempts: 30 };
const lookBackMs =
  (defaultLoginThrottlePolicy.windowMinutes * 60 + defaultLoginThrottlePolicy.maxLockSeconds) * 1000;

export async function login(
  db: Db,
  input: TLoginInput,
  context: { now: Date; ip: string; userAgent: string | null; currentCookie: string | null },
): Promise<LoginResult> {
  const { now } = context;
  const key = env().LOOKUP_HASH_KEY;
  const normalized = normalizeLogin(input.login);
  const accountKey = lookupHash(key, `login:${normalized}`);
  const addressKey = lookupHash(key, `ip:${context.ip}`);
  const since = new Date(now.getTime() - lookBackMs);

  const [accountFailures, addressFailures] = await Promise.all([
    loginFailureRepository.findSince(db, accountKey, since),
    loginFailureRepository.findSince(db, addressKey, since),
  ]);
  for (const decision of [
    loginThrottle(accountFailures, now),
    loginThrottle(addressFailures, now, perAddressPolicy),
  ]) {
    if (!decision.allowed) return { ok: false, error: loginThrottledError(decision.retryAfterSeconds) };
  }

  const credentials = normalized
    ? await userRepository.findCredentialsByLookupHash(db, lookupHash(key, normalized))
    : null;
  let valid = false;
  if (credentials)
    valid = !credentials.user.disabled && (await verifyPassword(credentials.passwordHash, input.password));
  else await verifyAgainstNothing(input.password);

  if (!valid || !credentials) {
    await loginFailureRepository.record(db, [accountKey, addressKey], now);
    const after = loginThrottle([...accountFailures, now], now);
    return {
      ok: false,
      error: after.allowed ? new DomainError("LOGIN_FAILED") : loginThrottledError(after.retryAfterSeconds),
    };
  }

  const token = newToken();
  const userId = credentials.user.id;
  await db.transaction(async (tx) => {
    // Rotation: whatever session this browser had is replaced, never reused.
    const previous = context.currentCookie
      ? verifySignedToken(context.currentCookie, env().SESSION_SECRET)
      : null;
    if (previous) {
      const old = await sessionRepository.findByTokenHash(tx, sha256(previous));
      if (old) await sessionRepository.deleteById(tx, old.id);
    }
    await loginFailureRepository.clear(tx, [accountKey]);
    const sessionId = await sessionRepository.insert(tx, {
      userId,
      tokenHash: sha256(token),
      userAgent: context.userAgent,
      at: now,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: userId,
      action: "session.created",
      objectType: "user",
      objectId: userId,
      data: { sessionId },
    });
  });
  return { ok: true, userId, cookieValue: signToken(token, env().SESSION_SECRET) };
}

export async function logout(db: Db, actor: { userId: string; sessionId: string }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await sessionRepository.deleteById(tx, actor.sessionId);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.userId,
      action: "session.ended",
      objectType: "user",
      objectId: actor.userId,
      data: { sessionId: actor.sessionId },
    });
  });
}

export async function logoutEverywhere(db: Db, userId: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const count = await sessionRepository.deleteAllForUser(tx, userId);
    await appendAudit(tx, {
      at: now,
      actorUserId: userId,
      action: "session.ended-everywhere",
      objectType: "user",
      objectId: userId,
      data: { count },
    });
    return count;
  });
}
