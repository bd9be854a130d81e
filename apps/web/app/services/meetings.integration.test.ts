import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  expertRepository,
  findAuditForObject,
  meetingRepository,
  organisationRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { countRows, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { messageFor, tallyBallot, ZRoundConfig } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEvaluationResults } from "~/jobs/evaluation-results.server";
import { startTimerRunner } from "~/jobs/runner.server";
import type { Actor } from "~/lib/auth.server";
import { pdfText } from "~/testing/pdf";
import { createCommittee } from "./committees.server";
import {
  addMember,
  addToAgenda,
  createCommitteeMeeting,
  createReviewGroup,
  drawIntoMeeting,
  meetingDetail,
  meetingMinutes,
  orderRecusal,
  removeMember,
  verifyDraw,
} from "./meetings.server";
import { seededTestDb, shanghai, rawSql as sql } from "./testing.server";

const AGENCY = "13800000005"; // 赵强, engineering agency
const OTHER_AGENCY = "13800000014"; // 冯涛, economics agency
const ADMIN = "13800000011";
const NOW = shanghai("2026-11-27T10:00:00");

async function person(db: Db, name: string): Promise<string> {
  const unique = randomBytes(8).toString("hex");
  const user = await userRepository.insert(db, {
    name,
    idType: "mainland",
    idNumber: `id-${unique}`,
    idNumberHash: `id-${unique}`,
    phone: `139${unique.slice(0, 8)}`,
    phoneHash: `ph-${unique}`,
    passwordHash: "x",
    phoneVerifiedAt: NOW,
  });
  return user.id;
}

async function poolExpert(db: Db, name: string, disciplines: string[], unitId: string | null = null) {
  const id = await person(db, name);
  await userRepository.grantRole(db, id, "expert", null);
  await expertRepository.insert(db, {
    userId: id,
    series: "engineering",
    disciplines,
    unitId,
    title: "高级工程师",
  });
  return id;
}

