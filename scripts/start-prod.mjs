#!/usr/bin/env node
// `npm run start:prod`: one production instance of the system — a portal (web, with its jobs), a photo
// worker and a panel — against the PostgreSQL in DATABASE_URL and the Redis in REDIS_URL. It checks the
// configuration, applies the migrations, then starts the processes and stops them all if one of them
// dies. It never builds, never seeds demo data and never enables the test clock (see decision 0018 for
// the one exception, `--e2e`, which only the topology test passes). Scale out by running it again on
// other ports or machines behind a reverse proxy (deploy/nginx.conf, docs/operations.md).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const env = process.env;

// Test-only: the e2e topology test runs the built apps in test mode (NODE_ENV=test, the movable test
// clock, shared through TEST_CLOCK_FILE). The apps themselves refuse the test clock with NODE_ENV=production.
const e2e = process.argv.includes("--e2e");

const problems = [];
const problem = (zh, en) => problems.push(`  - ${zh} / ${en}`);

function required(name) {
  const value = env[name]?.trim();
  if (!value) problem(`${name} 未设置`, `${name} is not set`);
  return value || undefined;
}

function url(name, protocols) {
  const value = required(name);
  if (!value) return undefined;
  try {
    const parsed = new URL(value);
    if (!protocols.includes(parsed.protocol)) throw new Error("protocol");
    return value;
  } catch {
    problem(
      `${name} 必须是 ${protocols.join(" 或 ")} 地址`,
      `${name} must be a ${protocols.join(" or ")} URL`,
    );
    return undefined;
  }
}

// The secrets `npm start` made for this checkout are demo values: they sit in a plain file in the
// project folder, so a production system must not reuse them.
function localDemoSecrets() {
  const values = new Set();
  for (const dir of [".data", ".data-e2e", env.DATA_DIR].filter(Boolean)) {
    const file = join(resolve(root, dir), "secrets.json");
    if (!existsSync(file)) continue;
    try {
      for (const value of Object.values(JSON.parse(readFileSync(file, "utf8")))) values.add(String(value));
    } catch {
      // An unreadable file holds nothing to compare with.
    }
  }
  return values;
}

// Words of sample configurations. Short ones only as whole words, so that a random value (base64url)
// is practically never refused by chance.
const PLACEHOLDER =
  /change.?me|changeit|example|placeholder|default|dummy|secret|password|passw0rd|(^|[^a-z])(demo|test|todo)([^a-z]|$)/i;
const SECRETS = [
  "SESSION_SECRET",
  "LOOKUP_HASH_KEY",
  "DATA_ENCRYPTION_KEY",
  "PAYMENT_SECRET",
  "CERTIFICATE_SIGNING_KEY",
];

function checkSecrets() {
  const demo = localDemoSecrets();
  const seen = new Map();
  for (const name of SECRETS) {
    const value = required(name);
    if (!value) continue;
    if (name === "DATA_ENCRYPTION_KEY") {
      // Newest first, comma-separated: older keys stay listed until `npm run db:encrypt -- --rotate` ran.
      if (!value.split(",").every((key) => /^[A-Za-z0-9_-]{43}$/.test(key.trim()))) {
        problem(
          `${name} 必须是逗号分隔的 32 字节 base64url 密钥（每个 43 个字符）`,
          `${name} must be comma-separated base64url keys of 32 bytes (43 characters each)`,
        );
      }
    } else if (name === "CERTIFICATE_SIGNING_KEY") {
      if (!/^[A-Za-z0-9_-]{43}$/.test(value)) {
        problem(
          `${name} 必须是 32 字节的 base64url 编码（43 个字符）`,
          `${name} must be base64url of 32 bytes (43 characters)`,
        );
      }
    } else if (value.length < 32) {
      problem(`${name} 至少需要 32 个字符`, `${name} needs at least 32 characters`);
    }
    if (PLACEHOLDER.test(value) || new Set(value).size < 12 || demo.has(value)) {
      problem(
        `${name} 是演示值或默认值，请生成新的随机值`,
        `${name} is a demo or default value; generate a new random one`,
      );
    }
    if (seen.has(value)) {
      problem(
        `${name} 与 ${seen.get(value)} 相同，每个密钥须不同`,
        `${name} equals ${seen.get(value)}; use a different value for each secret`,
      );
    }
    seen.set(value, name);
  }
}

const databaseUrl = url("DATABASE_URL", ["postgres:", "postgresql:"]);
const redisUrl = url("REDIS_URL", ["redis:", "rediss:"]);
const publicUrl = url("PUBLIC_URL", ["https:", "http:"]);
const panelUrl = url("PANEL_URL", ["https:", "http:"]);
checkSecrets();
const port = env.PORT ?? "3000";
const panelPort = env.PANEL_PORT ?? "3001";
for (const [name, value] of [
  ["PORT", port],
  ["PANEL_PORT", panelPort],
]) {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    problem(`${name} 必须是 1–65535 之间的端口号`, `${name} must be a port number between 1 and 65535`);
  }
}
const wanted = (env.PROCESSES ?? "web,worker,panel")
  .split(",")
  .map((p) => p.trim())
  .filter(Boolean);
