import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  complaintDecisionError,
  complaintFilingError,
  complaintReference,
  decisionEffect,
  isComplaintReference,
  normaliseComplaintReference,
  reReviewError,
  ZComplaintDecision,
  ZComplaintInput,
  ZReReviewInput,
} from "./complaints";

const sh = (s: string) => new Date(`${s}+08:00`);
const batch = { state: "publicity", publicityStart: "2021-12-20", publicityEnd: "2021-12-24" };

describe("complaint form", () => {
  const good = {
    name: " 李四 ",
    phone: "139 1234 5678",
    facts: "  该申报人的代表作与他人已发表论文高度重合，附比对材料。 ",
  };

  it("trims and normalises what was typed", () => {
    const r = ZComplaintInput.parse({ ...good, phone: "+86 139-1234-5678" });
    expect(r).toEqual({
      name: "李四",
      phone: "13912345678",
      facts: "该申报人的代表作与他人已发表论文高度重合，附比对材料。",
    });
  });

  it("refuses a landline, short facts and an empty name, in Chinese first", () => {
    const phone = ZComplaintInput.safeParse({ ...good, phone: "010-12345678" });
    expect(phone.success).toBe(false);
    expect(phone.error?.issues[0]?.message).toMatch(/^请输入11位中国大陆手机号码/);
    expect(ZComplaintInput.safeParse({ ...good, facts: "不公平" }).success).toBe(false);
    expect(ZComplaintInput.safeParse({ ...good, name: "  " }).success).toBe(false);
    expect(ZComplaintInput.safeParse({ ...good, facts: "字".repeat(5001) }).success).toBe(false);
  });

  it("re-review and decision inputs", () => {
    expect(ZReReviewInput.safeParse({ facts: "评审时未审阅我提交的专利证书原件扫描件。" }).success).toBe(
      true,
    );
    expect(ZComplaintDecision.parse({ outcome: "upheld", reason: " 经核查属实 " })).toEqual({
      outcome: "upheld",
      reason: "经核查属实",
    });
    expect(ZComplaintDecision.safeParse({ outcome: "upheld", reason: " " }).success).toBe(false);
    expect(ZComplaintDecision.safeParse({ outcome: "maybe", reason: "经核查属实" }).success).toBe(false);
  });
});

describe("complaint reference", () => {
  it("is TS, the year and 8 Crockford base32 characters", () => {
    expect(complaintReference(2021, new Uint8Array([0, 0, 0, 0, 0]))).toBe("TS2021-00000000");
    expect(complaintReference(2021, new Uint8Array([255, 255, 255, 255, 255, 1]))).toBe("TS2021-ZZZZZZZZ");
    expect(() => complaintReference(2021, new Uint8Array(4))).toThrow();
  });

  it("always round-trips through normalisation and never uses I, L, O or U (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 16 }), (bytes) => {
        const ref = complaintReference(2021, bytes);
        expect(isComplaintReference(ref)).toBe(true);
        expect(ref.slice(7)).not.toMatch(/[ILOU]/);
        expect(normaliseComplaintReference(` ${ref.toLowerCase().replace("-", " ")} `)).toBe(ref);
      }),
    );
  });

  it("distinct random bytes give distinct references", () => {
    const a = complaintReference(2021, new Uint8Array([1, 2, 3, 4, 5]));
    const b = complaintReference(2021, new Uint8Array([1, 2, 3, 4, 6]));
    expect(a).not.toBe(b);
  });

  it("reads look-alike letters as digits", () => {
    expect(normaliseComplaintReference("ts2021-o1ilabcd")).toBe("TS2021-0111ABCD");
    expect(isComplaintReference("TS2021-0111ABCD")).toBe(true);
    expect(isComplaintReference("TS2021-0111ABCU")).toBe(false);
    expect(isComplaintReference("TS21-0111ABCD")).toBe(false);
  });
});

