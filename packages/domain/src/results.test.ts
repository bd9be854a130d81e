import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, fromDayNumber } from "./dates";
import { messageFor } from "./errors";
import {
  approvalReference,
  batchEntryError,
  complaintWindowError,
  entryOutcomeLabels,
  entryOutcomes,
  evaluationSchedule,
  levelGroupOf,
  levelsOfGroup,
  mayManageBatch,
  publisherFor,
  resultPublicityEnd,
  resultPublicityError,
  scheduleWarning,
  settleEntry,
  ZResultBatchInput,
} from "./results";

const sh = (s: string) => new Date(`${s}+08:00`);
const code = (e: { code: string } | undefined) => e?.code;

describe("who publishes", () => {
  it("senior and deputy-senior results go to the bureau, intermediate and junior to the agency", () => {
    expect(levelGroupOf("senior")).toBe("senior");
    expect(levelGroupOf("deputy-senior")).toBe("senior");
    expect(levelGroupOf("intermediate")).toBe("intermediate-junior");
    expect(levelGroupOf("junior")).toBe("intermediate-junior");
    expect(publisherFor("deputy-senior")).toBe("bureau");
    expect(publisherFor("junior")).toBe("agency");
  });

  it("a batch takes decided applications of its own level group only", () => {
    const app = { name: "张三", level: "intermediate" as const, state: "passed" as const };
    expect(batchEntryError("intermediate-junior", app)).toBeUndefined();
    expect(batchEntryError("intermediate-junior", { ...app, state: "failed" })).toBeUndefined();
    const mismatch = batchEntryError("senior", app);
    expect(code(mismatch)).toBe("RESULT_BATCH_LEVEL_MISMATCH");
    expect(mismatch && messageFor(mismatch, "zh-CN")).toContain("该申报为中级职称");
    const undecided = batchEntryError("intermediate-junior", { ...app, state: "evaluating" });
    expect(code(undecided)).toBe("RESULT_NOT_DECIDED");
    expect(undecided && messageFor(undecided, "zh-CN")).toBe("张三的申报尚无评审结果，不能列入公示批次。");
  });
});

describe("publicity length", () => {
  const today = "2021-12-20";

  it("accepts five working days, Monday to Friday", () => {
    expect(resultPublicityError({ start: "2021-12-20", end: "2021-12-24", today })).toBeUndefined();
  });

  it("refuses four working days, and says how many there are", () => {
    const e = resultPublicityError({ start: "2021-12-20", end: "2021-12-23", today });
    expect(e?.code).toBe("RESULT_PUBLICITY_TOO_SHORT");
    expect(e && messageFor(e, "zh-CN")).toBe("公示期不少于5个工作日，所选期间只有4个工作日。");
  });

  it("counts with the holiday calendar: seven calendar days over New Year are four working days", () => {
    // 2022-01-01..03 are the New Year holiday (the 3rd is a Monday).
    const e = resultPublicityError({ start: "2021-12-29", end: "2022-01-04", today });
    expect(e?.params).toEqual({ days: 4, min: 5 });
    expect(resultPublicityEnd("2021-12-29")).toBe("2022-01-05");
    expect(resultPublicityError({ start: "2021-12-29", end: "2022-01-05", today })).toBeUndefined();
  });

  it("refuses a start in the past, an end before the start, and non-dates", () => {
    expect(code(resultPublicityError({ start: "2021-12-17", end: "2021-12-31", today }))).toBe(
      "RESULT_PUBLICITY_START_PAST",
    );
    expect(code(resultPublicityError({ start: "2021-12-27", end: "2021-12-24", today }))).toBe("VALIDATION");
    expect(code(resultPublicityError({ start: "2021-12-32", end: "2021-12-24", today }))).toBe("VALIDATION");
  });

  it("honours a configured minimum", () => {
    expect(code(resultPublicityError({ start: "2021-12-20", end: "2021-12-24", today }, undefined, 7))).toBe(
      "RESULT_PUBLICITY_TOO_SHORT",
    );
  });

  it("the computed end always gives an acceptable publicity (property)", () => {
    const day = fc.integer({ min: 18_628, max: 20_818 }).map(fromDayNumber); // 2021-01-01 .. 2026-12-31
    fc.assert(
      fc.property(day, fc.integer({ min: 5, max: 15 }), (start, n) => {
        const end = resultPublicityEnd(start, n);
        expect(resultPublicityError({ start, end, today: start }, undefined, n)).toBeUndefined();
        // The end is a working day, so ending a day earlier is too short.
        const shorter = resultPublicityError({ start, end: addDays(end, -1), today: start }, undefined, n);
        expect(shorter?.code).toBe("RESULT_PUBLICITY_TOO_SHORT");
      }),
      { numRuns: 300 },
    );
  });
});

describe("batch input", () => {
  const ids = ["0b9f6c1e-8d4a-4c4e-9a57-2f7f3b1d6a10", "5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"];
  const good = {
    levelGroup: "senior",
    title: "  2021年度北京市工程技术系列高级职称评审结果公示（第一批）  ",
    publicityStart: "2021-12-20",
    publicityEnd: "2021-12-24",
    applicationIds: ids,
  };

  it("accepts a batch and trims its title", () => {
    const r = ZResultBatchInput.parse(good);
    expect(r.title).toBe("2021年度北京市工程技术系列高级职称评审结果公示（第一批）");
  });

  it("refuses an empty batch, a duplicate, a bad group and an empty title", () => {
    expect(ZResultBatchInput.safeParse({ ...good, applicationIds: [] }).success).toBe(false);
    expect(ZResultBatchInput.safeParse({ ...good, applicationIds: [ids[0], ids[0]] }).success).toBe(false);
    expect(ZResultBatchInput.safeParse({ ...good, levelGroup: "deputy-senior" }).success).toBe(false);
    expect(ZResultBatchInput.safeParse({ ...good, title: "   " }).success).toBe(false);
    expect(ZResultBatchInput.safeParse({ ...good, applicationIds: ["42"] }).success).toBe(false);
  });
});

