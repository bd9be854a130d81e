#!/usr/bin/env node
// The production topology on this machine, for playwright.topology.config.ts: two instances of
// `npm run start:prod` (two portals, two panels, one photo worker) on a fresh PostgreSQL database and
// a private Redis database index, behind nginx rendered from deploy/nginx.conf. Runs until SIGTERM,
// then stops everything and drops its database. Ports: 3200–3299 only (see ports.mjs).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { renderNginx } from "../../deploy/render-nginx.mjs";
import { TOPOLOGY } from "./ports.mjs";

const root = new URL("../../", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules", ".bin", name);
const dir = TOPOLOGY.dir;
const say = (line) => console.log(`[topology] ${line}`);

const children = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.race([
    Promise.all(
      children.map((c) =>
        c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null,
      ),
    ),
    new Promise((r) => setTimeout(r, 20_000)),
  ]);
  psql(`DROP DATABASE IF EXISTS ${TOPOLOGY.database} WITH (FORCE)`);
  process.exit(code);
}
process.on("SIGTERM", () => void stopAll(0));
process.on("SIGINT", () => void stopAll(0));

function psql(sql) {
  const result = spawnSync("psql", [TOPOLOGY.adminUrl, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

function portTaken(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function start(name, command, args, env, logFile) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const log = join(dir, logFile);
  writeFileSync(log, "");
  const out = (chunk) => {
    writeFileSync(log, chunk, { flag: "a" });
    // Problems reach the test output; the rest stays in the log files.
    for (const line of chunk.toString().split("\n")) {
      if (/error|失败|exited|invalid|refused|emerg|warn/i.test(line)) console.error(`[${name}] ${line}`);
    }
  };
  child.stdout.on("data", out);
  child.stderr.on("data", out);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[topology] ${name} 意外退出 / exited unexpectedly (${code ?? signal}); stopping`);
      void stopAll(1);
    }
  });
  return child;
}

async function waitFor(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (stopping) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * A private copy of the portal's build: other runs on this machine may rebuild apps/web/build (which
 * empties it first) while this topology is up. Whole only if every chunk the entry imports is there.
 */
async function snapshotBuild() {
  const built = join(root, "apps/web/build");
  const copy = join(dir, "web-build");
  for (let attempt = 0; attempt < 60; attempt += 1) {
    rmSync(copy, { recursive: true, force: true });
    try {
      cpSync(built, copy, { recursive: true });
      const index = readFileSync(join(copy, "server/index.js"), "utf8");
      const chunks = [...index.matchAll(/from "\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
      if (chunks.every((chunk) => existsSync(join(copy, "server", chunk)))) return copy;
    } catch {
      // A rebuild under way: try again shortly.
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("apps/web/build stayed incomplete for a minute");
}

try {
  if (!existsSync("/usr/sbin/nginx")) {
    throw new Error(
      "缺少 nginx：请运行 apt-get install -y nginx-light / nginx is missing: run apt-get install -y nginx-light",
    );
  }
  for (const port of TOPOLOGY.allPorts) {
    if (await portTaken(port)) throw new Error(`port ${port} is taken / 端口已被占用`);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ["files", "uploads", "nginx/temp", "logs"])
    mkdirSync(join(dir, sub), { recursive: true });

  say("构建中（有缓存时很快）/ building (cached)…");
  const build = spawnSync(
    bin("turbo"),
    ["run", "build", "--filter=@titles/web", "--filter=@titles/panel", "--output-logs=errors-only"],
    { cwd: root, env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" }, stdio: "inherit" },
  );
  if (build.status !== 0) throw new Error("build failed");
  const buildDir = await snapshotBuild();

  // A fresh database on the shared server; Redis keeps its streams in a database index of its own.
  psql(`DROP DATABASE IF EXISTS ${TOPOLOGY.database} WITH (FORCE)`);
  psql(`CREATE DATABASE ${TOPOLOGY.database}`);
  spawnSync("redis-cli", ["-u", TOPOLOGY.redisUrl, "flushdb"], { stdio: "ignore" });

  // Secrets made for this run only.
  const secret = () => randomBytes(32).toString("base64url");
  const config = {
    DATABASE_URL: TOPOLOGY.databaseUrl,
    REDIS_URL: TOPOLOGY.redisUrl,
    SESSION_SECRET: secret(),
    LOOKUP_HASH_KEY: secret(),
    DATA_ENCRYPTION_KEY: secret(),
    PAYMENT_SECRET: secret(),
    CERTIFICATE_SIGNING_KEY: secret(),
    PUBLIC_URL: TOPOLOGY.portalUrl,
    PANEL_URL: TOPOLOGY.panelUrl,
    TRUST_PROXY: "1",
    FILES_DIR: join(dir, "files"),
    UPLOADS_DIR: join(dir, "uploads"),
    TEST_CLOCK_FILE: join(dir, "test-clock"),
    // The payment simulator keeps its orders in the process that serves it: both portals use the first's.
    PAYMENT_GATEWAY_URL: `http://127.0.0.1:${TOPOLOGY.webPorts[0]}/gateway-sim`,
    BUILD_DIR: buildDir,
  };

  // The demo data the flows need; start:prod itself never seeds.
  say("迁移并载入演示数据 / migrating and seeding the demo data…");
  const seed = spawnSync(bin("tsx"), ["bin/seed.ts"], {
    cwd: join(root, "apps/web"),
    env: { ...process.env, ...config, NODE_ENV: "test" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (seed.status !== 0) throw new Error("seed failed");

  const [webA, webB] = TOPOLOGY.webPorts;
  const [panelA, panelB] = TOPOLOGY.panelPorts;
  const startProd = join(root, "scripts/start-prod.mjs");
  start(
    "instance-a",
    process.execPath,
    [startProd, "--e2e"],
    {
      ...config,
      PORT: String(webA),
      PANEL_PORT: String(panelA),
      PROCESSES: "web,worker,panel",
    },
    "logs/instance-a.log",
  );
  start(
    "instance-b",
    process.execPath,
    [startProd, "--e2e"],
    {
      ...config,
      PORT: String(webB),
      PANEL_PORT: String(panelB),
      PROCESSES: "web,panel",
    },
    "logs/instance-b.log",
  );

  const nginxConf = join(dir, "nginx/nginx.conf");
  writeFileSync(
    nginxConf,
    renderNginx({
      webServers: TOPOLOGY.webPorts.map((p) => `127.0.0.1:${p}`),
      panelServers: TOPOLOGY.panelPorts.map((p) => `127.0.0.1:${p}`),
      portalListen: `127.0.0.1:${TOPOLOGY.portalPort}`,
      panelListen: `127.0.0.1:${TOPOLOGY.panelPort}`,
      pidFile: join(dir, "nginx/nginx.pid"),
      errorLog: join(dir, "logs/nginx-error.log"),
      accessLog: TOPOLOGY.accessLog,
      tempDir: join(dir, "nginx/temp"),
      workerProcesses: "1",
    }),
  );
  for (const [name, port] of [
    ["web", webA],
    ["web", webB],
    ["panel", panelA],
    ["panel", panelB],
  ]) {
    await waitFor(`http://127.0.0.1:${port}${name === "web" ? "/login" : "/healthz"}`, 180_000);
  }
  start(
    "nginx",
    "/usr/sbin/nginx",
    ["-p", join(dir, "nginx"), "-c", nginxConf, "-e", join(dir, "logs/nginx-error.log"), "-g", "daemon off;"],
    {},
    "logs/nginx.log",
  );
  await waitFor(`${TOPOLOGY.portalUrl}/login`, 30_000);
  await waitFor(`${TOPOLOGY.panelUrl}/healthz`, 30_000);
  say(
    `就绪 / ready: portal ${TOPOLOGY.portalUrl}, panel ${TOPOLOGY.panelUrl} (2 web, 2 panel, 1 worker, nginx)`,
  );
} catch (error) {
  console.error(`[topology] ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}
