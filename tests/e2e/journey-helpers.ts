import { readFile } from "node:fs/promises";
import type { APIRequestContext, Download, Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { expect } from "./fixtures";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A form control by the start of its label (labels end with “（必填）” when required). */
export function field(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${escapeRegExp(label)}`));
}

export const completeForm = {
  personal: {
    性别: "male",
    最高学历: "master",
    毕业院校: "北京工业大学",
    所学专业: "土木工程",
    毕业时间: "2010-07-01",
    参加工作时间: "2010-08-01",
  },
  position: {
    所在部门: "设计一部",
    "现任职务（岗位）": "项目负责人",
    申报专业: "建筑工程",
    现有职称级别: "intermediate",
    取得现职称时间: "2016-12-01",
  },
  achievements: {
    任现职以来履职情况: "负责大型公共建筑的结构设计与审核。",
    主要业绩成果: "主持完成三项市级重点工程。",
    "论文、著作数量": "4",
  },
  series: { 主持或参与的工程项目: "北京某体育馆结构设计", 工程专业类别: "construction" },
} as const;

const selects = new Set(["性别", "最高学历", "现有职称级别", "工程专业类别"]);

/** Fills one step of the form (selects by value, the rest by typing) and moves on to `next`. */
export async function fillStep(page: Page, values: Record<string, string>, next: RegExp) {
  for (const [label, value] of Object.entries(values)) {
    const control = field(page, label);
    if (selects.has(label)) await control.selectOption(value);
    else await control.fill(value);
  }
  await page.getByRole("button", { name: "保存并继续" }).click();
  await expect(page).toHaveURL(next);
}

/** Starts an engineering deputy-senior application and fills the whole form; returns its id. */
export async function startAndFill(page: Page): Promise<string> {
  await page.goto("/applications/new");
  await page.getByLabel("申报系列、级别和通道").selectOption("engineering/deputy-senior/regular");
  await page.getByRole("button", { name: "开始填报" }).click();
  await expect(page).toHaveURL(/\/form\/personal$/);
  const id = /applications\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await fillStep(page, completeForm.personal, /\/form\/position$/);
  await fillStep(page, completeForm.position, /\/form\/achievements$/);
  await fillStep(page, completeForm.achievements, /\/form\/series$/);
  await fillStep(page, completeForm.series, /\/materials$/);
  return id;
}

/** Uploads a file through the n-th uploader on the page and waits until the server has checked it. */
export async function uploadThrough(page: Page, file: string, nth = 0) {
  const done = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("progressbar") })
    .filter({ hasText: /·\s*已上传\s*100%/ });
  const before = await done.count();
  const input = page.getByLabel("选择照片或 PDF 文件").nth(nth);
  // The uploader enables its inputs once the page's script runs; a file chosen before would be lost.
  await expect(input).toBeEnabled();
  await input.setInputFiles(file);
  await expect(done).toHaveCount(before + 1, { timeout: 30_000 });
}

/** Moves the server's clock (test mode only); null puts it back. */
export async function setServerClock(request: APIRequestContext, isoWithOffset: string | null) {
  const response = await request.post("/test/clock", { data: { now: isoWithOffset } });
  expect(response.ok()).toBe(true);
}

/** The text of a downloaded PDF, as pdf.js extracts it, without spaces. */
export async function pdfText(download: Download): Promise<string> {
  const bytes = new Uint8Array(await readFile((await download.path())!));
  const doc = await getDocument({ data: bytes }).promise;
  let text = "";
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join("");
  }
  return text.replace(/\s+/g, "");
}
