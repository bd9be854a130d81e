import { defineConfig } from "vitest/config";

// One run over every workspace; each keeps its own settings in its vitest.config.ts.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
  },
});
