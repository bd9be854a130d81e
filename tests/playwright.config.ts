import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./e2e/chromium";

export const PORTAL = "http://localhost:3100";
export const PANEL = "http://localhost:3101";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: PORTAL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // The whole system as `npm start` runs it, on its own ports and a throwaway data folder.
  webServer: {
    command: "rm -rf ../.data-e2e && node ../scripts/start.mjs",
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    env: { PORT: "3100", PANEL_PORT: "3101", PGLITE_PORT: "54339", DATA_DIR: ".data-e2e", APP_MODE: "test" },
    url: `${PORTAL}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
