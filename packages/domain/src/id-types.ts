import type { Labels } from "./catalog";

/** Identity documents accepted at real-name registration. */
export const idTypes = [
  "mainland",
  "hk-macau-residence",
  "taiwan-residence",
  "foreign-permanent-2023",
  "passport",
] as const;
export type IdType = (typeof idTypes)[number];

export const idTypeLabels: Readonly<Record<IdType, Labels>> = {
  mainland: { "zh-CN": "居民身份证", en: "Resident identity card" },
  "hk-macau-residence": {
    "zh-CN": "港澳居民居住证",
    en: "Residence permit for Hong Kong and Macao residents",
  },
  "taiwan-residence": {
    "zh-CN": "台湾居民居住证",
    en: "Residence permit for Taiwan residents",
  },
  "foreign-permanent-2023": {
    "zh-CN": "外国人永久居留身份证（2023版）",
    en: "Foreign permanent resident ID card (2023)",
  },
  passport: { "zh-CN": "护照", en: "Passport" },
};
