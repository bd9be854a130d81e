// The independent verifier: Digital Bazaar's VC and Data Integrity libraries, which share no code with ours
// (they bring their own JCS, base58 and Ed25519), checking what toCredential/statusListCredential produce.

import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { createVerifyCryptosuite } from "@digitalbazaar/eddsa-jcs-2022-cryptosuite";
import { securityLoader } from "@digitalbazaar/security-document-loader";
import * as vc from "@digitalbazaar/vc";
import { certificateNumber } from "@titles/domain";
import { describe, expect, it } from "vitest";
import { toCredential, type VerifiableCredential, verifyCredential } from "./credential.server";
import { issuerKeyFromSeed } from "./keys.server";
import type { CertificateData } from "./signature.server";
import { decodeStatusList, statusListCredential } from "./status-list.server";

const BASE = "https://zc.rsj.beijing.gov.cn";
const key = issuerKeyFromSeed(new Uint8Array(32).fill(11));
const otherKey = issuerKeyFromSeed(new Uint8Array(32).fill(12));
const ISSUED = new Date("2027-02-03T02:30:00.123Z");
// The verifier refuses a credential before its validFrom; check as of a day in its life.
const CHECKED_AT = new Date("2027-03-01T00:00:00Z");

const data: CertificateData = {
  type: "ProfessionalTitleCertificate",
  version: 1,
  number: certificateNumber(2026, 7),
  holderName: "李娜",
  holderIdMasked: "1101**********562X",
  unitName: "北京市第一中学",
  series: "中小学教师",
  specialty: "数学",
  qualification: "一级教师",
  level: "中级",
  committee: "北京市中小学教师中级职称评审委员会",
  approvedOn: "2026-12-20",
  approvalReference: "京人社职称字〔2026〕31号",
  issuer: "北京市人力资源和社会保障局",
  issueDate: "2027-02-03",
};

const credential = (overrides: Partial<CertificateData> = {}, statusIndex = 5) =>
  toCredential(
    { ...data, ...overrides },
    { key, baseUrl: BASE, statusIndex, statusListId: "1", issuedAt: ISSUED },
  );

// The status lists the "server" publishes, by URL; checkStatus reads from here (no network in tests).
const published = new Map<string, VerifiableCredential>();
function publishStatusList(revoked: number[], signingKey = key) {
  const list = statusListCredential(revoked, {
    key: signingKey,
    baseUrl: BASE,
    listId: "1",
    validFrom: ISSUED,
  });
  published.set(list.id, list);
  return list;
}

/** Offline loader: the library's bundled contexts, and did:key documents built from the Multikey itself. */
const contexts = securityLoader().build();
async function documentLoader(url: string) {
  if (url.startsWith("did:key:")) {
    const [did, fragment] = url.split("#") as [string, string | undefined];
    const publicKeyMultibase = did.slice("did:key:".length);
    const keyPair = await Ed25519Multikey.from({
      id: `${did}#${publicKeyMultibase}`,
      controller: did,
      publicKeyMultibase,
    });
    const method = await keyPair.export({ publicKey: true, includeContext: true });
    if (fragment) return { contextUrl: null, documentUrl: url, document: method };
    const { "@context": _context, ...methodInDoc } = method;
    return {
      contextUrl: null,
      documentUrl: url,
      document: {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        id: did,
        verificationMethod: [methodInDoc],
        assertionMethod: [method.id],
        authentication: [method.id],
      },
    };
  }
  return contexts(url);
}

const suite = () => new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });

async function independentVerify(credentialToCheck: unknown) {
  return vc.verifyCredential({
    credential: structuredClone(credentialToCheck),
    now: CHECKED_AT,
    suite: suite(),
    documentLoader,
    // Bitstring Status List: fetch the list credential, verify it independently too, read our bit.
    checkStatus: async ({ credential: checked }: { credential: VerifiableCredential }) => {
      const status = checked.credentialStatus!;
      const list = published.get(status.statusListCredential);
      if (!list) return { verified: false, error: new Error("status list not found") };
      const listResult = await vc.verifyCredential({
        credential: structuredClone(list),
        now: CHECKED_AT,
        suite: suite(),
        documentLoader,
      });
      if (!listResult.verified) return { verified: false, error: new Error("status list not verified") };
      if (list.issuer.id !== checked.issuer.id) return { verified: false, error: new Error("other issuer") };
      const revoked = decodeStatusList(list.credentialSubject.encodedList as string)(
        Number(status.statusListIndex),
      );
      return { verified: !revoked };
    },
  });
}

