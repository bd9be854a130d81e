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

  it("lists every bad variable, in Chinese and English", () => {
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(
      /配置无效 \/ invalid configuration[\s\S]*DATABASE_URL[\s\S]*SESSION_SECRET[\s\S]*LOOKUP_HASH_KEY/,
    );
  });
});
