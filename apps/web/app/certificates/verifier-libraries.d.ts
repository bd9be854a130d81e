// Just the parts of Digital Bazaar's VC libraries (untyped JavaScript) that the tests use as the independent
// verifier. Dev dependencies only: production code never imports them.

declare module "@digitalbazaar/ed25519-multikey" {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    export(options: { publicKey?: boolean; includeContext?: boolean; raw?: false }): Promise<{
      "@context"?: string;
      id: string;
      type: "Multikey";
      controller: string;
      publicKeyMultibase: string;
    }>;
    export(options: { publicKey?: boolean; raw: true }): Promise<{ publicKey: Uint8Array }>;
    verifier(): { verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
  }
  export function from(key: {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
  }): Promise<Ed25519KeyPair>;
}

declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: unknown; signer?: unknown });
  }
}

declare module "@digitalbazaar/eddsa-jcs-2022-cryptosuite" {
  export function createVerifyCryptosuite(): unknown;
  export function createSignCryptosuite(): unknown;
}

declare module "@digitalbazaar/security-document-loader" {
  export type DocumentLoader = (
    url: string,
  ) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;
  export function securityLoader(options?: { cache?: unknown }): { build(): DocumentLoader };
}

declare module "@digitalbazaar/vc" {
  export interface VerifyCredentialResult {
    verified: boolean;
    // biome-ignore lint/suspicious/noExplicitAny: the library's error objects carry assorted fields
    error?: any;
    statusResult?: { verified: boolean; error?: Error };
    results?: unknown[];
  }
  export function verifyCredential(options: {
    credential: unknown;
    suite: unknown;
    documentLoader: (url: string) => Promise<unknown>;
    now?: Date;
    // biome-ignore lint/suspicious/noExplicitAny: called with the credential as given
    checkStatus?: (options: { credential: any }) => Promise<{ verified: boolean; error?: Error }>;
  }): Promise<VerifyCredentialResult>;
}
