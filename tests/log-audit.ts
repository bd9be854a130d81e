// Playwright globalTeardown: after the e2e run, the whole system's log (scripts/start.mjs writes it to
// LOG_FILE) must hold no ID number, phone number, password, SMS code, session token or signing secret.
// A leak fails the run naming what leaked and where, never echoing the value.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FullConfig } from "@playwright/test";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface Secret {
  /** What it is, as the report names it ("SESSION_SECRET", "demo ID number 3"): never the value. */
  label: string;
  value: string;
}

export interface Leak {
  label: string;
  line: number;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** A mainland ID number with a correct GB 11643 check character. */
export function isIdNumber(candidate: string): boolean {
  if (!/^\d{17}[\dX]$/.test(candidate)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(candidate[i]), 0);
  return ID_CHECK[sum % 11] === candidate[17];
}

/** Shapes that are secret whatever their value: numbers of people, signed session cookies. */
const PATTERNS: Array<{ label: string; pattern: RegExp; accept?: (match: string) => boolean }> = [
  {
    label: "an ID number (valid check digit)",
    pattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g,
    accept: (m) => isIdNumber(m.toUpperCase()),
  },
  { label: "a mobile phone number", pattern: /(?<!\d)1[3-9]\d{9}(?!\d)/g },
  { label: "a session cookie value", pattern: /titles_session=[^;\s"']+/g },
  {
    label: "a signed session token",
    pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  { label: "an Authorization header", pattern: /authorization:\s*\S+/gi },
];

/** Every leak in `text`: the known secrets as substrings, then the secret shapes. */
export function auditLog(text: string, secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    for (const secret of secrets) {
      if (secret.value && lineHas(line, secret.value)) leaks.push({ label: secret.label, line: index + 1 });
    }
    for (const { label, pattern, accept } of PATTERNS) {
      for (const match of line.matchAll(pattern)) {
        if (!accept || accept(match[0])) leaks.push({ label, line: index + 1 });
      }
    }
  });
  return leaks;
}

/** Digit strings only count where they stand alone (a code inside a longer number is not the code). */
function lineHas(line: string, value: string): boolean {
  if (!/^\d+$/.test(value)) return line.includes(value);
  return new RegExp(`(?<!\\d)${value}(?!\\d)`).test(line);
}

/** ID and phone numbers written in the demo seed's sources (and the e2e fixtures). */
export function seededNumbers(): Secret[] {
  const files = [
    ...listTs(join(root, "packages/db/src")),
    ...listTs(join(root, "apps/web/bin")),
    ...listTs(join(root, "tests/e2e")),
  ].filter((f) => !f.endsWith(".test.ts"));
  const ids = new Set<string>();
  const phones = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])/g))
      if (isIdNumber(m[0])) ids.add(m[0]);
    for (const m of text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) phones.add(m[0]);
  }
  return [
    ...[...ids].map((value, i) => ({ label: `demo ID number #${i + 1}`, value })),
    ...[...phones].map((value, i) => ({ label: `demo phone number #${i + 1}`, value })),
  ];
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listTs(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Passwords the e2e specs type: the demo one and every literal given as a password. */
export function testPasswords(demoPassword: string | undefined): Secret[] {
  const found = new Set<string>(demoPassword ? [demoPassword] : []);
  for (const file of listTs(join(root, "tests/e2e"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/password\w*\s*[:=]\s*"([^"]{6,})"/gi)) found.add(m[1]!);
    for (const m of text.matchAll(/(?:submitLogin|loginAs)\([^()]*,\s*"([^"]{6,})"\)/g)) found.add(m[1]!);
    for (const m of text.matchAll(/getByLabel\(\/\^?密码\/?\)\.fill\("([^"]+)"\)/g)) found.add(m[1]!);
  }
  return [...found].map((value, i) => ({
    label: i === 0 && demoPassword ? "the demo password" : `a test password #${i}`,
    value,
  }));
}

/** SMS codes the run sent, read from the running simulator's page (the system is still up here). */
async function sentCodes(portal: string): Promise<Secret[]> {
  try {
    const html = await (await fetch(`${portal}/dev/sms`)).text();
    const codes = new Set([...html.matchAll(/验证码(?:为|是|：|:)?\s*(\d{4,8})/g)].map((m) => m[1]!));
    return [...codes].map((value, i) => ({ label: `SMS code #${i + 1}`, value }));
  } catch {
    return [];
  }
}

export default async function logAudit(config: FullConfig): Promise<void> {
  const server = [config.webServer].flat()[0] as { env?: Record<string, string> } | null | undefined;
  const logPath = server?.env?.LOG_FILE;
  if (!logPath) {
    console.log("[log-audit] 此配置未保留系统日志，跳过 / this configuration keeps no system log; skipped");
    return;
  }
  const file = resolve(root, logPath);
  if (!existsSync(file)) throw new Error(`[log-audit] 找不到系统日志 / system log missing: ${file}`);
  // Let the last lines reach the file.
  await new Promise((r) => setTimeout(r, 500));
  const dataDir = dirname(file);
  const secretsFile = join(dataDir, "secrets.json");
  const loginsFile = join(dataDir, "demo-logins.json");
  const secrets: Secret[] = [];
  if (existsSync(secretsFile)) {
    const values = JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
    for (const [name, value] of Object.entries(values)) secrets.push({ label: name, value });
  }
  let demoPassword: string | undefined;
  if (existsSync(loginsFile)) {
    const logins = JSON.parse(readFileSync(loginsFile, "utf8")) as {
      password: string;
      logins: Array<{ phone: string; label: string }>;
    };
    demoPassword = logins.password;
    logins.logins.forEach((l, i) => {
      secrets.push({ label: `demo login phone #${i + 1}`, value: l.phone });
    });
  }
  const portal = String(config.projects[0]?.use.baseURL ?? "http://localhost:3100");
  secrets.push(...testPasswords(demoPassword), ...seededNumbers(), ...(await sentCodes(portal)));

  const text = readFileSync(file, "utf8");
  const leaks = auditLog(text, secrets);
  const lineCount = text.split("\n").length;
  // The servers log what browsers report their CSP blocked: any page of the run broke the policy.
  const violations = text.split("\n").filter((line) => line.includes("CSP violation:"));
  if (violations.length > 0) {
    const shown = violations.slice(0, 20).map((v) => `  - ${v}`);
    if (leaks.length > 0)
      console.error(`[log-audit] and ${leaks.length} secrets in the system log (${file})`);
    throw new Error(
      `[log-audit] 浏览器报告了 ${violations.length} 次 CSP 违规 / browsers reported ${violations.length} CSP violations:\n${shown.join("\n")}`,
    );
  }
  if (leaks.length === 0) {
    console.log(
      `[log-audit] ${lineCount} 行日志，检查 ${secrets.length} 项秘密与 ${PATTERNS.length} 种格式，未发现泄露 / ` +
        `${lineCount} log lines, ${secrets.length} known secrets and ${PATTERNS.length} shapes: no leak`,
    );
    return;
  }
  const shown = leaks.slice(0, 30).map((l) => `  - ${l.label} (${file}:${l.line})`);
  throw new Error(
    `[log-audit] 日志中发现 ${leaks.length} 处敏感信息 / ${leaks.length} secrets found in the system log:\n${shown.join("\n")}`,
  );
}
