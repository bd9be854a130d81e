import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is the client: the tests are the server's.
export default defineConfig({
  test: {
    include: ["server/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
