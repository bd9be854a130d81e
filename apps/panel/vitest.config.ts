import { defineConfig } from "vitest/config";

// Separate from vite.config.ts, whose root is the client: the server's tests and the client's pure helpers.
export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "client/**/*.test.ts", "shared/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
