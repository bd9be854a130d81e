import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "./client";
import { lookupHash } from "./crypto";
import { FieldDecryptionError, fieldKeyId, installFieldKeys, newFieldKey } from "./field-crypto";
import { encryptFieldsAtRest } from "./field-crypto-migrate";
import { notificationRepository } from "./repositories/notifications";
import { employerRequestRepository } from "./repositories/objections";
import { userRepository } from "./repositories/users";
import { createTestDb, queryRows, TEST_DATA_ENCRYPTION_KEY, type TestDb, testTargets } from "./testing";

const LOOKUP = "field-crypto-test-lookup-key-0123456789";
const NOW = new Date("2026-11-27T02:00:00Z");
let people = 0;

async function newUser(db: TestDb["db"]) {
  people += 1;
  const idNumber = `11010819900101${String(people).padStart(3, "0")}X`;
  const phone = `1380013${String(people).padStart(4, "0")}`;
  const user = await userRepository.insert(db, {
    name: `用户${people}`,
    idType: "mainland",
    idNumber,
    idNumberHash: lookupHash(LOOKUP, idNumber),
    phone,
    phoneHash: lookupHash(LOOKUP, phone),
    passwordHash: "x",
    phoneVerifiedAt: NOW,
  });
  return { ...user, idNumber, phone };
}

const rawUser = async (db: TestDb["db"], id: string) =>
  (await queryRows(db, `select id_number, phone from users where id = '${id}'`))[0] as {
    id_number: string;
    phone: string;
  };

describe.each(testTargets)("ID and phone numbers at rest on %s", (target) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(async () => {
    installFieldKeys(TEST_DATA_ENCRYPTION_KEY);
    await handle.close();
  });

  it("stores ciphertexts that read back, and never the number", async () => {
    const a = await newUser(handle.db);
    const raw = await rawUser(handle.db, a.id);
    for (const value of [raw.id_number, raw.phone]) expect(value).toMatch(/^v1:[A-Za-z0-9_-]{8}:/);
    expect(JSON.stringify(raw)).not.toContain(a.phone);
    expect(JSON.stringify(raw).toUpperCase()).not.toContain(a.idNumber);
    expect(await userRepository.findPhoneById(handle.db, a.id)).toBe(a.phone);
    expect(await userRepository.findIdNumberById(handle.db, a.id)).toBe(a.idNumber);
    // Found through the keyed hashes only.
    const found = await userRepository.findCredentialsByLookupHash(handle.db, lookupHash(LOOKUP, a.phone));
    expect(found?.user.id).toBe(a.id);
    expect(await userRepository.existsByIdNumberHash(handle.db, lookupHash(LOOKUP, a.idNumber))).toBe(true);
  });

  it("refuses a ciphertext moved to another row or column, or altered, naming the column", async () => {
    const a = await newUser(handle.db);
    const b = await newUser(handle.db);
    const rawA = await rawUser(handle.db, a.id);
    // A's phone copied onto B: B's number would silently become A's.
    await handle.db.execute(sql`update users set phone = ${rawA.phone} where id = ${b.id}`);
    const moved = userRepository.findPhoneById(handle.db, b.id);
    await expect(moved).rejects.toBeInstanceOf(FieldDecryptionError);
    await expect(userRepository.findPhoneById(handle.db, b.id)).rejects.toThrow(
      /users\.phone[\s\S]*moved to another row or column/,
    );
    // A's phone ciphertext put into A's own ID-number column.
    await handle.db.execute(sql`update users set id_number = ${rawA.phone} where id = ${a.id}`);
    await expect(userRepository.findIdNumberById(handle.db, a.id)).rejects.toThrow(/users\.id_number/);
    // One character changed in the sealed part.
    const last = rawA.phone.at(-2) === "A" ? "B" : "A";
    const altered = `${rawA.phone.slice(0, -2)}${last}${rawA.phone.slice(-1)}`;
    await handle.db.execute(sql`update users set phone = ${altered} where id = ${a.id}`);
    await expect(userRepository.findPhoneById(handle.db, a.id)).rejects.toThrow(/altered/);
    // A notification's phone cannot be passed off as a user's, even in its own row id.
    const messageId = await notificationRepository.enqueue(handle.db, {
      userId: null,
      phone: "13800138000",
      template: "register-code",
      params: {},
      body: "x",
      at: NOW,
    });
    const [message] = await queryRows(handle.db, `select phone from notifications where id = '${messageId}'`);
    await handle.db.execute(sql`update users set phone = ${String(message!.phone)} where id = ${a.id}`);
    await expect(userRepository.findPhoneById(handle.db, a.id)).rejects.toThrow(/users\.phone/);
    // The database itself refuses plaintext in these columns.
    await expect(
      handle.db.execute(sql`update users set phone = '13800138000' where id = ${a.id}`),
    ).rejects.toThrow();
    const error = await userRepository.findPhoneById(handle.db, b.id).catch((e: Error) => e);
    expect(String(error)).not.toContain(a.phone);
    await handle.db.execute(sql`delete from users where id in (${a.id}, ${b.id})`);
  });

  it("reads rows of an older key after a new one is added, and re-encrypts them on rotation", async () => {
    const oldKey = newFieldKey();
    const newKey = newFieldKey();
    installFieldKeys(oldKey);
    const a = await newUser(handle.db);
    const requestId = await employerRequestRepository.insert(handle.db, {
      applicantId: a.id,
      name: "某单位",
      creditCode: "91110000000000000X",
      contact: "人事 王老师 13800138111",
      at: NOW,
    });
    const oldId = fieldKeyId(Buffer.from(oldKey, "base64url"));
    const newId = fieldKeyId(Buffer.from(newKey, "base64url"));
    expect((await rawUser(handle.db, a.id)).phone.startsWith(`v1:${oldId}:`)).toBe(true);

    // The new key first: it encrypts new rows; the old ones still decrypt.
    const all = `${newKey},${oldKey},${TEST_DATA_ENCRYPTION_KEY}`;
    installFieldKeys(all);
    expect(await userRepository.findPhoneById(handle.db, a.id)).toBe(a.phone);
    const b = await newUser(handle.db);
    expect((await rawUser(handle.db, b.id)).phone.startsWith(`v1:${newId}:`)).toBe(true);

    // Without the old key, its rows are unreadable, and the error says which key is missing.
    installFieldKeys(`${newKey},${TEST_DATA_ENCRYPTION_KEY}`);
    await expect(userRepository.findPhoneById(handle.db, a.id)).rejects.toThrow(/DATA_ENCRYPTION_KEY/);

    // Rotation: everything under the newest key; then the older keys can go.
    const keyring = installFieldKeys(all);
    const rotated = await encryptFieldsAtRest(handle.db, { keyring, rotate: true });
    expect(rotated.reencrypted["users.phone"]).toBeGreaterThanOrEqual(1);
    expect(rotated.reencrypted["employer_requests.contact"]).toBe(1);
    const stale = await queryRows(
      handle.db,
      `select count(*)::int as n from users where phone not like 'v1:${newId}:%' or id_number not like 'v1:${newId}:%'`,
    );
    expect(Number(stale[0]!.n)).toBe(0);
    installFieldKeys(newKey);
    expect(await userRepository.findPhoneById(handle.db, a.id)).toBe(a.phone);
    expect(await userRepository.findIdNumberById(handle.db, b.id)).toBe(b.idNumber);
    const [request] = await queryRows(
      handle.db,
      `select contact from employer_requests where id = '${requestId}'`,
    );
    expect(String(request!.contact)).not.toContain("13800138111");
  });
});

