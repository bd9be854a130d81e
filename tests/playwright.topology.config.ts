// The main e2e flows through the production topology: two portals and two panels started by
// `npm run start:prod` behind nginx (tests/topology/up.mjs). `npm run test:topology`; hold /tmp/e2e.lock.
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";
import { TOPOLOGY } from "./topology/ports.mjs";

// Read by e2e/fixtures.ts in the workers, which inherit this environment.
process.env.E2E_PORTAL_URL = TOPOLOGY.portalUrl;
process.env.E2E_PANEL_URL = TOPOLOGY.panelUrl;

export default defineConfig({
  ...base,
  testDir: ".",
  use: { ...base.use, baseURL: TOPOLOGY.portalUrl },
  projects: [
    {
      name: "flows",
      testDir: "./e2e",
      testMatch: ["journey.spec.ts", "agency.spec.ts", "panel-annotate.spec.ts"],
    },
    // After the flows: both portals and both panels answered through the proxy; start:prod's own checks.
    { name: "topology", testDir: "./topology", testMatch: ["*.spec.ts"], dependencies: ["flows"] },
  ],
  webServer: {
    command: "node topology/up.mjs",
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    url: `${TOPOLOGY.portalUrl}/login`,
    timeout: 420_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
