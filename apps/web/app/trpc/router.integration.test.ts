import { lookupHash, notificationRepository, userRepository } from "@titles/db";
import { createTestDb, type TestDb } from "@titles/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import type { Context } from "./init.server";
import { appRouter } from "./router.server";

describe("tRPC router", () => {
  let handle: TestDb;
  let alice: Actor;
  let bob: Actor;
  const now = new Date("2026-11-27T02:00:00Z");

  async function person(name: string, phone: string, idNumber: string): Promise<Actor> {
    const user = await userRepository.insert(handle.db, {
      name,
      idType: "mainland",
      idNumber,
      idNumberHash: lookupHash("k", idNumber),
      phone,
      phoneHash: lookupHash("k", phone),
      passwordHash: "x",
      phoneVerifiedAt: now,
    });
    await userRepository.grantRole(handle.db, user.id, "applicant", null);
    return { sessionId: "s", user, roles: await userRepository.findRoles(handle.db, user.id) };
  }
  const caller = (actor: Actor | null, locale: Context["locale"] = "zh-CN") =>
    appRouter.createCaller({ db: handle.db, locale, actor, now });

  beforeAll(async () => {
    handle = await createTestDb();
    alice = await person("甲", "13800000101", "110108198503120011");
    bob = await person("乙", "13800000102", "110105199001010029");
    for (const [actor, phone] of [
      [alice, "13800000101"],
      [bob, "13800000102"],
    ] as const) {
      await notificationRepository.enqueue(handle.db, {
        userId: actor.user.id,
        phone,
        template: "registered",
        params: {},
        body: `给${actor.user.name}的短信`,
        at: now,
      });
    }
  });
  afterAll(() => handle.close());

  it("asks an anonymous caller to log in, in the caller's language", async () => {
    await expect(caller(null).me.get()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "请先登录。",
    });
    await expect(caller(null, "en").me.get()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "Please log in.",
    });
  });

  it("returns a user's own messages and never another user's", async () => {
    const mine = await caller(alice).me.messages({ limit: 10 });
    expect(mine.map((m) => m.body)).toEqual(["给甲的短信"]);
  });

  it("refuses input outside its schema with BAD_REQUEST", async () => {
    await expect(caller(alice).me.messages({ limit: 1000 })).rejects.toBeInstanceOf(TRPCError);
    await expect(caller(alice).me.messages({ limit: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers the current round as null when none is active", async () => {
    expect(await caller(null).round.current()).toBeNull();
  });
});
