import { randomBytes } from "node:crypto";
import {
  committeeRepository,
  type Db,
  expertRepository,
  findAuditForObject,
  organisationRepository,
  userRepository,
} from "@titles/db";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { messageFor } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import { activePool, createCommittee, listCommittees, listExperts } from "./committees.server";
import { seededTestDb, shanghai } from "./testing.server";

const AGENCY = "13800000005"; // 赵强, engineering agency
const OTHER_AGENCY = "13800000014"; // 冯涛, another series
const ADMIN = "13800000011";
const NOW = shanghai("2026-11-27T10:00:00");

async function poolExpert(
  db: Db,
  input: { name: string; series?: string; disciplines: string[]; unitId?: string | null },
): Promise<string> {
  const unique = randomBytes(8).toString("hex");
  const user = await userRepository.insert(db, {
    name: input.name,
    idType: "mainland",
    idNumber: `id-${unique}`,
    idNumberHash: `id-${unique}`,
    phone: `ph-${unique}`,
    phoneHash: `ph-${unique}`,
    passwordHash: "x",
    phoneVerifiedAt: NOW,
  });
  await expertRepository.insert(db, {
    userId: user.id,
    series: input.series ?? "engineering",
    disciplines: input.disciplines,
    unitId: input.unitId ?? null,
    title: "正高级工程师",
  });
  return user.id;
}

const TABLES = ["committees", "committee_members", "audit_log"];

