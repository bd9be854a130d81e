import { createHash } from "node:crypto";
import { base58 } from "@scure/base";
import { type IssuerKey, verifyWith } from "./keys.server";
import { type CertificateData, canonicalJson } from "./signature.server";

/**
 * The certificate as a W3C Verifiable Credential 2.0 secured with a Data Integrity proof, cryptosuite
 * `eddsa-jcs-2022` (W3C "Data Integrity EdDSA Cryptosuites v1.0", §3.3). JCS rather than RDF canonicalisation:
 * the proof covers the JSON as published, needs no JSON-LD processing (no context fetches) to check, and
 * uses the same RFC 8785 bytes as the certificate's own signature.
 */

export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";
export const ISSUER_NAME = "北京市人力资源和社会保障局";

export interface DataIntegrityProof {
  /** The document's @context, as the cryptosuite's "add proof" step sets it (the proof config hash covers it). */
  "@context": string[];
  type: "DataIntegrityProof";
  cryptosuite: "eddsa-jcs-2022";
  created: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  /** Multibase base58btc (`z…`) Ed25519 signature. */
  proofValue: string;
}

export interface CredentialStatus {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation";
  statusListIndex: string;
  statusListCredential: string;
}

export interface VerifiableCredential {
  "@context": string[];
  id: string;
  type: string[];
  issuer: { id: string; name: string };
  validFrom: string;
  credentialSubject: Record<string, unknown>;
  credentialStatus?: CredentialStatus;
  proof: DataIntegrityProof;
}

export type UnsecuredCredential = Omit<VerifiableCredential, "proof">;

/** XSD dateTimeStamp, whole seconds (what the spec's examples and verifiers expect). */
export function xsdDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

export function statusListUrl(baseUrl: string, listId: string): string {
  return `${trimBase(baseUrl)}/status/${encodeURIComponent(listId)}.json`;
}

export function credentialUrl(baseUrl: string, number: string): string {
  return `${trimBase(baseUrl)}/credentials/${encodeURIComponent(number)}`;
}

const trimBase = (baseUrl: string) => baseUrl.replace(/\/+$/, "");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest();

/** hashData of eddsa-jcs-2022: sha256(JCS(proof config)) ‖ sha256(JCS(document without proof)). */
function hashData(proofConfig: Record<string, unknown>, unsecured: Record<string, unknown>): Uint8Array {
  return Buffer.concat([sha256(canonicalJson(proofConfig)), sha256(canonicalJson(unsecured))]);
}

/** Adds an `eddsa-jcs-2022` proof made with the issuer key (the "add proof" algorithm). */
export function secureDocument(
  document: UnsecuredCredential,
  key: IssuerKey,
  created: Date,
): VerifiableCredential {
  const proofConfig = {
    "@context": document["@context"],
    type: "DataIntegrityProof" as const,
    cryptosuite: "eddsa-jcs-2022" as const,
    created: xsdDateTime(created),
    verificationMethod: key.keyId,
    proofPurpose: "assertionMethod" as const,
  };
  const signature = key.sign(hashData(proofConfig, document));
  return { ...document, proof: { ...proofConfig, proofValue: `z${base58.encode(signature)}` } };
}

export function toCredential(
  data: CertificateData,
  opts: { key: IssuerKey; baseUrl: string; statusIndex: number; statusListId: string; issuedAt: Date },
): VerifiableCredential {
  const listUrl = statusListUrl(opts.baseUrl, opts.statusListId);
  const unsecured: UnsecuredCredential = {
    "@context": [VC_CONTEXT_V2],
    // No token in the id: the credential is public evidence, the token only gates the verify page.
    id: credentialUrl(opts.baseUrl, data.number),
    type: ["VerifiableCredential", "ProfessionalTitleCredential"],
    issuer: { id: opts.key.did, name: ISSUER_NAME },
    validFrom: xsdDateTime(opts.issuedAt),
    credentialSubject: { type: "ProfessionalTitleHolder", certificate: data },
    credentialStatus: {
      id: `${listUrl}#${opts.statusIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(opts.statusIndex),
      statusListCredential: listUrl,
    },
  };
  return secureDocument(unsecured, opts.key, opts.issuedAt);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Our own check of a credential (or a status list credential): the proof is a valid `eddsa-jcs-2022`
 * proof by the given key, and the key is the issuer's (did:key). False on anything malformed.
 */
export function verifyCredential(vc: unknown, publicKeyMultibase: string): boolean {
  if (!isRecord(vc) || !isRecord(vc.proof)) return false;
  const { proof: rawProof, ...unsecured } = vc;
  const proof = rawProof as Record<string, unknown>;
  const did = `did:key:${publicKeyMultibase}`;
  const issuerId = isRecord(vc.issuer) ? vc.issuer.id : vc.issuer;
  if (
    proof.type !== "DataIntegrityProof" ||
    proof.cryptosuite !== "eddsa-jcs-2022" ||
    proof.proofPurpose !== "assertionMethod" ||
    proof.verificationMethod !== `${did}#${publicKeyMultibase}` ||
    issuerId !== did ||
    typeof proof.created !== "string" ||
    typeof proof.proofValue !== "string" ||
    !proof.proofValue.startsWith("z")
  ) {
    return false;
  }
  // Spec, verify proof step 4: the document's @context must start with the proof's; that one is then used.
  if (proof["@context"] !== undefined) {
    const proofContext = ([] as unknown[]).concat(proof["@context"]);
    const docContext = ([] as unknown[]).concat(unsecured["@context"]);
    if (proofContext.some((c, i) => c !== docContext[i])) return false;
    unsecured["@context"] = proof["@context"];
  }
  const { proofValue, ...proofConfig } = proof;
  let signature: Uint8Array;
  let data: Uint8Array;
  try {
    signature = base58.decode((proofValue as string).slice(1));
    data = hashData(proofConfig, unsecured);
  } catch {
    return false;
  }
  return verifyWith(publicKeyMultibase, data, signature);
}
