import { type CertificateData, ZCertificateData } from "@titles/domain";
import canonicalize from "canonicalize";
import { type IssuerKey, verifyWith } from "./keys.server";

export type { CertificateData };

const utf8 = new TextEncoder();

/**
 * RFC 8785 (JCS) bytes of any JSON value: the same data gives the same bytes whatever the key order or the
 * escaping it arrived with, so a signature survives a round trip through jsonb or another language's JSON.
 */
export function canonicalJson(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("value has no JSON form");
  return utf8.encode(text);
}

/** The bytes a certificate's signature covers. */
export function canonicalBytes(data: CertificateData): Uint8Array {
  return canonicalJson(data);
}

/** The issuer's Ed25519 signature over the canonical certificate data, base64url (what the PDF and the row carry). */
export function signCertificate(data: CertificateData, key: IssuerKey): string {
  return Buffer.from(key.sign(canonicalBytes(data))).toString("base64url");
}

/**
 * True only for certificate data exactly as signed. The signature covers the data as given (not the parsed
 * copy), so an added field fails too, even though the schema would strip it.
 */
export function verifyCertificate(data: unknown, signature: string, publicKeyMultibase: string): boolean {
  if (!ZCertificateData.safeParse(data).success) return false;
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  let bytes: Uint8Array;
  try {
    bytes = canonicalJson(data);
  } catch {
    return false;
  }
  return verifyWith(publicKeyMultibase, bytes, Buffer.from(signature, "base64url"));
}
