// bench:certs (issue 7): bulk issuance of electronic certificates on this machine, minus the database.
// Ours: build the canonical data, sign it (Ed25519 over RFC 8785 JSON), render the PDF (pdf-lib, a font
// subset, the QR code as vector), hash it and write it into a content-addressed file store, N times.
// Baseline, measured in the same run: the same certificate as HTML (same fields, an inline SVG QR code, the
// system Noto CJK font) printed to PDF by headless Chromium through playwright-core, one browser, page after
// page — the usual way. Each side runs in its own child process so that its peak memory is its own.
// Exits 0 when the measurement completed, whether or not a goal is met.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import {
  type CertificateData,
  certificateData,
  certificateNumber,
  formatCertificateNumber,
  type Level,
  levels,
  type Series,
} from "@titles/domain";
import { PDFDocument } from "pdf-lib";
import QRCode from "qrcode";
import { chineseDate } from "../apps/web/app/certificates/pdf.server";
import { cpuSecondsOfTree } from "./lib/processes";
import { fixed, MB, table } from "./lib/stats";

const GOAL_PER_S = 100;
const GOAL_RATIO = 10;
const CHROMIUM = "/usr/bin/chromium";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "10000" },
    baseline: { type: "string", default: "200" },
    threads: { type: "string", default: String(availableParallelism()) },
    quick: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    // Internal: run one side in this (child) process and print its figures as JSON.
    phase: { type: "string" },
    dir: { type: "string" },
  },
});
const count = args.quick ? 500 : Number(args.count);
const baselineCount = args.quick ? 30 : Number(args.baseline);
const threads = Number(args.threads);
for (const [name, n, min] of [
  ["count", count, 1],
  ["baseline", baselineCount, 1],
  ["threads", threads, 0],
] as const) {
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
}

// ---------------------------------------------------------------------------------------------------------
// The workload: the same N certificates for both sides (the baseline prints the first ones).

const surnames = [
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
];
const givenChars = [
  ..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国文斌宇浩凯鑫瑄赟晨欣怡子涵梓轩思雨俊博瑞嘉琪雅婷佳慧志宏海燕红云峰波丹宁晓东立新春梅亮健林",
];
const units = [
  "北京市第一中学",
  "北京示例科技有限公司",
  "北京市海淀区人民医院",
  "中国科学院某某研究所",
  "北京市城市轨道交通建设管理有限公司",
  "北京市朝阳区农业技术推广站",
  "首都体育学院",
  "北京广播电视台",
  "北京市政路桥建设集团有限公司第三工程分公司",
  "北京市海淀区中关村科技园区某某高新技术研究院有限责任公司轨道交通信号系统研发中心",
  "北京出版集团有限责任公司",
  "北京市气象局",
];
const specialties = [
  "交通运输工程",
  "土木工程",
  "作物栽培",
  "运动训练",
  "新闻采编",
  "编辑出版",
  "播音主持",
  "电气工程",
];
const seriesPool: Series[] = [
  "engineering",
  "agriculture",
  "sports",
  "journalism",
  "publishing",
  "broadcasting",
];

function pick<T>(list: readonly T[], i: number, salt: number): T {
  return list[(i * 7919 + salt * 104729) % list.length]!;
}

function sampleData(i: number): CertificateData {
  const series = pick(seriesPool, i, 1);
  const level: Level = pick(levels, i, 2);
  const given = pick(givenChars, i, 3) + (i % 3 === 0 ? "" : pick(givenChars, i, 4));
  return certificateData({
    number: certificateNumber(2021, i + 1),
    holderName: pick(surnames, i, 5) + given,
    holderIdMasked: `1101${"*".repeat(10)}${String(1000 + (i % 9000)).slice(0, 3)}X`,
    unitName: pick(units, i, 6),
    series,
    specialty: pick(specialties, i, 7),
    level,
    committee: "北京市工程技术系列高级专业技术资格评审委员会",
    approvedOn: "2021-12-03",
    approvalReference: `京人社专技字〔2021〕${100 + (i % 900)}号`,
    issueDate: "2022-02-10",
  });
}

const BASE_URL = "https://zhicheng.example.gov.cn";

interface Signed {
  data: CertificateData;
  signature: string;
  keyId: string;
  verifyUrl: string;
}

// ---------------------------------------------------------------------------------------------------------
// Figures a phase reports to the orchestrator (one JSON line on stdout).

