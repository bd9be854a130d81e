import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

const base = {
  DATABASE_URL: "postgres://localhost:5432/titles",
  SESSION_SECRET: "s".repeat(32),
  LOOKUP_HASH_KEY: "k".repeat(32),
};

describe("portal configuration", () => {
  it("refuses the test clock in production", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production", ALLOW_TEST_CLOCK: "true" })).toThrow(
      /ALLOW_TEST_CLOCK/,
    );
    expect(parseEnv({ ...base, NODE_ENV: "test", ALLOW_TEST_CLOCK: "true" }).ALLOW_TEST_CLOCK).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: "production" }).ALLOW_TEST_CLOCK).toBe(false);
  });

  it("reads rate limits as points/seconds and refuses other shapes (decision 0015)", () => {
    const config = parseEnv({
      ...base,
      RATE_LIMIT_LOGIN_PER_ACCOUNT: "5/60",
      RATE_LIMIT_ALLOW_IPS: " 10.0.0.9 ,::1",
    });
    expect(config.RATE_LIMIT_LOGIN_PER_ACCOUNT).toEqual({ points: 5, seconds: 60 });
    expect(config.RATE_LIMIT_LOGIN_PER_IP).toEqual({ points: 300, seconds: 600 });
    expect(config.RATE_LIMIT_ALLOW_IPS).toEqual(["10.0.0.9", "::1"]);
    for (const bad of ["5", "0/60", "5/0", "five/60"])
      expect(() => parseEnv({ ...base, RATE_LIMIT_UPLOAD_PER_USER: bad })).toThrow(
        /RATE_LIMIT_UPLOAD_PER_USER/,
      );
  });

  it("lists every bad variable, in Chinese and English", () => {
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(
      /配置无效 \/ invalid configuration[\s\S]*DATABASE_URL[\s\S]*SESSION_SECRET[\s\S]*LOOKUP_HASH_KEY/,
    );
  });

  it("takes one or more 32-byte data encryption keys and refuses anything else (decision 0016)", () => {
    const [newer, older] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)].map((b) => b.toString("base64url"));
    expect(parseEnv({ ...base, DATA_ENCRYPTION_KEY: `${newer},${older}` }).DATA_ENCRYPTION_KEY).toBe(
      `${newer},${older}`,
    );
    for (const bad of ["short", `${newer},`, `${newer};${older}`]) {
      expect(() => parseEnv({ ...base, DATA_ENCRYPTION_KEY: bad })).toThrow(/DATA_ENCRYPTION_KEY/);
    }
  });
});