describe("the round's schedule", () => {
  it("evaluation by the end of December, publicity by the end of January", () => {
    expect(evaluationSchedule(2021)).toEqual({ evaluationBy: "2021-12-31", publicityBy: "2022-01-31" });
    expect(scheduleWarning("2022-01-31", 2021)).toBeUndefined();
    expect(scheduleWarning("2022-02-01", 2021)).toBe("late");
  });
});

describe("complaint window", () => {
  const batch = { state: "publicity", publicityStart: "2021-12-20", publicityEnd: "2021-12-24" };

  it("is open from the first day 00:00 to the last day 24:00, Shanghai time", () => {
    expect(code(complaintWindowError(sh("2021-12-19T23:59:59"), batch))).toBe("COMPLAINT_WINDOW_NOT_OPEN");
    expect(complaintWindowError(sh("2021-12-20T00:00:00"), batch)).toBeUndefined();
    expect(complaintWindowError(sh("2021-12-24T23:59:59"), batch)).toBeUndefined();
    const closed = complaintWindowError(sh("2021-12-25T00:00:00"), batch);
    expect(closed?.code).toBe("COMPLAINT_WINDOW_CLOSED");
    expect(closed && messageFor(closed, "zh-CN")).toBe("该批次公示期已于2021-12-24结束，不再受理投诉。");
  });

  it("is closed once the batch ended, and does not exist for a draft", () => {
    expect(code(complaintWindowError(sh("2021-12-22T10:00:00"), { ...batch, state: "ended" }))).toBe(
      "COMPLAINT_WINDOW_CLOSED",
    );
    expect(
      code(
        complaintWindowError(sh("2021-12-22T10:00:00"), {
          state: "draft",
          publicityStart: null,
          publicityEnd: null,
        }),
      ),
    ).toBe("RESULT_BATCH_NOT_IN_PUBLICITY");
  });
});

describe("approval reference", () => {
  it("has one format per publisher", () => {
    expect(approvalReference("bureau", 2021, 3)).toBe("京人社职评〔2021〕第3号");
    expect(approvalReference("agency", 2021, 12)).toBe("京职评公示〔2021〕第12号");
    expect(() => approvalReference("bureau", 2021, 0)).toThrow();
  });
});

describe("settling an entry", () => {
  const base = { publicityOver: false, openComplaints: 0, upheldComplaint: false, result: "passed" as const };

  it("waits for the end of the publicity, then the result stands", () => {
    expect(settleEntry(base)).toBe("pending");
    expect(settleEntry({ ...base, publicityOver: true })).toBe("final");
    expect(settleEntry({ ...base, publicityOver: true, result: "failed" })).toBe("final");
  });

  it("an open complaint holds the entry after the end", () => {
    expect(settleEntry({ ...base, publicityOver: true, openComplaints: 1 })).toBe("pending");
  });

  it("an upheld complaint decides at once, during or after the publicity", () => {
    for (const publicityOver of [false, true]) {
      expect(settleEntry({ ...base, publicityOver, upheldComplaint: true, openComplaints: 1 })).toBe(
        "overturned",
      );
      expect(settleEntry({ ...base, publicityOver, upheldComplaint: true, result: "failed" })).toBe(
        "re_evaluation",
      );
    }
  });

  it("never makes a result with an open complaint final (property)", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.nat(5),
        fc.boolean(),
        fc.constantFrom("passed" as const, "failed" as const),
        (publicityOver, openComplaints, upheldComplaint, result) => {
          const outcome = settleEntry({ publicityOver, openComplaints, upheldComplaint, result });
          expect(entryOutcomes).toContain(outcome);
          if (outcome === "final")
            expect(openComplaints === 0 && publicityOver && !upheldComplaint).toBe(true);
        },
      ),
    );
  });

  it("labels every outcome in both languages", () => {
    for (const o of entryOutcomes) expect(entryOutcomeLabels[o]["zh-CN"].length).toBeGreaterThan(1);
  });
});

describe("mayManageBatch", () => {
  const agency = (id: string) => ({ roles: [{ role: "agency", organisationId: id }] });
  const bureau = { roles: [{ role: "admin", organisationId: "city" }] };
  const own = { publisher: "agency", agencyId: "a1" };
  const senior = { publisher: "bureau", agencyId: null };

  it("lets the city bureau manage every batch and an agency only the ones it published", () => {
    expect(mayManageBatch(bureau, own)).toBe(true);
    expect(mayManageBatch(bureau, senior)).toBe(true);
    expect(mayManageBatch(agency("a1"), own)).toBe(true);
    expect(mayManageBatch(agency("a2"), own)).toBe(false);
    expect(mayManageBatch(agency("a1"), senior)).toBe(false);
    expect(mayManageBatch({ roles: [{ role: "hr", organisationId: "a1" }] }, own)).toBe(false);
  });
});

describe("levelsOfGroup", () => {
  it("puts 正高级 and 副高级 in the bureau's group and the rest in the agency's", () => {
    expect(levelsOfGroup("senior").sort()).toEqual(["deputy-senior", "senior"]);
    expect(levelsOfGroup("intermediate-junior").sort()).toEqual(["intermediate", "junior"]);
  });
});
