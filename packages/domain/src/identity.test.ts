import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  birthDateFromIdNumber,
  idCheckChar,
  maskIdNumber,
  maskPhone,
  normalizeLogin,
  normalizeName,
  normalizePhone,
  validateIdentity,
  validateIdNumber,
  validateName,
  validatePhone,
} from "./identity";

/** A valid number from its first 17 digits. */
const withCheck = (first17: string) => first17 + idCheckChar(first17);

describe("validateIdNumber (GB 11643)", () => {
  it("accepts the standard's example with check X, in either case", () => {
    expect(validateIdNumber("11010519491231002X")).toBe(true);
    expect(validateIdNumber("11010519491231002x")).toBe(true);
    expect(validateIdNumber("110105194912310021")).toBe(false);
  });

  it("computes check characters", () => {
    expect(idCheckChar("11010519491231002")).toBe("X");
    expect(idCheckChar("44052418800101001")).toBe("4");
  });

  it("rejects wrong shapes", () => {
    for (const id of [
      "",
      "11010519491231002",
      "1101051949123100211",
      "11010519491231002Y",
      "X10105194912310021",
    ]) {
      expect(validateIdNumber(id), id).toBe(false);
    }
  });

  it("checks the birth date: real day, leap years, from 1900, not after today", () => {
    expect(validateIdNumber(withCheck("11010520000229001"))).toBe(true);
    expect(validateIdNumber(withCheck("11010519000229001"))).toBe(false);
    expect(validateIdNumber(withCheck("11010520010229001"))).toBe(false);
    expect(validateIdNumber(withCheck("11010520011301001"))).toBe(false);
    expect(validateIdNumber(withCheck("11010518991231001"))).toBe(false);
    expect(validateIdNumber(withCheck("11010520300101001"))).toBe(true);
    expect(validateIdNumber(withCheck("11010520300101001"), "2026-11-27")).toBe(false);
    expect(validateIdNumber(withCheck("11010520261127001"), "2026-11-27")).toBe(true);
  });

  it("detects every single-digit change (MOD 11-2 property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = "11010519491231002X";
        const digit = (Number(id[pos]) + delta) % 10;
        const changed = id.slice(0, pos) + digit + id.slice(pos + 1);
        return idCheckChar(changed.slice(0, 17)) !== "X";
      }),
    );
  });

  it("reads the birth date", () => {
    expect(birthDateFromIdNumber("11010519491231002X")).toBe("1949-12-31");
    expect(birthDateFromIdNumber("abc")).toBeUndefined();
  });
});

describe("validateIdentity", () => {
  it("normalizes to upper case and trims", () => {
    expect(validateIdentity({ idType: "mainland", idNumber: " 11010519491231002x " })).toEqual({
      ok: true,
      normalized: "11010519491231002X",
    });
    expect(validateIdentity({ idType: "passport", idNumber: "e12345678" })).toEqual({
      ok: true,
      normalized: "E12345678",
    });
  });

  it("knows which prefixes each residence permit and card has", () => {
    const hk = withCheck("81000019900101001");
    const mo = withCheck("82000019900101001");
    const tw = withCheck("83000019900101001");
    const foreign = withCheck("93115619900101001");
    expect(validateIdentity({ idType: "hk-macau-residence", idNumber: hk }).ok).toBe(true);
    expect(validateIdentity({ idType: "hk-macau-residence", idNumber: mo }).ok).toBe(true);
    expect(validateIdentity({ idType: "taiwan-residence", idNumber: tw }).ok).toBe(true);
    expect(validateIdentity({ idType: "foreign-permanent-2023", idNumber: foreign }).ok).toBe(true);
    const wrong = validateIdentity({ idType: "taiwan-residence", idNumber: hk });
    expect(wrong.ok === false && wrong.error.code).toBe("ID_NUMBER_FORMAT");
    const mainlandFromHk = validateIdentity({ idType: "mainland", idNumber: hk });
    expect(mainlandFromHk.ok === false && mainlandFromHk.error.params).toEqual({ idType: "mainland" });
  });

  it("reports the check digit and the birth date separately", () => {
    const check = validateIdentity({ idType: "mainland", idNumber: "110105194912310021" });
    expect(check.ok === false && check.error.code).toBe("ID_CHECK_DIGIT");
    const birth = validateIdentity(
      { idType: "mainland", idNumber: withCheck("11010520300101001") },
      "2026-11-27",
    );
    expect(birth.ok === false && birth.error.code).toBe("ID_BIRTH_DATE");
  });

  it("passport: 5–20 letters and digits", () => {
    for (const p of ["G1234567", "E12345678", "AB123", "A".repeat(20)]) {
      expect(validateIdentity({ idType: "passport", idNumber: p }).ok, p).toBe(true);
    }
    for (const p of ["A123", "A".repeat(21), "E1234-5678", "护照12345"]) {
      const r = validateIdentity({ idType: "passport", idNumber: p });
      expect(r.ok === false && r.error.code, p).toBe("PASSPORT_FORMAT");
    }
  });
});

describe("phone", () => {
  it("validates mainland mobiles", () => {
    expect(validatePhone("13800138000")).toBe(true);
    expect(validatePhone("19912345678")).toBe(true);
    expect(validatePhone("12800138000")).toBe(false);
    expect(validatePhone("1380013800")).toBe(false);
    expect(validatePhone("+8613800138000")).toBe(false);
  });

  it("normalizes typed numbers", () => {
    expect(normalizePhone("+86 138-0013-8000")).toBe("13800138000");
    expect(normalizePhone("008613800138000")).toBe("13800138000");
    expect(normalizePhone("138 0013 8000")).toBe("13800138000");
  });
});

describe("masking", () => {
  it("shows the first 3 and last 4", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskIdNumber("11010519491231002X")).toBe("110***********002X");
    expect(maskIdNumber("G1234567")).toBe("G12*4567");
    expect(maskIdNumber("AB12")).toBe("***2");
  });
});

describe("names", () => {
  it("accepts Chinese, Latin and transliterated names", () => {
    for (const n of ["张三", "欧阳娜娜", "阿依古丽·买买提", "John Smith", "José Álvarez", "李 Lee"]) {
      expect(validateName(n), n).toBe(true);
    }
  });

  it("rejects the rest", () => {
    for (const n of ["张", "张3", "Zhang_San", " 张三", "张三·", "张··三", "a".repeat(51), "··", "Иван"]) {
      expect(validateName(n), n).toBe(false);
    }
  });

  it("normalizes dots and spaces", () => {
    expect(normalizeName("  阿依古丽•买买提 ")).toBe("阿依古丽·买买提");
    expect(normalizeName("John   Smith")).toBe("John Smith");
  });
});

describe("normalizeLogin", () => {
  it("counts one account however its ID number or phone is typed", () => {
    expect(normalizeLogin("110105 19491231002x")).toBe("11010519491231002X");
    expect(normalizeLogin(" 138 0000 0001 ")).toBe("13800000001");
  });
});
