import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./e2e/chromium";

// The topology run (playwright.topology.config.ts) points them at its reverse proxy.
export const PORTAL = process.env.E2E_PORTAL_URL ?? "http://localhost:3100";
export const PANEL = process.env.E2E_PANEL_URL ?? "http://localhost:3101";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // After every run: the system's log must hold no ID number, phone number, password, code or secret.
  globalTeardown: "./log-audit.ts",
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
    env: {
      PORT: "3100",
      PANEL_PORT: "3101",
      PGLITE_PORT: "54339",
      DATA_DIR: ".data-e2e",
      APP_MODE: "test",
      // The whole system's output, kept for the log audit (log-audit.ts) after the run.
      LOG_FILE: ".data-e2e/system.log",
      // Every spec signs in and registers from 127.0.0.1: the per-address budgets are raised so a whole run
      // fits in them. The per-account and per-phone budgets, which security.spec.ts exercises, keep their defaults.
      RATE_LIMIT_LOGIN_PER_IP: "2000/600",
      RATE_LIMIT_SMS_PER_IP: "500/3600",
      RATE_LIMIT_SMS_VERIFY_PER_IP: "500/600",
    },
    url: `${PORTAL}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
