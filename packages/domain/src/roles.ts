import type { Labels } from "./catalog";

export const roles = ["applicant", "hr", "agency", "district", "expert", "chair", "admin"] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Readonly<Record<Role, Labels>> = {
  applicant: { "zh-CN": "申报人", en: "Applicant" },
  hr: { "zh-CN": "工作单位人事部门", en: "Employer HR" },
  agency: { "zh-CN": "评审机构工作人员", en: "Agency reviewer" },
  district: { "zh-CN": "区人社局", en: "District bureau" },
  expert: { "zh-CN": "评审专家", en: "Expert" },
  chair: { "zh-CN": "主任委员", en: "Committee chair" },
  admin: { "zh-CN": "市人社局", en: "City bureau administrator" },
};

export const organisationKinds = [
  "employer",
  "agency",
  "district-bureau",
  "city-bureau",
  "expert-pool",
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindLabels: Readonly<Record<OrganisationKind, Labels>> = {
  employer: { "zh-CN": "工作单位", en: "Employer" },
  agency: { "zh-CN": "评审机构", en: "Evaluation agency" },
  "district-bureau": { "zh-CN": "区人社局", en: "District HR bureau" },
  "city-bureau": { "zh-CN": "市人社局", en: "City HR bureau" },
  "expert-pool": { "zh-CN": "专家库", en: "Expert pool" },
};

/**
 * The kind of organisation a staff role acts for; applicants act for
 * themselves (their employer is data on the application, not a membership).
 */
export const roleOrganisationKind: Readonly<Record<Role, OrganisationKind | null>> = {
  applicant: null,
  hr: "employer",
  agency: "agency",
  district: "district-bureau",
  expert: "expert-pool",
  chair: "expert-pool",
  admin: "city-bureau",
};