describe.each(testTargets)("committee meetings on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  let agency: Actor;
  let root: string;
  let files: FileStore;
  let unit1: string;
  let unit2: string;
  let roundYear: number;
  let windowId: string;
  const c: string[] = []; // committee members, c[0] the chair, c[3] works for unit2
  const p: Record<string, string> = {}; // further pool experts
  const apps = {} as Record<
    "han" | "tang" | "mid" | "later" | "complete",
    { id: string; applicantId: string }
  >;
  let committeeId: string;
  let exclusiveCommitteeId: string;
  let meetingId: string;

  async function applicant(name: string, employerId: string, state: string, level = "intermediate") {
    const applicantId = await person(db, name);
    await userRepository.grantRole(db, applicantId, "applicant", null);
    const app = await applicationRepository.insert(db, {
      applicantId,
      roundYear,
      windowId,
      series: "engineering",
      level,
      track: "regular",
      state,
      at: NOW,
    });
    await applicationRepository.update(db, app.id, { employerId, updatedAt: NOW });
    return { id: app.id, applicantId };
  }

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    agency = actors[AGENCY]!;
    root = await mkdtemp(join(tmpdir(), "minutes-"));
    files = createLocalFileStore(root);
    const employers = await organisationRepository.findByKind(db, "employer");
    unit1 = employers.find((o) => o.name === "北京示例科技有限公司")!.id;
    unit2 = employers.find((o) => o.name === "北京市示例建筑设计研究院")!.id;
    const round = ZRoundConfig.parse((await roundRepository.findActive(db))!.config);
    roundYear = round.year;
    windowId = round.windows[0]!.id;

    c.push(await poolExpert(db, "钱主任", ["结构工程"]));
    c.push(await poolExpert(db, "周委员", ["结构工程", "土木工程"]));
    c.push(await poolExpert(db, "郑委员", ["建筑设计"]));
    c.push(await poolExpert(db, "陈委员", ["建筑电气"], null));
    c.push(await poolExpert(db, "王委员", ["给水排水"]));
    // 陈委员 works for unit2: set after creation so the committee's members are all of the pool.
    await sql(db)`update experts set unit_id = ${unit2} where user_id = ${c[3]!}`;
    p.unit2 = await poolExpert(db, "单位二专家", ["结构工程"], unit2);
    p.unit1 = await poolExpert(db, "单位一专家", ["结构工程"], unit1);
    p.rock = await poolExpert(db, "岩土专家", ["岩土工程"]);
    for (let i = 0; i < 6; i++)
      p[`free${i}`] = await poolExpert(db, `库内专家${i}`, ["建筑电气", "暖通空调"]);

    const made = await createCommittee(
      db,
      agency,
      {
        name: "工程技术系列中级评审委员会",
        series: "engineering",
        level: "intermediate",
        organisedBy: "series",
        specialty: "",
        inclusive: true,
        members: c.map((userId, i) => ({
          userId,
          role: i === 0 ? "chair" : "member",
          termStart: "2026-01-01",
          termEnd: "2028-12-31",
        })),
      },
      NOW,
    );
    if (!made.ok) throw made.error;
    committeeId = made.value.id;
    const exclusive = await createCommittee(
      db,
      agency,
      {
        name: "工程技术系列中级评审委员会（旧规）",
        series: "engineering",
        level: "intermediate",
        organisedBy: "series",
        specialty: "",
        inclusive: false,
        members: c.map((userId, i) => ({
          userId,
          role: i === 0 ? "chair" : "member",
          termStart: "2026-01-01",
          termEnd: "2028-12-31",
        })),
      },
      NOW,
    );
    if (!exclusive.ok) throw exclusive.error;
    exclusiveCommitteeId = exclusive.value.id;

    apps.han = await applicant("韩雨", unit2, "defense_scheduled");
    apps.tang = await applicant("唐宁", unit1, "defense_scheduled");
    apps.mid = await applicant("孙浩", unit1, "defense_scheduled");
    apps.later = await applicant("林峰", unit1, "defense_scheduled");
    apps.complete = await applicant("高雪", unit1, "complete");
    const held = await meetingRepository.insert(db, {
      roundYear,
      series: "engineering",
      level: "intermediate",
      kind: "defense",
      title: "答辩（已举行）",
      venue: "答辩室 2",
      startsAt: shanghai("2026-11-20T09:00:00"),
      agencyId: agency.roles.find((r) => r.role === "agency")!.organisationId,
    });
    await meetingRepository.addApplication(db, held.id, apps.han.id);
    await meetingRepository.addApplication(db, held.id, apps.tang.id);
    await meetingRepository.addApplication(db, held.id, apps.mid.id);
    for (const [expertId, total] of [
      [c[0]!, 8600],
      [c[1]!, 8400],
      [c[2]!, 8800],
    ] as const) {
      await sql(db)`insert into defense_scores (meeting_id, application_id, expert_id, scores, total,
        submitted_at, updated_at) values (${held.id}, ${apps.tang.id}, ${expertId}, '{}'::jsonb, ${total},
        ${NOW}, ${NOW})`;
    }
    const upcoming = await meetingRepository.insert(db, {
      roundYear,
      series: "engineering",
      level: "intermediate",
      kind: "defense",
      title: "答辩（未举行）",
      startsAt: shanghai("2026-12-20T09:00:00"),
      agencyId: held.agencyId,
    });
    await meetingRepository.addApplication(db, upcoming.id, apps.later.id);
  });

  afterAll(async () => {
    await handle.close();
    await rm(root, { recursive: true, force: true });
  });

  const meetingInput = (committee: string) => ({
    committeeId: committee,
    venue: "北京市人力资源和社会保障局 第一会议室",
    startsAt: "2026-11-30T14:00",
  });

  it("a committee meeting seats the committee's members, the chair as chair, with its quorum setting", async () => {
    const made = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    meetingId = made.value.id;
    expect(made.value).toMatchObject({
      kind: "committee",
      committeeId,
      quorumInclusive: true,
      state: "scheduled",
      title: "工程技术系列中级评审委员会会议",
    });
    expect(made.value.startsAt.toISOString()).toBe("2026-11-30T06:00:00.000Z");
    const members = await meetingRepository.members(db, meetingId);
    expect(members.map((m) => m.userId).sort()).toEqual([...c].sort());
    expect(members.find((m) => m.role === "chair")?.userId).toBe(c[0]);
    expect((await findAuditForObject(db, "meeting", meetingId)).map((a) => a.action)).toEqual([
      "meeting.created",
    ]);

    const old = await createCommitteeMeeting(db, agency, meetingInput(exclusiveCommitteeId), NOW);
    expect(old.ok && old.value.quorumInclusive).toBe(false);
    // Another series' agency cannot use the committee.
    const other = await createCommitteeMeeting(db, actors[OTHER_AGENCY]!, meetingInput(committeeId), NOW);
    expect(other.ok).toBe(false);
  });

  it("the agenda takes defended applications only; adding one starts its evaluation and recuses the same unit", async () => {
    const before = await countRows(db, [
      "meeting_applications",
      "application_events",
      "audit_log",
      "recusals",
    ]);
    const notYet = await addToAgenda(db, agency, meetingId, apps.later.id, NOW);
    expect(notYet.ok).toBe(false);
    if (!notYet.ok) {
      expect(notYet.error.code).toBe("AGENDA_NOT_ELIGIBLE");
      expect(messageFor(notYet.error, "zh-CN")).toContain("已安排答辩");
    }
    const complete = await addToAgenda(db, agency, meetingId, apps.complete.id, NOW);
    expect(complete.ok).toBe(false);
    if (!complete.ok) expect(complete.error.code).toBe("AGENDA_NOT_ELIGIBLE");
    expect(
      await countRows(db, ["meeting_applications", "application_events", "audit_log", "recusals"]),
    ).toEqual(before);

    const han = await addToAgenda(db, agency, meetingId, apps.han.id, NOW);
    expect(han).toEqual({ ok: true, value: { recused: 1 } });
    expect((await applicationRepository.findById(db, apps.han.id))?.state).toBe("evaluating");
    const events = await applicationRepository.findEvents(db, apps.han.id);
    expect(events.at(-1)).toMatchObject({
      event: "startEvaluation",
      fromState: "defense_scheduled",
      toState: "evaluating",
    });
    expect((await addToAgenda(db, agency, meetingId, apps.tang.id, NOW)).ok).toBe(true);

    const detail = await meetingDetail(db, agency, meetingId, NOW);
    expect(detail.agenda.map((a) => a.applicantName)).toEqual(["韩雨", "唐宁"]);
    expect(detail.recusals).toEqual([
      expect.objectContaining({
        expertId: c[3],
        applicationId: apps.han.id,
        source: "same-unit",
        expertName: "陈委员",
      }),
    ]);
    expect(detail.defenseScores[apps.tang.id]).toEqual({
      score: "86.00",
      count: 3,
      trimmed: false,
      attendance: "pending",
    });
    expect(detail.defenseScores[apps.han.id]).toMatchObject({ score: null, count: 0 });
    // Once on a committee's agenda, not on another's.
    const second = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
    if (!second.ok) throw second.error;
    const again = await addToAgenda(db, agency, second.value.id, apps.han.id, NOW);
    expect(again.ok).toBe(false);
  });

  it("a seated expert of the applicant's unit is recused automatically; members change only before the roll call", async () => {
    const added = await addMember(db, agency, meetingId, { userId: p.unit1, role: "expert" }, NOW);
    expect(added).toEqual({ ok: true, value: { recused: 1 } });
    let detail = await meetingDetail(db, agency, meetingId, NOW);
    expect(detail.recusals.find((r) => r.expertId === p.unit1)).toMatchObject({
      applicationId: apps.tang.id,
      source: "same-unit",
    });
    expect((await removeMember(db, agency, meetingId, p.unit1, NOW)).ok).toBe(true);
    detail = await meetingDetail(db, agency, meetingId, NOW);
    expect(detail.members.map((m) => m.userId)).not.toContain(p.unit1);
    expect(detail.recusals.map((r) => r.expertId)).not.toContain(p.unit1);
    const chair = await removeMember(db, agency, meetingId, c[0], NOW);
    expect(!chair.ok && chair.error.code).toBe("VALIDATION");
    const twice = await addMember(db, agency, meetingId, { userId: c[1], role: "expert" }, NOW);
    expect(twice.ok).toBe(false);
    const actions = (await findAuditForObject(db, "meeting", meetingId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["meeting.member-added", "meeting.member-removed"]));
  });

  it("draws from the pool: discipline covered, no expert of an applicant's unit or already seated, reproducible and audited", async () => {
    const before = await countRows(db, ["expert_draws", "meeting_members"]);
    const tooMany = await drawIntoMeeting(
      db,
      agency,
      meetingId,
      { size: 9, disciplines: "", seed: "s" },
      NOW,
    );
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.error.code).toBe("DRAW_POOL_TOO_SMALL");
    const uncovered = await drawIntoMeeting(
      db,
      agency,
      meetingId,
      { size: 2, disciplines: "核工程", seed: "s" },
      NOW,
    );
    expect(uncovered.ok).toBe(false);
    if (!uncovered.ok) expect(uncovered.error.code).toBe("DRAW_DISCIPLINE_UNCOVERED");
    expect(await countRows(db, ["expert_draws", "meeting_members"])).toEqual(before);

    const seated = (await meetingRepository.members(db, meetingId)).map((m) => m.userId);
    const drawn = await drawIntoMeeting(
      db,
      agency,
      meetingId,
      { size: 3, disciplines: "岩土工程", seed: "评审-2026-1" },
      NOW,
    );
    expect(drawn.ok).toBe(true);
    if (!drawn.ok) return;
    const ids = drawn.value.draw.drawnIds;
    expect(ids).toHaveLength(3);
    expect(ids).toContain(p.rock);
    expect(drawn.value.coverage).toEqual({ 岩土工程: p.rock });
    expect(ids).not.toContain(p.unit1);
    expect(ids).not.toContain(p.unit2);
    expect(ids.some((id) => seated.includes(id))).toBe(false);
    expect(drawn.value.draw.excludedUnitIds.sort()).toEqual([unit1, unit2].sort());
    const members = await meetingRepository.members(db, meetingId);
    expect(members.filter((m) => ids.includes(m.userId)).every((m) => m.role === "expert")).toBe(true);

    const check = await verifyDraw(db, agency, meetingId, drawn.value.draw.id);
    expect(check.ok && check.value).toMatchObject({ matches: true, seed: "评审-2026-1", repeated: ids });
    const audit = (await findAuditForObject(db, "meeting", meetingId)).find(
      (a) => a.action === "meeting.experts-drawn",
    );
    expect(audit?.data).toMatchObject({
      seed: "评审-2026-1",
      size: 3,
      drawn: ids,
      requiredDisciplines: ["岩土工程"],
    });
    expect(audit?.actorUserId).toBe(agency.user.id);
  });

  it("the same seed over the same pool draws the same experts; other seeds may differ; no seed draws a fresh one", async () => {
    const results: string[][] = [];
    for (const seed of ["甲", "甲", "乙", "丙", "丁", "戊"]) {
      const fresh = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
      if (!fresh.ok) throw fresh.error;
      const r = await drawIntoMeeting(db, agency, fresh.value.id, { size: 3, seed }, NOW);
      if (!r.ok) throw r.error;
      results.push(r.value.draw.drawnIds);
    }
    expect(results[1]).toEqual(results[0]);
    expect(new Set(results.map((r) => r.join())).size).toBeGreaterThan(1);
    const fresh = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
    if (!fresh.ok) throw fresh.error;
    const a = await drawIntoMeeting(db, agency, fresh.value.id, { size: 1 }, NOW);
    expect(a.ok && a.value.draw.seed).toMatch(/^[0-9a-f]{16}$/);
  });

  it("an ordered recusal needs a reason, a member and an applicant on the agenda", async () => {
    const before = await countRows(db, ["recusals", "audit_log"]);
    for (const reason of ["", " ", "x"]) {
      const r = await orderRecusal(
        db,
        agency,
        meetingId,
        { expertId: c[1], applicationId: apps.tang.id, reason },
        NOW,
      );
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("VALIDATION");
        expect(messageFor(r.error, "zh-CN")).toContain("回避理由");
      }
    }
    const notMember = await orderRecusal(
      db,
      agency,
      meetingId,
      { expertId: p.unit2, applicationId: apps.tang.id, reason: "与申报人为师生关系" },
      NOW,
    );
    expect(!notMember.ok && notMember.error.code).toBe("NOT_MEETING_MEMBER");
    const offAgenda = await orderRecusal(
      db,
      agency,
      meetingId,
      { expertId: c[1], applicationId: apps.later.id, reason: "与申报人为师生关系" },
      NOW,
    );
    expect(!offAgenda.ok && offAgenda.error.code).toBe("NOT_ON_AGENDA");
    expect(await countRows(db, ["recusals", "audit_log"])).toEqual(before);

    const ok = await orderRecusal(
      db,
      agency,
      meetingId,
      { expertId: c[1], applicationId: apps.tang.id, reason: "与申报人为师生关系" },
      NOW,
    );
    expect(ok.ok).toBe(true);
    const twice = await orderRecusal(
      db,
      agency,
      meetingId,
      { expertId: c[1], applicationId: apps.tang.id, reason: "再次申请" },
      NOW,
    );
    expect(!twice.ok && twice.error.code).toBe("ALREADY_RECUSED");
    const detail = await meetingDetail(db, agency, meetingId, NOW);
    expect(detail.recusals.find((r) => r.source === "ordered")).toMatchObject({
      expertId: c[1],
      applicationId: apps.tang.id,
      reason: "与申报人为师生关系",
      expertName: "周委员",
    });
  });

  it("a review group has at least three of the meeting's experts", async () => {
    const before = await countRows(db, ["review_groups", "review_group_members"]);
    const two = await createReviewGroup(
      db,
      agency,
      meetingId,
      { name: "结构评议组", discipline: "结构工程", memberIds: [c[0], c[1]] },
      NOW,
    );
    expect(two.ok).toBe(false);
    if (!two.ok) {
      expect(two.error.code).toBe("REVIEW_GROUP_TOO_SMALL");
      expect(messageFor(two.error, "zh-CN")).toBe("评议组至少由3名专家组成（当前2人）。");
    }
    const outsider = await createReviewGroup(
      db,
      agency,
      meetingId,
      { name: "结构评议组", discipline: "结构工程", memberIds: [c[0], c[1], p.unit2] },
      NOW,
    );
    expect(!outsider.ok && outsider.error.code).toBe("NOT_MEETING_MEMBER");
    expect(await countRows(db, ["review_groups", "review_group_members"])).toEqual(before);
    const three = await createReviewGroup(
      db,
      agency,
      meetingId,
      { name: "结构评议组", discipline: "结构工程", memberIds: [c[0], c[1], c[2]] },
      NOW,
    );
    expect(three.ok).toBe(true);
    const detail = await meetingDetail(db, agency, meetingId, NOW);
    expect(detail.reviewGroups).toEqual([
      expect.objectContaining({ name: "结构评议组", discipline: "结构工程" }),
    ]);
    expect(detail.reviewGroups[0]!.members).toHaveLength(3);
  });

  it("a junior application joins once complete (no defense); defense meetings take drawn experts but no committee agenda", async () => {
    const junior = await createCommittee(
      db,
      agency,
      {
        name: "工程技术系列初级评审委员会",
        series: "engineering",
        level: "junior",
        organisedBy: "series",
        specialty: "",
        inclusive: true,
        members: c.slice(0, 3).map((userId, i) => ({
          userId,
          role: i === 0 ? "chair" : "member",
          termStart: "2026-01-01",
          termEnd: "2028-12-31",
        })),
      },
      NOW,
    );
    if (!junior.ok) throw junior.error;
    const sitting = await createCommitteeMeeting(db, agency, meetingInput(junior.value.id), NOW);
    if (!sitting.ok) throw sitting.error;
    const app = await applicant("赵敏", unit1, "complete", "junior");
    expect(
      (await meetingDetail(db, agency, sitting.value.id, NOW)).candidates.map((a) => a.applicationId),
    ).toEqual([app.id]);
    expect((await addToAgenda(db, agency, sitting.value.id, app.id, NOW)).ok).toBe(true);
    expect((await applicationRepository.findById(db, app.id))?.state).toBe("evaluating");
    // An intermediate application does not fit a junior meeting.
    const wrongLevel = await addToAgenda(db, agency, sitting.value.id, apps.later.id, NOW);
    expect(!wrongLevel.ok && wrongLevel.error.code).toBe("VALIDATION");

    const defense = await meetingRepository.insert(db, {
      roundYear,
      series: "engineering",
      level: "intermediate",
      kind: "defense",
      title: "答辩（抽取专家）",
      startsAt: shanghai("2026-12-01T09:00:00"),
      agencyId: agency.roles.find((r) => r.role === "agency")!.organisationId,
    });
    const drawn = await drawIntoMeeting(db, agency, defense.id, { size: 3, seed: "答辩" }, NOW);
    expect(drawn.ok && drawn.value.draw.drawnIds).toHaveLength(3);
    const onDefense = await addToAgenda(db, agency, defense.id, apps.later.id, NOW);
    expect(!onDefense.ok && onDefense.error.code).toBe("MEETING_KIND");
    // Another agency does not see the meeting at all.
    const foreign = await drawIntoMeeting(db, actors[OTHER_AGENCY]!, defense.id, { size: 1 }, NOW);
    expect(!foreign.ok && foreign.error.code).toBe("NOT_FOUND");
  });

  describe("after the panel's meeting", () => {
    let tallies: Record<string, ReturnType<typeof tallyBallot>>;
    const signedAt = shanghai("2026-11-30T16:30:00");

    beforeAll(async () => {
      // 孙浩 is on the agenda too, but the meeting closes before his ballot.
      const mid = await addToAgenda(db, agency, meetingId, apps.mid.id, NOW);
      if (!mid.ok) throw mid.error;
      // What the panel leaves behind: the roll call, the members present, and two signed ballots.
      const members = await meetingRepository.members(db, meetingId);
      const voting = members.filter((m) => m.role === "chair" || m.role === "expert");
      const absent = voting.find((m) => m.userId === c[4])!;
      await sql(db)`update meeting_members set present = (user_id <> ${absent.userId})
        where meeting_id = ${meetingId}`;
      const present = voting.length - 1;
      await sql(db)`update meetings set state = 'closed', members_at_roll_call = ${voting.length},
        present_at_roll_call = ${present}, roll_call_at = ${shanghai("2026-11-30T14:05:00")},
        closed_at = ${shanghai("2026-11-30T16:40:00")} where id = ${meetingId}`;
      const [group] = await queryRows(db, `select id from review_groups where meeting_id = '${meetingId}'`);
      await sql(db)`insert into review_opinions (group_id, application_id, recommendation, opinion,
        written_by, written_at) values (${group!.id as string}, ${apps.tang.id}, 'support',
        '业绩突出，答辩表现良好，建议通过。', ${c[0]!}, ${NOW})`;
      // 韩雨: 陈委员 recused (same unit); 唐宁: 周委员 recused (ordered). Both present.
      tallies = {};
      for (const [key, yesOf] of [
        ["han", (voters: number) => voters - 1],
        ["tang", () => 1],
      ] as const) {
        const voters = present - 1;
        const yes = yesOf(voters);
        const no = key === "han" ? 1 : voters - 2;
        const t = tallyBallot({
          members: voting.length,
          presentAtRollCall: present,
          recusedPresent: 1,
          yes,
          no,
          abstain: voters - yes - no,
          inclusive: true,
        });
        tallies[key] = t;
        await sql(db)`insert into ballots (meeting_id, application_id, state, voters, recused_present,
          yes, no, abstain, needed, passed, opened_at, closed_at, signed_at, signed_by)
          values (${meetingId}, ${apps[key].id}, 'signed', ${t.voters}, 1, ${t.yes}, ${t.no}, ${t.abstain},
          ${t.needed}, ${t.passed}, ${shanghai("2026-11-30T15:00:00")}, ${shanghai("2026-11-30T15:10:00")},
          ${signedAt}, ${c[0]!})`;
      }
    });

    it("the results job applies each signed ballot once and texts the applicant", async () => {
      expect(tallies.han!.passed).toBe(true);
      expect(tallies.tang!.passed).toBe(false);
      const runner = startTimerRunner({
        url: "postgres://unused.invalid/db",
        db,
        now: () => NOW,
        log: () => {},
        schedules: false,
        acceptJobClock: true,
      });
      try {
        expect(await runner.runNow("evaluation-results", { now: NOW })).toEqual({ checked: 2, applied: 2 });
        expect((await applicationRepository.findById(db, apps.han.id))?.state).toBe("passed");
        expect((await applicationRepository.findById(db, apps.tang.id))?.state).toBe("failed");
        const texts = await queryRows(
          db,
          `select user_id, body from notifications where template = 'evaluation-result' order by body`,
        );
        expect(texts).toHaveLength(2);
        expect(texts.find((t) => t.user_id === apps.han.applicantId)?.body).toContain("评审结果为：通过");
        expect(texts.find((t) => t.user_id === apps.tang.applicantId)?.body).toContain("评审结果为：未通过");
        const before = await countRows(db, ["notifications", "application_events", "audit_log"]);
        expect(await runner.runNow("evaluation-results", { now: NOW })).toEqual({ checked: 0, applied: 0 });
        expect(await applyEvaluationResults(db, NOW, { meetingId })).toEqual({ checked: 0, applied: 0 });
        expect(await countRows(db, ["notifications", "application_events", "audit_log"])).toEqual(before);
      } finally {
        await runner.stop();
      }
      const events = await applicationRepository.findEvents(db, apps.han.id);
      expect(events.at(-1)).toMatchObject({ event: "ballotResult", toState: "passed" });
    });

    it("the meeting page reads back the roll call and the tallies", async () => {
      const detail = await meetingDetail(db, agency, meetingId, NOW);
      expect(detail.meeting.state).toBe("closed");
      expect(detail.quorum.present).toBe(detail.quorum.members - 1);
      const han = detail.ballots.find((b) => b.applicationId === apps.han.id)!;
      expect(han).toMatchObject({
        state: "signed",
        yes: tallies.han!.yes,
        passed: true,
        signedByName: "钱主任",
      });
      expect(han.blank).toBe(tallies.han!.blank);
      expect(detail.candidates).toEqual([]);
    });

    it("the minutes PDF holds the tallies and results, and is archived: a second download is the same bytes", async () => {
      const first = await meetingMinutes(db, files, agency, meetingId, NOW);
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      expect(first.value.built).toBe(true);
      const text = await pdfText(first.value.bytes);
      const han = tallies.han!;
      const tang = tallies.tang!;
      for (const expected of [
        "评审委员会会议纪要",
        "工程技术系列中级评审委员会",
        "北京市人力资源和社会保障局第一会议室",
        `同意${han.yes}票不同意${han.no}票弃权${han.abstain}票未投${han.blank}票应投${han.voters}票需${han.needed}票`,
        `同意${tang.yes}票不同意${tang.no}票弃权${tang.abstain}票未投${tang.blank}票应投${tang.voters}票需${tang.needed}票`,
        "韩雨",
        "唐宁",
        "北京市示例建筑设计研究院",
        "结构评议组：建议通过",
        "86.00",
        "缺席委员王委员",
        "主任委员（签字）：钱主任",
        "签署时间：2026-11-30",
      ]) {
        expect(text, expected).toContain(expected);
      }
      // Per applicant: the result and who was recused.
      const hanPart = text.slice(text.indexOf("韩雨"), text.indexOf("唐宁", text.indexOf("韩雨")));
      expect(hanPart).toContain("表决结果通过");
      expect(hanPart).toContain("回避专家陈委员");
      expect(hanPart).toContain("答辩成绩未评分");
      const tangPart = text.slice(text.lastIndexOf("唐宁"));
      expect(tangPart).toContain("表决结果未通过");
      expect(tangPart).toContain("回避专家周委员");

      expect((await meetingRepository.findById(db, meetingId))?.minutesSha256).toBe(first.value.sha256);
      expect(await files.has(first.value.sha256)).toBe(true);
      const second = await meetingMinutes(db, files, agency, meetingId, NOW);
      expect(second.ok && second.value.built).toBe(false);
      if (second.ok)
        expect(Buffer.from(second.value.bytes).equals(Buffer.from(first.value.bytes))).toBe(true);
      const bureau = await meetingMinutes(db, files, actors[ADMIN]!, meetingId, NOW);
      expect(bureau.ok && bureau.value.sha256).toBe(first.value.sha256);
      const archived = (await findAuditForObject(db, "meeting", meetingId)).filter(
        (a) => a.action === "meeting.minutes-archived",
      );
      expect(archived).toHaveLength(1);
    });

    it("an applicant the closed meeting never voted on joins a later meeting as is; a decided one does not", async () => {
      const later = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
      if (!later.ok) throw later.error;
      const detail = await meetingDetail(db, agency, later.value.id, NOW);
      expect(detail.candidates.map((a) => a.applicantName)).toEqual(["孙浩"]);
      const events = (await applicationRepository.findEvents(db, apps.mid.id)).length;
      expect((await addToAgenda(db, agency, later.value.id, apps.mid.id, NOW)).ok).toBe(true);
      expect((await applicationRepository.findById(db, apps.mid.id))?.state).toBe("evaluating");
      expect(await applicationRepository.findEvents(db, apps.mid.id)).toHaveLength(events);
      const decided = await addToAgenda(db, agency, later.value.id, apps.han.id, NOW);
      expect(!decided.ok && decided.error.code).toBe("AGENDA_NOT_ELIGIBLE");
    });

    it("minutes only for the agency of a closed committee meeting", async () => {
      const other = await meetingMinutes(db, files, actors[OTHER_AGENCY]!, meetingId, NOW);
      expect(!other.ok && other.error.code).toBe("NOT_FOUND");
      const open = await createCommitteeMeeting(db, agency, meetingInput(committeeId), NOW);
      if (!open.ok) throw open.error;
      const notClosed = await meetingMinutes(db, files, agency, open.value.id, NOW);
      expect(!notClosed.ok && notClosed.error.code).toBe("NOT_FOUND");
    });

    it("nothing changes a closed meeting's members, agenda or recusals", async () => {
      const member = await addMember(db, agency, meetingId, { userId: p.free0, role: "expert" }, NOW);
      expect(!member.ok && member.error.code).toBe("MEETING_ROLL_CALL_DONE");
      const recusal = await orderRecusal(
        db,
        agency,
        meetingId,
        { expertId: c[2], applicationId: apps.tang.id, reason: "与申报人为师生关系" },
        NOW,
      );
      expect(!recusal.ok && recusal.error.code).toBe("MEETING_NOT_IN_SESSION");
      expect((await meetingDetail(db, agency, meetingId, NOW)).ballots).toHaveLength(2);
    });
  });
});
