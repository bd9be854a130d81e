import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  certificateData,
  certificateNumber,
  certificateNumberError,
  certificateNumberParts,
  certificateStatuses,
  certificateStatusLabels,
  formatCertificateNumber,
  isValidCertificateNumber,
  maskCertificateIdNumber,
  mod11_2CheckChar,
  normaliseCertificateNumber,
  ZCertificateData,
} from "./certificate";
import { messageFor } from "./errors";
import { idCheckChar } from "./identity";

const arbNumber = fc
  .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 9_999_999 }))
  .map(([year, serial]) => certificateNumber(year, serial));

describe("certificate number", () => {
  it("is 11, the year, a 7-digit serial and a check character", () => {
    const n = certificateNumber(2021, 1);
    expect(n).toMatch(/^1120210000001[\dX]$/);
    expect(n).toHaveLength(14);
    expect(isValidCertificateNumber(n)).toBe(true);
    expect(certificateNumberParts(n)).toEqual({ year: 2021, serial: 1 });
    expect(formatCertificateNumber(n)).toBe(`11 2021 0000001 ${n.slice(13)}`);
  });

  it("uses the same MOD 11-2 as the GB 11643 ID number", () => {
    expect(mod11_2CheckChar("11010519491231002")).toBe("X");
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (digits) => {
        expect(mod11_2CheckChar(digits)).toBe(idCheckChar(digits));
      }),
    );
  });

  it("every single-character change is detected (property)", () => {
    fc.assert(
      fc.property(arbNumber, fc.nat(13), fc.constantFrom(..."0123456789X"), (n, i, c) => {
        fc.pre(n[i] !== c);
        const changed = n.slice(0, i) + c + n.slice(i + 1);
        expect(isValidCertificateNumber(changed), changed).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("every adjacent transposition is detected, exhaustively over a run of real numbers", () => {
    for (let serial = 1; serial <= 2000; serial++) {
      const n = certificateNumber(2021, serial);
      for (let i = 0; i < 13; i++) {
        if (n[i] === n[i + 1]) continue;
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        expect(isValidCertificateNumber(swapped), `${n} → ${swapped}`).toBe(false);
      }
    }
  });

  it("numbers are unique per (year, serial)", () => {
    const seen = new Set<string>();
    for (let serial = 1; serial <= 5000; serial++) seen.add(certificateNumber(2021, serial));
    seen.add(certificateNumber(2022, 1));
    expect(seen.size).toBe(5001);
  });

  it("refuses years and serials that do not fit", () => {
    for (const [y, s] of [
      [21, 1],
      [2021, 0],
      [2021, 10_000_000],
      [2021, 1.5],
    ] as const) {
      expect(() => certificateNumber(y, s)).toThrow();
    }
  });

  it("normalises what people type or paste", () => {
    const n = certificateNumber(2021, 123);
    expect(normaliseCertificateNumber(` ${formatCertificateNumber(n).toLowerCase()} `)).toBe(n);
    expect(normaliseCertificateNumber(`１１-２０２１-００００１２３-${n.slice(13)}`)).toBe(n);
    expect(certificateNumberError(formatCertificateNumber(n))).toBeUndefined();
  });

  it("a made-up number is refused with a clear message", () => {
    const e = certificateNumberError("11202100000019");
    const n = certificateNumber(2021, 1);
    expect(n.endsWith("9")).toBe(false); // so the made-up one above has the wrong check character
    expect(e?.code).toBe("CERTIFICATE_NUMBER_INVALID");
    expect(e && messageFor(e, "zh-CN")).toMatch(/^证书编号格式不正确或校验位不符/);
    expect(certificateNumberError("abc")?.code).toBe("CERTIFICATE_NUMBER_INVALID");
    expect(messageFor("CERTIFICATE_NOT_FOUND", "zh-CN", { number: n })).toBe(
      `查无此证书：本局未签发编号为${n}的电子职称证书。`,
    );
  });
});

describe("masked ID number", () => {
  it("keeps the first and last four characters of an ID card number", () => {
    expect(maskCertificateIdNumber("11010519491231002X")).toBe("1101**********002X");
  });

  it("keeps only the ends of a short number, and never throws", () => {
    expect(maskCertificateIdNumber("E12345678")).toBe("E*******8");
    expect(maskCertificateIdNumber("AB")).toBe("**");
    expect(maskCertificateIdNumber("")).toBe("");
    expect(maskCertificateIdNumber(undefined as unknown as string)).toBe("");
  });

  it("never shows the birth date of an ID card number (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskCertificateIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(4, 14)).toBe("*".repeat(10));
      }),
    );
  });
});

describe("certificate data", () => {
  const input = {
    number: certificateNumber(2021, 7),
    holderName: "王五",
    holderIdMasked: maskCertificateIdNumber("11010519491231002X"),
    unitName: "北京市市政工程设计研究总院有限公司",
    series: "engineering" as const,
    specialty: "给水排水",
    level: "deputy-senior" as const,
    committee: "北京市工程技术系列（建筑）高级专业技术资格评审委员会",
    approvedOn: "2021-12-10",
    approvalReference: "京人社职评〔2021〕第3号",
    issueDate: "2022-01-05",
  };

  it("is built in Chinese with the catalog's labels", () => {
    const d = certificateData(input);
    expect(d).toMatchObject({
      type: "ProfessionalTitleCertificate",
      version: 1,
      series: "工程技术",
      level: "副高级",
      qualification: "高级工程师",
      issuer: "北京市人力资源和社会保障局",
      holderIdMasked: "1101**********002X",
    });
    expect(ZCertificateData.parse(d)).toEqual(d);
  });

  it("masks an ID number that was passed unmasked instead of signing it", () => {
    const d = certificateData({ ...input, holderIdMasked: "11010519491231002X" });
    expect(d.holderIdMasked).toBe("1101**********002X");
  });

  it("the schema is strict: no extra field, no unmasked ID, no bad number or date", () => {
    const d = certificateData(input);
    expect(ZCertificateData.safeParse({ ...d, idNumber: "11010519491231002X" }).success).toBe(false);
    expect(ZCertificateData.safeParse({ ...d, holderIdMasked: "11010519491231002X" }).success).toBe(false);
    const wrongCheck = d.number.slice(0, 13) + (d.number.endsWith("0") ? "1" : "0");
    expect(ZCertificateData.safeParse({ ...d, number: wrongCheck }).success).toBe(false);
    expect(ZCertificateData.safeParse({ ...d, approvedOn: "2021-13-01" }).success).toBe(false);
    expect(ZCertificateData.safeParse({ ...d, version: 2 }).success).toBe(false);
    expect(() => certificateData({ ...input, holderName: "" })).toThrow(/holderName/);
  });

  it("labels every status", () => {
    expect(certificateStatuses.map((s) => certificateStatusLabels[s]["zh-CN"])).toEqual([
      "有效",
      "已撤销",
      "查无此证书",
    ]);
  });
});