if (wanted.length === 0 || wanted.some((p) => !["web", "worker", "panel"].includes(p))) {
  problem("PROCESSES 只能列出 web、worker、panel", "PROCESSES may only list web, worker, panel");
}
if (env.ALLOW_TEST_CLOCK === "true" && !e2e) {
  problem("生产环境不能启用 ALLOW_TEST_CLOCK", "ALLOW_TEST_CLOCK is refused in production");
}
for (const [dir, file] of [
  ["apps/web", `${env.BUILD_DIR ?? "build"}/server/index.js`],
  ["apps/panel", "dist/index.html"],
]) {
  if (!existsSync(resolve(root, dir, file))) {
    problem(
      `缺少构建产物 ${dir}/${file}，请先运行 npm run build`,
      `${dir}/${file} is missing; run npm run build first`,
    );
  }
}
if (problems.length > 0) {
  console.error(
    `[start:prod] 配置无效，未启动 / invalid configuration, nothing started:\n${problems.join("\n")}`,
  );
  console.error("[start:prod] 见 / see docs/operations.md (Configuration, Production topology)");
  process.exit(1);
}

const filesDir = resolve(root, env.FILES_DIR ?? ".data/files");
const uploadsDir = resolve(root, env.UPLOADS_DIR ?? ".data/uploads");
const mode = e2e ? "test" : "production";
const shared = {
  DATABASE_URL: databaseUrl,
  PUBLIC_URL: publicUrl.replace(/\/+$/, ""),
  PANEL_URL: panelUrl.replace(/\/+$/, ""),
  PORTAL_URL: publicUrl.replace(/\/+$/, ""),
  FILES_DIR: filesDir,
  UPLOADS_DIR: uploadsDir,
  TRUST_PROXY: env.TRUST_PROXY ?? "0",
  NODE_ENV: mode,
  ALLOW_TEST_CLOCK: e2e ? "true" : "false",
  PANEL_CLIENT: "dist",
};
if (e2e)
  console.warn(
    "[start:prod] --e2e: 测试模式，可调测试时钟——切勿用于生产 / test mode with the test clock, never for production",
  );

// Migrations first, once per start (an advisory lock keeps instances starting together apart).
const migrate = spawnSync(bin("tsx"), ["packages/db/src/bin/migrate.ts"], {
  cwd: root,
  env: { ...env, ...shared },
  stdio: "inherit",
});
if (migrate.status !== 0) {
  console.error("[start:prod] 数据库迁移失败，未启动 / migration failed, nothing started");
  process.exit(1);
}

const children = [];
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const waitAll = Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : null)),
  );
  void waitAll.then(() => process.exit(code));
  setTimeout(() => process.exit(code), 20_000).unref();
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function run(name, args, extra, cwd, ready) {
  return new Promise((resolveReady, reject) => {
    const child = spawn(bin("tsx"), args, {
      cwd: join(root, cwd),
      env: { ...env, ...shared, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let up = false;
    const relay = (stream, out) =>
      stream.on("data", (chunk) => {
        const text = chunk.toString();
        for (const line of text.split("\n").filter(Boolean)) {
          out.write(line.startsWith(`[${name}`) ? `${line}\n` : `[${name}] ${line}\n`);
        }
        if (!up && ready.test(text)) {
          up = true;
          resolveReady(child);
        }
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on("exit", (code, signal) => {
      if (!up) reject(new Error(`${name} 启动前退出 / exited before it was ready (${code ?? signal})`));
      else if (!stopping) {
        console.error(
          `[start:prod] ${name} 意外退出 / exited unexpectedly (${code ?? signal}); stopping everything`,
        );
        stopAll(1);
      }
    });
  });
}

const starts = [];
if (wanted.includes("web")) {
  starts.push(run("web", ["server.ts"], { PORT: port, REDIS_URL: redisUrl }, "apps/web", /listening/));
}
// Re-encodes received photos at the lowest CPU priority (decision 0006); several workers may run.
if (wanted.includes("worker")) starts.push(run("worker", ["worker.ts"], {}, "apps/web", /worker started/));
if (wanted.includes("panel")) {
  starts.push(
    run("panel", ["server/main.ts"], { PORT: panelPort, REDIS_URL: redisUrl }, "apps/panel", /listening/),
  );
}
try {
  await Promise.all(starts);
} catch (error) {
  console.error(`[start:prod] ${error instanceof Error ? error.message : error}; stopping everything`);
  stopAll(1);
}
if (!stopping) {
  console.log(
    `[start:prod] 已启动 / running: ${wanted.join(", ")} (${mode}); portal :${port} → ${shared.PUBLIC_URL}, panel :${panelPort} → ${shared.PANEL_URL}`,
  );
}
