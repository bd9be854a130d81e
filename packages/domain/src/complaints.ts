import { z } from "zod";
import type { Labels } from "./catalog";
import type { IsoDate } from "./dates";
import { DomainError, type Result } from "./errors";
import { normalizePhone } from "./identity";
import { complaintWindowError, type EntryOutcome, type EntryResult } from "./results";

/**
 * complaint (投诉) — anyone, against a listed (passed) result, during its publicity;
 * re_review (复查申请) — an applicant about their own failed result, during its publicity.
 * The bureau and the agency re-review both; the decision is told to the complainant and the applicant.
 */
export const complaintKinds = ["complaint", "re_review"] as const;
export type ComplaintKind = (typeof complaintKinds)[number];

export const complaintKindLabels: Readonly<Record<ComplaintKind, Labels>> = {
  complaint: { "zh-CN": "投诉", en: "Complaint" },
  re_review: { "zh-CN": "复查申请", en: "Re-review request" },
};

export const complaintStates = ["open", "dismissed", "upheld"] as const;
export type ComplaintState = (typeof complaintStates)[number];

export const complaintStateLabels: Readonly<Record<ComplaintState, Labels>> = {
  open: { "zh-CN": "办理中", en: "Being handled" },
  dismissed: { "zh-CN": "经复查不成立", en: "Dismissed after re-review" },
  upheld: { "zh-CN": "经复查成立", en: "Upheld after re-review" },
};

export const complaintOutcomes = ["dismissed", "upheld"] as const;
export type ComplaintOutcome = (typeof complaintOutcomes)[number];

const ZFacts = z
  .string()
  .trim()
  .min(10, { message: "请具体说明投诉事实（至少10个字） / Describe the facts (at least 10 characters)" })
  .max(5000, { message: "事实与理由不超过5000字 / At most 5,000 characters" });

/** What the public complaint form sends (attachments travel separately, as uploads). */
export const ZComplaintInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, { message: "请填写投诉人姓名 / Give your name" })
    .max(50, { message: "姓名不超过50字 / At most 50 characters" }),
  // Spaces, dashes and +86 are accepted as typed and dropped before the check.
  phone: z
    .string()
    .trim()
    .transform(normalizePhone)
    .pipe(
      z.string().regex(/^1[3-9]\d{9}$/, {
        message: "请输入11位中国大陆手机号码 / Enter an 11-digit mainland China mobile number",
      }),
    ),
  facts: ZFacts,
});
export type ComplaintInput = z.infer<typeof ZComplaintInput>;

/** An applicant's re-review request: their name and phone come from the account. */
export const ZReReviewInput = z.object({ facts: ZFacts });
export type ReReviewInput = z.infer<typeof ZReReviewInput>;

/** Staff's decision after the re-review; the reason is told to the complainant and the applicant. */
export const ZComplaintDecision = z.object({
  outcome: z.enum(complaintOutcomes),
  reason: z
    .string()
    .trim()
    .min(2, { message: "请填写复查结论的理由 / Give the reason for the decision" })
    .max(2000, { message: "理由不超过2000字 / At most 2,000 characters" }),
});
export type ComplaintDecision = z.infer<typeof ZComplaintDecision>;

// Crockford's base32: no I, L, O or U, so a reference read over the phone is not misheard.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const REFERENCE = /^TS\d{4}-[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * The reference a complainant follows their complaint with: `TS2021-` and 8 Crockford base32
 * characters from 40 random bits (the caller passes at least 5 random bytes). Guessing one is
 * hopeless, and following also needs the phone number.
 */
export function complaintReference(year: number, random: Uint8Array): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new DomainError("VALIDATION", { details: `year must be a 4-digit integer, got ${year}` });
  }
  if (random.length < 5) {
    throw new DomainError("VALIDATION", { details: "a complaint reference needs at least 5 random bytes" });
  }
  // 40 bits fit in a double exactly.
  let bits = 0;
  for (let i = 0; i < 5; i++) bits = bits * 256 + (random[i] ?? 0);
  let code = "";
  for (let i = 0; i < 8; i++) {
    code = CROCKFORD[bits % 32] + code;
    bits = Math.floor(bits / 32);
  }
  return `TS${year}-${code}`;
}

