#!/usr/bin/env node
// `npm start`: the whole system on the embedded defaults. Builds (cached), starts the embedded
// PostgreSQL (PGlite over the wire protocol), migrates and seeds, then the portal and the panel.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// DATA_DIR: relative to the project, or an absolute path.
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });
const bin = (name) => join(root, "node_modules", ".bin", name);

// LOG_FILE: every line the system prints (start, seed, web, worker, panel) is also kept there, so a run
// can be audited (the e2e suite greps it for secrets). The demo-login table goes to the terminal only.
const logFile = process.env.LOG_FILE
  ? createWriteStream(resolve(root, process.env.LOG_FILE), { flags: "a" })
  : null;
const toLog = (text) => logFile?.write(text);
if (logFile) {
  for (const level of ["log", "error", "warn"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      original(...args);
      toLog(`${args.map((a) => (typeof a === "string" ? a : String(a))).join(" ")}\n`);
    };
  }
}

// Secrets are made once per checkout and kept under .data/ (never committed).
const secretsFile = join(dataDir, "secrets.json");
if (!existsSync(secretsFile)) {
  const make = () => randomBytes(32).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify({ SESSION_SECRET: make(), LOOKUP_HASH_KEY: make() }, null, 2), {
    mode: 0o600,
  });
}
const secrets = JSON.parse(readFileSync(secretsFile, "utf8"));
// Secrets added later (the payment gateway's) join a checkout's existing file.
if (!secrets.PAYMENT_SECRET) {
  secrets.PAYMENT_SECRET = randomBytes(32).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
// The key that encrypts ID and phone numbers at rest (decision 0016). A checkout upgraded to it gets one
// now; the seed then encrypts the numbers stored before.
if (!secrets.DATA_ENCRYPTION_KEY) {
  secrets.DATA_ENCRYPTION_KEY = randomBytes(32).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
// The certificate signing key (an Ed25519 seed): kept, so certificates issued earlier still verify.
if (!secrets.CERTIFICATE_SIGNING_KEY) {
  secrets.CERTIFICATE_SIGNING_KEY = randomBytes(32).toString("base64url");
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

const webPort = Number(process.env.PORT ?? 3000);
const panelPort = Number(process.env.PANEL_PORT ?? 3001);
const dbPort = Number(process.env.PGLITE_PORT ?? 54329);
const portalUrl = `http://localhost:${webPort}`;
const panelUrl = `http://localhost:${panelPort}`;

const children = [];
let stopping = false;
function stopAll(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

function run(name, command, args, env, { waitFor, cwd = root } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let ready = !waitFor;
    if (ready) resolve(child);
    const relay = (stream, out) =>
      stream.on("data", (chunk) => {
        const text = chunk.toString();
        for (const line of text.split("\n").filter(Boolean)) {
          const tagged = line.startsWith(`[${name}]`) ? `${line}\n` : `[${name}] ${line}\n`;
          out.write(tagged);
          toLog(tagged);
        }
        if (!ready && waitFor.test(text)) {
          ready = true;
          resolve(child);
        }
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on("exit", (code) => {
      if (!ready) reject(new Error(`${name} exited with code ${code} before it was ready`));
      else if (code !== 0 && code !== null && !stopping) {
        console.error(`[start] ${name} 意外退出 / exited unexpectedly (code ${code}); stopping everything.`);
        stopAll(1);
      }
    });
  });
}

console.log("[start] 构建中（有缓存时很快）/ building (cached after the first time)…");
const build = spawnSync(
  bin("turbo"),
  ["run", "build", "--filter=@titles/web", "--filter=@titles/panel", "--output-logs=errors-only"],
  {
    cwd: root,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  },
);
if (build.status !== 0) {
  console.error("[start] 构建失败 / build failed");
  process.exit(1);
}

let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const db = await run(
    "db",
    bin("tsx"),
    ["packages/db/src/bin/embedded-server.ts", join(dataDir, "pgdata"), String(dbPort)],
    {},
    { waitFor: /ready / },
  ).catch((error) => {
    console.error(
      `[start] 内置数据库未能启动（端口 ${dbPort} 是否被占用？）/ the embedded database did not start (is port ${dbPort} taken?)`,
    );
    console.error(error.message);
    process.exit(1);
  });
  databaseUrl = `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`;
  void db;
}

// APP_MODE=test (the e2e suite) runs the built apps with the test clock enabled; production refuses it.
const mode = process.env.APP_MODE === "test" ? "test" : "production";
const shared = {
  DATABASE_URL: databaseUrl,
  ...secrets,
  PANEL_URL: panelUrl,
  PORTAL_URL: portalUrl,
  FILES_DIR: join(dataDir, "files"),
  UPLOADS_DIR: join(dataDir, "uploads"),
  NODE_ENV: mode,
  ALLOW_TEST_CLOCK: mode === "test" ? "true" : "false",
  PANEL_CLIENT: "dist",
};
const loginsFile = join(dataDir, "demo-logins.json");
// From apps/web, so that tsx reads its tsconfig (the `~/` paths of the app code the seed uses).
const seed = spawnSync(bin("tsx"), ["bin/seed.ts", loginsFile], {
  cwd: join(root, "apps/web"),
  env: { ...process.env, ...shared },
  stdio: logFile ? ["ignore", "pipe", "pipe"] : "inherit",
  maxBuffer: 64 * 1024 * 1024,
});
if (logFile) {
  for (const [stream, out] of [
    [seed.stdout, process.stdout],
    [seed.stderr, process.stderr],
  ]) {
    const text = (stream ?? "")
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((l) => (l.startsWith("[seed]") ? `${l}\n` : `[seed] ${l}\n`))
      .join("");
    out.write(text);
    toLog(text);
  }
}
if (seed.status !== 0) {
  console.error("[start] 迁移或演示数据失败 / migration or seed failed");
  stopAll(1);
} else {
  await Promise.all([
    run(
      "web",
      bin("tsx"),
      ["server.ts"],
      { ...shared, PORT: String(webPort) },
      {
        waitFor: /listening/,
        cwd: join(root, "apps/web"),
      },
    ),
    // Re-encodes received photos at the lowest CPU priority (decision 0006).
    run("worker", bin("tsx"), ["worker.ts"], shared, {
      waitFor: /worker started/,
      cwd: join(root, "apps/web"),
    }),
    run(
      "panel",
      bin("tsx"),
      ["server/main.ts"],
      { ...shared, PORT: String(panelPort) },
      {
        waitFor: /listening/,
        cwd: join(root, "apps/panel"),
      },
    ),
  ]).catch((error) => {
    console.error(`[start] ${error.message}`);
    stopAll(1);
  });
  const { password, logins, complaint } = JSON.parse(readFileSync(loginsFile, "utf8"));
  // Straight to the terminal, never to LOG_FILE: the demo password and phone numbers are meant for the
  // person at the keyboard, and the log must hold none.
  process.stdout.write(`
============================================================
  北京市职称评审申报系统 已启动 / is running
  门户 Portal:            ${portalUrl}
  专家工作台 Panel:       ${panelUrl}
  短信模拟器 SMS:         ${portalUrl}/dev/sms
  数据 Data:              ${databaseUrl.includes(String(dbPort)) ? ".data/pgdata (PGlite)" : "DATABASE_URL"}

  演示账号 Demo logins (手机号 phone / 密码 password: ${password})
${logins.map((l) => `    ${l.label.padEnd(28)} ${l.name}\t${l.phone}`).join("\n")}
${complaint ? `\n  演示投诉 Demo complaint:  ${complaint.reference}  联系电话 phone ${complaint.phone}  (/complaints)\n` : ""}

  走一遍流程 Walk the process:
    张伟 新建申报并提交 → 王芳（单位人事）审核、公示；
    赵敏 的申报已完成单位公示 → 刘洋（单位人事）填写推荐意见 → 赵敏 上传盖章材料并确认申报。
    Zhang Wei starts and submits; Wang Fang (HR) reviews and publicises. Zhao Min's publicity is over:
    Liu Yang (HR) recommends, then Zhao Min uploads the stamped pages and confirms.
    孙浩、马琳、黄磊 已确认申报 → 赵强（评审机构）在审核队列中审核：一次性告知补正、通过或不予受理 →
    申报人补正后重新提交；审核通过后缴费（内置支付模拟器）→ 申报完成。
    Sun Hao, Ma Lin and Huang Lei have confirmed: Zhao Qiang (agency) reviews them from the queue —
    one-time correction notice, approval or decline; the applicant corrects, pays (built-in gateway
    simulator) and the application is complete.
    周杰 的直通车申报 → 孙丽（海淀区人社局）接收、现场核查、推委会推荐、报送评审机构。
    Zhou Jie's through-train file: Sun Li (Haidian district bureau) receives, checks, decides, forwards.
    陈静（管理员）→ ${portalUrl}/bureau 本轮统计 / round dashboard with CSV and Excel exports.
============================================================

`);
}
