import { defineConfig } from "vitest/config";

// Pure code: no I/O, so the default timeouts are ample even for the property tests.
export default defineConfig({
  test: { name: "domain", include: ["src/**/*.test.ts"] },
});