export function isComplaintReference(value: string): boolean {
  return REFERENCE.test(value);
}

/**
 * What a person typed, as a reference: upper case, no spaces, the dash restored, and the letters
 * Crockford reads as digits (O → 0, I and L → 1) mapped. Invalid input comes back normalised but
 * still invalid, so `isComplaintReference` decides.
 */
export function normaliseComplaintReference(value: string): string {
  const compact = value.normalize("NFKC").toUpperCase().replace(/\s+/g, "");
  const m = /^TS(\d{4})-?([0-9A-Z]{8})$/.exec(compact);
  if (!m) return compact;
  const code = (m[2] ?? "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return `TS${m[1]}-${code}`;
}

/** What a decision does to the entry and the application (one application event at most). */
export type DecisionEffect =
  | { entryOutcome: "overturned"; event: "complaintUpheld" }
  | { entryOutcome: "re_evaluation"; event: "reEvaluate" }
  | { entryOutcome: null; event: null };

/**
 * An upheld complaint against a passed result overturns it (application → failed, no
 * certificate); an upheld re-review of a failed result sends it back to the committee
 * (application → evaluating). A dismissal changes nothing.
 */
export function decisionEffect(
  kind: ComplaintKind,
  result: EntryResult,
  outcome: ComplaintOutcome,
): Result<DecisionEffect> {
  if (outcome === "dismissed") return { ok: true, entryOutcome: null, event: null };
  if (kind === "complaint") {
    // Failed results are never listed, so nobody can have complained about one.
    return result === "passed"
      ? { ok: true, entryOutcome: "overturned", event: "complaintUpheld" }
      : { ok: false, error: new DomainError("COMPLAINT_ENTRY_NOT_LISTED") };
  }
  // A passed applicant has nothing to re-review.
  return result === "failed"
    ? { ok: true, entryOutcome: "re_evaluation", event: "reEvaluate" }
    : { ok: false, error: new DomainError("RE_REVIEW_NOT_AVAILABLE") };
}

interface BatchWindow {
  state: string;
  publicityStart: IsoDate | null;
  publicityEnd: IsoDate | null;
}

/** Whether the public may file a complaint against this entry now. */
export function complaintFilingError(
  now: Date,
  batch: BatchWindow,
  entry: { listed: boolean; outcome: EntryOutcome },
): DomainError | undefined {
  if (!entry.listed) return new DomainError("COMPLAINT_ENTRY_NOT_LISTED");
  return complaintWindowError(now, batch);
}

/** Whether staff may still decide the complaint (once only). */
export function complaintDecisionError(complaint: { state: ComplaintState }): DomainError | undefined {
  return complaint.state === "open" ? undefined : new DomainError("COMPLAINT_ALREADY_DECIDED");
}

/**
 * Whether `userId` may ask for a re-review of this entry now: their own application, a failed
 * result still pending in a batch under publicity (until its last day's 24:00), and no re-review
 * of theirs already open.
 */
export function reReviewError(input: {
  now: Date;
  userId: string;
  applicantId: string;
  entry: { result: EntryResult; outcome: EntryOutcome } | null;
  batch: BatchWindow | null;
  openReReview: boolean;
}): DomainError | undefined {
  if (input.userId !== input.applicantId) return new DomainError("RE_REVIEW_NOT_OWN");
  const { entry, batch } = input;
  if (entry === null || batch === null) return new DomainError("RE_REVIEW_NOT_AVAILABLE");
  if (input.openReReview) return new DomainError("RE_REVIEW_ALREADY_OPEN");
  if (entry.result !== "failed" || entry.outcome !== "pending") {
    return new DomainError("RE_REVIEW_NOT_AVAILABLE");
  }
  // Its message says when re-reviews are possible, which is what the applicant needs.
  return complaintWindowError(input.now, batch) ? new DomainError("RE_REVIEW_NOT_AVAILABLE") : undefined;
}
