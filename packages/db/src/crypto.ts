import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** Keyed hash used to look up ID and phone numbers without storing them as search keys. */
export function lookupHash(key: string, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function newSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** A cookie value is `token.signature`: a changed byte is told apart from an expired session. */
export function signToken(token: string, secret: string): string {
  return `${token}.${createHmac("sha256", secret).update(token).digest("base64url")}`;
}

export function verifySignedToken(value: string, secret: string): string | null {
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(createHmac("sha256", secret).update(token).digest("base64url"));
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}