describe("the certificate as a Verifiable Credential (eddsa-jcs-2022)", () => {
  it("has the VC 2.0 shape: no token, holder's masked id only", () => {
    const vcDoc = credential();
    expect(vcDoc["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2"]);
    expect(vcDoc.type).toEqual(["VerifiableCredential", "ProfessionalTitleCredential"]);
    expect(vcDoc.id).toBe(`${BASE}/credentials/${data.number}`);
    expect(vcDoc.issuer).toEqual({ id: key.did, name: "北京市人力资源和社会保障局" });
    expect(key.did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
    expect(vcDoc.validFrom).toBe("2027-02-03T02:30:00Z");
    expect(vcDoc.credentialSubject).toEqual({ type: "ProfessionalTitleHolder", certificate: data });
    expect(vcDoc.credentialStatus).toEqual({
      id: `${BASE}/status/1.json#5`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "5",
      statusListCredential: `${BASE}/status/1.json`,
    });
    expect(vcDoc.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-jcs-2022",
      created: "2027-02-03T02:30:00Z",
      verificationMethod: key.keyId,
      proofPurpose: "assertionMethod",
    });
    expect(vcDoc.proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/);
    expect(JSON.stringify(vcDoc)).not.toMatch(/\d{17}[\dX]/); // no full ID number anywhere
  });

  it("verifies with the independent verifier, and with ours", async () => {
    publishStatusList([3, 9]);
    const vcDoc = credential();
    const result = await independentVerify(vcDoc);
    expect(result.error, String(result.error?.message ?? result.error)).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.statusResult).toEqual({ verified: true });
    expect(verifyCredential(vcDoc, key.publicKeyMultibase)).toBe(true);
  });

  it("fails both verifiers when the credential is altered", async () => {
    publishStatusList([]);
    const original = credential();
    const alterations: Array<[string, (c: VerifiableCredential) => void]> = [
      ["holder name", (c) => ((c.credentialSubject.certificate as CertificateData).holderName = "李四")],
      [
        "qualification",
        (c) => ((c.credentialSubject.certificate as CertificateData).qualification = "高级教师"),
      ],
      ["added field", (c) => ((c.credentialSubject.certificate as Record<string, unknown>).idNumber = "x")],
      ["status index", (c) => (c.credentialStatus!.statusListIndex = "6")],
      ["validFrom", (c) => (c.validFrom = "2027-02-04T02:30:00Z")],
      ["proof created", (c) => (c.proof.created = "2027-02-04T02:30:00Z")],
      ["signature", (c) => (c.proof.proofValue = `z${"1".repeat(4)}${c.proof.proofValue.slice(5)}`)],
    ];
    for (const [what, alter] of alterations) {
      const altered = structuredClone(original);
      alter(altered);
      const result = await independentVerify(altered);
      // Refused for the signature, not for some incidental shape problem.
      expect(
        result.error?.errors?.map((e: Error) => e.message),
        what,
      ).toContain("Invalid signature.");
      expect(result.verified, what).toBe(false);
      expect(verifyCredential(altered, key.publicKeyMultibase), what).toBe(false);
    }
  });

  it("fails when signed by a key that is not the issuer's", async () => {
    const forged = toCredential(data, {
      key: otherKey,
      baseUrl: BASE,
      statusIndex: 5,
      statusListId: "1",
      issuedAt: ISSUED,
    });
    // Well-formed and self-consistent, so the library accepts it; only pinning our issuer key catches it.
    expect(verifyCredential(forged, key.publicKeyMultibase)).toBe(false);
    expect(verifyCredential(forged, otherKey.publicKeyMultibase)).toBe(true);
    // A credential naming our did but signed with another key fails the independent verifier too.
    const spliced = { ...forged, issuer: { id: key.did, name: "北京市人力资源和社会保障局" } };
    spliced.proof = { ...forged.proof, verificationMethod: key.keyId };
    expect((await independentVerify(spliced)).verified).toBe(false);
    expect(verifyCredential(spliced, key.publicKeyMultibase)).toBe(false);
  });

  it("reads as revoked once its status bit is set", async () => {
    publishStatusList([5]);
    const result = await independentVerify(credential());
    expect(result.verified).toBe(false);
    expect(result.statusResult).toEqual({ verified: false });
    // The proof itself is still fine: revocation is a status, not a broken signature.
    expect(verifyCredential(credential(), key.publicKeyMultibase)).toBe(true);
  });

  it("is not taken as valid when its status list was tampered with or signed by someone else", async () => {
    // Someone edits the published list to un-revoke index 5: the list's proof breaks, so the status check fails.
    const list = publishStatusList([5]);
    const edited = structuredClone(list);
    edited.credentialSubject.encodedList = publishStatusList([]).credentialSubject.encodedList;
    published.set(edited.id, edited);
    let result = await independentVerify(credential());
    expect(result.verified).toBe(false);
    expect(result.statusResult?.error?.message).toBe("status list not verified");
    // A list that verifies but comes from another issuer does not count either.
    publishStatusList([], otherKey);
    result = await independentVerify(credential());
    expect(result.verified).toBe(false);
    expect(result.statusResult?.error?.message).toBe("other issuer");
  });

  it("rejects malformed input without throwing", () => {
    for (const bad of [
      null,
      1,
      "vc",
      [],
      {},
      { proof: {} },
      { ...credential(), proof: { ...credential().proof, proofValue: "z0OIl" } },
    ]) {
      expect(verifyCredential(bad, key.publicKeyMultibase)).toBe(false);
    }
    expect(verifyCredential(credential(), "z123")).toBe(false);
  });
});
