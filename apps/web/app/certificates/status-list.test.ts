import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { verifyCredential } from "./credential.server";
import { issuerKeyFromSeed } from "./keys.server";
import {
  decodeStatusList,
  encodeStatusList,
  MIN_STATUS_LIST_BITS,
  statusListCredential,
} from "./status-list.server";

const key = issuerKeyFromSeed(new Uint8Array(32).fill(21));
const rawBits = (encoded: string) => gunzipSync(Buffer.from(encoded.slice(1), "base64url"));

describe("Bitstring Status List", () => {
  it("round-trips: revoked indexes read as set, every other index as not set", () => {
    const revoked = [0, 1, 7, 8, 4242, 131_071];
    const isRevoked = decodeStatusList(encodeStatusList(revoked));
    const set = new Set(revoked);
    for (let i = 0; i < MIN_STATUS_LIST_BITS; i++) {
      if (isRevoked(i) !== set.has(i)) throw new Error(`index ${i} reads ${isRevoked(i)}`);
    }
    // Past the end, or not an index at all: not revoked (the verify page says "not ours" for unknown numbers).
    expect(isRevoked(MIN_STATUS_LIST_BITS * 8)).toBe(false);
    expect(isRevoked(-1)).toBe(false);
    expect(isRevoked(1.5)).toBe(false);
  });

  it("is the spec's encoding: multibase base64url of GZIP, at least 16 KB, index 0 the first byte's high bit", () => {
    const encoded = encodeStatusList([0, 9]);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const bits = rawBits(encoded);
    expect(bits.length).toBe(16 * 1024);
    expect(bits[0]).toBe(0b1000_0000);
    expect(bits[1]).toBe(0b0100_0000);
    expect(bits.subarray(2).every((b) => b === 0)).toBe(true);
    // An empty list compresses to a few dozen bytes; a larger index grows the list in 16 KB steps.
    expect(encodeStatusList([]).length).toBeLessThan(100);
    const grown = encodeStatusList([MIN_STATUS_LIST_BITS + 3]);
    expect(rawBits(grown).length).toBe(32 * 1024);
    expect(decodeStatusList(grown)(MIN_STATUS_LIST_BITS + 3)).toBe(true);
  });

  it("refuses bad indexes and malformed lists with an error", () => {
    expect(() => encodeStatusList([-1])).toThrow();
    expect(() => encodeStatusList([2.5])).toThrow();
    expect(() => decodeStatusList("zabc")).toThrow(/multibase/);
    expect(() => decodeStatusList("unot-gzip")).toThrow();
  });

  it("is published as a signed BitstringStatusListCredential", () => {
    const validFrom = new Date("2027-02-10T08:00:00Z");
    const list = statusListCredential([5], {
      key,
      baseUrl: "https://zc.example.cn/",
      listId: "1",
      validFrom,
    });
    expect(list.id).toBe("https://zc.example.cn/status/1.json");
    expect(list.type).toEqual(["VerifiableCredential", "BitstringStatusListCredential"]);
    expect(list.credentialSubject).toMatchObject({
      id: "https://zc.example.cn/status/1.json#list",
      type: "BitstringStatusList",
      statusPurpose: "revocation",
    });
    expect(decodeStatusList(list.credentialSubject.encodedList as string)(5)).toBe(true);
    expect(verifyCredential(list, key.publicKeyMultibase)).toBe(true);
    // A list someone edited to un-revoke a certificate no longer verifies.
    const unrevoked = structuredClone(list);
    unrevoked.credentialSubject.encodedList = encodeStatusList([]);
    expect(verifyCredential(unrevoked, key.publicKeyMultibase)).toBe(false);
  });
});
