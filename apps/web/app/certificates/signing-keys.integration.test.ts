import { signingKeyRepository } from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSigningKey, issuerKeyFromSeed } from "./keys.server";

describe.each(testTargets)("signing keys kept for rotation on %s", (target) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(async () => handle?.close());

  it("registers the issuer key once, however many processes start", async () => {
    const key = issuerKeyFromSeed(new Uint8Array(32).fill(3));
    await Promise.all([ensureSigningKey(handle.db, key), ensureSigningKey(handle.db, key)]);
    await ensureSigningKey(handle.db, key);
    const stored = await signingKeyRepository.findById(handle.db, key.keyId);
    expect(stored).toMatchObject({
      id: key.keyId,
      publicKeyMultibase: key.publicKeyMultibase,
      retiredAt: null,
    });
    expect((await signingKeyRepository.findAll(handle.db)).filter((k) => k.id === key.keyId)).toHaveLength(1);
  });

  it("keeps a retired key, so certificates it signed still verify after rotation", async () => {
    const old = issuerKeyFromSeed(new Uint8Array(32).fill(4));
    const next = issuerKeyFromSeed(new Uint8Array(32).fill(6));
    await ensureSigningKey(handle.db, old);
    await signingKeyRepository.retire(handle.db, old.keyId, new Date("2027-01-01T00:00:00Z"));
    await ensureSigningKey(handle.db, next);
    // A restart with the old key configured again must not un-retire it.
    await ensureSigningKey(handle.db, old);
    const retired = await signingKeyRepository.findById(handle.db, old.keyId);
    expect(retired?.retiredAt?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(retired?.publicKeyMultibase).toBe(old.publicKeyMultibase);
    expect((await signingKeyRepository.findById(handle.db, next.keyId))?.retiredAt).toBeNull();
  });
});
