import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  encryptField,
  findAuditForObject,
  meetingRepository,
  organisationRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { messageFor, ZRoundConfig } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runResultFinalisation } from "~/jobs/result-finalisation.server";
import type { Actor } from "~/lib/auth.server";
import { pdfText } from "~/testing/pdf";
import {
  batchForStaff,
  createBatch,
  listBatches,
  listCandidates,
  publicBatches,
  publicBatchList,
  publicBatchPage,
  publishBatch,
  settleEntryAfterDecision,
  suggestedPublicityEnd,
} from "./results.server";
import { seededTestDb, shanghai, rawSql as sql } from "./testing.server";

const AGENCY = "13800000005"; // 赵强, engineering agency
const OTHER_AGENCY = "13800000014"; // 冯涛, economics agency
const ADMIN = "13800000011";
// Friday 27 November 2026: the publicity 27.11 (Fri) – 3.12 (Thu) spans a weekend and has 5 working days.
const NOW = shanghai("2026-11-27T10:00:00");
const PUBLIC_URL = "http://results.test";

describe.each(testTargets)("result batches on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  let agency: Actor;
  let admin: Actor;
  let root: string;
  let files: FileStore;
  let unit1: string;
  let unit2: string;
  let roundYear: number;
  let windowId: string;
  let meetingId: string;
  let seniorMeetingId: string;
  const passed: Array<{ id: string; name: string }> = [];
  let failedApp: { id: string; name: string };
  let seniorApp: { id: string; name: string };
  let undecided: { id: string; name: string };

  async function decided(
    name: string,
    employerId: string,
    result: "passed" | "failed" | "evaluating",
    options: { level?: string; meeting?: string } = {},
  ) {
    const unique = randomBytes(8).toString("hex");
    const user = await userRepository.insert(db, {
      name,
      idType: "mainland",
      idNumber: `11010819800101${unique.slice(0, 4)}`,
      idNumberHash: `id-${unique}`,
      phone: `139${String(Number.parseInt(unique.slice(0, 8), 16) % 100_000_000).padStart(8, "0")}`,
      phoneHash: `ph-${unique}`,
      passwordHash: "x",
      phoneVerifiedAt: NOW,
    });
    await userRepository.grantRole(db, user.id, "applicant", null);
    const app = await applicationRepository.insert(db, {
      applicantId: user.id,
      roundYear,
      windowId,
      series: "engineering",
      level: options.level ?? "intermediate",
      track: "regular",
      state: result,
      at: NOW,
    });
    await applicationRepository.update(db, app.id, {
      employerId,
      form: { specialty: "建筑工程" },
      updatedAt: NOW,
    });
    if (result !== "evaluating") {
      await sql(db)`insert into ballots (meeting_id, application_id, state, voters, recused_present, yes, no,
        abstain, needed, passed, opened_at, closed_at, signed_at)
        values (${options.meeting ?? meetingId}, ${app.id}, 'signed', 5, 0, ${result === "passed" ? 5 : 1},
        ${result === "passed" ? 0 : 4}, 0, 4, ${result === "passed"}, ${shanghai("2026-11-25T15:00:00")},
        ${shanghai("2026-11-25T15:10:00")}, ${shanghai("2026-11-25T16:00:00")})`;
    }
    return { id: app.id, name };
  }

  const ids = () => [...passed.map((p) => p.id), failedApp.id];
  const batchInput = (overrides: Record<string, unknown> = {}) => ({
    levelGroup: "intermediate-junior",
    title: "",
    publicityStart: "2026-11-27",
    publicityEnd: "2026-12-03",
    applicationIds: ids(),
    ...overrides,
  });

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    agency = actors[AGENCY]!;
    admin = actors[ADMIN]!;
    root = await mkdtemp(join(tmpdir(), "results-"));
    files = createLocalFileStore(root);
    const employers = await organisationRepository.findByKind(db, "employer");
    unit1 = employers.find((o) => o.name === "北京示例科技有限公司")!.id;
    unit2 = employers.find((o) => o.name === "北京市示例建筑设计研究院")!.id;
    const round = ZRoundConfig.parse((await roundRepository.findActive(db))!.config);
    roundYear = round.year;
    windowId = round.windows[0]!.id;
    const agencyId = agency.roles.find((r) => r.role === "agency")!.organisationId;
    const [committee] = await sql(db)`insert into committees (round_year, series, level, name, agency_id)
      values (${roundYear}, 'engineering', 'intermediate', '工程技术系列中级评审委员会', ${agencyId}) returning id`;
    const meeting = await meetingRepository.insert(db, {
      roundYear,
      series: "engineering",
      level: "intermediate",
      kind: "committee",
      title: "中级评审会",
      startsAt: shanghai("2026-11-25T14:00:00"),
      agencyId,
      committeeId: String(committee!.id),
      state: "closed",
    });
    meetingId = meeting.id;
    const senior = await meetingRepository.insert(db, {
      roundYear,
      series: "engineering",
      level: "deputy-senior",
      kind: "committee",
      title: "高级评审会",
      startsAt: shanghai("2026-11-25T14:00:00"),
      agencyId,
      state: "closed",
    });
    seniorMeetingId = senior.id;
    // 53 passed results: more than one public page of 50.
    for (let i = 0; i < 53; i++) {
      const name = i === 0 ? "张伟" : i === 1 ? "李娜" : `申报人${String(i).padStart(2, "0")}`;
      passed.push(await decided(name, i % 2 === 0 ? unit1 : unit2, "passed"));
    }
    failedApp = await decided("赵敏", unit1, "failed");
    seniorApp = await decided("钱高工", unit2, "passed", {
      level: "deputy-senior",
      meeting: seniorMeetingId,
    });
    undecided = await decided("孙评审中", unit1, "evaluating");
  });

  afterAll(async () => {
    await handle?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("lists decided applications as candidates, senior ones only for the bureau", async () => {
    const candidates = await listCandidates(db, agency, "intermediate-junior");
    expect(candidates).toHaveLength(54);
    const zhang = candidates.find((c) => c.name === "张伟")!;
    expect(zhang).toMatchObject({
      result: "passed",
      unitName: "北京示例科技有限公司",
      specialty: "建筑工程",
      qualification: "工程师",
      committeeName: "工程技术系列中级评审委员会",
      approvedOn: "2026-11-25",
    });
    expect(candidates.find((c) => c.name === "赵敏")?.result).toBe("failed");
    expect(candidates.some((c) => c.name === "孙评审中")).toBe(false);
    await expect(listCandidates(db, agency, "senior")).rejects.toMatchObject({ code: "FORBIDDEN" });
    const senior = await listCandidates(db, admin, "senior");
    expect(senior.map((c) => c.name)).toEqual(["钱高工"]);
    // The other agency serves economics: none of these are its candidates.
    expect(await listCandidates(db, actors[OTHER_AGENCY]!, "intermediate-junior")).toHaveLength(0);
  });

  it("refuses a publicity of 4 working days and writes nothing", async () => {
    const before = await countRows(db, ["result_batches", "result_entries", "audit_log"]);
    // Monday 30.11 to Thursday 3.12: four working days.
    const r = await createBatch(db, agency, batchInput({ publicityStart: "2026-11-30" }), NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("RESULT_PUBLICITY_TOO_SHORT");
    expect(messageFor(r.error, "zh-CN")).toContain("4");
    expect(await countRows(db, ["result_batches", "result_entries", "audit_log"])).toEqual(before);
    // A start already past is refused too.
    const past = await createBatch(db, agency, batchInput({ publicityStart: "2026-11-20" }), NOW);
    expect(!past.ok && past.error.code).toBe("RESULT_PUBLICITY_START_PAST");
  });

  it("suggests the end of a 5-working-day publicity over the weekend", async () => {
    expect(await suggestedPublicityEnd(db, roundYear, "2026-11-27")).toBe("2026-12-03");
  });

  it("refuses an undecided application, a senior one, and a senior batch made by the agency", async () => {
    const notDecided = await createBatch(db, agency, batchInput({ applicationIds: [undecided.id] }), NOW);
    expect(!notDecided.ok && notDecided.error.code).toBe("RESULT_NOT_DECIDED");
    const wrongLevel = await createBatch(db, admin, batchInput({ applicationIds: [seniorApp.id] }), NOW);
    expect(!wrongLevel.ok && wrongLevel.error.code).toBe("RESULT_BATCH_LEVEL_MISMATCH");
    const senior = await createBatch(
      db,
      agency,
      batchInput({ levelGroup: "senior", applicationIds: [seniorApp.id] }),
      NOW,
    );
    expect(!senior.ok && senior.error.code).toBe("FORBIDDEN");
  });

  let batchId: string;

  it("creates a draft batch over 5 working days with a default title, numbered per agency", async () => {
    const r = await createBatch(db, agency, batchInput(), NOW);
    if (!r.ok) throw r.error;
    batchId = r.value.id;
    expect(r.value).toMatchObject({
      state: "draft",
      publisher: "agency",
      number: 1,
      workingDays: 5,
      title: `${roundYear}年度工程技术系列中级职称评审结果公示（第1批）`,
    });
    const staff = await batchForStaff(db, agency, batchId, NOW);
    expect(staff.entries).toHaveLength(54);
    expect(staff.entries.filter((e) => e.listed)).toHaveLength(53);
    expect(staff.entries.find((e) => e.name === "赵敏")).toMatchObject({ listed: false, result: "failed" });
    expect(staff.schedule).toEqual({
      evaluationBy: `${roundYear}-12-31`,
      publicityBy: `${roundYear + 1}-01-31`,
    });
    expect(staff.late).toBe(false);
    // A draft is not public, and the same applications cannot go into a second batch.
    await expect(publicBatchPage(db, batchId, {})).rejects.toMatchObject({ code: "NOT_FOUND" });
    const again = await createBatch(db, agency, batchInput({ applicationIds: [passed[0]!.id] }), NOW);
    expect(!again.ok && again.error.code).toBe("RESULT_ALREADY_IN_BATCH");
    expect(await listCandidates(db, agency, "intermediate-junior")).toHaveLength(0);
  });

  it("keeps another agency out of the batch", async () => {
    const other = actors[OTHER_AGENCY]!;
    await expect(batchForStaff(db, other, batchId, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const r = await publishBatch(db, files, other, batchId, NOW, { publicUrl: PUBLIC_URL });
    expect(!r.ok && r.error.code).toBe("NOT_FOUND");
    expect(await listBatches(db, other)).toHaveLength(0);
    expect((await listBatches(db, agency)).map((b) => b.id)).toEqual([batchId]);
    // The bureau opens any batch.
    expect((await batchForStaff(db, admin, batchId, NOW)).batch.id).toBe(batchId);
  });

  it("publishes: passed results into publicity, SMS to everyone, the list archived", async () => {
    const r = await publishBatch(db, files, agency, batchId, NOW, { publicUrl: PUBLIC_URL });
    if (!r.ok) throw r.error;
    expect(r.value).toMatchObject({
      state: "publicity",
      publicityStart: "2026-11-27",
      publicityEnd: "2026-12-03",
    });
    expect(r.value.listSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await applicationRepository.findById(db, passed[0]!.id))!.state).toBe("result_publicity");
    expect((await applicationRepository.findById(db, failedApp.id))!.state).toBe("failed");
    const sms = await sql(db)`select template, body from notifications
      where application_id in (${passed[0]!.id}, ${failedApp.id}) and template like 'result-%' order by template`;
    expect(sms.map((s) => s.template)).toEqual(["result-not-passed", "result-publicity"]);
    expect(String(sms[1]!.body)).toContain("2026-11-27至2026-12-03");
    expect(String(sms[0]!.body)).toContain("2026-12-03前");
    const events = await sql(
      db,
    )`select event, to_state from application_events where application_id = ${passed[0]!.id}`;
    expect(events).toContainEqual({ event: "publishResult", to_state: "result_publicity" });
    expect((await findAuditForObject(db, "result_batch", batchId)).map((a) => a.action)).toEqual([
      "result-batch.created",
      "result-batch.published",
    ]);
    // Publishing twice is refused.
    const twice = await publishBatch(db, files, agency, batchId, NOW, { publicUrl: PUBLIC_URL });
    expect(!twice.ok && twice.error.code).toBe("RESULT_BATCH_NOT_DRAFT");
  });

  it("archives a printable list with every listed name and no failed one", async () => {
    const list = await publicBatchList(db, files, batchId);
    const text = await pdfText(list.bytes);
    expect(text).toContain("张伟");
    expect(text).toContain("李娜");
    expect(text).toContain("申报人52");
    expect(text).toContain("北京市工程技术系列职称评审服务机构");
    expect(text).toContain("序号");
    expect(text).toContain("取得资格");
    expect(text).not.toContain("赵敏");
    expect(text).not.toContain("110108");
  });

  it("pages and searches the public list by name and by unit, listed results only", async () => {
    const first = await publicBatchPage(db, batchId, {});
    expect(first.total).toBe(53);
    expect(first.rows).toHaveLength(50);
    expect(first.pages).toBe(2);
    expect(first.rows[0]).toMatchObject({ position: 1, name: "张伟", qualification: "工程师" });
    expect(Object.keys(first.rows[0]!)).not.toContain("applicationId");
    const second = await publicBatchPage(db, batchId, { page: "2" });
    expect(second.rows.map((r) => r.position)).toEqual([51, 52, 53]);
    const byName = await publicBatchPage(db, batchId, { q: "李娜" });
    expect(byName.rows.map((r) => r.name)).toEqual(["李娜"]);
    const byUnit = await publicBatchPage(db, batchId, { q: "建筑设计研究院" });
    expect(byUnit.total).toBe(26);
    expect(byUnit.rows.every((r) => r.unitName === "北京市示例建筑设计研究院")).toBe(true);
    expect((await publicBatchPage(db, batchId, { q: "赵敏" })).total).toBe(0);
    // A % typed in the search matches a percent sign, not everything.
    expect((await publicBatchPage(db, batchId, { q: "%" })).total).toBe(0);
    expect((await publicBatches(db)).map((b) => b.id)).toEqual([batchId]);
  });

  let complainedEntry: string;

  it("does not finalise before the end day is over", async () => {
    const staff = await batchForStaff(db, agency, batchId, NOW);
    complainedEntry = staff.entries.find((e) => e.name === "李娜")!.id;
    // The contact phone is stored encrypted, bound to the row (decision 0016).
    const complaintId = randomUUID();
    await sql(
      db,
    )`insert into complaints (id, reference, kind, batch_id, entry_id, application_id, complainant_name,
      contact_phone, contact_phone_hash, facts, state, filed_at)
      values (${complaintId}, 'TS2026-TEST0001', 'complaint', ${batchId}, ${complainedEntry}, ${passed[1]!.id}, '投诉人',
      ${encryptField("complaints.contact_phone", complaintId, "13912345678")}, 'hash', '论文存在抄袭，请核查。', 'open',
      ${shanghai("2026-11-30T09:00:00")})`;
    const onLastDay = await runResultFinalisation(db, shanghai("2026-12-03T23:59:00"));
    expect(onLastDay).toEqual({ checked: 0, finalised: 0, waiting: 0, ended: 0 });
    expect((await applicationRepository.findById(db, passed[0]!.id))!.state).toBe("result_publicity");
  });

  it("finalises after the end day, leaving the result under an open complaint pending", async () => {
    const after = shanghai("2026-12-04T00:01:00");
    const r = await runResultFinalisation(db, after);
    expect(r).toEqual({ checked: 1, finalised: 53, waiting: 1, ended: 0 });
    expect((await applicationRepository.findById(db, passed[0]!.id))!.state).toBe("final");
    expect((await applicationRepository.findById(db, passed[1]!.id))!.state).toBe("result_publicity");
    expect((await applicationRepository.findById(db, failedApp.id))!.state).toBe("failed");
    const staff = await batchForStaff(db, agency, batchId, after);
    expect(staff.batch.state).toBe("publicity");
    expect(staff.counts).toMatchObject({ final: 53, pending: 1, openComplaints: 1 });
    const finalSms = await sql(db)`select body from notifications
      where application_id = ${passed[0]!.id} and template = 'result-final'`;
    expect(finalSms).toHaveLength(1);
    // Running again changes nothing.
    expect(await runResultFinalisation(db, after)).toEqual({
      checked: 1,
      finalised: 0,
      waiting: 1,
      ended: 0,
    });
  });

  it("settles the waiting entry once its complaint is decided, and ends the batch", async () => {
    const at = shanghai("2026-12-05T10:00:00");
    const outcome = await db.transaction(async (tx) => {
      await sql(
        tx,
      )`update complaints set state = 'dismissed', outcome_reason = '经核查不属实', decided_at = ${at}
        where entry_id = ${complainedEntry}`;
      return settleEntryAfterDecision(tx, complainedEntry, at);
    });
    expect(outcome).toBe("final");
    expect((await applicationRepository.findById(db, passed[1]!.id))!.state).toBe("final");
    const staff = await batchForStaff(db, agency, batchId, at);
    expect(staff.batch.state).toBe("ended");
    expect(staff.counts).toMatchObject({ final: 54, pending: 0 });
    const [pub] = await publicBatches(db);
    expect(pub).toMatchObject({ id: batchId, state: "ended" });
  });

  it("lets the bureau publish a senior batch, which the agency does not see", async () => {
    const r = await createBatch(
      db,
      admin,
      batchInput({ levelGroup: "senior", applicationIds: [seniorApp.id], title: "高级职称评审结果公示" }),
      NOW,
    );
    if (!r.ok) throw r.error;
    expect(r.value).toMatchObject({
      publisher: "bureau",
      agencyId: null,
      number: 1,
      title: "高级职称评审结果公示",
    });
    await expect(batchForStaff(db, agency, r.value.id, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listBatches(db, admin)).map((b) => b.id)).toContain(r.value.id);
    expect((await listBatches(db, agency)).map((b) => b.id)).not.toContain(r.value.id);
  });
});