describe.each(testTargets)("upgrading a database with plaintext numbers on %s", (target) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(async () => {
    installFieldKeys(TEST_DATA_ENCRYPTION_KEY);
    await handle.close();
  });

  it("encrypts existing rows in place, once, and then holds the columns to ciphertexts", async () => {
    installFieldKeys(TEST_DATA_ENCRYPTION_KEY);
    // The database as it was before migration 0007: no check constraints, plaintext numbers.
    const migration = await readFile(join(migrationsFolder, "0007_field_encryption.sql"), "utf8");
    const statements = migration
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter(Boolean);
    for (const name of [
      "users_id_number_sealed",
      "users_phone_sealed",
      "notifications_phone_sealed",
      "employer_requests_contact_sealed",
      "complaints_contact_phone_sealed",
    ]) {
      const table = name.startsWith("employer") ? "employer_requests" : name.split("_")[0];
      await handle.db.execute(sql.raw(`alter table ${table} drop constraint ${name}`));
    }
    const [legacy] = await queryRows(
      handle.db,
      `insert into users (name, id_type, id_number, id_number_hash, phone, phone_hash, password_hash)
       values ('旧用户', 'mainland', '110108199001010011', '${lookupHash(LOOKUP, "110108199001010011")}',
               '13800139001', '${lookupHash(LOOKUP, "13800139001")}', 'x') returning id`,
    );
    const userId = String(legacy!.id);
    await queryRows(
      handle.db,
      `insert into notifications (user_id, phone, template, params, body)
       values ('${userId}', '13800139001', 'register-code', '{}', '验证码')`,
    );
    await queryRows(
      handle.db,
      `insert into employer_requests (applicant_id, name, credit_code, contact)
       values ('${userId}', '某单位', '91110000000000000X', '王老师 13800139002')`,
    );

    // Migration 0007 as written: the constraints apply to new writes only.
    for (const statement of statements) await handle.db.execute(sql.raw(statement));
    await expect(
      queryRows(
        handle.db,
        `insert into notifications (phone, template, params, body) values ('13800139003', 't', '{}', 'b')`,
      ),
    ).rejects.toThrow();

    const first = await encryptFieldsAtRest(handle.db);
    expect(first.encrypted).toEqual({
      "users.id_number": 1,
      "users.phone": 1,
      "notifications.phone": 1,
      "complaints.contact_phone": 0,
      "employer_requests.contact": 1,
    });
    const dump = await queryRows(
      handle.db,
      `select (select string_agg(u::text, '|') from users u) || (select string_agg(n::text, '|') from notifications n)
         || (select string_agg(e::text, '|') from employer_requests e) as text`,
    );
    expect(String(dump[0]!.text)).not.toMatch(/13800139001|13800139002|110108199001010011/);
    expect(await userRepository.findPhoneById(handle.db, userId)).toBe("13800139001");
    expect(await userRepository.findIdNumberById(handle.db, userId)).toBe("110108199001010011");
    expect((await notificationRepository.findForUser(handle.db, userId, 5))[0]?.phone).toBe("13800139001");

    // Idempotent: a second pass finds nothing to do; the constraints are now fully validated.
    const second = await encryptFieldsAtRest(handle.db);
    expect(Object.values(second.encrypted).every((n) => n === 0)).toBe(true);
    const invalid = await queryRows(
      handle.db,
      `select conname from pg_constraint where conname like '%\\_sealed' and not convalidated`,
    );
    expect(invalid).toEqual([]);
  });
});