interface PhaseFigures {
  side: "ours" | "baseline";
  certificates: number;
  wallMs: number;
  startupMs: number;
  cpuSeconds: number;
  peakRssBytes: number;
  meanPdfBytes: number;
  stored: number;
  checked: string;
}

const RESULT = "RESULT ";

/** Peak resident memory of this process (its worker threads included) and, optionally, of its children. */
function memorySampler(withChildren: boolean) {
  let peak = 0;
  const sample = () => {
    let rss = process.memoryUsage().rss;
    if (withChildren) rss += rssOfDescendants(process.pid);
    peak = Math.max(peak, rss);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop(): number {
      clearInterval(timer);
      sample();
      // The kernel's high-water mark of this process catches a peak between two samples.
      return Math.max(peak, withChildren ? 0 : process.resourceUsage().maxRSS * 1024);
    },
  };
}

const PAGE_SIZE = 4096;

/** Sum of the RSS of every live descendant of `rootPid` (the browser's processes). */
function rssOfDescendants(rootPid: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      pending.push(child);
      try {
        total += Number(readFileSync(`/proc/${child}/statm`, "utf8").split(" ")[1]) * PAGE_SIZE;
      } catch {}
    }
  }
  return total;
}

/** Opens a few stored PDFs again: one page each, the title names the certificate's number. */
async function checkStored(store: FileStore, stored: { sha256: string; number: string }[]): Promise<string> {
  const picks = [0, Math.floor(stored.length / 2), stored.length - 1].map((i) => stored[i]!);
  for (const { sha256, number } of picks) {
    const doc = await PDFDocument.load(readFileSync(store.path(sha256)), { updateMetadata: false });
    if (doc.getPageCount() !== 1) throw new Error(`${number}: ${doc.getPageCount()} pages`);
    const title = doc.getTitle() ?? "";
    if (!title.includes(number) && !title.includes(formatCertificateNumber(number))) {
      throw new Error(`${number}: the PDF's title is ${title}`);
    }
  }
  const distinct = new Set(stored.map((s) => s.sha256)).size;
  if (distinct !== stored.length) throw new Error(`${stored.length} certificates but ${distinct} files`);
  return `${distinct} distinct files; ${picks.length} reopened`;
}

// ---------------------------------------------------------------------------------------------------------
// Ours: data → signature → PDF (worker threads) → sha256 → file store.

