import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to Argon2id with OWASP's minimum memory (19 MiB) and 2 passes.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password);
}

// Verifying against this when the account does not exist keeps the response time the same.
const DUMMY =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2m3VZ8Yc1p7b0QdZ8e3h1mF6m0p2b3o9qk4H1mV6c8A";

export async function verifyAgainstNothing(password: string): Promise<void> {
  await verify(DUMMY, password).catch(() => false);
}
