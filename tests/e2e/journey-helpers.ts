import { readFile } from "node:fs/promises";
import type { APIRequestContext, Download, Locator, Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { expect, fillRegistration, type NewPerson, readSmsCode } from "./fixtures";

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

/** How a person presses a control: a mouse click on a desktop, a tap on a phone (a context with `hasTouch`). */
export type Press = (target: Locator) => Promise<void>;
export const click: Press = (target) => target.click();
export const tap: Press = (target) => target.tap();

/** Fills one step of the form (selects by value, the rest by typing) and moves on to `next`. */
export async function fillStep(page: Page, values: Record<string, string>, next: RegExp, press = click) {
  for (const [label, value] of Object.entries(values)) {
    const control = field(page, label);
    if (selects.has(label)) await control.selectOption(value);
    else await control.fill(value);
  }
  await press(page.getByRole("button", { name: "保存并继续" }));
  await expect(page).toHaveURL(next);
}

/** Starts an engineering deputy-senior application and fills the whole form; returns its id. */
export async function startAndFill(
  page: Page,
  press = click,
  afterEachStep?: () => Promise<void>,
): Promise<string> {
  await page.goto("/applications/new");
  await afterEachStep?.();
  await page.getByLabel("申报系列、级别和通道").selectOption("engineering/deputy-senior/regular");
  await press(page.getByRole("button", { name: "开始填报" }));
  await expect(page).toHaveURL(/\/form\/personal$/);
  const id = /applications\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const steps: [Record<string, string>, RegExp][] = [
    [completeForm.personal, /\/form\/position$/],
    [completeForm.position, /\/form\/achievements$/],
    [completeForm.achievements, /\/form\/series$/],
    [completeForm.series, /\/materials$/],
  ];
  for (const [values, next] of steps) {
    await afterEachStep?.();
    await fillStep(page, values, next, press);
  }
  return id;
}

/** Registers a person nobody has registered yet, with the SMS code, and lands on the dashboard. */
export async function registerApplicant(page: Page, person: NewPerson, press = click) {
  await fillRegistration(page, person);
  await press(page.getByRole("button", { name: "获取短信验证码" }));
  await expect(page.getByRole("status").filter({ hasText: "验证码已发送" })).toBeVisible();
  await page.getByLabel(/^短信验证码/).fill(await readSmsCode(page, person.phone));
  await press(page.getByRole("button", { name: "完成注册" }));
  await expect(page).toHaveURL(/\/dashboard/);
}

/** On the review page, for a person with no unit yet: finds the unit by name, chooses it and submits. */
export async function submitToUnit(page: Page, unit: string, press = click) {
  await field(page, "按名称或统一社会信用代码搜索单位").fill(unit);
  await press(page.getByRole("button", { name: "搜索" }));
  await press(page.getByRole("radio", { name: unit }));
  await press(page.getByRole("button", { name: "提交单位审核" }));
  await expect(page.getByText("已提交工作单位审核")).toBeVisible();
}

/**
 * Uploads a file through the n-th uploader on the page and waits until the server has checked it;
 * `input` is the label of the file input to use ("拍照上传" is the camera input a phone offers).
 */
export async function uploadThrough(page: Page, file: string, nth = 0, inputLabel = "选择照片或 PDF 文件") {
  const done = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("progressbar") })
    .filter({ hasText: /·\s*已上传\s*100%/ });
  const before = await done.count();
  const input = page.getByLabel(inputLabel).nth(nth);
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

/** HR accepts a submitted application and starts its publicity today; returns the publicity's last day. */
export async function acceptAndPublicise(hr: Page, applicationId: string): Promise<string> {
  await hr.goto(`/hr/applications/${applicationId}`);
  await hr.getByRole("button", { name: "审核通过，准备公示" }).click();
  await hr.getByRole("button", { name: "计算公示结束日期" }).click();
  const preview = await hr.getByTestId("publicity-preview").textContent();
  const end = /至 (\d{4}-\d{2}-\d{2})（/.exec(preview ?? "")?.[1];
  expect(end, preview ?? "no preview").toBeTruthy();
  await hr.getByRole("button", { name: "确认开始公示" }).click();
  await expect(hr.getByText(new RegExp(`公示期至 ${end}`))).toBeVisible();
  return end!;
}

/**
 * Moves the server's clock to the day after the publicity's last day (09:00 Beijing) and has HR upload the
 * stamped scan and recommend; returns the instant the clock was set to.
 */
export async function recommendAfterPublicity(hr: Page, applicationId: string, end: string, scan: string) {
  const dayAfter = new Date(Date.parse(`${end}T09:00:00+08:00`) + 86_400_000).toISOString();
  await setServerClock(hr.request, dayAfter);
  await hr.goto(`/hr/applications/${applicationId}`);
  await uploadThrough(hr, scan);
  await field(hr, "单位推荐意见").fill("同意推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByText("同意推荐。")).toBeVisible();
  return dayAfter;
}

/**
 * Waits until React has taken over the page (root.tsx marks `<html data-hydrated>`): a button that
 * only works with JavaScript, such as the material viewer's, does nothing when pressed before.
 */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
}
