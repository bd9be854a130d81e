import {
  applicationRepository,
  correctionRepository,
  notificationRepository,
  userRepository,
} from "@titles/db";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { type CorrectionItem, messageFor } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  agencyQueue,
  approve,
  decline,
  judgeMaterialChange,
  requestCorrection,
  resubmitCorrection,
} from "./agency.server";
import {
  confirmSubmission,
  employerAccept,
  recommend,
  saveForm,
  startApplication,
  startPublicity,
  submitToEmployer,
} from "./applications.server";
import { addMaterial as addStandIn, completeForm, seededTestDb, shanghai } from "./testing.server";

const threeItems: CorrectionItem[] = [
  {
    target: { type: "field", fieldId: "graduatedOn" },
    problem: "毕业时间与学历证书不一致",
    needed: "按学历证书填写毕业时间",
  },
  {
    target: { type: "field", fieldId: "specialty" },
    problem: "申报专业与现从事专业不一致",
    needed: "填写现从事的专业",
  },
  {
    target: { type: "material", kind: "achievement", category: "papers" },
    problem: "论文缺少期刊封面和目录页",
    needed: "补充期刊封面、目录页和正文",
  },
];

describe.each(testTargets)("the agency review on %s", (target) => {
  let handle: TestDb;
  let actors: Record<string, Actor> = {};
  const at = shanghai;
  const t0 = at("2026-11-24T10:00:00");
  const addMaterial = (applicationId: string, kind: string, uploadedBy: string, when: Date) =>
    addStandIn(handle.db, { applicationId, kind, uploadedBy, at: when });

  /** The demo applicant's application, driven to `confirmed` through the employer. */
  async function confirmedApplication(applicant: Actor, hr: Actor): Promise<string> {
    const started = await startApplication(
      handle.db,
      applicant,
      { series: "engineering", level: "intermediate", track: "regular" },
      t0,
    );
    if (!started.ok) throw started.error;
    const id = started.value.id;
    await saveForm(handle.db, applicant, id, completeForm, t0);
    await addMaterial(id, "achievement", applicant.user.id, t0);
    const unit = (await userRepository.findEmployerId(handle.db, applicant.user.id))!;
    expect((await submitToEmployer(handle.db, applicant, id, { employerId: unit }, t0, "zh-CN")).ok).toBe(
      true,
    );
    expect((await employerAccept(handle.db, hr, id, t0)).ok).toBe(true);
    expect((await startPublicity(handle.db, hr, id, "2026-11-25", t0)).ok).toBe(true);
    await addMaterial(id, "employer-scan", hr.user.id, t0);
    expect((await recommend(handle.db, hr, id, "同意推荐", at("2026-12-02T09:00:00"))).ok).toBe(true);
    for (const kind of ["stamped-form", "signed-pledge", "publicity-material"])
      await addMaterial(id, kind, applicant.user.id, t0);
    const confirmed = await confirmSubmission(handle.db, applicant, id, at("2026-12-03T09:00:00"));
    expect(confirmed.ok && confirmed.value.state).toBe("confirmed");
    return id;
  }

  beforeAll(async () => {
    ({ handle, actors } = await seededTestDb(target));
  });
  afterAll(() => handle.close());

  const zhang = () => actors["13800000001"]!;
  const li = () => actors["13800000002"]!;
  const hr1 = () => actors["13800000003"]!;
  const hr2 = () => actors["13800000004"]!;
  const engineering = () => actors["13800000005"]!;
  const economics = () => actors["13800000014"]!;

  it("sends one notice with every item, takes the correction, refuses a second notice, approves", async () => {
    const id = await confirmedApplication(zhang(), hr1());
    const day = at("2026-12-04T10:00:00");

    // The queue of the engineering agency has it; the economics agency's does not, nor may it act.
    const queue = await agencyQueue(handle.db, engineering(), {}, day);
    expect(queue.find((e) => e.id === id)).toMatchObject({
      applicantName: "张伟",
      state: "confirmed",
      daysWaiting: 1,
    });
    expect(await agencyQueue(handle.db, economics(), {}, day)).toEqual([]);
    expect((await agencyQueue(handle.db, engineering(), { q: "张" }, day)).map((e) => e.id)).toContain(id);
    expect(await agencyQueue(handle.db, engineering(), { q: "不存在的人" }, day)).toEqual([]);
    const before = await countRows(handle.db, ["application_events", "correction_notices", "notifications"]);
    const foreign = await requestCorrection(
      handle.db,
      economics(),
      id,
      { items: threeItems, deadline: "2026-12-11" },
      day,
    );
    expect(foreign.ok === false && foreign.error.params).toMatchObject({ reason: "not-your-agency" });
    expect(await countRows(handle.db, ["application_events", "correction_notices", "notifications"])).toEqual(
      before,
    );

    // A field that is not on the form is refused with the item named; nothing is written.
    const unknown = await requestCorrection(
      handle.db,
      engineering(),
      id,
      {
        items: [{ target: { type: "field", fieldId: "noSuchField" }, problem: "x", needed: "y" }],
        deadline: "2026-12-11",
      },
      day,
    );
    expect(unknown.ok === false && unknown.error.code).toBe("CORRECTION_TARGET_UNKNOWN");
    expect(await countRows(handle.db, ["application_events", "correction_notices", "notifications"])).toEqual(
      before,
    );

    // A deadline that is not a date is refused at the boundary; nothing is written.
    const badDate = await requestCorrection(
      handle.db,
      engineering(),
      id,
      { items: threeItems, deadline: "下周五" },
      day,
    );
    expect(badDate.ok === false && badDate.error.code).toBe("VALIDATION");
    expect(await countRows(handle.db, ["application_events", "correction_notices", "notifications"])).toEqual(
      before,
    );

    const sent = await requestCorrection(
      handle.db,
      engineering(),
      id,
      { items: threeItems, deadline: "2026-12-11" },
      day,
    );
    expect(sent.ok && sent.value).toMatchObject({
      state: "correction_requested",
      correctionDeadline: "2026-12-11",
    });
    const sms = await notificationRepository.findForUser(handle.db, zhang().user.id, 5);
    expect(sms[0]).toMatchObject({ template: "correction-requested", applicationId: id });
    expect(sms[0]!.body).toContain("3项");
    expect(sms[0]!.body).toContain("2026-12-11");

    // The applicant may change only what the notice names.
    const outside = await saveForm(handle.db, zhang(), id, { school: "清华大学" }, at("2026-12-05T09:00:00"));
    expect(outside.ok === false && outside.error.params).toMatchObject({ reason: "not-in-correction" });
    expect(
      (
        await saveForm(
          handle.db,
          zhang(),
          id,
          { graduatedOn: "2010-06-30", specialty: "结构工程" },
          at("2026-12-05T09:00:00"),
        )
      ).ok,
    ).toBe(true);
    const added = await addMaterial(id, "achievement", zhang().user.id, at("2026-12-05T09:30:00"));
    const resubmitted = await resubmitCorrection(handle.db, zhang(), id, at("2026-12-05T10:00:00"), "zh-CN");
    expect(resubmitted.ok && resubmitted.value.state).toBe("confirmed");
    const [notice] = await correctionRepository.findForApplication(handle.db, id);
    expect(notice).toMatchObject({ seq: 1, introducedMaterialIds: [added.id] });
    const reviewerSms = await notificationRepository.findForUser(handle.db, engineering().user.id, 5);
    expect(reviewerSms[0]).toMatchObject({ template: "correction-resubmitted" });

    // A second notice about the form is refused, with the reason per item; one about the new paper is not.
    const second = await requestCorrection(
      handle.db,
      engineering(),
      id,
      { items: [threeItems[0]!], deadline: "2026-12-14" },
      at("2026-12-07T10:00:00"),
    );
    expect(second.ok === false && second.error.code).toBe("CORRECTION_SECOND_NOTICE_REFUSED");
    expect(second.ok === false && messageFor(second.error, "zh-CN")).toMatch(/第1项/);
    const followUp = await requestCorrection(
      handle.db,
      engineering(),
      id,
      {
        items: [
          {
            target: { type: "material", kind: "achievement", materialId: added.id },
            problem: "新补充的论文页面模糊",
            needed: "重新拍摄清晰页面",
          },
        ],
        deadline: "2026-12-14",
      },
      at("2026-12-07T10:00:00"),
    );
    expect(followUp.ok && followUp.value.state).toBe("correction_requested");
    expect((await resubmitCorrection(handle.db, zhang(), id, at("2026-12-08T10:00:00"), "zh-CN")).ok).toBe(
      true,
    );

    const approved = await approve(handle.db, engineering(), id, at("2026-12-09T10:00:00"));
    expect(approved.ok && approved.value.state).toBe("approved");
    const last = await notificationRepository.findForUser(handle.db, zhang().user.id, 1);
    expect(last[0]).toMatchObject({ template: "approved", applicationId: id });
    const events = (await applicationRepository.findEvents(handle.db, id)).map((e) => e.event);
    expect(events.slice(-5)).toEqual([
      "requestCorrection",
      "resubmit",
      "requestCorrection",
      "resubmit",
      "approve",
    ]);
  });

  it("sends a material change back to the employer for a new publicity, then takes the correction", async () => {
    const id = await confirmedApplication(li(), hr2());
    const day = at("2026-12-04T10:00:00");
    expect(
      (
        await requestCorrection(
          handle.db,
          engineering(),
          id,
          { items: threeItems, deadline: "2026-12-11" },
          day,
        )
      ).ok,
    ).toBe(true);
    expect(
      (await saveForm(handle.db, li(), id, { specialty: "岩土工程" }, at("2026-12-05T09:00:00"))).ok,
    ).toBe(true);
    expect((await resubmitCorrection(handle.db, li(), id, at("2026-12-05T10:00:00"), "zh-CN")).ok).toBe(true);

    const judged = await judgeMaterialChange(handle.db, engineering(), id, at("2026-12-07T10:00:00"));
    expect(judged.ok && judged.value.state).toBe("republicity_required");
    expect(judged.ok && judged.value.correctionDeadline! > "2026-12-14").toBe(true);
    const hrSms = await notificationRepository.findForUser(handle.db, hr2().user.id, 1);
    expect(hrSms[0]).toMatchObject({ template: "employer-republicity" });
    // The applicant may not upload while the employer publicises again.
    const early = await saveForm(handle.db, li(), id, { specialty: "结构" }, at("2026-12-07T11:00:00"));
    expect(early.ok).toBe(false);

    expect((await startPublicity(handle.db, hr2(), id, "2026-12-08", at("2026-12-07T12:00:00"))).ok).toBe(
      true,
    );
    const again = await recommend(
      handle.db,
      hr2(),
      id,
      "重新公示无异议，同意推荐",
      at("2026-12-15T09:00:00"),
    );
    expect(again.ok && again.value.state).toBe("correction_requested");
    expect((await resubmitCorrection(handle.db, li(), id, at("2026-12-15T10:00:00"), "zh-CN")).ok).toBe(true);
    const [notice] = await correctionRepository.findForApplication(handle.db, id);
    expect(notice).toMatchObject({ judgement: "material-change" });
    expect(
      (await decline(handle.db, engineering(), id, "经复审不符合申报条件", at("2026-12-16T10:00:00"))).ok,
    ).toBe(true);
    const end = await applicationRepository.findById(handle.db, id);
    expect(end?.state).toBe("returned");
  });
});
