import { z } from "zod";
import {
  type Labels,
  type Level,
  levelLabels,
  qualificationTitle,
  type Series,
  seriesLabels,
} from "./catalog";
import { type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";

/**
 * Electronic title certificates (电子职称证书, notice step 9).
 *
 * Number: "11" (Beijing's administrative region code) + 4-digit year + 7-digit serial + one check
 * character, ISO 7064 MOD 11-2 over the 13 digits (0–9 or X) — the scheme of the GB 11643 ID
 * number, chosen because it catches every single-digit error and every adjacent transposition.
 * Example: 11 2021 0000001 X.
 */
export const certificateRegionCode = "11";
export const certificateIssuer = "北京市人力资源和社会保障局";
export const maxCertificateSerial = 9_999_999;

const NUMBER = /^11\d{11}[\dX]$/;

/** ISO 7064 MOD 11-2 check character (0–9 or X) of a string of digits. */
export function mod11_2CheckChar(digits: string): string {
  if (!/^\d+$/.test(digits)) {
    throw new DomainError("VALIDATION", { details: "MOD 11-2 is computed over digits only" });
  }
  let p = 0;
  for (const c of digits) p = ((p + Number(c)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? "X" : String(check);
}

export function certificateNumber(year: number, serial: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new DomainError("VALIDATION", { details: `year must be a 4-digit integer, got ${year}` });
  }
  if (!Number.isInteger(serial) || serial < 1 || serial > maxCertificateSerial) {
    throw new DomainError("VALIDATION", {
      details: `serial must be an integer from 1 to ${maxCertificateSerial}, got ${serial}`,
    });
  }
  const body = `${certificateRegionCode}${year}${String(serial).padStart(7, "0")}`;
  return body + mod11_2CheckChar(body);
}

/** True for a normalised number of the right shape whose check character matches. */
export function isValidCertificateNumber(value: string): boolean {
  return NUMBER.test(value) && mod11_2CheckChar(value.slice(0, 13)) === value.slice(13);
}

/**
 * What a person typed or scanned, as a number: full-width characters folded (NFKC), upper case,
 * spaces and dashes dropped.
 */
export function normaliseCertificateNumber(value: string): string {
  return value
    .normalize("NFKC")
    .trim()
    .toUpperCase()
    .replace(/[\s\-‐‑–—]/g, "");
}

/** CERTIFICATE_NUMBER_INVALID for input that is not a valid number once normalised. */
export function certificateNumberError(value: string): DomainError | undefined {
  const number = normaliseCertificateNumber(value);
  return isValidCertificateNumber(number)
    ? undefined
    : new DomainError("CERTIFICATE_NUMBER_INVALID", { number: number.slice(0, 40) });
}

/** The year and serial inside a valid number (undefined otherwise). */
export function certificateNumberParts(value: string): { year: number; serial: number } | undefined {
  if (!isValidCertificateNumber(value)) return undefined;
  return { year: Number(value.slice(2, 6)), serial: Number(value.slice(6, 13)) };
}

/** "11 2021 0000001 X" for reading aloud and printing; anything else is returned as it is. */
export function formatCertificateNumber(value: string): string {
  if (!NUMBER.test(value)) return value;
  return `${value.slice(0, 2)} ${value.slice(2, 6)} ${value.slice(6, 13)} ${value.slice(13)}`;
}

/**
 * The ID number as printed on a certificate: first 4 and last 4 characters, `*` between (the
 * region and the check end stay readable, the birth date never). A short number such as a
 * passport keeps only its first and last character. Never throws.
 */
export function maskCertificateIdNumber(id: string): string {
  const chars = [...String(id ?? "").trim()];
  if (chars.length === 0) return "";
  if (chars.length <= 2) return "*".repeat(chars.length);
  const [head, tail] = chars.length > 12 ? [4, 4] : [1, 1];
  return chars.slice(0, head).join("") + "*".repeat(chars.length - head - tail) + chars.slice(-tail).join("");
}

const ZText = (max: number) => z.string().min(1).max(max);
const ZIsoDate = z.string().refine(isIsoDate, { message: "expected a date YYYY-MM-DD" });

/**
 * The canonical certificate data: exactly what is signed (Ed25519 over its RFC 8785 JSON) and
 * what the Verifiable Credential carries. Strict, so an extra field cannot ride along unsigned;
 * no transforms, so parsing never changes what was signed.
 */
export const ZCertificateData = z.strictObject({
  type: z.literal("ProfessionalTitleCertificate"),
  version: z.literal(1),
  number: z.string().refine(isValidCertificateNumber, { message: "invalid certificate number" }),
  holderName: ZText(50),
  // A full ID number must never be signed into a public document.
  holderIdMasked: ZText(40).refine((s) => s.includes("*"), { message: "the ID number must be masked" }),
  unitName: ZText(200),
  series: ZText(50),
  specialty: z.string().max(100),
  qualification: ZText(50),
  level: ZText(20),
  committee: ZText(200),
  approvedOn: ZIsoDate,
  approvalReference: ZText(100),
  issuer: ZText(100),
  issueDate: ZIsoDate,
});
export type CertificateData = z.infer<typeof ZCertificateData>;

export interface CertificateDataInput {
  number: string;
  holderName: string;
  /** Masked with `maskCertificateIdNumber`; an unmasked value is masked here rather than signed. */
  holderIdMasked: string;
  unitName: string;
  series: Series;
  specialty: string;
  level: Level;
  committee: string;
  approvedOn: IsoDate;
  approvalReference: string;
  /** Defaults to the city bureau. */
  issuer?: string;
  issueDate: IsoDate;
}

/** Builds the canonical data in Chinese (labels from the catalog); VALIDATION when a field is bad. */
export function certificateData(input: CertificateDataInput): CertificateData {
  const holderIdMasked = input.holderIdMasked.includes("*")
    ? input.holderIdMasked
    : maskCertificateIdNumber(input.holderIdMasked);
  const parsed = ZCertificateData.safeParse({
    type: "ProfessionalTitleCertificate",
    version: 1,
    number: input.number,
    holderName: input.holderName,
    holderIdMasked,
    unitName: input.unitName,
    series: seriesLabels[input.series]["zh-CN"],
    specialty: input.specialty,
    qualification: qualificationTitle(input.series, input.level, "zh-CN"),
    level: levelLabels[input.level]["zh-CN"],
    committee: input.committee,
    approvedOn: input.approvedOn,
    approvalReference: input.approvalReference,
    issuer: input.issuer ?? certificateIssuer,
    issueDate: input.issueDate,
  });
  if (!parsed.success) {
    // Paths only: the values may be personal data.
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new DomainError("VALIDATION", { details: `certificate data: ${fields}` });
  }
  return parsed.data;
}

/** What the public verification page says about a number. */
export const certificateStatuses = ["valid", "revoked", "unknown"] as const;
export type CertificateStatus = (typeof certificateStatuses)[number];

export const certificateStatusLabels: Readonly<Record<CertificateStatus, Labels>> = {
  valid: { "zh-CN": "有效", en: "Valid" },
  revoked: { "zh-CN": "已撤销", en: "Revoked" },
  unknown: { "zh-CN": "查无此证书", en: "Not issued by us" },
};
