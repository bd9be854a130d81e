import { randomBytes } from "node:crypto";
import {
  applicationRepository,
  type Db,
  defenseScoreRepository,
  expertRepository,
  findAuditForObject,
  meetingRepository,
  userRepository,
} from "@titles/db";
import { countRows, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { messageFor } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  assignApplicant,
  checkIn,
  defenseNoticeFor,
  defenseSessionDetail,
  listDefenseSessions,
  publishRequirements,
  scheduleDefenseSession,
} from "./defense.server";
import { seededTestDb, shanghai } from "./testing.server";

const AGENCY = "13800000005"; // 赵强, engineering agency
const ECON_AGENCY = "13800000014"; // 冯涛, economics agency
// Seeded in July: the demo round's defense months are then 2026-08-01 to 2026-11-30.
const SEEDED = shanghai("2026-07-13T09:00:00");
const NOW = shanghai("2026-07-20T10:00:00");
const WRITES = ["meetings", "meeting_applications", "notifications", "audit_log", "application_events"];

const session = (over: Record<string, unknown> = {}) => ({
  series: "engineering",
  level: "intermediate",
  title: "工程技术系列中级答辩（第一场）",
  date: "2026-09-15",
  venue: "北京市职称评审中心 答辩室 3",
  slots: [
    { start: "14:00", capacity: 2 },
    { start: "09:00", capacity: 1 },
  ],
  requirements: "",
  ...over,
});