describe.each(testTargets)("committees and the expert pool on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  let pool: string[];
  let economist: string;

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    const unit = (await organisationRepository.findByKind(db, "employer"))[0]!;
    pool = [];
    for (let i = 0; i < 27; i++) {
      pool.push(
        await poolExpert(db, {
          name: `专家${String(i + 1).padStart(2, "0")}`,
          disciplines: i % 3 === 0 ? ["结构工程", "岩土工程"] : ["建筑电气"],
          unitId: i === 0 ? unit.id : null,
        }),
      );
    }
    economist = await poolExpert(db, { name: "经济专家", series: "economics", disciplines: ["金融"] });
  });

  afterAll(async () => {
    await handle.close();
  });

  const members = (ids: string[], term = { termStart: "2026-01-01", termEnd: "2028-12-31" }) =>
    ids.map((userId, i) => ({ userId, role: i === 0 ? "chair" : "member", ...term }));

  const input = (over: Record<string, unknown>) => ({
    name: "工程技术系列评审委员会",
    series: "engineering",
    level: "intermediate",
    organisedBy: "series",
    specialty: "",
    inclusive: true,
    members: members(pool.slice(0, 5)),
    ...over,
  });

  it("refuses an even committee, and writes nothing", async () => {
    const before = await countRows(db, TABLES);
    const result = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ members: members(pool.slice(0, 4)) }),
      NOW,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toEqual(["COMMITTEE_SIZE_EVEN"]);
    expect(messageFor(result.problems[0]!, "zh-CN")).toContain("单数");
    expect(await countRows(db, TABLES)).toEqual(before);
  });

  it("a senior committee per series needs 25: 24 refused with both problems listed, 25 accepted", async () => {
    const senior = { level: "senior", name: "工程技术系列高级评审委员会" };
    const before = await countRows(db, TABLES);
    const small = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ ...senior, members: members(pool.slice(0, 24)) }),
      NOW,
    );
    expect(small.ok).toBe(false);
    if (!small.ok) {
      expect(small.problems.map((p) => p.code).sort()).toEqual([
        "COMMITTEE_SIZE_EVEN",
        "COMMITTEE_TOO_SMALL",
      ]);
      expect(messageFor(small.problems.find((p) => p.code === "COMMITTEE_TOO_SMALL")!, "zh-CN")).toContain(
        "不少于25人",
      );
    }
    expect(await countRows(db, TABLES)).toEqual(before);

    const ok = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ ...senior, members: members(pool.slice(0, 25)) }),
      NOW,
    );
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const stored = await committeeRepository.members(db, ok.value.id);
    expect(stored).toHaveLength(25);
    expect(stored.filter((m) => m.role === "chair").map((m) => m.userId)).toEqual([pool[0]]);
    const audit = await findAuditForObject(db, "committee", ok.value.id);
    expect(audit.map((a) => a.action)).toEqual(["committee.created"]);
    expect(audit[0]!.actorUserId).toBe(actors[AGENCY]!.user.id);
    expect(audit[0]!.data).toMatchObject({ members: 25, level: "senior" });
  });

  it("a senior committee per specialty of 11 is accepted; 9 is not", async () => {
    const specialty = { level: "deputy-senior", organisedBy: "specialty", specialty: "结构工程" };
    const nine = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ ...specialty, members: members(pool.slice(0, 9)) }),
      NOW,
    );
    expect(nine.ok).toBe(false);
    if (!nine.ok) expect(nine.problems.map((p) => p.code)).toEqual(["COMMITTEE_TOO_SMALL"]);
    const eleven = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ ...specialty, members: members(pool.slice(0, 11)) }),
      NOW,
    );
    expect(eleven.ok).toBe(true);
    if (eleven.ok) expect(eleven.value).toMatchObject({ organisedBy: "specialty", specialty: "结构工程" });
  });

  it("refuses a term longer than three years, listing each, and writes nothing", async () => {
    const before = await countRows(db, TABLES);
    const list = members(pool.slice(0, 5));
    list[1] = { ...list[1]!, termStart: "2026-01-01", termEnd: "2029-01-02" };
    list[2] = { ...list[2]!, termStart: "2026-03-01", termEnd: "2030-03-01" };
    const result = await createCommittee(db, actors[AGENCY]!, input({ members: list }), NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.code)).toEqual(["TERM_TOO_LONG", "TERM_TOO_LONG"]);
      expect(messageFor(result.problems[0]!, "zh-CN")).toBe("专家任期（2026-01-01至2029-01-02）超过3年。");
    }
    expect(await countRows(db, TABLES)).toEqual(before);
    // Exactly three years is within the rule.
    list[1] = { ...list[1]!, termEnd: "2029-01-01" };
    list[2] = { ...list[2]!, termEnd: "2029-03-01" };
    expect((await createCommittee(db, actors[AGENCY]!, input({ members: list }), NOW)).ok).toBe(true);
  });

  it("needs exactly one chair and members from the series' pool", async () => {
    const noChair = members(pool.slice(0, 5)).map((m) => ({ ...m, role: "member" }));
    const a = await createCommittee(db, actors[AGENCY]!, input({ members: noChair }), NOW);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.problems.map((p) => messageFor(p, "zh-CN")).join()).toContain("主任委员");
    const b = await createCommittee(
      db,
      actors[AGENCY]!,
      input({ members: members([...pool.slice(0, 4), economist]) }),
      NOW,
    );
    expect(b.ok).toBe(false);
    if (!b.ok) expect(messageFor(b.problems[0]!, "zh-CN")).toContain("不在本系列专家库中");
  });

  it("an agency sets up committees only for its own series", async () => {
    const result = await createCommittee(db, actors[OTHER_AGENCY]!, input({}), NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("FORBIDDEN");
    expect((await listCommittees(db, actors[OTHER_AGENCY]!)).length).toBe(0);
    expect((await listCommittees(db, actors[AGENCY]!)).length).toBeGreaterThan(0);
  });

  it("lists the pool of the agency's series, filtered by discipline; the city bureau sees every series", async () => {
    const all = await listExperts(db, actors[AGENCY]!, {});
    expect(all.experts).toHaveLength(27);
    expect(all.disciplines).toEqual(expect.arrayContaining(["结构工程", "岩土工程", "建筑电气"]));
    expect(all.experts.find((e) => e.userId === pool[0])?.unitName).toBeTruthy();
    const rock = await listExperts(db, actors[AGENCY]!, { discipline: "岩土工程" });
    expect(rock.experts).toHaveLength(9);
    expect(rock.experts.every((e) => e.disciplines.includes("岩土工程"))).toBe(true);
    const bureau = await listExperts(db, actors[ADMIN]!, {});
    expect(bureau.experts.map((e) => e.userId)).toContain(economist);
    expect(bureau.experts).toHaveLength(28);
    const other = await listExperts(db, actors[OTHER_AGENCY]!, {});
    expect(other.experts.map((e) => e.userId)).not.toContain(pool[0]);
  });

  it("offers a series' active experts for seating only to staff of that series", async () => {
    const seatable = await activePool(db, actors[AGENCY]!, "engineering");
    expect(seatable.map((e) => e.userId)).toContain(pool[0]);
    expect(seatable.every((e) => e.active)).toBe(true);
    expect(await activePool(db, actors[OTHER_AGENCY]!, "engineering")).toEqual([]);
    expect((await activePool(db, actors[ADMIN]!, "engineering")).length).toBe(seatable.length);
  });
});
