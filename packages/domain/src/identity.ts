import { z } from "zod";
import { dayNumber, type IsoDate, isRealDate } from "./dates";
import { DomainError, type Result } from "./errors";
import { type IdType, idTypes } from "./id-types";

// GB 11643-1999, ISO 7064 MOD 11-2.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";
const ID_SHAPE = /^\d{17}[\dXx]$/;

/** The check character for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new DomainError("VALIDATION", { details: "expected 17 digits" });
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? "";
}

type IdProblem = "ID_NUMBER_FORMAT" | "ID_CHECK_DIGIT" | "ID_BIRTH_DATE";

function idNumberProblem(id: string, today?: IsoDate): IdProblem | undefined {
  if (!ID_SHAPE.test(id)) return "ID_NUMBER_FORMAT";
  if (idCheckChar(id.slice(0, 17)) !== id.slice(17).toUpperCase()) {
    return "ID_CHECK_DIGIT";
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || !isRealDate(y, m, d)) return "ID_BIRTH_DATE";
  if (today !== undefined) {
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    if (dayNumber(birth) > dayNumber(today)) return "ID_BIRTH_DATE";
  }
  return undefined;
}

/**
 * An 18-character number in the GB 11643 layout (mainland ID card and the
 * residence permits that share it): 17 digits and a check character, with a
 * real birth date in digits 7–14, not after `today` when given.
 */
export function validateIdNumber(id: string, today?: IsoDate): boolean {
  return idNumberProblem(id, today) === undefined;
}

/** The birth date encoded in an 18-character ID number. */
export function birthDateFromIdNumber(id: string): IsoDate | undefined {
  if (!ID_SHAPE.test(id)) return undefined;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

// Which 18-character numbers each document type may hold.
const idPrefix: Record<Exclude<IdType, "passport">, RegExp> = {
  // Mainland administrative division codes start with 1–6.
  mainland: /^[1-6]/,
  "hk-macau-residence": /^8[12]0000/,
  "taiwan-residence": /^830000/,
  "foreign-permanent-2023": /^9/,
};

const PASSPORT = /^[A-Z0-9]{5,20}$/;

export const ZIdentityInput = z.object({
  idType: z.enum(idTypes),
  idNumber: z.string().max(40),
});
export type IdentityInput = z.infer<typeof ZIdentityInput>;

/**
 * Checks an identity document number for its type and returns it normalized
 * (trimmed, upper-case X / letters), the form to store and compare.
 */
export function validateIdentity(input: IdentityInput, today?: IsoDate): Result<{ normalized: string }> {
  const normalized = input.idNumber.trim().toUpperCase();
  const { idType } = input;
  switch (idType) {
    case "passport":
      return PASSPORT.test(normalized)
        ? { ok: true, normalized }
        : { ok: false, error: new DomainError("PASSPORT_FORMAT") };
    case "mainland":
    case "hk-macau-residence":
    case "taiwan-residence":
    case "foreign-permanent-2023": {
      if (!ID_SHAPE.test(normalized) || !idPrefix[idType].test(normalized)) {
        return {
          ok: false,
          error: new DomainError("ID_NUMBER_FORMAT", { idType }),
        };
      }
      const problem = idNumberProblem(normalized, today);
      if (problem) {
        return {
          ok: false,
          error: new DomainError(problem, problem === "ID_NUMBER_FORMAT" ? { idType } : {}),
        };
      }
      return { ok: true, normalized };
    }
    default: {
      const never: never = idType;
      return {
        ok: false,
        error: new DomainError("VALIDATION", {
          details: `unknown id type ${String(never)}`,
        }),
      };
    }
  }
}

const PHONE = /^1[3-9]\d{9}$/;

/** A mainland mobile number, exactly 11 digits (normalize first if typed freely). */
export function validatePhone(phone: string): boolean {
  return PHONE.test(phone);
}

/** Strips spaces, hyphens and a +86 / 0086 prefix from a typed phone number. */
export function normalizePhone(phone: string): string {
  const compact = phone.replace(/[\s-]/g, "");
  const m = /^(?:\+86|0086|86)(1\d{10})$/.exec(compact);
  return m?.[1] ?? compact;
}

/**
 * The sign-in name (a phone or an ID number) as the login throttle and the request budget count it:
 * without spaces, letters upper-case (an ID number's X), so "11010519491231002x" and "110105 19491231002X"
 * are one account.
 */
export function normalizeLogin(login: string): string {
  return login.replace(/\s+/g, "").toUpperCase();
}

function mask(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) {
    // Too short to keep both ends: show only the last character.
    return "*".repeat(Math.max(chars.length - 1, 0)) + chars.slice(-1).join("");
  }
  return chars.slice(0, head).join("") + "*".repeat(chars.length - head - tail) + chars.slice(-tail).join("");
}

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return mask(phone, 3, 4);
}

/** 11010519491231002X → 110***********002X (first 3 and last 4 shown). */
export function maskIdNumber(id: string): string {
  return mask(id, 3, 4);
}

// Latin letters include accented ones so foreign names fit; · is the
// transliteration dot (e.g. 阿依古丽·买买提).
const NAME = /^[\p{Script=Han}\p{Script=Latin} ·]+$/u;

/** Trims, collapses spaces and maps look-alike dots to the middle dot ·. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .replace(/\s+/g, " ")
    .replace(/[•・．‧∙⋅]/g, "·");
}

/** 2–50 characters: Chinese characters, letters, spaces, the middle dot. */
export function validateName(name: string): boolean {
  const length = [...name].length;
  if (length < 2 || length > 50) return false;
  if (!NAME.test(name)) return false;
  if (!/[\p{Script=Han}\p{Script=Latin}]/u.test(name)) return false;
  // Separators only between name parts.
  return !/^[ ·]|[ ·]$|[ ·]{2,}/.test(name);
}
