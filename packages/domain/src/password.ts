import type { Labels } from "./catalog";
import { DomainError } from "./errors";

export const passwordPolicy = {
  minLength: 10,
  maxLength: 128,
  minClasses: 3,
} as const;

export const passwordProblems = [
  "too-short",
  "too-long",
  "too-few-classes",
  "contains-phone",
  "contains-id-number",
  "contains-name",
  "common",
] as const;
export type PasswordProblem = (typeof passwordProblems)[number];

export const passwordProblemLabels: Readonly<Record<PasswordProblem, Labels>> = {
  "too-short": { "zh-CN": "至少10个字符", en: "at least 10 characters" },
  "too-long": { "zh-CN": "不超过128个字符", en: "at most 128 characters" },
  "too-few-classes": {
    "zh-CN": "至少包含大写字母、小写字母、数字、符号中的3类",
    en: "at least 3 of upper case, lower case, digits, symbols",
  },
  "contains-phone": {
    "zh-CN": "不得包含手机号码",
    en: "must not contain your mobile number",
  },
  "contains-id-number": {
    "zh-CN": "不得包含证件号码",
    en: "must not contain your ID number",
  },
  "contains-name": {
    "zh-CN": "不得包含姓名",
    en: "must not contain your name",
  },
  common: { "zh-CN": "不得使用常见密码", en: "must not be a common password" },
};

/**
 * The commonest leaked passwords (global lists plus Chinese favourites).
 * Compared after lower-casing, undoing simple substitutions and dropping
 * trailing digits and symbols, so "P@ssw0rd2024!" counts as "password".
 */
export const commonPasswords: readonly string[] = [
  "123456",
  "123456789",
  "12345678",
  "1234567890",
  "111111",
  "000000",
  "123123",
  "654321",
  "666666",
  "888888",
  "5201314",
  "1314520",
  "woaini",
  "woaini1314",
  "iloveyou",
  "password",
  "passw0rd",
  "qwerty",
  "qwertyuiop",
  "asdfgh",
  "asdfghjkl",
  "zxcvbnm",
  "qazwsx",
  "1qaz2wsx",
  "1qaz2wsx3edc",
  "1qaz@wsx",
  "1qaz@wsx3edc",
  "1q2w3e4r",
  "1q2w3e4r5t",
  "qwe123",
  "abc123",
  "abc123456",
  "a123456",
  "aa123456",
  "admin",
  "administrator",
  "root",
  "welcome",
  "letmein",
  "monkey",
  "dragon",
  "master",
  "sunshine",
  "princess",
  "football",
  "baseball",
  "superman",
  "batman",
  "trustno1",
  "shadow",
  "michael",
  "computer",
  "china",
  "beijing",
  "zhongguo",
  "test",
  "guest",
];

const LEET: Record<string, string> = {
  "@": "a",
  "4": "a",
  "0": "o",
  "1": "i",
  "!": "i",
  "3": "e",
  $: "s",
  "5": "s",
  "7": "t",
};

const common = new Set(commonPasswords);

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, "").replace(/^[\d\W_]+/u, "");
  if (stem.length >= 4 && common.has(stem)) return true;
  const unleet = [...stem].map((c) => LEET[c] ?? c).join("");
  if (unleet.length >= 4 && common.has(unleet)) return true;
  // "Aa123456789", "abc123456!": a common password plus a digit/symbol tail.
  return commonPasswords.some(
    (c) => c.length >= 6 && lower.startsWith(c) && /^[\d\W_]*$/u.test(lower.slice(c.length)),
  );
}

function characterClasses(password: string): number {
  let n = 0;
  if (/\p{Ll}/u.test(password)) n++;
  if (/\p{Lu}/u.test(password)) n++;
  if (/\d/.test(password)) n++;
  if (/[^\p{L}\d]/u.test(password)) n++;
  return n;
}

export interface PasswordOwner {
  name?: string;
  phone?: string;
  idNumber?: string;
}

/** Every reason the password is too weak; empty when it is acceptable. */
export function checkPasswordStrength(password: string, owner: PasswordOwner = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < passwordPolicy.minLength) problems.push("too-short");
  if (length > passwordPolicy.maxLength) problems.push("too-long");
  if (characterClasses(password) < passwordPolicy.minClasses) {
    problems.push("too-few-classes");
  }
  const lower = password.toLowerCase();
  if (owner.phone && owner.phone.length >= 6 && lower.includes(owner.phone)) {
    problems.push("contains-phone");
  }
  if (owner.idNumber && owner.idNumber.length >= 6 && lower.includes(owner.idNumber.toLowerCase())) {
    problems.push("contains-id-number");
  }
  const name = owner.name?.toLowerCase().replace(/[\s·]/g, "") ?? "";
  if ([...name].length >= 2 && lower.replace(/[\s·]/g, "").includes(name)) {
    problems.push("contains-name");
  }
  if (isCommon(password)) problems.push("common");
  return problems;
}

/** PASSWORD_WEAK carrying the problems, or undefined when acceptable. */
export function passwordError(password: string, owner: PasswordOwner = {}): DomainError | undefined {
  const problems = checkPasswordStrength(password, owner);
  return problems.length === 0
    ? undefined
    : new DomainError("PASSWORD_WEAK", { problems: problems.join(",") });
}
