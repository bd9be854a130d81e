import { notificationRepository, resolveSession, userRepository } from "@titles/db";
import { countRows, createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeRegistration, sendRegistrationCode, ZRegisterInput } from "./registration.server";

const SECRET = "test-session-secret-0123456789abcdef";

const valid = {
  name: "王小明",
  idType: "mainland",
  idNumber: "11010819880909002x",
  phone: "139 0000 1234",
  password: "Spring-Bloom-77",
  passwordConfirm: "Spring-Bloom-77",
};

const rowCounts = (handle: TestDb) => countRows(handle.db, ["users", "user_roles", "sessions", "audit_log"]);

/** Reads the code from the outbox body, as a person would from the simulator page. */
async function lastCode(handle: TestDb): Promise<string> {
  const [latest] = await notificationRepository.findRecent(handle.db, 1);
  return /(\d{6})/.exec(latest!.body)![1]!;
}

describe.each(testTargets)("registration on %s", (target) => {
  let handle: TestDb;
  let now = new Date("2026-11-27T02:00:00Z");
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
    return now;
  };
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(() => handle.close());

  it("reports every problem of the details at once and writes nothing", async () => {
    const before = await rowCounts(handle);
    const result = await sendRegistrationCode(
      handle.db,
      ZRegisterInput.parse({
        ...valid,
        name: "X",
        idNumber: "110108198809090135",
        phone: "12345",
        password: "short",
      }),
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["idNumber", "name", "password", "phone"]);
    expect(result.errors.idNumber?.code).toBe("ID_CHECK_DIGIT");
    expect(await rowCounts(handle)).toEqual(before);
    expect(await notificationRepository.findRecent(handle.db, 10)).toHaveLength(0);
  });

  it("refuses an impossible birth date and mismatched passwords", async () => {
    // 1990-02-30 with a correct check character for those 17 digits.
    const result = await sendRegistrationCode(
      handle.db,
      ZRegisterInput.parse({ ...valid, idNumber: "110108199002300019", passwordConfirm: "Spring-Bloom-78" }),
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.idNumber?.code).toBe("ID_BIRTH_DATE");
    expect(result.errors.passwordConfirm?.code).toBe("PASSWORD_MISMATCH");
  });

  it("registers with the SMS code: user, applicant role, session and audit in one go", async () => {
    const sent = await sendRegistrationCode(handle.db, ZRegisterInput.parse(valid), now);
    expect(sent).toEqual({ ok: true, value: { phone: "13900001234" } });
    const code = await lastCode(handle);

    const resend = await sendRegistrationCode(handle.db, ZRegisterInput.parse(valid), later(10));
    expect(resend.ok === false && resend.errors.code?.code).toBe("SMS_RESEND_TOO_SOON");

    const before = await rowCounts(handle);
    const wrong = await completeRegistration(
      handle.db,
      ZRegisterInput.parse({ ...valid, code: code === "000000" ? "111111" : "000000" }),
      {
        now: later(5),
        userAgent: null,
      },
    );
    expect(wrong.ok === false && wrong.errors.code?.code).toBe("SMS_CODE_WRONG");
    expect(await rowCounts(handle)).toEqual(before);

    const done = await completeRegistration(handle.db, ZRegisterInput.parse({ ...valid, code }), {
      now: later(5),
      userAgent: "test",
    });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const after = await rowCounts(handle);
    expect(after).toEqual({
      users: before.users + 1,
      user_roles: before.user_roles + 1,
      sessions: before.sessions + 1,
      audit_log: before.audit_log + 1,
    });
    const session = await resolveSession(handle.db, done.value.cookieValue, SECRET, now);
    expect(session.ok && session.user.name).toBe("王小明");
    expect(session.ok && session.roles.map((r) => r.role)).toEqual(["applicant"]);
    // The ID number is stored normalised (upper-case X), and encrypted (decision 0016).
    expect(await userRepository.findIdNumberById(handle.db, done.value.userId)).toBe("11010819880909002X");
    const [stored] = await queryRows(
      handle.db,
      `select id_number from users where id = '${done.value.userId}'`,
    );
    expect(String(stored!.id_number).toUpperCase()).not.toContain("11010819880909002X");
  });

  it("refuses a second registration with the same ID number or phone, and a used code", async () => {
    const before = await rowCounts(handle);
    const again = await sendRegistrationCode(handle.db, ZRegisterInput.parse(valid), later(120));
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.errors.idNumber?.code).toBe("ALREADY_REGISTERED");
    expect(again.errors.phone?.code).toBe("ALREADY_REGISTERED");
    expect(await rowCounts(handle)).toEqual(before);
  });

  it("refuses an expired code and spends a code after five wrong guesses", async () => {
    const other = { ...valid, idNumber: "110108198008080120", phone: "13900005678" };
    await sendRegistrationCode(handle.db, ZRegisterInput.parse(other), later(0));
    const code = await lastCode(handle);
    const expired = await completeRegistration(handle.db, ZRegisterInput.parse({ ...other, code }), {
      now: later(301),
      userAgent: null,
    });
    expect(expired.ok === false && expired.errors.code?.code).toBe("SMS_CODE_EXPIRED");

    await sendRegistrationCode(handle.db, ZRegisterInput.parse(other), later(1));
    const fresh = await lastCode(handle);
    const wrongCode = fresh === "123456" ? "654321" : "123456";
    for (let i = 0; i < 5; i++) {
      await completeRegistration(handle.db, ZRegisterInput.parse({ ...other, code: wrongCode }), {
        now: later(1),
        userAgent: null,
      });
    }
    const locked = await completeRegistration(handle.db, ZRegisterInput.parse({ ...other, code: fresh }), {
      now: later(1),
      userAgent: null,
    });
    expect(locked.ok === false && locked.errors.code?.code).toBe("SMS_CODE_TOO_MANY_ATTEMPTS");
    expect(await userRepository.existsByPhoneHash(handle.db, "nope")).toBe(false);
  });
});
