import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarRepository, roundRepository } from ".";
import { lookupHash } from "./crypto";
import { userRepository } from "./repositories/users";
import { DEMO_PASSWORD, demoLogins, seedDemo } from "./seed";
import { countRows, createTestDb, type TestDb, testTargets } from "./testing";

const key = "k".repeat(32);
const count = async (handle: TestDb, table: string) => (await countRows(handle.db, [table]))[table]!;

describe.each(testTargets)("demo seed on %s", (target) => {
  let handle: TestDb;
  const now = new Date("2026-11-27T04:00:00Z");
  beforeAll(async () => {
    handle = await createTestDb(target);
  });
  afterAll(() => handle.close());

  it("loads every role once, however often it runs", async () => {
    const options = { hashPassword: async (p: string) => `hashed:${p}`, lookupKey: key, now };
    await seedDemo(handle.db, options);
    const first = {
      users: await count(handle, "users"),
      roles: await count(handle, "user_roles"),
      orgs: await count(handle, "organisations"),
    };
    await seedDemo(handle.db, options);
    expect({
      users: await count(handle, "users"),
      roles: await count(handle, "user_roles"),
      orgs: await count(handle, "organisations"),
    }).toEqual(first);
    expect(first.users).toBe(demoLogins.length);

    for (const role of ["applicant", "hr", "agency", "district", "expert", "chair", "admin"]) {
      const login = demoLogins.find((l) => l.role === role)!;
      const found = await userRepository.findCredentialsByLookupHash(handle.db, lookupHash(key, login.phone));
      expect(found?.passwordHash).toBe(`hashed:${DEMO_PASSWORD}`);
      const roles = await userRepository.findRoles(handle.db, found!.user.id);
      expect(roles.map((r) => r.role)).toContain(role);
    }
  });

  it("activates a demo round whose first windows are open today, and keeps 2021 as reference", async () => {
    const active = await roundRepository.findActive(handle.db);
    expect(active?.year).toBe(2026);
    const config = active!.config as { windows: Array<{ opens: string; closes: string }> };
    expect(config.windows[0]).toMatchObject({ opens: "2026-11-20", closes: "2026-12-10" });
    const years = (await calendarRepository.findAll(handle.db)).map((c) => c.year);
    expect(years).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
  });

  it("lets HR see only the applicants of their own unit", async () => {
    const hr = demoLogins.find((l) => l.role === "hr")!;
    const found = await userRepository.findCredentialsByLookupHash(handle.db, lookupHash(key, hr.phone));
    const [grant] = await userRepository.findRoles(handle.db, found!.user.id);
    const staff = await userRepository.findByEmployer(handle.db, grant!.organisationId!);
    // Unit 1's demo staff; 李娜, 赵敏, 马琳, 韩雨 and 罗斌 work for unit 2.
    expect(staff.map((s) => s.name).sort()).toEqual(
      ["周杰", "唐宁", "孙浩", "张伟", "林峰", "黄磊", "宋佳", "许静"].sort(),
    );
  });
});
