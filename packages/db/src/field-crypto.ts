import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Field encryption at rest (decision 0016): ID numbers and phone numbers are stored as
 * `v1:<keyId>:<base64url(iv | tag | ciphertext)>`, AES-256-GCM with a random 96-bit IV. The associated
 * data names the table, the column and the row, so a ciphertext copied to another row or column does
 * not decrypt. Look-ups never read these columns: they go through the keyed lookup hashes.
 */

/** Every column that holds an encrypted value; the name is part of the associated data. */
export type EncryptedColumn =
  | "users.id_number"
  | "users.phone"
  | "notifications.phone"
  | "complaints.contact_phone"
  | "employer_requests.contact";

export const encryptedColumns: readonly EncryptedColumn[] = [
  "users.id_number",
  "users.phone",
  "notifications.phone",
  "complaints.contact_phone",
  "employer_requests.contact",
];

export const FIELD_CIPHERTEXT_PREFIX = "v1:";
const ENVELOPE = /^v1:([A-Za-z0-9_-]{8}):([A-Za-z0-9_-]+)$/;
const KEY_TEXT = /^[A-Za-z0-9_-]{43}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FieldKey {
  /** A fingerprint of the key (8 base64url characters), written in front of every ciphertext. */
  id: string;
  key: Buffer;
}

/** The configured keys, newest first: the first encrypts, any of them decrypts. */
export interface FieldKeyring {
  current: FieldKey;
  keys: ReadonlyMap<string, FieldKey>;
}

/** Why a stored value could not be read back; never carries the value itself. */
export class FieldDecryptionError extends Error {
  constructor(
    readonly column: EncryptedColumn,
    readonly rowId: string,
    readonly reason: "not-encrypted" | "unknown-key" | "tampered",
  ) {
    const why = {
      "not-encrypted":
        "值未加密（请运行 npm run db:encrypt）/ the value is not encrypted (run npm run db:encrypt)",
      "unknown-key":
        "加密它的密钥未配置（检查 DATA_ENCRYPTION_KEY）/ the key it was encrypted with is not configured (check DATA_ENCRYPTION_KEY)",
      tampered:
        "密文被改动或被移到了别的行、列 / the ciphertext was altered or moved to another row or column",
    }[reason];
    super(`无法解密 ${column}（行 ${rowId}）/ cannot decrypt ${column} of row ${rowId}: ${why}`);
    this.name = "FieldDecryptionError";
  }
}

export function fieldKeyId(key: Buffer): string {
  return createHash("sha256").update("titles field key id\0").update(key).digest("base64url").slice(0, 8);
}

/** True for a DATA_ENCRYPTION_KEY value: one or more base64url 32-byte keys, comma-separated, newest first. */
export function isFieldKeySpec(spec: string): boolean {
  const parts = spec.split(",").map((p) => p.trim());
  return parts.length > 0 && parts.every((p) => KEY_TEXT.test(p));
}

/** Parses DATA_ENCRYPTION_KEY: base64url keys of 32 bytes, comma-separated, the newest first. */
export function parseFieldKeys(spec: string): FieldKeyring {
  if (!isFieldKeySpec(spec)) {
    throw new Error(
      "DATA_ENCRYPTION_KEY 须为逗号分隔的 32 字节 base64url 密钥（最新的在前）/ must be base64url keys of 32 bytes, comma-separated, newest first",
    );
  }
  const list = spec.split(",").map((p) => {
    const key = Buffer.from(p.trim(), "base64url");
    return { id: fieldKeyId(key), key };
  });
  return { current: list[0]!, keys: new Map(list.map((k) => [k.id, k])) };
}

/** A new key for DATA_ENCRYPTION_KEY. */
export function newFieldKey(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * A development fallback: a key derived from another secret (HKDF-SHA256). Production requires its own
 * DATA_ENCRYPTION_KEY, so that the data key is backed up and rotated on its own.
 */
export function deriveFieldKey(secret: string): string {
  return Buffer.from(hkdfSync("sha256", secret, "titles", "titles data encryption key v1", 32)).toString(
    "base64url",
  );
}

/**
 * The keys of an app's configuration: DATA_ENCRYPTION_KEY, or when it is unset (a bare development run,
 * a test system) a key derived from LOOKUP_HASH_KEY. `npm start` and `npm run start:prod` always set it.
 */
export function fieldKeysFromConfig(config: {
  DATA_ENCRYPTION_KEY?: string | undefined;
  LOOKUP_HASH_KEY: string;
}): FieldKeyring {
  return parseFieldKeys(config.DATA_ENCRYPTION_KEY ?? deriveFieldKey(config.LOOKUP_HASH_KEY));
}

let installed: FieldKeyring | null = null;

/** Installs the process's keys (from DATA_ENCRYPTION_KEY); the repositories encrypt and decrypt with them. */
export function installFieldKeys(keys: FieldKeyring | string): FieldKeyring {
  installed = typeof keys === "string" ? parseFieldKeys(keys) : keys;
  return installed;
}

export function hasFieldKeys(): boolean {
  return installed !== null;
}

export function fieldKeys(): FieldKeyring {
  if (!installed) {
    throw new Error(
      "数据加密密钥未配置 / field encryption keys are not configured: set DATA_ENCRYPTION_KEY (installFieldKeys)",
    );
  }
  return installed;
}

function associatedData(column: EncryptedColumn, rowId: string): Buffer {
  return Buffer.from(`titles\0${column}\0${rowId}`, "utf8");
}

export function isEncryptedValue(stored: string): boolean {
  return ENVELOPE.test(stored);
}

/** The key id a stored value was encrypted with, or null for a value that is not in the envelope. */
export function encryptedKeyId(stored: string): string | null {
  return ENVELOPE.exec(stored)?.[1] ?? null;
}

export function encryptField(
  column: EncryptedColumn,
  rowId: string,
  plaintext: string,
  keyring: FieldKeyring = fieldKeys(),
): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(associatedData(column, rowId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  return `${FIELD_CIPHERTEXT_PREFIX}${keyring.current.id}:${sealed}`;
}

export function decryptField(
  column: EncryptedColumn,
  rowId: string,
  stored: string,
  keyring: FieldKeyring = fieldKeys(),
): string {
  const match = ENVELOPE.exec(stored);
  if (!match) throw new FieldDecryptionError(column, rowId, "not-encrypted");
  const key = keyring.keys.get(match[1]!);
  if (!key) throw new FieldDecryptionError(column, rowId, "unknown-key");
  const raw = Buffer.from(match[2]!, "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptionError(column, rowId, "tampered");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(column, rowId));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new FieldDecryptionError(column, rowId, "tampered");
  }
}