describe.each(testTargets)("defense sessions on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  const agency = () => actors[AGENCY]!;

  /** A demo applicant's application, reviewed, approved and paid (state `complete`). */
  async function completeApplication(phone: string, level = "intermediate"): Promise<string> {
    const applicant = actors[phone]!;
    const app = await applicationRepository.insert(db, {
      applicantId: applicant.user.id,
      roundYear: 2026,
      windowId: "2021-general",
      series: "engineering",
      level,
      track: "regular",
      state: "complete",
      at: SEEDED,
    });
    const employerId = await userRepository.findEmployerId(db, applicant.user.id);
    await applicationRepository.update(db, app.id, { employerId, confirmedAt: SEEDED, updatedAt: SEEDED });
    return app.id;
  }

  async function schedule(over: Record<string, unknown> = {}): Promise<string> {
    const made = await scheduleDefenseSession(db, agency(), session(over), NOW);
    if (!made.ok) throw made.error;
    return made.value.id;
  }

  const sms = (applicationId: string, template: string) =>
    queryRows(
      db,
      `select body from notifications where application_id = '${applicationId}' and template = '${template}'`,
    );

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target, SEEDED));
    db = handle.db;
  });
  afterAll(() => handle.close());

  it("refuses a session in December and one of another agency's series; nothing is written", async () => {
    const before = await countRows(db, WRITES);
    const december = await scheduleDefenseSession(db, agency(), session({ date: "2026-12-03" }), NOW);
    expect(december.ok).toBe(false);
    if (december.ok) return;
    expect(december.error.code).toBe("DEFENSE_OUTSIDE_WINDOW");
    expect(messageFor(december.error, "zh-CN")).toBe(
      "答辩日期2026-12-03不在本年度答辩时间（2026-08-01至2026-11-30）内。",
    );
    const econ = await scheduleDefenseSession(db, actors[ECON_AGENCY]!, session(), NOW);
    expect(!econ.ok && econ.error.params).toMatchObject({ reason: "not-your-agency" });
    const junior = await scheduleDefenseSession(db, agency(), session({ level: "junior" }), NOW);
    expect(!junior.ok && junior.error.code).toBe("DEFENSE_NOT_NEEDED");
    const noVenue = await scheduleDefenseSession(db, agency(), session({ venue: "" }), NOW);
    expect(!noVenue.ok && noVenue.error.code).toBe("VALIDATION");
    const past = await scheduleDefenseSession(
      db,
      agency(),
      session({ date: "2026-08-03" }),
      shanghai("2026-08-10T10:00:00"),
    );
    expect(!past.ok && past.error.code).toBe("VALIDATION");
    expect(await countRows(db, WRITES)).toEqual(before);
  });

  it("schedules a session inside the window, audited, listed with its slots and the dates that matter", async () => {
    const id = await schedule({ title: "工程技术系列中级答辩（列表）", date: "2026-08-03" });
    expect((await findAuditForObject(db, "meeting", id)).map((a) => a.action)).toEqual(["defense.scheduled"]);
    const list = await listDefenseSessions(db, agency(), NOW);
    expect(list.dates).toMatchObject({
      window: { from: "2026-08-01", to: "2026-11-30" },
      evaluationEndsBy: "2026-12-31",
      suggestedDate: "2026-08-01",
    });
    const listed = list.sessions.find((s) => s.id === id)!;
    expect(listed).toMatchObject({
      date: "2026-08-03",
      venue: "北京市职称评审中心 答辩室 3",
      // Slots in time order; the session starts at the first.
      slots: [
        { start: "09:00", capacity: 1, filled: 0 },
        { start: "14:00", capacity: 2, filled: 0 },
      ],
      capacity: 3,
      panelSize: 0,
      requirementsPublishedAt: null,
    });
    // Another agency does not see it, nor can it open it.
    expect((await listDefenseSessions(db, actors[ECON_AGENCY]!, NOW)).sessions).toEqual([]);
    await expect(defenseSessionDetail(db, actors[ECON_AGENCY]!, id, NOW)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("assigns: state moves, one SMS with date, time and venue; junior and full slots refused; same unit recused", async () => {
    const id = await schedule();
    // A panelist of the pool who works for 北京市示例建筑设计研究院 (unit2).
    const unit2 = (await userRepository.findEmployerId(db, actors["13800000002"]!.user.id))!;
    const unique = randomBytes(6).toString("hex");
    const expert = await userRepository.insert(db, {
      name: "同单位专家",
      idType: "mainland",
      idNumber: `id-${unique}`,
      idNumberHash: `id-${unique}`,
      phone: `ph-${unique}`,
      phoneHash: `ph-${unique}`,
      passwordHash: "x",
      phoneVerifiedAt: NOW,
    });
    await expertRepository.insert(db, {
      userId: expert.id,
      series: "engineering",
      disciplines: ["结构工程"],
      unitId: unit2,
      title: "正高级工程师",
    });
    await meetingRepository.addMember(db, id, expert.id, "expert");

    // 张伟 (unit1) to the 09:00 slot.
    const zhang = await completeApplication("13800000001");
    const detail = await defenseSessionDetail(db, agency(), id, NOW);
    expect(detail.candidates.map((c) => c.id)).toContain(zhang);
    const assigned = await assignApplicant(
      db,
      agency(),
      id,
      { applicationId: zhang, slotStart: "09:00" },
      NOW,
    );
    expect(assigned).toMatchObject({ ok: true, value: { recused: 0, movedFrom: null } });
    expect((await applicationRepository.findById(db, zhang))!.state).toBe("defense_scheduled");
    const notices = await sms(zhang, "defense-notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain("2026-09-15 09:00");
    expect(notices[0]!.body).toContain("北京市职称评审中心 答辩室 3");
    expect(notices[0]!.body).not.toContain("防疫要求");

    // The 09:00 slot holds one: 李娜 cannot have it; nothing is written.
    const li = await completeApplication("13800000002");
    const before = await countRows(db, WRITES);
    const full = await assignApplicant(db, agency(), id, { applicationId: li, slotStart: "09:00" }, NOW);
    expect(!full.ok && full.error.code).toBe("DEFENSE_SLOT_FULL");
    expect(!full.ok && messageFor(full.error, "zh-CN")).toBe("09:00时段已满（最多1人）。");
    // A junior applicant is evaluated without a defense.
    const junior = await completeApplication("13800000012", "junior");
    const refused = await assignApplicant(
      db,
      agency(),
      id,
      { applicationId: junior, slotStart: "14:00" },
      NOW,
    );
    expect(!refused.ok && refused.error.code).toBe("DEFENSE_NOT_NEEDED");
    expect((await applicationRepository.findById(db, junior))!.state).toBe("complete");
    // Another agency may not call the engineering applicant.
    const foreign = await assignApplicant(
      db,
      actors[ECON_AGENCY]!,
      id,
      { applicationId: li, slotStart: "14:00" },
      NOW,
    );
    expect(!foreign.ok && foreign.error.code).toBe("NOT_FOUND");
    expect(await countRows(db, WRITES)).toEqual(before);

    // 李娜 works for unit2: the panelist of unit2 is recused from her automatically.
    const liAssigned = await assignApplicant(
      db,
      agency(),
      id,
      { applicationId: li, slotStart: "14:00" },
      NOW,
    );
    expect(liAssigned).toMatchObject({ ok: true, value: { recused: 1 } });
    expect(await meetingRepository.isRecused(db, id, li, expert.id)).toBe(true);
    expect(await meetingRepository.isRecused(db, id, zhang, expert.id)).toBe(false);
    expect((await defenseSessionDetail(db, agency(), id, NOW)).session.slots).toEqual([
      { start: "09:00", capacity: 1, filled: 1 },
      { start: "14:00", capacity: 2, filled: 1 },
    ]);

    // Moving 张伟 to another session: off this one, on the other, told again.
    const other = await schedule({ title: "工程技术系列中级答辩（第二场）", date: "2026-09-22" });
    const moved = await assignApplicant(
      db,
      agency(),
      other,
      { applicationId: zhang, slotStart: "14:00" },
      NOW,
    );
    expect(moved).toMatchObject({ ok: true, value: { movedFrom: id } });
    expect(await meetingRepository.onAgenda(db, id, zhang)).toBe(false);
    expect(await meetingRepository.onAgenda(db, other, zhang)).toBe(true);
    const again = await sms(zhang, "defense-notice");
    expect(again).toHaveLength(2);
    expect(again.some((n) => String(n.body).includes("2026-09-22 14:00"))).toBe(true);
    expect((await applicationRepository.findById(db, zhang))!.state).toBe("defense_scheduled");
    expect((await findAuditForObject(db, "meeting", other)).map((a) => a.action)).toEqual([
      "defense.scheduled",
      "defense.assigned",
    ]);
  });

  it("two staff filling the last place at the same instant: one is called, the other refused", async () => {
    const id = await schedule({ title: "工程技术系列中级答辩（并发）", date: "2026-10-20" });
    const apps = [await completeApplication("13800000018"), await completeApplication("13800000023")];
    const results = await Promise.all(
      apps.map((applicationId) =>
        assignApplicant(db, agency(), id, { applicationId, slotStart: "09:00" }, NOW),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["DEFENSE_SLOT_FULL"]);
    const states = await Promise.all(
      apps.map(async (a) => (await applicationRepository.findById(db, a))!.state),
    );
    expect(states.sort()).toEqual(["complete", "defense_scheduled"]);
    expect((await defenseSessionDetail(db, agency(), id, NOW)).session.slots[0]).toMatchObject({ filled: 1 });
  });

  it("publishes the requirements: each assigned applicant texted once, the status page shows them", async () => {
    const id = await schedule({ title: "工程技术系列中级答辩（防疫）", date: "2026-10-13" });
    const sun = await completeApplication("13800000015");
    const ma = await completeApplication("13800000016");
    for (const app of [sun, ma]) {
      const r = await assignApplicant(db, agency(), id, { applicationId: app, slotStart: "14:00" }, NOW);
      expect(r.ok).toBe(true);
    }
    expect((await defenseNoticeFor(db, { id: sun, roundYear: 2026 }))!.requirements).toBeNull();

    const rules = "入场出示北京健康宝绿码，全程佩戴口罩，体温低于37.3℃";
    const published = await publishRequirements(db, agency(), id, { requirements: rules }, NOW);
    expect(published).toMatchObject({ ok: true, value: { texted: 2 } });
    for (const app of [sun, ma]) {
      const texts = await sms(app, "defense-requirements");
      expect(texts).toHaveLength(1);
      expect(texts[0]!.body).toContain(rules);
      expect(texts[0]!.body).toContain("2026-10-13 14:00");
    }
    // The same text again texts nobody.
    const twice = await publishRequirements(db, agency(), id, { requirements: rules }, NOW);
    expect(!twice.ok && twice.error.code).toBe("VALIDATION");
    expect(await sms(sun, "defense-requirements")).toHaveLength(1);

    // The status page's view: session, slot, venue, the requirements, and what comes next.
    expect(await defenseNoticeFor(db, { id: sun, roundYear: 2026 })).toMatchObject({
      date: "2026-10-13",
      slotStart: "14:00",
      venue: "北京市职称评审中心 答辩室 3",
      requirements: rules,
      attendance: "pending",
      next: [
        { step: "defense", date: "2026-10-13" },
        { step: "evaluation", date: "2026-12-31", by: true },
        { step: "publicity", date: "2027-01-31", by: true },
      ],
    });

    // Called after publishing: the notice carries the requirements.
    const huang = await completeApplication("13800000017");
    expect(
      (await assignApplicant(db, agency(), id, { applicationId: huang, slotStart: "09:00" }, NOW)).ok,
    ).toBe(true);
    const [notice] = await sms(huang, "defense-notice");
    expect(notice!.body).toContain(`防疫要求：${rules}`);
    expect(await sms(huang, "defense-requirements")).toHaveLength(0);
  });

  it("check-in: refused before the day; on the day present or no-show, audited, seen by the panel", async () => {
    const id = await schedule({ title: "工程技术系列中级答辩（签到）", date: "2026-11-10" });
    const lin = await completeApplication("13800000019");
    const gao = await completeApplication("13800000020");
    for (const app of [lin, gao]) {
      expect(
        (await assignApplicant(db, agency(), id, { applicationId: app, slotStart: "14:00" }, NOW)).ok,
      ).toBe(true);
    }
    const eve = shanghai("2026-11-09T20:00:00");
    const early = await checkIn(db, agency(), id, { applicationId: lin, attendance: "present" }, eve);
    expect(!early.ok && early.error.code).toBe("DEFENSE_NOT_YET");
    expect(!early.ok && messageFor(early.error, "zh-CN")).toBe("答辩日期为2026-11-10，当天起方可签到。");
    expect((await defenseSessionDetail(db, agency(), id, eve)).checkInOpen).toBe(false);

    const day = shanghai("2026-11-10T08:40:00");
    expect((await defenseSessionDetail(db, agency(), id, day)).checkInOpen).toBe(true);
    expect(await checkIn(db, agency(), id, { applicationId: lin, attendance: "present" }, day)).toMatchObject(
      {
        ok: true,
      },
    );
    expect(await checkIn(db, agency(), id, { applicationId: gao, attendance: "no_show" }, day)).toMatchObject(
      {
        ok: true,
      },
    );
    const stranger = await completeApplication("13800000024");
    const notCalled = await checkIn(
      db,
      agency(),
      id,
      { applicationId: stranger, attendance: "present" },
      day,
    );
    expect(!notCalled.ok && notCalled.error.code).toBe("NOT_ON_AGENDA");

    const detail = await defenseSessionDetail(db, agency(), id, day);
    expect(detail.assignments.map((a) => [a.applicantName, a.attendance])).toEqual([
      ["林峰", "present"],
      ["高雪", "no_show"],
    ]);
    expect(detail.session.noShows).toBe(1);
    expect(detail.assignments.find((a) => a.applicationId === gao)!.checkedInAt).toBe(day.toISOString());
    // The panel's scoring reads the attendance column: the no-show is visible there.
    const facts = await defenseScoreRepository.scoringFacts(db, id, gao, agency().user.id);
    expect(facts.agenda).toMatchObject({ attendance: "no_show" });
    expect((await defenseNoticeFor(db, { id: gao, roundYear: 2026 }))!.attendance).toBe("no_show");
    expect(
      (await findAuditForObject(db, "meeting", id)).filter((a) => a.action === "defense.check-in"),
    ).toHaveLength(2);
    // A checked-in applicant is not moved any more.
    const other = await schedule({ title: "工程技术系列中级答辩（补）", date: "2026-11-24" });
    const move = await assignApplicant(db, agency(), other, { applicationId: gao, slotStart: "14:00" }, day);
    expect(!move.ok && move.error.code).toBe("VALIDATION");
  });
});
