import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign, verify } from "node:crypto";
import { base58 } from "@scure/base";
import { type Db, signingKeyRepository } from "@titles/db";
import { env } from "~/env.server";

/**
 * The certificate issuer's Ed25519 key (see docs/decisions/0012-certificate-signatures.md). The public half is
 * published as a `did:key`, so a verifier needs nothing from us but the certificate to check the signature.
 */
export interface IssuerKey {
  /** `did:key:z6Mk…` */
  did: string;
  /** `${did}#${publicKeyMultibase}` — the verification method id in proofs and in signing_keys. */
  keyId: string;
  /** Multikey: multicodec ed25519-pub (0xed 0x01) + the raw 32-byte key, base58btc with the `z` prefix. */
  publicKeyMultibase: string;
  sign(bytes: Uint8Array): Uint8Array;
}

/** The HKDF label of the development fallback; changing it changes the issuer (old certificates stop verifying). */
const DERIVATION_LABEL = "titles certificate signing key v1";
// DER wrappers of a bare Ed25519 key (RFC 8410): node:crypto imports keys only in PKCS8/SPKI form.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const MULTICODEC_ED25519_PUB = [0xed, 0x01];

export function issuerKeyFromSeed(seed: Uint8Array): IssuerKey {
  if (seed.length !== 32) throw new Error("Ed25519 seed must be 32 bytes");
  // Built once per key: bulk issuance signs hundreds of certificates a second.
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const raw = spki.subarray(spki.length - 32);
  const publicKeyMultibase = `z${base58.encode(Uint8Array.from([...MULTICODEC_ED25519_PUB, ...raw]))}`;
  const did = `did:key:${publicKeyMultibase}`;
  return {
    did,
    keyId: `${did}#${publicKeyMultibase}`,
    publicKeyMultibase,
    sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}

/** The seed from the configuration: CERTIFICATE_SIGNING_KEY, else derived from SESSION_SECRET with HKDF. */
export function signingSeed(config: {
  CERTIFICATE_SIGNING_KEY?: string;
  SESSION_SECRET: string;
}): Uint8Array {
  if (config.CERTIFICATE_SIGNING_KEY) return Buffer.from(config.CERTIFICATE_SIGNING_KEY, "base64url");
  return new Uint8Array(hkdfSync("sha256", config.SESSION_SECRET, "", DERIVATION_LABEL, 32));
}

let cached: IssuerKey | null = null;

/**
 * The key this process signs with: the seed in CERTIFICATE_SIGNING_KEY, or — for development and tests — one
 * derived from SESSION_SECRET, so a fresh checkout signs without extra setup. Built once per process.
 */
export function issuerKey(): IssuerKey {
  cached ??= issuerKeyFromSeed(signingSeed(env()));
  return cached;
}

/** The raw 32-byte key of an Ed25519 Multikey, or null when it is not one. */
export function publicKeyBytes(publicKeyMultibase: string): Uint8Array | null {
  if (!publicKeyMultibase.startsWith("z")) return null;
  let decoded: Uint8Array;
  try {
    decoded = base58.decode(publicKeyMultibase.slice(1));
  } catch {
    return null;
  }
  if (decoded.length !== 34 || decoded[0] !== 0xed || decoded[1] !== 0x01) return null;
  return decoded.subarray(2);
}

// Verification runs on every public verify page view; importing the same key again each time is waste.
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(publicKeyMultibase: string): KeyObject | null {
  const hit = publicKeys.get(publicKeyMultibase);
  if (hit) return hit;
  const raw = publicKeyBytes(publicKeyMultibase);
  if (!raw) return null;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
  if (publicKeys.size > 64) publicKeys.clear();
  publicKeys.set(publicKeyMultibase, key);
  return key;
}

/** Checks an Ed25519 signature; false (never a throw) for a malformed key or signature. */
export function verifyWith(publicKeyMultibase: string, bytes: Uint8Array, signature: Uint8Array): boolean {
  const key = publicKeyObject(publicKeyMultibase);
  if (!key || signature.length !== 64) return false;
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
}

/** Registers the key in signing_keys (idempotent), so certificates can reference it and survive rotation. */
export async function ensureSigningKey(db: Db, key: IssuerKey): Promise<void> {
  await signingKeyRepository.upsert(db, { id: key.keyId, publicKeyMultibase: key.publicKeyMultibase });
}
