import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  findAuditForObject,
  notificationRepository,
  resultBatchRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { countRows, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { isComplaintReference, messageFor, ZRoundConfig } from "@titles/domain";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  type ComplaintDeps,
  complaintAttachmentFor,
  decideComplaint,
  fileComplaint,
  followComplaint,
  listBatchComplaints,
  requestReReview,
  resultNoticeFor,
} from "./complaints.server";
import { seededTestDb, shanghai, TEST_LOOKUP_KEY } from "./testing.server";

const AGENCY = "13800000005"; // 赵强, engineering agency
const OTHER_AGENCY = "13800000014"; // 冯涛, economics agency
const ADMIN = "13800000011";
// Publicity Friday 27.11 – Thursday 3.12.2026 (5 working days); complaints until 3.12 24:00 Beijing time.
const NOW = shanghai("2026-11-27T10:00:00");
const AFTER_END = shanghai("2026-12-04T00:00:01");
const COMPLAINANT_PHONE = "13912345678";
const FACTS = "该申报人提交的论文系他人署名发表，与其本人无关，请予复查。";
const TABLES = ["complaints", "complaint_attachments", "notifications", "audit_log"];

describe.each(testTargets)("complaints and re-reviews on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let actors: Record<string, Actor>;
  let agency: Actor;
  let admin: Actor;
  let root: string;
  let files: FileStore;
  let deps: ComplaintDeps;
  let roundYear: number;
  let windowId: string;
  let agencyId: string;
  let batchId: string;
  const apps: Record<string, { id: string; entryId: string; actor: Actor; phone: string }> = {};

  /** An applicant whose result is in a batch: passed ones in result publicity, failed ones failed. */
  async function applicant(name: string, state: "result_publicity" | "failed") {
    const unique = randomBytes(8).toString("hex");
    const phone = `137${String(Number.parseInt(unique.slice(0, 8), 16) % 100_000_000).padStart(8, "0")}`;
    const user = await userRepository.insert(db, {
      name,
      idType: "mainland",
      idNumber: `11010819800101${unique.slice(0, 4)}`,
      idNumberHash: `id-${unique}`,
      phone,
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
      level: "intermediate",
      track: "regular",
      state,
      at: NOW,
    });
    const actor: Actor = { sessionId: "s", user, roles: await userRepository.findRoles(db, user.id) };
    return { id: app.id, actor, phone, name };
  }

  async function batch(
    people: Array<{ key: string; name: string; state: "result_publicity" | "failed" }>,
    window: { start: string; end: string },
  ): Promise<string> {
    const made = [];
    for (const p of people) made.push({ ...p, ...(await applicant(p.name, p.state)) });
    const row = await resultBatchRepository.insert(
      db,
      {
        roundYear,
        publisher: "agency",
        agencyId,
        levelGroup: "intermediate-junior",
        number: Object.keys(apps).length + 1,
        title: `工程技术系列中级职称评审结果公示（${window.start}）`,
        state: "publicity",
        publicityStart: window.start,
        publicityEnd: window.end,
        workingDays: 5,
        publishedAt: NOW,
        createdBy: agency.user.id,
        createdAt: NOW,
      },
      made.map((p, i) => ({
        applicationId: p.id,
        position: i + 1,
        result: p.state === "failed" ? "failed" : "passed",
        listed: p.state !== "failed",
        name: p.name,
        unitName: "北京示例科技有限公司",
        series: "engineering",
        level: "intermediate",
        specialty: "建筑工程",
        qualification: "工程师",
        committeeName: "工程技术系列中级评审委员会",
        approvedOn: "2026-11-25",
      })),
    );
    const entries = await queryRows(
      db,
      `select id, application_id from result_entries where batch_id = '${row.id}'`,
    );
    for (const p of made) {
      const entry = entries.find((e) => e.application_id === p.id)!;
      apps[p.key] = { id: p.id, entryId: String(entry.id), actor: p.actor, phone: p.phone };
    }
    return row.id;
  }

  const complaint = (key: string, over: Record<string, unknown> = {}) => ({
    entryId: apps[key]!.entryId,
    name: "王投诉",
    phone: COMPLAINANT_PHONE,
    facts: FACTS,
    ...over,
  });

  const appState = async (key: string) => (await applicationRepository.findById(db, apps[key]!.id))?.state;
  const entryOutcome = async (key: string) =>
    (await queryRows(db, `select outcome from result_entries where id = '${apps[key]!.entryId}'`))[0]
      ?.outcome;
  // Phones are stored encrypted (decision 0016): the outbox is read through its repository.
  const smsTo = async (phone: string, template: string) =>
    (await notificationRepository.findRecent(db, 1000))
      .filter((m) => m.phone === phone && m.template === template)
      .map((m) => ({ body: m.body }));

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    db = handle.db;
    agency = actors[AGENCY]!;
    admin = actors[ADMIN]!;
    root = await mkdtemp(join(tmpdir(), "complaints-"));
    files = createLocalFileStore(root);
    deps = { db, files, lookupKey: TEST_LOOKUP_KEY };
    const round = ZRoundConfig.parse((await roundRepository.findActive(db))!.config);
    roundYear = round.year;
    windowId = round.windows[0]!.id;
    agencyId = agency.roles.find((r) => r.role === "agency")!.organisationId!;
    batchId = await batch(
      [
        { key: "zhang", name: "张伟", state: "result_publicity" },
        { key: "li", name: "李娜", state: "result_publicity" },
        { key: "wang", name: "王芳", state: "result_publicity" },
        { key: "zhao", name: "赵敏", state: "failed" },
        { key: "sun", name: "孙强", state: "failed" },
      ],
      { start: "2026-11-27", end: "2026-12-03" },
    );
    await batch([{ key: "old", name: "周老", state: "result_publicity" }], {
      start: "2026-11-13",
      end: "2026-11-19",
    });
  });

  afterAll(async () => {
    await handle?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  let zhangComplaint: { id: string; reference: string };

  it("files a complaint during the publicity, with evidence, and sends the reference by SMS", async () => {
    // A photo that carries EXIF: staff must be shown the pixels only.
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c33" } })
      .jpeg()
      .withExif({ IFD0: { Copyright: "secret-exif-marker", Artist: "someone" } })
      .toBuffer();
    expect(photo.includes(Buffer.from("secret-exif-marker"))).toBe(true);
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const pdf = Buffer.from(await doc.save());
    const uploads = [
      { name: "现场照片.jpg", bytes: photo },
      { name: "证明.pdf", bytes: pdf },
    ];
    const r = await fileComplaint(deps, complaint("zhang"), uploads, NOW);
    if (!r.ok) throw r.error;
    zhangComplaint = r.value;
    expect(isComplaintReference(r.value.reference)).toBe(true);
    expect(r.value.reference.startsWith("TS2026-")).toBe(true);
    const sms = await smsTo(COMPLAINANT_PHONE, "complaint-received");
    expect(sms.map((s) => s.body).join()).toContain(r.value.reference);
    const stored = await complaintAttachmentFor(db, agency, r.value.id, 1);
    expect(stored.mime).toBe("image/jpeg");
    const bytes = await readFile(files.path(stored.sha256));
    expect(bytes.includes(Buffer.from("secret-exif-marker"))).toBe(false);
    expect((await complaintAttachmentFor(db, agency, r.value.id, 2)).mime).toBe("application/pdf");
    // The audit chain records the complaint without the contact number.
    const audit = await findAuditForObject(db, "complaint", r.value.id);
    expect(audit.map((a) => a.action)).toEqual(["complaint.file"]);
    expect(JSON.stringify(audit)).not.toContain(COMPLAINANT_PHONE);
    // Nor does the complaint row or its message hold the number: both are encrypted (decision 0016).
    const [raw] = await queryRows(
      db,
      `select (select c::text from complaints c where id = '${r.value.id}') ||
              (select string_agg(n::text, '|') from notifications n) as text`,
    );
    expect(String(raw!.text)).not.toContain(COMPLAINANT_PHONE);
  });

  it("refuses a complaint after the publicity ended, with the end date, and keeps nothing", async () => {
    const before = await countRows(db, TABLES);
    const r = await fileComplaint(deps, complaint("old"), [], NOW);
    expect(!r.ok && r.error.code).toBe("COMPLAINT_WINDOW_CLOSED");
    if (!r.ok) expect(messageFor(r.error, "zh-CN")).toContain("2026-11-19");
    // Also the day after the current batch's last day.
    const late = await fileComplaint(deps, complaint("li"), [], AFTER_END);
    expect(!late.ok && late.error.code).toBe("COMPLAINT_WINDOW_CLOSED");
    expect(await countRows(db, TABLES)).toEqual(before);
  });

  it("refuses a complaint against an unlisted (failed) result, a bad phone and a disallowed file", async () => {
    const before = await countRows(db, TABLES);
    const unlisted = await fileComplaint(deps, complaint("zhao"), [], NOW);
    expect(!unlisted.ok && unlisted.error.code).toBe("COMPLAINT_ENTRY_NOT_LISTED");
    const phone = await fileComplaint(deps, complaint("li", { phone: "12345" }), [], NOW);
    expect(!phone.ok && phone.error.code).toBe("VALIDATION");
    if (!phone.ok) expect(messageFor(phone.error, "zh-CN")).toContain("手机");
    const zip = Buffer.from("504b0304140000000800", "hex");
    const exe = await fileComplaint(deps, complaint("li"), [{ name: "a.zip", bytes: zip }], NOW);
    expect(!exe.ok && exe.error.code).toBe("UPLOAD_TYPE_NOT_ALLOWED");
    const many = Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, bytes: Buffer.from([1]) }));
    const tooMany = await fileComplaint(deps, complaint("li"), many, NOW);
    expect(!tooMany.ok && tooMany.error.code).toBe("VALIDATION");
    expect(await countRows(db, TABLES)).toEqual(before);
  });

  it("follows a complaint by reference and phone; a wrong pair says only 'not found'", async () => {
    const found = await followComplaint(
      db,
      TEST_LOOKUP_KEY,
      { reference: zhangComplaint.reference.toLowerCase(), phone: COMPLAINANT_PHONE },
      "zh-CN",
    );
    expect(found).toMatchObject({
      reference: zhangComplaint.reference,
      state: "open",
      applicantName: "张伟",
    });
    for (const wrong of [
      { reference: zhangComplaint.reference, phone: "13900000000" },
      { reference: "TS2026-00000000", phone: COMPLAINANT_PHONE },
    ]) {
      await expect(followComplaint(db, TEST_LOOKUP_KEY, wrong, "zh-CN")).rejects.toMatchObject({
        code: "COMPLAINT_NOT_FOUND",
      });
    }
  });

  it("lists the batch's complaints for its agency and the bureau, not for another agency", async () => {
    const list = await listBatchComplaints(db, agency, batchId);
    expect(list).toEqual([
      expect.objectContaining({
        reference: zhangComplaint.reference,
        kind: "complaint",
        applicantName: "张伟",
        state: "open",
        href: `/agency/complaints/${zhangComplaint.id}`,
      }),
    ]);
    expect(await listBatchComplaints(db, admin, batchId)).toHaveLength(1);
    await expect(listBatchComplaints(db, actors[OTHER_AGENCY]!, batchId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("another agency can neither decide nor read the complaint", async () => {
    const before = await countRows(db, TABLES);
    const r = await decideComplaint(
      db,
      actors[OTHER_AGENCY]!,
      zhangComplaint.id,
      { outcome: "upheld", reason: "经核查属实" },
      NOW,
    );
    expect(!r.ok && r.error.code).toBe("COMPLAINT_NOT_FOUND");
    await expect(
      complaintAttachmentFor(db, actors[OTHER_AGENCY]!, zhangComplaint.id, 1),
    ).rejects.toMatchObject({
      code: "COMPLAINT_NOT_FOUND",
    });
    expect(await countRows(db, TABLES)).toEqual(before);
    expect(await appState("zhang")).toBe("result_publicity");
  });

  it("upheld: the result is overturned, the application fails, both sides get an SMS; twice is refused", async () => {
    const r = await decideComplaint(
      db,
      agency,
      zhangComplaint.id,
      { outcome: "upheld", reason: "经核查，论文署名问题属实" },
      NOW,
    );
    if (!r.ok) throw r.error;
    expect(r.value).toMatchObject({ state: "upheld", applicationState: "failed" });
    expect(await appState("zhang")).toBe("failed");
    expect(await entryOutcome("zhang")).toBe("overturned");
    const toComplainant = await smsTo(COMPLAINANT_PHONE, "complaint-outcome");
    const toApplicant = await smsTo(apps.zhang!.phone, "complaint-applicant-outcome");
    expect(toComplainant).toHaveLength(1);
    expect(toApplicant).toHaveLength(1);
    expect(String(toComplainant[0]!.body)).toContain("论文署名问题属实");
    const events = await applicationRepository.findEvents(db, apps.zhang!.id);
    expect(events.at(-1)).toMatchObject({ event: "complaintUpheld", toState: "failed" });
    const again = await decideComplaint(
      db,
      admin,
      zhangComplaint.id,
      { outcome: "dismissed", reason: "再议" },
      NOW,
    );
    expect(!again.ok && again.error.code).toBe("COMPLAINT_ALREADY_DECIDED");
    const followed = await followComplaint(
      db,
      TEST_LOOKUP_KEY,
      { reference: zhangComplaint.reference, phone: COMPLAINANT_PHONE },
      "zh-CN",
    );
    expect(followed).toMatchObject({ state: "upheld", reason: "经核查，论文署名问题属实" });
    expect(followed.decidedAt).not.toBeNull();
  });

  it("dismissed: the application stays in result publicity and the entry pending", async () => {
    const filed = await fileComplaint(deps, complaint("li", { phone: "13987654321" }), [], NOW);
    if (!filed.ok) throw filed.error;
    const r = await decideComplaint(
      db,
      agency,
      filed.value.id,
      { outcome: "dismissed", reason: "查无实据" },
      NOW,
    );
    if (!r.ok) throw r.error;
    expect(r.value.applicationState).toBeNull();
    expect(await appState("li")).toBe("result_publicity");
    expect(await entryOutcome("li")).toBe("pending");
    expect(await smsTo("13987654321", "complaint-outcome")).toHaveLength(1);
    expect(await smsTo(apps.li!.phone, "complaint-applicant-outcome")).toHaveLength(1);
  });

  it("re-review: not for a passed result, not for someone else's, once at a time", async () => {
    const before = await countRows(db, TABLES);
    const passed = await requestReReview(deps, apps.li!.actor, apps.li!.id, { facts: FACTS }, [], NOW);
    expect(!passed.ok && passed.error.code).toBe("RE_REVIEW_NOT_AVAILABLE");
    const other = await requestReReview(deps, apps.li!.actor, apps.zhao!.id, { facts: FACTS }, [], NOW);
    expect(!other.ok && other.error.code).toBe("RE_REVIEW_NOT_OWN");
    const late = await requestReReview(
      deps,
      apps.zhao!.actor,
      apps.zhao!.id,
      { facts: FACTS },
      [],
      AFTER_END,
    );
    expect(!late.ok && late.error.code).toBe("RE_REVIEW_NOT_AVAILABLE");
    expect(await countRows(db, TABLES)).toEqual(before);
  });

  it("re-review of a failed result upheld: the application goes back to evaluation", async () => {
    const notice = await resultNoticeFor(
      db,
      apps.zhao!.actor,
      { id: apps.zhao!.id, applicantId: apps.zhao!.actor.user.id, state: "failed" },
      NOW,
    );
    expect(notice).toMatchObject({ result: "failed", reReview: true, publicityEnd: "2026-12-03" });
    const r = await requestReReview(
      deps,
      apps.zhao!.actor,
      apps.zhao!.id,
      { facts: "本人答辩成绩计算有误，请求复查评审结果。" },
      [],
      NOW,
    );
    if (!r.ok) throw r.error;
    expect(isComplaintReference(r.value.reference)).toBe(true);
    const twice = await requestReReview(deps, apps.zhao!.actor, apps.zhao!.id, { facts: FACTS }, [], NOW);
    expect(!twice.ok && twice.error.code).toBe("RE_REVIEW_ALREADY_OPEN");
    const list = await listBatchComplaints(db, agency, batchId);
    expect(list.find((c) => c.id === r.value.id)).toMatchObject({ kind: "re_review", applicantName: "赵敏" });
    const decided = await decideComplaint(
      db,
      agency,
      r.value.id,
      { outcome: "upheld", reason: "答辩成绩汇总有误，退回评审委员会重新评审" },
      NOW,
    );
    if (!decided.ok) throw decided.error;
    expect(await appState("zhao")).toBe("evaluating");
    expect(await entryOutcome("zhao")).toBe("re_evaluation");
    // The applicant is the complainant: one message, not two.
    expect(await smsTo(apps.zhao!.phone, "complaint-applicant-outcome")).toHaveLength(1);
    expect(await smsTo(apps.zhao!.phone, "complaint-outcome")).toHaveLength(0);
  });

  it("a decision after the publicity ended settles the entry at once", async () => {
    const filed = await fileComplaint(deps, complaint("wang"), [], NOW);
    if (!filed.ok) throw filed.error;
    const r = await decideComplaint(
      db,
      admin,
      filed.value.id,
      { outcome: "dismissed", reason: "查无实据" },
      AFTER_END,
    );
    if (!r.ok) throw r.error;
    expect(await entryOutcome("wang")).toBe("final");
    expect(await appState("wang")).toBe("final");
  });
});
