import { notificationRepository } from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueSms } from "~/services/notifications.server";
import { createSmsSimulator, type DeliveryReceipt } from "~/services/sms-provider.server";
import { applyDeliveryReceipt, dispatchSmsOutbox } from "./sms-outbox.server";

describe.each(testTargets)("SMS outbox on %s", (target) => {
  let handle: TestDb;
  const receipts: DeliveryReceipt[] = [];
  // The simulator reports delivery asynchronously, like a gateway's callback.
  const until = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (condition() ? resolve() : setTimeout(check, 5));
      check();
    });
  const provider = createSmsSimulator((r) => receipts.push(r), 1);

  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(() => handle.close());

  const status = async (phone: string) =>
    (await notificationRepository.findRecent(handle.db, 50)).find((m) => m.phone === phone)!;

  it("sends, then records the delivery receipt; a repeated receipt changes nothing", async () => {
    const t = new Date("2026-11-27T02:00:00Z");
    await handle.db.transaction((tx) =>
      enqueueSms(tx, {
        userId: null,
        phone: "13800000001",
        template: "register-code",
        params: { code: "123456" },
        at: t,
      }),
    );
    expect(await dispatchSmsOutbox(handle.db, provider, t)).toBe(1);
    expect((await status("13800000001")).status).toBe("sent");
    await until(() => receipts.length >= 1);
    await applyDeliveryReceipt(handle.db, receipts[0]!);
    await applyDeliveryReceipt(handle.db, receipts[0]!);
    const row = await status("13800000001");
    expect(row.status).toBe("delivered");
    expect(row.body).toContain("123456");
    // The code lives only in the body the recipient reads, never in the stored parameters.
    expect(row.params).toEqual({});
  });

  it("retries transient failures with backoff, then succeeds", async () => {
    const t = new Date("2026-11-27T03:00:00Z");
    await handle.db.transaction((tx) =>
      enqueueSms(tx, {
        userId: null,
        phone: "13800000000",
        template: "registered",
        params: { name: "甲" },
        at: t,
      }),
    );
    expect(await dispatchSmsOutbox(handle.db, provider, t)).toBe(1);
    expect((await status("13800000000")).status).toBe("retrying");
    // Not due yet: nothing is sent before the backoff has passed.
    expect(await dispatchSmsOutbox(handle.db, provider, new Date(t.getTime() + 500))).toBe(0);
    expect(await dispatchSmsOutbox(handle.db, provider, new Date(t.getTime() + 3_000))).toBe(1);
    expect(await dispatchSmsOutbox(handle.db, provider, new Date(t.getTime() + 60_000))).toBe(1);
    const row = await status("13800000000");
    expect(row.status).toBe("sent");
    expect(row.attempts).toBe(3);
  });

  it("gives up on a permanent refusal and records an undelivered receipt", async () => {
    const t = new Date("2026-11-27T04:00:00Z");
    await handle.db.transaction(async (tx) => {
      await enqueueSms(tx, {
        userId: null,
        phone: "17000000001",
        template: "registered",
        params: { name: "乙" },
        at: t,
      });
      await enqueueSms(tx, {
        userId: null,
        phone: "13800009999",
        template: "registered",
        params: { name: "丙" },
        at: t,
      });
    });
    expect(await dispatchSmsOutbox(handle.db, provider, t)).toBe(2);
    expect((await status("17000000001")).status).toBe("failed");
    const { providerMessageId } = await status("13800009999");
    await until(() => receipts.some((r) => r.providerMessageId === providerMessageId));
    const receipt = receipts.find((r) => r.providerMessageId === providerMessageId)!;
    expect(receipt.delivered).toBe(false);
    await applyDeliveryReceipt(handle.db, receipt);
    expect((await status("13800009999")).status).toBe("undelivered");
  });

  it("never sends one message twice when two dispatchers run at once", async () => {
    const t = new Date("2026-11-27T05:00:00Z");
    await handle.db.transaction(async (tx) => {
      for (let i = 0; i < 10; i++) {
        await enqueueSms(tx, {
          userId: null,
          phone: `1370000${String(i).padStart(4, "1")}`,
          template: "registered",
          params: { name: "丁" },
          at: t,
        });
      }
    });
    const [a, b] = await Promise.all([
      dispatchSmsOutbox(handle.db, provider, t, 10),
      dispatchSmsOutbox(handle.db, provider, t, 10),
    ]);
    expect(a + b).toBe(10);
  });
});
