import { createHmac, createPublicKey, verify } from "node:crypto";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { issuerKey, issuerKeyFromSeed, publicKeyBytes, signingSeed, verifyWith } from "./keys.server";

const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
const RFC8032 = {
  seed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
  publicKey: hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
  emptySignature: hex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  ),
};

describe("the issuer key", () => {
  it("is standard Ed25519: reproduces the RFC 8032 test vector from the seed", () => {
    const key = issuerKeyFromSeed(RFC8032.seed);
    expect(Buffer.from(publicKeyBytes(key.publicKeyMultibase)!).toString("hex")).toBe(
      Buffer.from(RFC8032.publicKey).toString("hex"),
    );
    expect(Buffer.from(key.sign(new Uint8Array())).toString("hex")).toBe(
      Buffer.from(RFC8032.emptySignature).toString("hex"),
    );
    expect(verifyWith(key.publicKeyMultibase, new Uint8Array(), RFC8032.emptySignature)).toBe(true);
  });

  it("is published as a did:key Multikey that another library reads to the same public key", async () => {
    const key = issuerKeyFromSeed(RFC8032.seed);
    expect(key.publicKeyMultibase).toMatch(/^z6Mk/);
    expect(key.did).toBe(`did:key:${key.publicKeyMultibase}`);
    expect(key.keyId).toBe(`${key.did}#${key.publicKeyMultibase}`);
    const theirs = await Ed25519Multikey.from({
      publicKeyMultibase: key.publicKeyMultibase,
      controller: key.did,
    });
    const { publicKey } = await theirs.export({ publicKey: true, raw: true });
    expect(Buffer.from(publicKey).toString("hex")).toBe(Buffer.from(RFC8032.publicKey).toString("hex"));
    // And their verifier accepts our signature.
    const message = new TextEncoder().encode("电子职称证书");
    expect(await theirs.verifier().verify({ data: message, signature: key.sign(message) })).toBe(true);
  });

  it("signatures verify with node's own SPKI import too (no hidden state in our wrapper)", () => {
    const key = issuerKeyFromSeed(RFC8032.seed);
    const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), RFC8032.publicKey]);
    const message = new TextEncoder().encode("x");
    expect(
      verify(null, message, createPublicKey({ key: spki, format: "der", type: "spki" }), key.sign(message)),
    ).toBe(true);
  });

  it("verifyWith refuses wrong keys, wrong messages and malformed input without throwing", () => {
    const key = issuerKeyFromSeed(RFC8032.seed);
    const other = issuerKeyFromSeed(new Uint8Array(32).fill(1));
    const message = new TextEncoder().encode("证书");
    const signature = key.sign(message);
    expect(verifyWith(other.publicKeyMultibase, message, signature)).toBe(false);
    expect(verifyWith(key.publicKeyMultibase, new TextEncoder().encode("证明"), signature)).toBe(false);
    expect(verifyWith(key.publicKeyMultibase, message, signature.subarray(1))).toBe(false);
    for (const bad of ["", "z", "u6Mk", "z0OIl", `z${"1".repeat(46)}`]) {
      expect(verifyWith(bad, message, signature)).toBe(false);
    }
    expect(() => issuerKeyFromSeed(new Uint8Array(31))).toThrow(/32 bytes/);
  });

  it("comes from CERTIFICATE_SIGNING_KEY when set, else from SESSION_SECRET by HKDF", () => {
    const seed = Buffer.alloc(32, 5);
    expect(
      Buffer.from(
        signingSeed({ CERTIFICATE_SIGNING_KEY: seed.toString("base64url"), SESSION_SECRET: "s".repeat(32) }),
      ),
    ).toEqual(seed);
    // HKDF-SHA256 (RFC 5869) with an empty salt, computed by hand: extract, then one expand block.
    const secret = "test-session-secret-0123456789abcdef";
    const prk = createHmac("sha256", Buffer.alloc(32)).update(secret).digest();
    const okm = createHmac("sha256", prk)
      .update(Buffer.concat([Buffer.from("titles certificate signing key v1"), Buffer.from([1])]))
      .digest();
    expect(Buffer.from(signingSeed({ SESSION_SECRET: secret }))).toEqual(okm);
    // Another session secret, another issuer; the same one, the same issuer across restarts.
    expect(Buffer.from(signingSeed({ SESSION_SECRET: `${secret}x` }))).not.toEqual(okm);
    // The process key (vitest sets SESSION_SECRET above) is built once and reused.
    expect(issuerKey().publicKeyMultibase).toBe(issuerKeyFromSeed(okm).publicKeyMultibase);
    expect(issuerKey()).toBe(issuerKey());
  });
});

describe("certificate configuration", () => {
  const base = {
    DATABASE_URL: "postgres://localhost:5432/titles",
    SESSION_SECRET: "s".repeat(32),
    LOOKUP_HASH_KEY: "k".repeat(32),
  };

  it("refuses a signing key that is not 32 bytes of base64url, naming the variable", () => {
    expect(() => parseEnv({ ...base, CERTIFICATE_SIGNING_KEY: "too-short" })).toThrow(
      /CERTIFICATE_SIGNING_KEY/,
    );
    const seed = Buffer.alloc(32, 9).toString("base64url");
    expect(parseEnv({ ...base, CERTIFICATE_SIGNING_KEY: seed }).CERTIFICATE_SIGNING_KEY).toBe(seed);
  });

  it("prints QR links under PUBLIC_URL, by default the local server", () => {
    expect(parseEnv(base).PUBLIC_URL).toBe("http://localhost:3000");
    expect(parseEnv({ ...base, PORT: "8080" }).PUBLIC_URL).toBe("http://localhost:8080");
    expect(parseEnv({ ...base, PUBLIC_URL: "https://zc.rsj.beijing.gov.cn/" }).PUBLIC_URL).toBe(
      "https://zc.rsj.beijing.gov.cn",
    );
    expect(() => parseEnv({ ...base, PUBLIC_URL: "not a url" })).toThrow(/PUBLIC_URL/);
  });
});
