import { gunzipSync, gzipSync } from "node:zlib";
import {
  ISSUER_NAME,
  secureDocument,
  statusListUrl,
  VC_CONTEXT_V2,
  type VerifiableCredential,
  xsdDateTime,
} from "./credential.server";
import type { IssuerKey } from "./keys.server";

/**
 * W3C Bitstring Status List v1.0: one bit per certificate (its `statusIndex`), set = revoked. The whole list is
 * published, so a verifier learns nothing about which certificate it is asking about (herd privacy); the
 * spec's minimum of 16 KB keeps a small list from narrowing that herd.
 */
export const MIN_STATUS_LIST_BITS = 131_072;

/** GZIP of the bitstring (index 0 = the most significant bit of the first byte), multibase base64url (`u…`). */
export function encodeStatusList(revokedIndexes: Iterable<number>, size = MIN_STATUS_LIST_BITS): string {
  const indexes = [...revokedIndexes];
  for (const i of indexes) {
    if (!Number.isInteger(i) || i < 0) throw new Error(`status index out of range: ${i}`);
  }
  // Grows in whole 16 KB steps past the minimum, so the list length hints little about the count issued.
  const needed = Math.max(size, MIN_STATUS_LIST_BITS, ...indexes.map((i) => i + 1));
  const bits = Math.ceil(needed / MIN_STATUS_LIST_BITS) * MIN_STATUS_LIST_BITS;
  const bytes = new Uint8Array(bits / 8);
  for (const i of indexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return `u${gzipSync(bytes).toString("base64url")}`;
}

/** A lookup into an encoded list; indexes past its end read as not set. Throws on a malformed list. */
export function decodeStatusList(encoded: string): (index: number) => boolean {
  if (!encoded.startsWith("u")) throw new Error("status list is not multibase base64url");
  // Bounded: a list fetched from elsewhere must not inflate without limit.
  const bytes = gunzipSync(Buffer.from(encoded.slice(1), "base64url"), { maxOutputLength: 16 * 1024 * 1024 });
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index >= bytes.length * 8) return false;
    return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  };
}

/** The signed status list credential served at `/status/:listId.json`. */
export function statusListCredential(
  revokedIndexes: Iterable<number>,
  opts: { key: IssuerKey; baseUrl: string; listId: string; validFrom: Date },
): VerifiableCredential {
  const id = statusListUrl(opts.baseUrl, opts.listId);
  return secureDocument(
    {
      "@context": [VC_CONTEXT_V2],
      id,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: { id: opts.key.did, name: ISSUER_NAME },
      validFrom: xsdDateTime(opts.validFrom),
      credentialSubject: {
        id: `${id}#list`,
        type: "BitstringStatusList",
        statusPurpose: "revocation",
        encodedList: encodeStatusList(revokedIndexes),
      },
    },
    opts.key,
    opts.validFrom,
  );
}
