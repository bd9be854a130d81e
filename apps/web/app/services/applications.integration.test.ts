import { applicationRepository, notificationRepository } from "@titles/db";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { messageFor } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  confirmSubmission,
  employerAccept,
  employerReturn,
  recommend,
  recordObjection,
  saveForm,
  startApplication,
  startPublicity,
  submitToEmployer,
} from "./applications.server";
import { addMaterial as addStandIn, completeForm, seededTestDb } from "./testing.server";

describe.each(testTargets)("the applicant and employer journey on %s", (target) => {
  let handle: TestDb;
  let actors: Record<string, Actor> = {};
  // 2026-11-24 10:00 in Beijing: the demo round's first window (opened 11-20) is open.
  const t0 = new Date("2026-11-24T02:00:00Z");
  const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);

  /** A stand-in material; the trailing number of the callers is only for their reading. */
  const addMaterial = (applicationId: string, kind: string, uploadedBy: string, _n: number) =>
    addStandIn(handle.db, { applicationId, kind, uploadedBy, at: t0 });

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
  });
  afterAll(() => handle.close());

  const applicant = () => actors["13800000001"]!;
  const applicantB = () => actors["13800000002"]!;
  const hr = () => actors["13800000003"]!;
  const hrB = () => actors["13800000004"]!;

  it("walks from a blank application to a confirmed submission, with the receipt hash and the SMS", async () => {
    const started = await startApplication(
      handle.db,
      applicant(),
      { series: "engineering", level: "deputy-senior", track: "regular" },
      t0,
    );
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const id = started.value.id;

    const again = await startApplication(
      handle.db,
      applicant(),
      { series: "economics", level: "deputy-senior", track: "regular" },
      t0,
    );
    expect(again.ok === false && again.error.code).toBe("APPLICATION_EXISTS");

    expect((await saveForm(handle.db, applicant(), id, { school: "北京工业大学" }, t0)).ok).toBe(true);
    const incomplete = await submitToEmployer(
      handle.db,
      applicant(),
      id,
      { employerId: started.value.employerId! },
      t0,
      "zh-CN",
    );
    expect(incomplete.ok === false && incomplete.error.code).toBe("FORM_INCOMPLETE");

    expect((await saveForm(handle.db, applicant(), id, completeForm, t0)).ok).toBe(true);
    const noMaterial = await submitToEmployer(
      handle.db,
      applicant(),
      id,
      { employerId: started.value.employerId! },
      t0,
      "zh-CN",
    );
    expect(noMaterial.ok === false && noMaterial.error.code).toBe("MATERIALS_MISSING");
    await addMaterial(id, "achievement", applicant().user.id, 1);

    // Applicant B's unit is not the applicant's unit.
    const wrongUnit = await submitToEmployer(
      handle.db,
      applicant(),
      id,
      { employerId: hrB().roles[0]!.organisationId! },
      t0,
      "zh-CN",
    );
    expect(wrongUnit.ok === false && wrongUnit.error.code).toBe("FORBIDDEN");

    const submitted = await submitToEmployer(
      handle.db,
      applicant(),
      id,
      { employerId: started.value.employerId! },
      t0,
      "zh-CN",
    );
    expect(submitted.ok && submitted.value.state).toBe("submitted");

    // Another unit's HR and another applicant are refused; nothing changes.
    const before = await countRows(handle.db, ["application_events", "audit_log"]);
    expect((await employerAccept(handle.db, hrB(), id, t0)).ok).toBe(false);
    expect((await saveForm(handle.db, applicantB(), id, { school: "x" }, t0)).ok).toBe(false);
    expect(await countRows(handle.db, ["application_events", "audit_log"])).toEqual(before);

    expect((await employerAccept(handle.db, hr(), id, t0)).ok).toBe(true);
    const tooEarly = await startPublicity(handle.db, hr(), id, "2026-11-20", t0);
    expect(tooEarly.ok).toBe(false);
    const publicity = await startPublicity(handle.db, hr(), id, "2026-11-25", t0);
    expect(publicity.ok && [publicity.value.publicityStart, publicity.value.publicityEnd]).toEqual([
      "2026-11-25",
      "2026-12-01",
    ]);

    const dismissed = await recordObjection(
      handle.db,
      hr(),
      id,
      { receivedOn: "2026-11-26", content: "反映其论文署名问题", upheld: false, outcome: "经核实署名无误" },
      at("2026-11-26T10:00:00"),
    );
    expect(dismissed.ok && dismissed.value.state).toBe("publicity");

    const noScans = await recommend(handle.db, hr(), id, "同意推荐", at("2026-12-02T09:00:00"));
    expect(noScans.ok === false && noScans.error.code).toBe("EMPLOYER_SCANS_MISSING");
    await addMaterial(id, "employer-scan", hr().user.id, 1);
    const early = await recommend(handle.db, hr(), id, "同意推荐", at("2026-12-01T16:00:00"));
    expect(early.ok === false && early.error.code).toBe("PUBLICITY_NOT_ENDED");
    const recommended = await recommend(handle.db, hr(), id, "同意推荐", at("2026-12-02T09:00:00"));
    expect(recommended.ok && recommended.value.state).toBe("recommended");

    const missingDocs = await confirmSubmission(handle.db, applicant(), id, at("2026-12-03T09:00:00"));
    expect(missingDocs.ok === false && missingDocs.error.code).toBe("SUBMISSION_DOCUMENTS_MISSING");
    expect(missingDocs.ok === false && messageFor(missingDocs.error, "zh-CN")).toBe(
      "请先上传：盖章的申报信息表、签字的诚信承诺书、盖章的公示材料。",
    );
    for (const kind of ["stamped-form", "signed-pledge", "publicity-material"])
      await addMaterial(id, kind, applicant().user.id, 1);

    const confirmed = await confirmSubmission(handle.db, applicant(), id, at("2026-12-03T09:00:00"));
    expect(confirmed.ok && confirmed.value.state).toBe("confirmed");
    expect(confirmed.ok && confirmed.value.receiptHash).toMatch(/^[0-9a-f]{64}$/);

    const events = await applicationRepository.findEvents(handle.db, id);
    expect(events.map((e) => e.toState)).toEqual([
      "submitted",
      "employer_accepted",
      "publicity",
      "publicity",
      "recommended",
      "confirmed",
    ]);
    const sms = (await notificationRepository.findForUser(handle.db, applicant().user.id, 50)).map(
      (m) => m.template,
    );
    expect(sms).toEqual(
      expect.arrayContaining([
        "submitted-to-employer",
        "employer-accepted",
        "publicity-started",
        "recommended",
        "confirmed",
      ]),
    );
  });

  it("returns an application to the applicant, who corrects and resubmits it", async () => {
    const b = applicantB();
    const started = await startApplication(
      handle.db,
      b,
      { series: "engineering", level: "intermediate", track: "regular" },
      t0,
    );
    if (!started.ok) throw started.error;
    const id = started.value.id;
    await saveForm(handle.db, b, id, completeForm, t0);
    await addMaterial(id, "achievement", b.user.id, 2);
    await submitToEmployer(handle.db, b, id, { employerId: started.value.employerId! }, t0, "zh-CN");
    const returned = await employerReturn(handle.db, hrB(), id, "现任职务填写有误", t0);
    expect(returned.ok && returned.value.state).toBe("employer_returned");
    expect((await saveForm(handle.db, b, id, { post: "主任工程师" }, t0)).ok).toBe(true);
    const again = await submitToEmployer(
      handle.db,
      b,
      id,
      { employerId: started.value.employerId! },
      t0,
      "zh-CN",
    );
    expect(again.ok && again.value.state).toBe("submitted");
  });

  it("refuses a confirmation after the window closed, by the server's clock", async () => {
    const [app] = await applicationRepository.findByApplicant(handle.db, applicant().user.id);
    // Put a fresh recommended application in place by replaying the states cheaply.
    await applicationRepository.update(handle.db, app!.id, { state: "recommended", updatedAt: t0 });
    const late = await confirmSubmission(handle.db, applicant(), app!.id, at("2026-12-11T00:00:01"));
    expect(late.ok === false && late.error.code).toBe("WINDOW_CLOSED");
  });

  it("ends the application when an objection is upheld, and nothing more can happen to it", async () => {
    const [app] = await applicationRepository.findByApplicant(handle.db, applicantB().user.id);
    expect((await employerAccept(handle.db, hrB(), app!.id, t0)).ok).toBe(true);
    expect((await startPublicity(handle.db, hrB(), app!.id, "2026-11-25", t0)).ok).toBe(true);
    const upheld = await recordObjection(
      handle.db,
      hrB(),
      app!.id,
      {
        receivedOn: "2026-11-26",
        content: "业绩材料与实际不符",
        upheld: true,
        outcome: "经核实业绩材料不实",
      },
      at("2026-11-26T11:00:00"),
    );
    expect(upheld.ok && upheld.value.state).toBe("objection_upheld");
    const after = await recommend(handle.db, hrB(), app!.id, "同意推荐", at("2026-12-02T09:00:00"));
    expect(after.ok === false && after.error.code).toBe("INVALID_TRANSITION");
    const sms = await notificationRepository.findForUser(handle.db, applicantB().user.id, 10);
    expect(sms[0]!.body).toContain("异议成立");
  });
});
