import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, verifyAuditChain } from "./audit";
import { auditLog } from "./schema";
import { createTestDb, type TestDb, testTargets } from "./testing";

describe.each(testTargets)("audit log on %s", (target) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(() => handle.close());

  const entry = (n: number) => ({
    at: new Date(Date.UTC(2021, 6, 6, 1, 0, n)),
    actorUserId: null,
    action: "test.happened",
    objectType: "thing",
    objectId: `t${n}`,
    data: { n, note: "第 n 条", nested: { b: 2, a: [1, 2, 3] } },
  });

  it("chains records written in separate transactions and verifies them", async () => {
    for (let n = 0; n < 5; n++) await handle.db.transaction((tx) => appendAudit(tx, entry(n)));
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, count: 5 });
  });

  it("keeps the chain in order when writers race", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, n) => handle.db.transaction((tx) => appendAudit(tx, entry(100 + n)))),
    );
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, count: 13 });
  });

  it("writes nothing when the surrounding transaction rolls back", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await appendAudit(tx, entry(200));
        throw new Error("the command failed");
      }),
    ).rejects.toThrow("the command failed");
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, count: 13 });
  });

  it("refuses to record secrets or personal numbers", async () => {
    await expect(
      handle.db.transaction((tx) =>
        appendAudit(tx, { ...entry(300), data: { user: { idNumber: "110108198503120011" } } }),
      ),
    ).rejects.toThrow(/secret/);
  });

  it("finds an altered record and a removed record", async () => {
    await handle.db.execute(sql`update ${auditLog} set data = '{"n": 999}'::jsonb where object_id = 't2'`);
    const altered = await verifyAuditChain(handle.db);
    expect(altered).toMatchObject({ ok: false, reason: "record was altered" });

    await handle.db.execute(
      sql`update ${auditLog} set data = '{"n": 2, "note": "第 n 条", "nested": {"b": 2, "a": [1, 2, 3]}}'::jsonb where object_id = 't2'`,
    );
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);

    await handle.db.execute(sql`delete from ${auditLog} where object_id = 't3'`);
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      reason: "previous hash does not match",
    });
  });
});