describe("decision effects", () => {
  it("an upheld complaint overturns a passed result; a dismissal changes nothing", () => {
    expect(decisionEffect("complaint", "passed", "upheld")).toEqual({
      ok: true,
      entryOutcome: "overturned",
      event: "complaintUpheld",
    });
    expect(decisionEffect("complaint", "passed", "dismissed")).toEqual({
      ok: true,
      entryOutcome: null,
      event: null,
    });
    expect(decisionEffect("re_review", "failed", "dismissed")).toEqual({
      ok: true,
      entryOutcome: null,
      event: null,
    });
  });

  it("an upheld re-review sends a failed result back to the committee", () => {
    expect(decisionEffect("re_review", "failed", "upheld")).toEqual({
      ok: true,
      entryOutcome: "re_evaluation",
      event: "reEvaluate",
    });
  });

  it("refuses what cannot happen", () => {
    const passedReReview = decisionEffect("re_review", "passed", "upheld");
    expect(passedReReview.ok === false && passedReReview.error.code).toBe("RE_REVIEW_NOT_AVAILABLE");
    const failedComplaint = decisionEffect("complaint", "failed", "upheld");
    expect(failedComplaint.ok === false && failedComplaint.error.code).toBe("COMPLAINT_ENTRY_NOT_LISTED");
  });

  it("a complaint is decided once", () => {
    expect(complaintDecisionError({ state: "open" })).toBeUndefined();
    expect(complaintDecisionError({ state: "dismissed" })?.code).toBe("COMPLAINT_ALREADY_DECIDED");
    expect(complaintDecisionError({ state: "upheld" })?.code).toBe("COMPLAINT_ALREADY_DECIDED");
  });
});

describe("filing a complaint", () => {
  const listed = { listed: true, outcome: "pending" as const };

  it("only against a listed result, during the publicity", () => {
    expect(complaintFilingError(sh("2021-12-22T12:00:00"), batch, listed)).toBeUndefined();
    expect(complaintFilingError(sh("2021-12-22T12:00:00"), batch, { ...listed, listed: false })?.code).toBe(
      "COMPLAINT_ENTRY_NOT_LISTED",
    );
    expect(complaintFilingError(sh("2021-12-25T00:00:01"), batch, listed)?.code).toBe(
      "COMPLAINT_WINDOW_CLOSED",
    );
    expect(complaintFilingError(sh("2021-12-19T12:00:00"), batch, listed)?.code).toBe(
      "COMPLAINT_WINDOW_NOT_OPEN",
    );
  });
});

describe("asking for a re-review", () => {
  const ok = {
    now: sh("2021-12-24T23:00:00"),
    userId: "u1",
    applicantId: "u1",
    entry: { result: "failed" as const, outcome: "pending" as const },
    batch,
    openReReview: false,
  };

  it("is possible for one's own failed result until the last publicity day ends", () => {
    expect(reReviewError(ok)).toBeUndefined();
    expect(reReviewError({ ...ok, now: sh("2021-12-25T00:00:00") })?.code).toBe("RE_REVIEW_NOT_AVAILABLE");
  });

  it("is refused for someone else's result, a passed result, twice, or outside a batch", () => {
    expect(reReviewError({ ...ok, userId: "u2" })?.code).toBe("RE_REVIEW_NOT_OWN");
    expect(reReviewError({ ...ok, entry: { result: "passed", outcome: "pending" } })?.code).toBe(
      "RE_REVIEW_NOT_AVAILABLE",
    );
    expect(reReviewError({ ...ok, openReReview: true })?.code).toBe("RE_REVIEW_ALREADY_OPEN");
    expect(reReviewError({ ...ok, entry: null, batch: null })?.code).toBe("RE_REVIEW_NOT_AVAILABLE");
    expect(reReviewError({ ...ok, entry: { result: "failed", outcome: "re_evaluation" } })?.code).toBe(
      "RE_REVIEW_NOT_AVAILABLE",
    );
    expect(reReviewError({ ...ok, batch: { ...batch, state: "ended" } })?.code).toBe(
      "RE_REVIEW_NOT_AVAILABLE",
    );
  });
});
