import { notificationRepository, userRepository } from "@titles/db";
import { createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchSmsOutbox } from "~/jobs/sms-outbox.server";
import { login } from "./login.server";
import { completeRegistration, sendRegistrationCode, ZRegisterInput } from "./registration.server";
import type { SmsProvider } from "./sms-provider.server";

// Decision 0016: what a copy of the database (a dump, a stolen disk) shows of a person who registers.
const person = {
  name: "林晓",
  idType: "mainland",
  idNumber: "11010819850505007x",
  phone: "139 1234 5678",
  password: "Autumn-River-42",
  passwordConfirm: "Autumn-River-42",
};
const PHONE = "13912345678";
const ID = "11010819850505007X";

/** Every row of every table as text, in one string. */
async function wholeDatabase(handle: TestDb): Promise<string> {
  const tables = await queryRows(
    handle.db,
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  );
  let text = "";
  for (const { tablename } of tables) {
    const [row] = await queryRows(
      handle.db,
      `select coalesce(string_agg(x::text, '|'), '') as t from "${String(tablename)}" x`,
    );
    text += `${String(tablename)}: ${String(row!.t)}\n`;
  }
  return text;
}

describe.each(testTargets)("ID and phone numbers encrypted at rest on %s", (target) => {
  let handle: TestDb;
  let userId: string;
  let now = new Date("2026-11-27T02:00:00Z");
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
    return now;
  };
  const sent: Array<{ phone: string; body: string }> = [];
  const provider: SmsProvider = {
    async send(message) {
      sent.push(message);
      return { ok: true, providerMessageId: `sent-${sent.length}-${target}` };
    },
  };

  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(() => handle.close());

  it("registers a person whose ID number and phone appear in no table, and texts the right phone", async () => {
    const asked = await sendRegistrationCode(handle.db, ZRegisterInput.parse(person), now);
    expect(asked.ok).toBe(true);
    // The outbox decrypts the number only to send: the code reaches the phone that asked.
    expect(await dispatchSmsOutbox(handle.db, provider, later(1))).toBe(1);
    expect(sent.at(-1)?.phone).toBe(PHONE);
    const code = /(\d{6})/.exec(sent.at(-1)!.body)![1]!;
    const done = await completeRegistration(handle.db, ZRegisterInput.parse({ ...person, code }), {
      now: later(5),
      userAgent: "test",
    });
    if (!done.ok) throw new Error(JSON.stringify(done.errors));
    userId = done.value.userId;

    const dump = await wholeDatabase(handle);
    expect(dump).toContain("林晓");
    expect(dump).not.toContain(PHONE);
    expect(dump).not.toContain("1234 5678");
    expect(dump.toUpperCase()).not.toContain(ID);
    // Nor their most telling part: the birth date and serial of the ID, the subscriber part of the phone.
    expect(dump).not.toContain("850505007");
    expect(dump).not.toContain("12345678");
    // The application still has them, for the documents that print them masked.
    expect(await userRepository.findIdNumberById(handle.db, userId)).toBe(ID);
    expect(await userRepository.findPhoneById(handle.db, userId)).toBe(PHONE);
  });

  it("finds the person by phone and by ID number for sign-in, and refuses a second account", async () => {
    for (const name of [PHONE, "139-1234-5678".replaceAll("-", " "), ID.toLowerCase()]) {
      const r = await login(
        handle.db,
        { login: name, password: person.password },
        { now: later(1), ip: "192.0.2.10", userAgent: null, currentCookie: null },
      );
      expect(r.ok && r.userId).toBe(userId);
    }
    const again = await sendRegistrationCode(
      handle.db,
      ZRegisterInput.parse({ ...person, phone: "13912340000" }),
      later(120),
    );
    expect(again.ok === false && again.errors.idNumber?.code).toBe("ALREADY_REGISTERED");
    expect(again.ok === false && again.errors.phone).toBeUndefined();
  });

  it("an altered outbox row fails alone, with a clear reason, and the others still go", async () => {
    await dispatchSmsOutbox(handle.db, provider, later(1));
    for (const phone of ["13912340001", "13912340002"]) {
      await notificationRepository.enqueue(handle.db, {
        userId: null,
        phone,
        template: "register-code",
        params: {},
        body: "测试",
        at: now,
      });
    }
    // The first message gets the second one's sealed phone: a row-bound ciphertext does not move.
    const [first, second] = await queryRows(
      handle.db,
      "select id, phone from notifications where status = 'pending' order by created_at, id",
    );
    expect(first && second).toBeTruthy();
    await queryRows(
      handle.db,
      `update notifications set phone = '${second!.phone}' where id = '${first!.id}'`,
    );
    const before = sent.length;
    expect(await dispatchSmsOutbox(handle.db, provider, later(1))).toBe(2);
    expect(sent.length).toBe(before + 1);
    const [failed] = await queryRows(
      handle.db,
      `select status, last_error from notifications where id = '${first!.id}'`,
    );
    expect(failed!.status).toBe("failed");
    expect(String(failed!.last_error)).toMatch(/notifications\.phone[\s\S]*moved to another row or column/);
  });
});
