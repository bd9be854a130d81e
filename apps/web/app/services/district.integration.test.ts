import {
  applicationRepository,
  DEMO_PASSWORD,
  findAuditForObject,
  lookupHash,
  notificationRepository,
  organisationRepository,
  userRepository,
  verifyAuditChain,
} from "@titles/db";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { checkApplicationAccess, isApplicationState, messageFor } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import type { Actor } from "~/lib/auth.server";
import {
  districtWorkspaces,
  forwardRecommended,
  isForwarded,
  receiveFile,
  recordDecision,
  recordOnSiteCheck,
} from "./district.server";
import { seededTestDb, TEST_LOOKUP_KEY } from "./testing.server";

const KEY = TEST_LOOKUP_KEY;
const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);

const passedCheck = { date: "2026-11-28", staff: ["孙丽", "周刚"], outcome: "passed" as const };

describe.each(testTargets)("the through-train at the district bureau on %s", (target) => {
  let handle: TestDb;
  let actors: Record<string, Actor> = {};
  const orgs: Record<string, string> = {};
  // The demo round seeded on 2026-11-27 opened its windows on 11-20; the through-train window closes on
  // 12-10 and its files reach the district bureau by 12-13.
  const t0 = at("2026-11-28T10:00:00");
  let people = 0;

  /** A through-train applicant of a unit who has confirmed the online submission. */
  async function confirmedFile(employer: "unit1" | "unit2", name: string, confirmedAt = t0) {
    people += 1;
    const phone = `1390000${String(people).padStart(4, "0")}`;
    const user = await userRepository.insert(handle.db, {
      name,
      idType: "mainland",
      idNumber: `x-${phone}`,
      idNumberHash: lookupHash(KEY, `id-${phone}`),
      phone,
      phoneHash: lookupHash(KEY, phone),
      passwordHash: DEMO_PASSWORD,
      phoneVerifiedAt: t0,
    });
    await userRepository.grantRole(handle.db, user.id, "applicant", null);
    await userRepository.setEmployer(handle.db, user.id, orgs[employer]!);
    const app = await applicationRepository.insert(handle.db, {
      applicantId: user.id,
      roundYear: 2026,
      windowId: "2021-through-train",
      series: "engineering",
      level: "senior",
      track: "through-train",
      state: "confirmed",
      at: confirmedAt,
    });
    await applicationRepository.update(handle.db, app.id, {
      employerId: orgs[employer]!,
      confirmedAt,
      receiptHash: "r".repeat(64),
      updatedAt: confirmedAt,
    });
    return { id: app.id, applicantId: user.id };
  }

  const stateOf = async (id: string) => (await applicationRepository.findById(handle.db, id))!.state;
  const smsTo = async (userId: string) =>
    (await notificationRepository.findForUser(handle.db, userId, 20)).map((n) => n.template);
  const written = () =>
    countRows(handle.db, ["district_reviews", "district_forwards", "audit_log", "notifications"]);

  /** Received, checked on site and decided, through the district's own commands. */
  async function decided(id: string, recommended: boolean) {
    expect((await receiveFile(handle.db, haidian(), id, t0)).ok).toBe(true);
    expect((await recordOnSiteCheck(handle.db, haidian(), id, passedCheck, t0)).ok).toBe(true);
    const decision = recommended
      ? { recommended: true, decidedOn: "2026-11-28" }
      : { recommended: false, decidedOn: "2026-11-28", reason: "业绩成果不足以支撑破格申报" };
    expect((await recordDecision(handle.db, haidian(), id, decision, t0)).ok).toBe(true);
  }

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
    for (const org of await organisationRepository.findByKind(handle.db, "employer")) {
      if (org.district === "haidian") orgs.unit1 = org.id;
      if (org.district === "chaoyang") orgs.unit2 = org.id;
    }
    for (const org of await organisationRepository.findByKind(handle.db, "district-bureau")) {
      orgs[org.district!] = org.id;
    }
  });
  afterAll(() => handle.close());

  const haidian = () => actors["13800000006"]!;
  const chaoyang = () => actors["13800000013"]!;
  const agency = () => actors["13800000005"]!;

  it("receives a file by the district deadline on the server's clock, and refuses it after with the date", async () => {
    const onTime = await confirmedFile("unit1", "周一");
    const late = await confirmedFile("unit1", "吴二");

    // The last minute of the deadline day still counts.
    const received = await receiveFile(handle.db, haidian(), onTime.id, at("2026-12-13T23:59:00"));
    expect(received.ok).toBe(true);
    expect(await stateOf(onTime.id)).toBe("district_review");
    expect(await smsTo(onTime.applicantId)).toContain("district-received");
    const audit = await findAuditForObject(handle.db, "application", onTime.id);
    expect(audit.map((a) => a.action)).toContain("application.forwardToDistrict");

    const before = await written();
    const refused = await receiveFile(handle.db, haidian(), late.id, at("2026-12-14T00:00:01"));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe("DISTRICT_DEADLINE_PASSED");
    expect(messageFor(refused.error, "zh-CN")).toContain("2026-12-13");
    expect(messageFor(refused.error, "en")).toContain("2026-12-13");
    // Nothing half-written: no review row, no audit record, no SMS, the state unchanged.
    expect(await written()).toEqual(before);
    expect(await stateOf(late.id)).toBe("confirmed");

    // Received once only.
    const again = await receiveFile(handle.db, haidian(), onTime.id, at("2026-12-13T23:59:30"));
    expect(again.ok === false && again.error.code).toBe("INVALID_TRANSITION");
  });

  it("validates the on-site check: after intake, with staff, a past date, and findings when it failed", async () => {
    const file = await confirmedFile("unit1", "郑三");
    const early = await recordOnSiteCheck(handle.db, haidian(), file.id, passedCheck, t0);
    expect(early.ok === false && early.error.code).toBe("DISTRICT_NOT_IN_REVIEW");
    expect(early.ok === false && messageFor(early.error, "zh-CN")).toContain("不在区人社局审核阶段");

    expect((await receiveFile(handle.db, haidian(), file.id, t0)).ok).toBe(true);
    const before = await written();
    const noStaff = await recordOnSiteCheck(handle.db, haidian(), file.id, { ...passedCheck, staff: [] }, t0);
    expect(noStaff.ok === false && noStaff.error.code).toBe("VALIDATION");
    const noFindings = await recordOnSiteCheck(
      handle.db,
      haidian(),
      file.id,
      { ...passedCheck, outcome: "failed" },
      t0,
    );
    expect(noFindings.ok === false && noFindings.error.params.details).toContain("findings");
    const future = await recordOnSiteCheck(
      handle.db,
      haidian(),
      file.id,
      { ...passedCheck, date: "2026-11-29" },
      t0,
    );
    expect(future.ok === false && future.error.params.details).toContain("2026-11-29");
    const beforeIntake = await recordOnSiteCheck(
      handle.db,
      haidian(),
      file.id,
      { ...passedCheck, date: "2026-11-27" },
      t0,
    );
    expect(beforeIntake.ok === false && beforeIntake.error.params.details).toContain(
      "before the file was received",
    );
    expect(await written()).toEqual(before);

    const recorded = await recordOnSiteCheck(handle.db, haidian(), file.id, passedCheck, t0);
    expect(recorded.ok && recorded.value.onSiteCheck).toEqual(passedCheck);
    const audit = await findAuditForObject(handle.db, "application", file.id);
    expect(audit.at(-1)).toMatchObject({ action: "district.on-site-check", actorUserId: haidian().user.id });
  });

  it("records the committee's decision: a reason when not recommended, told by SMS; never before the check", async () => {
    const declined = await confirmedFile("unit1", "王四");
    const recommended = await confirmedFile("unit1", "冯五");
    const failedCheck = await confirmedFile("unit1", "陈六");
    for (const f of [declined, recommended, failedCheck]) {
      expect((await receiveFile(handle.db, haidian(), f.id, t0)).ok).toBe(true);
    }

    const unchecked = await recordDecision(
      handle.db,
      haidian(),
      declined.id,
      { recommended: true, decidedOn: "2026-11-28" },
      t0,
    );
    expect(unchecked.ok === false && unchecked.error.code).toBe("DISTRICT_CHECK_MISSING");

    for (const f of [declined, recommended]) {
      expect((await recordOnSiteCheck(handle.db, haidian(), f.id, passedCheck, t0)).ok).toBe(true);
    }
    const noReason = await recordDecision(
      handle.db,
      haidian(),
      declined.id,
      { recommended: false, decidedOn: "2026-11-28", reason: " " },
      t0,
    );
    expect(noReason.ok === false && noReason.error.code).toBe("VALIDATION");
    const beforeCheck = await recordDecision(
      handle.db,
      haidian(),
      declined.id,
      { recommended: true, decidedOn: "2026-11-27" },
      t0,
    );
    expect(beforeCheck.ok === false && beforeCheck.error.code).toBe("VALIDATION");
    expect(await stateOf(declined.id)).toBe("district_review");

    const no = await recordDecision(
      handle.db,
      haidian(),
      declined.id,
      { recommended: false, decidedOn: "2026-11-28", reason: "业绩成果不足以支撑破格申报" },
      t0,
    );
    expect(no.ok && no.value.state).toBe("returned");
    const [declinedSms] = await notificationRepository.findForUser(handle.db, declined.applicantId, 1);
    expect(declinedSms).toMatchObject({ template: "district-declined" });
    expect(declinedSms!.body).toContain("业绩成果不足以支撑破格申报");

    const yes = await recordDecision(
      handle.db,
      haidian(),
      recommended.id,
      { recommended: true, decidedOn: "2026-11-28" },
      t0,
    );
    expect(yes.ok && yes.value.state).toBe("district_recommended");
    expect(await smsTo(recommended.applicantId)).toContain("district-recommended");
    // Decided once: a second decision is refused.
    const twice = await recordDecision(
      handle.db,
      haidian(),
      recommended.id,
      { recommended: false, decidedOn: "2026-11-28", reason: "改变主意" },
      t0,
    );
    expect(twice.ok === false && twice.error.code).toBe("DISTRICT_NOT_IN_REVIEW");

    // A failed check can only lead to "not recommended".
    expect(
      (
        await recordOnSiteCheck(
          handle.db,
          haidian(),
          failedCheck.id,
          { ...passedCheck, outcome: "failed", findings: "现场未见所述工程项目档案" },
          t0,
        )
      ).ok,
    ).toBe(true);
    const afterFailed = await recordDecision(
      handle.db,
      haidian(),
      failedCheck.id,
      { recommended: true, decidedOn: "2026-11-28" },
      t0,
    );
    expect(afterFailed.ok === false && afterFailed.error.code).toBe("DISTRICT_CHECK_FAILED");
  });

  it("forwards only the recommended files not yet forwarded, once; the agency sees them only then", async () => {
    const bureau = orgs.haidian!;
    // Whatever earlier tests left waiting goes out first.
    await forwardRecommended(handle.db, haidian(), bureau, t0);

    const a = await confirmedFile("unit1", "褚七");
    const b = await confirmedFile("unit1", "卫八");
    const c = await confirmedFile("unit1", "蒋九");
    await decided(a.id, true);
    await decided(b.id, false);
    expect((await receiveFile(handle.db, haidian(), c.id, t0)).ok).toBe(true);

    const agencySees = async (id: string) => {
      const app = (await applicationRepository.findById(handle.db, id))!;
      if (!isApplicationState(app.state)) throw new Error(app.state);
      return checkApplicationAccess(accessActor(agency()), { ...app, state: app.state }, "agency") === null;
    };
    expect(await agencySees(a.id)).toBe(false);
    expect(await isForwarded(handle.db, a.id)).toBe(false);

    const first = await forwardRecommended(handle.db, haidian(), bureau, at("2026-11-28T10:30:00"));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.applicants.map((x) => x.applicantName)).toEqual(["褚七"]);
    expect(await isForwarded(handle.db, a.id)).toBe(true);
    expect(await isForwarded(handle.db, b.id)).toBe(false);
    expect(await agencySees(a.id)).toBe(true);
    expect(await agencySees(b.id)).toBe(false);
    const forwardAudit = await findAuditForObject(handle.db, "district-forward", first.value.forwardId!);
    expect(forwardAudit).toHaveLength(1);

    // Forwarding again changes nothing.
    const before = await written();
    const again = await forwardRecommended(handle.db, haidian(), bureau, t0);
    expect(again.ok && again.value).toEqual({ forwardId: null, applicants: [] });
    expect(await written()).toEqual(before);

    // The next recommended file goes on a new list of its own.
    expect((await recordOnSiteCheck(handle.db, haidian(), c.id, passedCheck, t0)).ok).toBe(true);
    expect(
      (await recordDecision(handle.db, haidian(), c.id, { recommended: true, decidedOn: "2026-11-28" }, t0))
        .ok,
    ).toBe(true);
    const second = await forwardRecommended(handle.db, haidian(), bureau, at("2026-11-28T11:00:00"));
    expect(second.ok && second.value.applicants.map((x) => x.applicantName)).toEqual(["蒋九"]);

    const [workspace] = await districtWorkspaces(handle.db, haidian(), t0);
    const lists = workspace!.forwards.map((f) => f.entries.map((e) => e.applicantName));
    expect(lists.slice(0, 2)).toEqual([["蒋九"], ["褚七"]]);
    expect(workspace!.toForward).toEqual([]);
    expect(workspace!.files.find((f) => f.applicationId === b.id)?.stage).toBe("decided");
    expect(workspace!.files.find((f) => f.applicationId === a.id)?.stage).toBe("forwarded");
  });

  it("sends one list when two people forward at the same moment", async () => {
    const d = await confirmedFile("unit1", "沈十");
    await decided(d.id, true);
    const before = (await countRows(handle.db, ["district_forwards"])).district_forwards;
    const results = await Promise.all([
      forwardRecommended(handle.db, haidian(), orgs.haidian!, t0),
      forwardRecommended(handle.db, haidian(), orgs.haidian!, t0),
    ]);
    const sent = results.filter((r) => r.ok && r.value.forwardId !== null);
    expect(sent).toHaveLength(1);
    expect((await countRows(handle.db, ["district_forwards"])).district_forwards).toBe(before + 1);
  });

  it("lets a district see and act on its own units' files only; a guessed id is refused too", async () => {
    const haidianFile = await confirmedFile("unit1", "韩十一");
    const chaoyangFile = await confirmedFile("unit2", "杨十二");

    const before = await written();
    const foreign = await receiveFile(handle.db, chaoyang(), haidianFile.id, t0);
    expect(foreign.ok === false && foreign.error.code).toBe("FORBIDDEN");
    expect(foreign.ok === false && messageFor(foreign.error, "zh-CN")).toContain("不是本区单位的直通车申报");
    const check = await recordOnSiteCheck(handle.db, chaoyang(), haidianFile.id, passedCheck, t0);
    expect(check.ok === false && check.error.code).toBe("FORBIDDEN");
    const foreignList = await forwardRecommended(handle.db, chaoyang(), orgs.haidian!, t0);
    expect(foreignList.ok === false && foreignList.error.code).toBe("FORBIDDEN");
    const guessed = await receiveFile(handle.db, chaoyang(), "00000000-0000-4000-8000-000000000000", t0);
    expect(guessed.ok === false && guessed.error.code).toBe("NOT_FOUND");
    expect(await written()).toEqual(before);

    // The page loader answers 403 with the reason.
    const denied = await loadApplicationFor(handle.db, chaoyang(), haidianFile.id, "district", "zh-CN").catch(
      (e: unknown) => e,
    );
    expect(denied).toMatchObject({
      init: { status: 403 },
      data: { reason: expect.stringContaining("不是本区") },
    });
    // HR of the unit is not a district bureau either.
    const hr = await loadApplicationFor(
      handle.db,
      actors["13800000003"]!,
      haidianFile.id,
      "district",
      "en",
    ).catch((e: unknown) => e);
    expect(hr).toMatchObject({ init: { status: 403 } });
    // A regular (not through-train) application is no district's business.
    const regular = await applicationRepository.insert(handle.db, {
      applicantId: actors["13800000001"]!.user.id,
      roundYear: 2026,
      windowId: "2021-general",
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      state: "confirmed",
      at: t0,
    });
    await applicationRepository.update(handle.db, regular.id, {
      employerId: orgs.unit1!,
      confirmedAt: t0,
      updatedAt: t0,
    });
    const notThroughTrain = await receiveFile(handle.db, haidian(), regular.id, t0);
    expect(notThroughTrain.ok === false && notThroughTrain.error.code).toBe("FORBIDDEN");

    const [mine] = await districtWorkspaces(handle.db, haidian(), t0);
    const [theirs] = await districtWorkspaces(handle.db, chaoyang(), t0);
    expect(mine!.files.map((f) => f.applicationId)).toContain(haidianFile.id);
    expect(mine!.files.map((f) => f.applicationId)).not.toContain(chaoyangFile.id);
    expect(mine!.files.map((f) => f.applicationId)).not.toContain(regular.id);
    expect(theirs!.files.map((f) => f.applicationId)).toEqual([chaoyangFile.id]);
    expect(theirs!.files[0]).toMatchObject({ stage: "intake", deadline: "2026-12-13", daysLeft: 16 });

    // The chaoyang bureau takes its own file.
    expect((await receiveFile(handle.db, chaoyang(), chaoyangFile.id, t0)).ok).toBe(true);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});
