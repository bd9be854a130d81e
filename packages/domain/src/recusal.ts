import { z } from "zod";
import type { Labels } from "./catalog";

/** Why an expert stays out of an applicant's review (回避). */
export const recusalSources = ["self", "same-unit", "declared", "ordered"] as const;
export type RecusalSource = (typeof recusalSources)[number];

export const recusalSourceLabels: Readonly<Record<RecusalSource, Labels>> = {
  self: { "zh-CN": "本人申报", en: "The expert is the applicant" },
  "same-unit": { "zh-CN": "同一工作单位（自动回避）", en: "Same employer (automatic)" },
  declared: { "zh-CN": "专家主动申请回避", en: "Declared by the expert" },
  ordered: { "zh-CN": "工作人员决定回避", en: "Ordered by staff" },
};

/** The reason an expert or a staff member gives; free text, but never empty. */
export const ZRecusalReason = z
  .string()
  .trim()
  .min(2, { message: "请说明回避理由（至少2个字）。 / Give the reason (at least 2 characters)." })
  .max(500, { message: "回避理由不超过500字。 / The reason is at most 500 characters." });

export interface RecusalExpert {
  id: string;
  unitId: string | null;
}
export interface RecusalApplicant {
  applicationId: string;
  applicantUserId: string;
  employerId: string | null;
}
export interface AutomaticRecusal {
  expertId: string;
  applicationId: string;
  source: Extract<RecusalSource, "self" | "same-unit">;
}

/**
 * The recusals the system makes without being asked: an expert never reviews their own application, nor
 * an applicant of the unit they work for. Conflicts the system cannot see (spouse, relatives, mentor) are
 * declared by the expert or ordered by staff.
 */
export function automaticRecusals(
  experts: readonly RecusalExpert[],
  applicants: readonly RecusalApplicant[],
): AutomaticRecusal[] {
  const out: AutomaticRecusal[] = [];
  for (const a of applicants) {
    for (const e of experts) {
      if (e.id === a.applicantUserId) {
        out.push({ expertId: e.id, applicationId: a.applicationId, source: "self" });
      } else if (e.unitId !== null && e.unitId === a.employerId) {
        out.push({ expertId: e.id, applicationId: a.applicationId, source: "same-unit" });
      }
    }
  }
  return out;
}
