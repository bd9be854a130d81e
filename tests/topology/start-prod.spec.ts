import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { TOPOLOGY } from "./ports.mjs";

const root = new URL("../../", import.meta.url).pathname;
const secret = () => randomBytes(32).toString("base64url");

/** Runs `npm run start:prod`'s script with exactly this environment (plus PATH). */
function startProd(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["scripts/start-prod.mjs"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk) => {
    text += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    text += chunk;
  });
  return Object.assign(child, { output: () => text });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

function goodConfig(ports: { web: number; panel: number }): Record<string, string> {
  return {
    DATABASE_URL: TOPOLOGY.databaseUrl,
    REDIS_URL: TOPOLOGY.redisUrl,
    PUBLIC_URL: `http://localhost:${ports.web}`,
    PANEL_URL: `http://localhost:${ports.panel}`,
    SESSION_SECRET: secret(),
    LOOKUP_HASH_KEY: secret(),
    DATA_ENCRYPTION_KEY: secret(),
    PAYMENT_SECRET: secret(),
    CERTIFICATE_SIGNING_KEY: secret(),
    PORT: String(ports.web),
    PANEL_PORT: String(ports.panel),
    FILES_DIR: `${TOPOLOGY.dir}/files`,
    UPLOADS_DIR: `${TOPOLOGY.dir}/uploads`,
    // The topology's private copy of the build (tests/topology/up.mjs).
    BUILD_DIR: `${TOPOLOGY.dir}/web-build`,
  };
}

test("start:prod refuses a missing setting or a demo secret, in Chinese and English, and starts nothing", async () => {
  const missing = startProd({});
  expect(await exited(missing)).toBe(1);
  for (const name of ["DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "PANEL_URL", "SESSION_SECRET"]) {
    expect(missing.output()).toContain(`${name} 未设置 / ${name} is not set`);
  }

  const config = goodConfig({ web: 3230, panel: 3231 });
  const demo = startProd({
    ...config,
    SESSION_SECRET: "change-me-change-me-change-me-change-me",
    LOOKUP_HASH_KEY: config.PAYMENT_SECRET!,
    ALLOW_TEST_CLOCK: "true",
  });
  expect(await exited(demo)).toBe(1);
  const text = demo.output();
  expect(text).toContain("SESSION_SECRET 是演示值或默认值");
  expect(text).toContain("SESSION_SECRET is a demo or default value");
  expect(text).toContain("PAYMENT_SECRET equals LOOKUP_HASH_KEY");
  expect(text).toContain("ALLOW_TEST_CLOCK is refused in production");
  expect(text).toContain("未启动 / invalid configuration, nothing started");
});

test("start:prod migrates, then runs the built apps in production mode without the test clock", async () => {
  test.setTimeout(120_000);
  const ports = { web: 3230, panel: 3231 };
  const prod = startProd({ ...goodConfig(ports), PROCESSES: "web,panel", TRUST_PROXY: "1" });
  try {
    await expect
      .poll(() => prod.output(), { timeout: 90_000, message: "start:prod reports it is running" })
      .toContain("[start:prod] 已启动 / running: web, panel (production)");
    expect(prod.output()).toContain("数据库结构已是最新 / database schema is up to date");
    const login = await fetch(`http://127.0.0.1:${ports.web}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get("content-security-policy")).toBeTruthy();
    // The test clock and the on-demand jobs do not exist in production.
    const clock = await fetch(`http://127.0.0.1:${ports.web}/test/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ now: null }),
    });
    expect(clock.status).toBe(404);
    const panel = await fetch(`http://127.0.0.1:${ports.panel}/healthz`);
    expect(panel.status).toBe(200);
  } finally {
    prod.kill("SIGTERM");
    expect(await exited(prod)).toBe(0);
  }
});
