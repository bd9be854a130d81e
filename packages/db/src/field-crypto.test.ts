import { describe, expect, it } from "vitest";
import {
  decryptField,
  deriveFieldKey,
  encryptField,
  FieldDecryptionError,
  fieldKeysFromConfig,
  isFieldKeySpec,
  newFieldKey,
  parseFieldKeys,
} from "./field-crypto";

const ROW = "0b6d7a52-5d3e-4b7b-9d1e-8f7c2a1e0c11";

describe("field encryption", () => {
  const keyring = parseFieldKeys(newFieldKey());

  it("encrypts the same number differently each time, and reads it back", () => {
    const a = encryptField("users.phone", ROW, "13800000001", keyring);
    const b = encryptField("users.phone", ROW, "13800000001", keyring);
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1:${keyring.current.id}:[A-Za-z0-9_-]+$`));
    expect(a).not.toContain("13800000001");
    expect(decryptField("users.phone", ROW, a, keyring)).toBe("13800000001");
    expect(decryptField("users.phone", ROW, encryptField("users.phone", ROW, "", keyring), keyring)).toBe("");
  });

  it("binds a ciphertext to its column and row", () => {
    const sealed = encryptField("users.phone", ROW, "13800000001", keyring);
    expect(() => decryptField("notifications.phone", ROW, sealed, keyring)).toThrow(FieldDecryptionError);
    expect(() => decryptField("users.phone", ROW.replace("0b", "0c"), sealed, keyring)).toThrow(
      /users\.phone/,
    );
    expect(() => decryptField("users.phone", ROW, "13800000001", keyring)).toThrow(/npm run db:encrypt/);
    expect(() => decryptField("users.phone", ROW, `${sealed.slice(0, 12)}`, keyring)).toThrow(
      FieldDecryptionError,
    );
  });

  it("takes keys newest first, refuses anything but 32-byte base64url keys", () => {
    const [older, newer] = [newFieldKey(), newFieldKey()];
    const both = parseFieldKeys(` ${newer} , ${older}`);
    expect(both.current.id).toBe(parseFieldKeys(newer).current.id);
    expect(both.keys.size).toBe(2);
    const sealed = encryptField("users.id_number", ROW, "11010819900101001X", parseFieldKeys(older));
    expect(decryptField("users.id_number", ROW, sealed, both)).toBe("11010819900101001X");
    expect(() => decryptField("users.id_number", ROW, sealed, parseFieldKeys(newer))).toThrow(
      /DATA_ENCRYPTION_KEY/,
    );
    for (const bad of ["", "short", `${newer},`, `${newer}x`]) expect(isFieldKeySpec(bad)).toBe(false);
    expect(() => parseFieldKeys("short")).toThrow(/DATA_ENCRYPTION_KEY/);
  });

  it("derives a stable development key from LOOKUP_HASH_KEY when none is set", () => {
    const lookup = "l".repeat(40);
    expect(deriveFieldKey(lookup)).toBe(deriveFieldKey(lookup));
    expect(deriveFieldKey(lookup)).not.toBe(deriveFieldKey(`${lookup}x`));
    expect(isFieldKeySpec(deriveFieldKey(lookup))).toBe(true);
    const own = newFieldKey();
    expect(fieldKeysFromConfig({ DATA_ENCRYPTION_KEY: own, LOOKUP_HASH_KEY: lookup }).current.id).toBe(
      parseFieldKeys(own).current.id,
    );
  });
});
