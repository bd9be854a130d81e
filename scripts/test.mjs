#!/usr/bin/env node
// `npm test`: lint and types, then every unit and integration suite (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set), then the fault suite (real processes), then the end-to-end suite in
// Chromium, then the main flows again through the production topology. Ends with one summary line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(root, ".test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name) => join(root, "node_modules", ".bin", name);

function step(title, command, args, options = {}) {
  console.log(`\n=== ${title} ===`);
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  return run.status === 0;
}

const failures = [];
if (!step("lint and typecheck", "npm", ["run", "check"])) failures.push("check");

if (process.env.TEST_DATABASE_URL)
  console.log("[test] database suites also run on PostgreSQL:", new URL(process.env.TEST_DATABASE_URL).host);
else console.log("[test] TEST_DATABASE_URL not set: database suites run on PGlite only");

const unitOk = step("unit and integration (vitest)", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${join(results, "vitest.json")}`,
]);
if (!unitOk) failures.push("vitest");

// Faults injected into real processes (kill -9 of the web server mid-upload, PostgreSQL restarted under
// load, jobs run twice at once): their own vitest config, a few minutes (decision 0017).
const faultsOk = step("faults (real processes)", bin("vitest"), [
  "run",
  "--config",
  "tests/faults/vitest.config.ts",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${join(results, "faults.json")}`,
]);
if (!faultsOk) failures.push("faults");

const e2eOk = step("end-to-end (Playwright, Chromium)", bin("playwright"), ["test", "--reporter=list,json"], {
  cwd: join(root, "tests"),
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, "playwright.json") },
});
if (!e2eOk) failures.push("e2e");

// The production topology: `npm run start:prod` twice (two portals, two panels) behind nginx, with the
// main flows run through it (decision 0018); about two minutes.
const topologyOk = step(
  "production topology (nginx, 2 portals, 2 panels)",
  bin("playwright"),
  ["test", "-c", "playwright.topology.config.ts", "--reporter=list,json"],
  {
    cwd: join(root, "tests"),
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, "topology.json") },
  },
);
if (!topologyOk) failures.push("topology");

let passed = 0;
let failed = 0;
for (const name of ["vitest.json", "faults.json"]) {
  const file = join(results, name);
  if (!existsSync(file)) continue;
  const v = JSON.parse(readFileSync(file, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
}
for (const name of ["playwright.json", "topology.json"]) {
  const file = join(results, name);
  if (!existsSync(file)) continue;
  const p = JSON.parse(readFileSync(file, "utf8"));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
}
if (failures.length && failed === 0) failed = failures.length;
console.log(`\n${failures.length ? `failed steps: ${failures.join(", ")}` : "all steps passed"}`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
