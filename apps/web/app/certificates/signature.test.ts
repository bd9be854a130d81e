import { certificateNumber, ZCertificateData } from "@titles/domain";
import { describe, expect, it } from "vitest";
import { issuerKeyFromSeed } from "./keys.server";
import {
  type CertificateData,
  canonicalBytes,
  canonicalJson,
  signCertificate,
  verifyCertificate,
} from "./signature.server";

const key = issuerKeyFromSeed(new Uint8Array(32).fill(7));
const otherKey = issuerKeyFromSeed(new Uint8Array(32).fill(8));

const data: CertificateData = {
  type: "ProfessionalTitleCertificate",
  version: 1,
  number: certificateNumber(2026, 1),
  holderName: "张伟",
  holderIdMasked: "1101**********1234",
  unitName: "北京市建筑设计研究院有限公司",
  series: "工程技术",
  specialty: "建筑工程",
  qualification: "高级工程师",
  level: "副高级",
  committee: "北京市工程技术系列高级职称评审委员会",
  approvedOn: "2026-12-18",
  approvalReference: "京人社职称字〔2026〕12号",
  issuer: "北京市人力资源和社会保障局",
  issueDate: "2027-02-03",
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("certificate signature", () => {
  it("verifies a certificate signed by the issuer", () => {
    const signature = signCertificate(data, key);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifyCertificate(data, signature, key.publicKeyMultibase)).toBe(true);
    // The stored jsonb comes back with another key order: still the same certificate.
    const reordered = Object.fromEntries(Object.entries(data).reverse());
    expect(verifyCertificate(reordered, signature, key.publicKeyMultibase)).toBe(true);
  });

  it("fails when any single field is altered", () => {
    const signature = signCertificate(data, key);
    for (const field of Object.keys(data) as (keyof CertificateData)[]) {
      const value = data[field];
      // A change the schema accepts, so that only the signature can catch it.
      const replacement: Record<string, unknown> = {
        type: "ProfessionalTitleCertificate",
        version: 1,
        number: certificateNumber(2026, 2),
        approvedOn: "2026-12-19",
        issueDate: "2027-02-04",
      };
      const altered = { ...data, [field]: field in replacement ? replacement[field] : `${value}X` };
      if (field === "type" || field === "version") {
        // The schema pins these two; altering them is refused before the signature is even checked.
        (altered as Record<string, unknown>)[field] = field === "version" ? 2 : "OtherCertificate";
      } else {
        expect(ZCertificateData.safeParse(altered).success, field).toBe(true);
      }
      expect(verifyCertificate(altered, signature, key.publicKeyMultibase), field).toBe(false);
    }
    // Even a change the eye misses: a full-width digit in the number, a trailing space in the name.
    expect(verifyCertificate({ ...data, holderName: "张伟 " }, signature, key.publicKeyMultibase)).toBe(
      false,
    );
    expect(verifyCertificate({ ...data, number: "112026000000１X" }, signature, key.publicKeyMultibase)).toBe(
      false,
    );
  });

  it("fails when a field is added or removed", () => {
    const signature = signCertificate(data, key);
    expect(
      verifyCertificate({ ...data, holderIdNumber: "110101199001011234" }, signature, key.publicKeyMultibase),
    ).toBe(false);
    const { specialty: _removed, ...missing } = data;
    expect(verifyCertificate(missing, signature, key.publicKeyMultibase)).toBe(false);
  });

  it("fails on a flipped signature bit, a different key, and malformed input", () => {
    const signature = signCertificate(data, key);
    const raw = Buffer.from(signature, "base64url");
    for (const bit of [0, 7, 255, 511]) {
      const flipped = Buffer.from(raw);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(
        verifyCertificate(data, flipped.toString("base64url"), key.publicKeyMultibase),
        `bit ${bit}`,
      ).toBe(false);
    }
    expect(verifyCertificate(data, signature, otherKey.publicKeyMultibase)).toBe(false);
    expect(verifyCertificate(data, signCertificate(data, otherKey), key.publicKeyMultibase)).toBe(false);
    expect(verifyCertificate(data, "", key.publicKeyMultibase)).toBe(false);
    expect(verifyCertificate(data, signature, "zNotAKey")).toBe(false);
    expect(verifyCertificate(null, signature, key.publicKeyMultibase)).toBe(false);
    expect(verifyCertificate("certificate", signature, key.publicKeyMultibase)).toBe(false);
  });

  it("signs deterministically (Ed25519): the same data gives the same signature", () => {
    expect(signCertificate(data, key)).toBe(signCertificate({ ...data }, key));
  });
});

describe("canonical bytes (RFC 8785)", () => {
  it("do not depend on key order or on how strings were escaped", () => {
    const a = canonicalBytes(data);
    const b = canonicalBytes(JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(data).reverse()))));
    const escaped = JSON.parse(
      JSON.stringify(data).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      ),
    );
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(canonicalBytes(escaped)).equals(Buffer.from(a))).toBe(true);
    // UTF-8 text, not \u escapes: the Chinese name appears as itself.
    expect(text(a)).toContain('"holderName":"张伟"');
  });

  it("match the RFC 8785 examples", () => {
    // RFC 8785 §3.2.2: literals, numbers and string escaping — the RFC's input text, parsed as a verifier would.
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(text(canonicalJson(JSON.parse(input)))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // RFC 8785 §3.2.3: properties sorted by UTF-16 code units, recursively.
    expect(
      text(
        canonicalJson({
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis",
        }),
      ),
    ).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });
});
