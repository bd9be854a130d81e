import { lookupHash, resolveSession, sessionRepository, userRepository } from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, logout, logoutEverywhere } from "./login.server";
import { hashPassword } from "./passwords.server";

const SECRET = "test-session-secret-0123456789abcdef";
const KEY = "test-lookup-key-0123456789abcdefghij";
const PASSWORD = "River-Stone-2021";

describe.each(testTargets)("login on %s", (target) => {
  let handle: TestDb;
  let userId: string;
  const base = new Date("2026-11-27T02:00:00Z");
  const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);
  const context = (seconds: number, currentCookie: string | null = null, ip = "10.0.0.1") => ({
    now: at(seconds),
    ip,
    userAgent: "vitest",
    currentCookie,
  });

  beforeAll(async () => {
    handle = await createTestDb(target);
    const user = await userRepository.insert(handle.db, {
      name: "张伟",
      idType: "mainland",
      idNumber: "110108198503120011",
      idNumberHash: lookupHash(KEY, "110108198503120011"),
      phone: "13800000001",
      phoneHash: lookupHash(KEY, "13800000001"),
      passwordHash: await hashPassword(PASSWORD),
      phoneVerifiedAt: base,
    });
    userId = user.id;
    await userRepository.grantRole(handle.db, userId, "applicant", null);
  });
  afterAll(() => handle.close());

  it("stores passwords as argon2id", async () => {
    expect(await hashPassword(PASSWORD)).toMatch(/^\$argon2id\$/);
  });

  it("logs in by phone or by ID number (lower-case x accepted) and rotates the session", async () => {
    const first = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(0));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = await login(
      handle.db,
      { login: "110108198503120011", password: PASSWORD },
      context(10, first.cookieValue),
    );
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.cookieValue).not.toBe(first.cookieValue);
    // The old cookie no longer works: the session was replaced, not reused.
    expect(await resolveSession(handle.db, first.cookieValue, SECRET, at(11))).toEqual({
      ok: false,
      code: "SESSION_EXPIRED",
    });
    expect((await resolveSession(handle.db, second.cookieValue, SECRET, at(11))).ok).toBe(true);
  });

  it("tells a tampered cookie apart from an expired one", async () => {
    const result = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(20));
    if (!result.ok) throw new Error("login failed");
    const value = result.cookieValue;
    const flipped = value.slice(0, 5) + (value[5] === "A" ? "B" : "A") + value.slice(6);
    expect(await resolveSession(handle.db, flipped, SECRET, at(21))).toEqual({
      ok: false,
      code: "SESSION_INVALID",
    });
    // Idle for longer than the idle limit: expired, and deleted.
    expect(await resolveSession(handle.db, value, SECRET, at(21 + 31 * 60))).toEqual({
      ok: false,
      code: "SESSION_EXPIRED",
    });
  });

  it("ends sessions at the absolute limit even when active", async () => {
    const result = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(30));
    if (!result.ok) throw new Error("login failed");
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      expect((await resolveSession(handle.db, result.cookieValue, SECRET, at(30 + minutes * 60))).ok).toBe(
        true,
      );
    }
    expect((await resolveSession(handle.db, result.cookieValue, SECRET, at(30 + 12 * 3600 + 1))).ok).toBe(
      false,
    );
  });

  it("throttles repeated failures with a clear wait, even for the right password", async () => {
    const t0 = 100_000;
    for (let i = 0; i < 4; i++) {
      const failed = await login(handle.db, { login: "13800000001", password: "wrong" }, context(t0 + i));
      expect(failed.ok === false && failed.error.code).toBe("LOGIN_FAILED");
    }
    const fifth = await login(handle.db, { login: "13800000001", password: "wrong" }, context(t0 + 4));
    expect(fifth.ok === false && fifth.error.code).toBe("LOGIN_THROTTLED");
    const blocked = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(t0 + 10));
    expect(blocked.ok).toBe(false);
    if (blocked.ok) return;
    expect(blocked.error.code).toBe("LOGIN_THROTTLED");
    expect(Number(blocked.error.params.seconds)).toBeGreaterThan(0);
    const later = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(t0 + 4 + 61));
    expect(later.ok).toBe(true);
  });

  it("does not reveal whether an account exists", async () => {
    const unknown = await login(
      handle.db,
      { login: "13999999999", password: PASSWORD },
      context(200_000, null, "10.0.0.2"),
    );
    const wrong = await login(
      handle.db,
      { login: "13800000001", password: "nope" },
      context(200_000, null, "10.0.0.2"),
    );
    expect(unknown.ok === false && unknown.error.code).toBe("LOGIN_FAILED");
    expect(wrong.ok === false && wrong.error.code).toBe("LOGIN_FAILED");
  });

  it("logs out one session, or every session of the user", async () => {
    const a = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(300_000));
    const b = await login(handle.db, { login: "13800000001", password: PASSWORD }, context(300_001));
    if (!a.ok || !b.ok) throw new Error("login failed");
    const sa = await resolveSession(handle.db, a.cookieValue, SECRET, at(300_002));
    if (!sa.ok) throw new Error("no session");
    await logout(handle.db, { userId, sessionId: sa.sessionId }, at(300_003));
    expect((await resolveSession(handle.db, a.cookieValue, SECRET, at(300_004))).ok).toBe(false);
    expect((await resolveSession(handle.db, b.cookieValue, SECRET, at(300_004))).ok).toBe(true);
    expect(await logoutEverywhere(handle.db, userId, at(300_005))).toBeGreaterThanOrEqual(1);
    expect(await sessionRepository.countForUser(handle.db, userId)).toBe(0);
  });
});
