import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    name: "web",
    include: ["app/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The services read their secrets from the parsed configuration, as in production.
    env: {
      DATABASE_URL: "postgres://unused.invalid/db",
      SESSION_SECRET: "test-session-secret-0123456789abcdef",
      LOOKUP_HASH_KEY: "test-lookup-key-0123456789abcdefghij",
      NODE_ENV: "test",
    },
  },
});