async function runOurs(dir: string): Promise<PhaseFigures> {
  const { issuerKeyFromSeed } = await import("../apps/web/app/certificates/keys.server");
  const { signCertificate } = await import("../apps/web/app/certificates/signature.server");
  const { renderCertificatePdf } = await import("../apps/web/app/certificates/pdf.server");
  const { createCertificateRenderPool } = await import("../apps/web/app/certificates/render-pool.server");
  const { preloadDocumentFonts } = await import("../apps/web/app/documents/fonts.server");
  const memory = memorySampler(false);
  const store = createLocalFileStore(dir);
  const key = issuerKeyFromSeed(randomBytes(32));

  const started = performance.now();
  const pool = threads > 0 ? createCertificateRenderPool({ threads }) : null;
  if (!pool) preloadDocumentFonts();
  const render = pool ? pool.render : renderCertificatePdf;
  const issue = async (i: number) => {
    const data = sampleData(i);
    const signature = signCertificate(data, key);
    const token = randomBytes(16).toString("base64url");
    const verifyUrl = `${BASE_URL}/verify/${data.number}?t=${token}`;
    const pdf = await render({ data, signature, keyId: key.keyId, verifyUrl });
    const file = await store.putBuffer(pdf);
    return { sha256: file.sha256, size: file.size, number: data.number };
  };
  // Warm-up (not counted): the threads parse the fonts and compile the code paths.
  await Promise.all(Array.from({ length: Math.max(2, threads * 3) }, (_, i) => issue(count + i)));
  const startupMs = performance.now() - started;

  const cpuBefore = cpuSecondsOfTree(process.pid);
  const t0 = performance.now();
  const stored: { sha256: string; size: number; number: string }[] = new Array(count);
  let next = 0;
  // Enough in flight to keep every thread busy while this thread signs and writes.
  const inFlight = Math.max(2, threads * 4);
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        stored[i] = await issue(i);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpuSeconds = cpuSecondsOfTree(process.pid) - cpuBefore;
  await pool?.close();
  const peakRssBytes = memory.stop();
  const checked = await checkStored(store, stored);
  return {
    side: "ours",
    certificates: count,
    wallMs,
    startupMs,
    cpuSeconds,
    peakRssBytes,
    meanPdfBytes: stored.reduce((sum, s) => sum + s.size, 0) / count,
    stored: stored.length,
    checked,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Baseline: the same certificate as HTML printed to PDF by headless Chromium.

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.codePointAt(0)};`);

async function certificateHtml(input: Signed): Promise<string> {
  const d = input.data;
  const qr = await QRCode.toString(input.verifyUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const rows: [string, string][] = [
    ["姓名", d.holderName],
    ["身份证件号码", d.holderIdMasked],
    ["工作单位", d.unitName],
    ["系列／专业", d.specialty ? `${d.series}／${d.specialty}` : d.series],
    ["资格名称", d.qualification],
    ["级别", d.level],
    ["评审委员会", d.committee],
    ["评审通过时间", chineseDate(d.approvedOn)],
    ["审批文号", d.approvalReference],
    ["证书编号", formatCertificateNumber(d.number)],
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>专业技术资格证书 ${d.number}</title>
<style>
@page { size: A4 landscape; margin: 0; }
body { margin: 0; font-family: "Noto Serif CJK SC", serif; color: #141414; }
.sheet { box-sizing: border-box; width: 297mm; height: 210mm; padding: 8mm; }
.frame { box-sizing: border-box; height: 100%; border: 3px solid #a8853d; padding: 3px; }
.inner { box-sizing: border-box; height: 100%; border: 1px solid #a8853d; padding: 10mm 16mm; position: relative; }
h1 { margin: 0; text-align: center; color: #9e1717; font-size: 30pt; letter-spacing: 4pt; }
.sub { text-align: center; color: #666; font-size: 14pt; margin: 4pt 0 12pt; border-bottom: 1px solid #a8853d; padding-bottom: 8pt; }
.body { display: flex; gap: 20mm; }
table { border-collapse: collapse; font-size: 14pt; width: 180mm; }
th { text-align-last: justify; width: 34mm; color: #666; font-weight: bold; padding: 3pt 10pt 3pt 0; vertical-align: top; white-space: nowrap; }
td { padding: 3pt 0; }
.side { text-align: center; width: 50mm; color: #666; font-size: 11pt; }
.side svg { width: 46mm; height: 46mm; }
.issuer { margin-top: 18mm; } .issuer b { display: block; color: #141414; font-size: 12pt; margin: 4pt 0 8pt; }
.footer { position: absolute; left: 6mm; bottom: 4mm; font: 6pt Helvetica, Arial, sans-serif; color: #666; }
</style></head><body><div class="sheet"><div class="frame"><div class="inner">
<h1>专业技术资格证书</h1><div class="sub">电子职称证书</div>
<div class="body"><table>${rows.map(([k, v]) => `<tr><th>${k}：</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>
<div class="side">${qr}<div>扫码核验</div><div class="issuer">发证机关<b>${escapeHtml(d.issuer)}</b>发证日期<b>${chineseDate(d.issueDate)}</b></div></div></div>
<div class="footer">电子签名 Ed25519（RFC 8785 规范化数据）<br>Signature: ${input.signature}<br>Key: ${escapeHtml(input.keyId)}</div>
</div></div></div></body></html>`;
}

async function runBaseline(dir: string): Promise<PhaseFigures> {
  const { chromium } = await import("playwright-core");
  const { issuerKeyFromSeed } = await import("../apps/web/app/certificates/keys.server");
  const { signCertificate } = await import("../apps/web/app/certificates/signature.server");
  const memory = memorySampler(true);
  const store = createLocalFileStore(dir);
  const key = issuerKeyFromSeed(randomBytes(32));

  const started = performance.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage();
    const issue = async (i: number) => {
      const data = sampleData(i);
      const signature = signCertificate(data, key);
      const token = randomBytes(16).toString("base64url");
      const verifyUrl = `${BASE_URL}/verify/${data.number}?t=${token}`;
      await page.setContent(await certificateHtml({ data, signature, keyId: key.keyId, verifyUrl }));
      const pdf = await page.pdf({ format: "A4", landscape: true, printBackground: true });
      const file = await store.putBuffer(pdf);
      return { sha256: file.sha256, size: file.size, number: data.number };
    };
    for (let i = 0; i < 3; i++) await issue(count + i);
    const startupMs = performance.now() - started;

    const cpuBefore = cpuSecondsOfTree(process.pid);
    const t0 = performance.now();
    const stored: { sha256: string; size: number; number: string }[] = [];
    for (let i = 0; i < baselineCount; i++) stored.push(await issue(i));
    const wallMs = performance.now() - t0;
    const cpuSeconds = cpuSecondsOfTree(process.pid) - cpuBefore;
    const peakRssBytes = memory.stop();
    const checked = await checkStored(store, stored);
    return {
      side: "baseline",
      certificates: baselineCount,
      wallMs,
      startupMs,
      cpuSeconds,
      peakRssBytes,
      meanPdfBytes: stored.reduce((sum, s) => sum + s.size, 0) / baselineCount,
      stored: stored.length,
      checked,
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The orchestrator: each side in a child process, one after the other, then the comparison.

function runPhase(side: "ours" | "baseline", dir: string): Promise<PhaseFigures> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      script,
      "--phase",
      side,
      "--dir",
      dir,
      "--count",
      String(count),
      "--baseline",
      String(baselineCount),
      "--threads",
      String(threads),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(RESULT));
      if (code !== 0 || !line) reject(new Error(`${side} phase exited with ${code}\n${out}`));
      else resolve(JSON.parse(line.slice(RESULT.length)) as PhaseFigures);
    });
  });
}

const log = (text: string) => console.log(`[certs] ${text}`);

async function main() {
  if (args.phase === "ours" || args.phase === "baseline") {
    if (!args.dir) throw new Error("--dir is required with --phase");
    const figures = args.phase === "ours" ? await runOurs(args.dir) : await runBaseline(args.dir);
    console.log(`${RESULT}${JSON.stringify(figures)}`);
    return;
  }

  const workDir = await mkdtemp(join(tmpdir(), "bench-certs-"));
  try {
    log(
      `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${fixed(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}; ` +
        `load average ${loadavg()
          .map((l) => fixed(l, 2))
          .join(" ")}`,
    );
    log(`ours: ${count} certificates, ${threads === 0 ? "in-process" : `${threads} render threads`}…`);
    const ours = await runPhase("ours", join(workDir, "ours"));
    log(`baseline: ${baselineCount} certificates, headless Chromium print-to-PDF…`);
    const baseline = await runPhase("baseline", join(workDir, "baseline"));
    log(
      `load average at the end ${loadavg()
        .map((l) => fixed(l, 2))
        .join(" ")}`,
    );

    const perS = (f: PhaseFigures) => f.certificates / (f.wallMs / 1000);
    const oursPerS = perS(ours);
    const basePerS = perS(baseline);
    const ratio = oursPerS / basePerS;
    const row = (label: string, f: (p: PhaseFigures) => string): string[] => [label, f(baseline), f(ours)];
    console.log();
    console.log(
      table(
        ["figure", "baseline (Chromium print-to-PDF)", `ours (pdf-lib, ${threads || "no"} threads)`],
        [
          row("certificates", (p) => String(p.certificates)),
          row("wall time", (p) => `${fixed(p.wallMs / 1000, 1)} s`),
          row("certificates/s", (p) => fixed(perS(p), 1)),
          row(
            "CPU per certificate (all processes)",
            (p) => `${fixed((p.cpuSeconds * 1000) / p.certificates, 1)} ms`,
          ),
          row("start-up + warm-up (not counted)", (p) => `${fixed(p.startupMs / 1000, 1)} s`),
          row("peak memory (RSS)", (p) => `${fixed(p.peakRssBytes / MB, 0)} MiB`),
          row("mean PDF size", (p) => `${fixed(p.meanPdfBytes / 1024, 1)} KiB`),
          row("stored and checked", (p) => p.checked),
        ],
      ),
    );
    console.log();
    console.log(
      table(
        ["goal", "measured", "met?"],
        [
          [
            `≥ ${GOAL_PER_S} certificates/s`,
            `${fixed(oursPerS, 1)}/s`,
            oursPerS >= GOAL_PER_S ? "met" : "missed",
          ],
          [
            `≥ ${GOAL_RATIO}× the baseline`,
            `${fixed(oursPerS, 1)} / ${fixed(basePerS, 1)} = ${fixed(ratio, 1)}×`,
            ratio >= GOAL_RATIO ? "met" : "missed",
          ],
        ],
      ),
    );
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

await main();
