import { appendAudit, type Db, signingKeyRepository } from "@titles/db";
import type { IssuerKey } from "./keys.server";

/**
 * Rotating the certificate signing key (docs/operations.md, decision 0012). A did:key cannot be rotated in
 * place, so rotation is: record the new public key, and retire every other key still in use. Retired keys
 * are never deleted — each certificate row names the key that signed it (`key_id`) and the verify page
 * checks against that key — so certificates issued before the rotation keep verifying.
 */
export interface RotationResult {
  /** The verification method id now signing. */
  keyId: string;
  /** The keys retired by this rotation (empty when the key was already the only active one). */
  retired: string[];
}

export async function rotateSigningKey(db: Db, key: IssuerKey, now: Date): Promise<RotationResult> {
  return db.transaction(async (tx) => {
    await signingKeyRepository.lockForRotation(tx);
    const all = await signingKeyRepository.findAll(tx);
    const existing = all.find((k) => k.id === key.keyId);
    // A retired key may have been retired because it leaked: taking it back into use must be a new decision
    // (a new key), never a slip of configuration.
    if (existing?.retiredAt)
      throw new Error(
        `该密钥已于 ${existing.retiredAt.toISOString()} 停用，不能再次启用 / this key was retired and is never used again: ${key.keyId}`,
      );
    await signingKeyRepository.upsert(tx, { id: key.keyId, publicKeyMultibase: key.publicKeyMultibase });
    const retired = all.filter((k) => k.id !== key.keyId && k.retiredAt === null).map((k) => k.id);
    for (const id of retired) await signingKeyRepository.retire(tx, id, now);
    if (retired.length > 0 || !existing)
      await appendAudit(tx, {
        at: now,
        actorUserId: null,
        action: "signing_key.rotate",
        objectType: "signing_key",
        objectId: key.keyId,
        data: { keyId: key.keyId, retired },
      });
    return { keyId: key.keyId, retired };
  });
}
