import { readFile } from "node:fs/promises";
import type { Download, Page } from "@playwright/test";
import ExcelJS from "exceljs";
import { demo, expect, loginAs, test } from "./fixtures";

const csvHeader =
  "系列 (Series),级别 (Level),通道 (Track),状态 (State),数量 (Count),系列代码 (Series code),级别代码 (Level code),通道代码 (Track code),状态代码 (State code)";

/** A chart's own drawing surface (legend icons are small svgs of the same class). */
const chartSvg = ".recharts-wrapper > svg.recharts-surface";

/** The dashboard's breakdown as the page shows it: [series, level, track, state, count] per row. */
async function breakdownOnPage(page: Page): Promise<string[][]> {
  const rows = page.getByTestId("breakdown-table").locator("tbody tr");
  const out: string[][] = [];
  for (const row of await rows.all()) {
    out.push((await row.locator("td").allTextContents()).map((s) => s.trim()));
  }
  return out;
}

async function bytesOf(download: Download): Promise<Buffer> {
  return readFile((await download.path())!);
}

test("the city bureau sees the round's numbers with charts and downloads them as CSV and Excel", async ({
  page,
}) => {
  await loginAs(page, demo.admin);
  await page.getByRole("link", { name: "本轮统计 →" }).first().click();
  await expect(page).toHaveURL(/\/bureau$/);
  await expect(page.getByRole("heading", { level: 1, name: "本轮统计" })).toBeVisible();
  await expect(page.getByTestId("bureau-results-link")).toHaveAttribute("href", "/bureau/results");
  await expect(
    page.getByText(/\d{4} 年度评审 · 全市 · 统计时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/),
  ).toBeVisible();

  // The charts are drawn in the browser by recharts; the tables carry the same numbers.
  await expect(page.getByTestId("funnel-chart").locator(chartSvg)).toBeVisible();
  await expect(page.getByTestId("funnel-chart").locator(".recharts-funnel-trapezoid").first()).toBeVisible();
  await expect(page.getByTestId("confirmation-chart").locator(chartSvg)).toBeVisible();
  await expect(page.getByTestId("confirmation-chart").locator(".recharts-line")).toHaveCount(2);
  const funnelRows = page.getByTestId("funnel-table").locator("tbody tr");
  await expect(funnelRows).toHaveCount(7);
  await expect(funnelRows.first().getByRole("rowheader")).toHaveText("提交单位审核");
  // The demo round has at least the demo application past its employer's publicity.
  expect(Number(await funnelRows.first().locator("td").first().textContent())).toBeGreaterThanOrEqual(1);

  const shown = await breakdownOnPage(page);
  expect(shown.length).toBeGreaterThan(0);
  const total = Number(await page.getByTestId("breakdown-total").textContent());
  expect(shown.reduce((sum, r) => sum + Number(r[4]), 0)).toBe(total);

  // CSV: UTF-8 with a BOM, the bilingual header, one line per row of the page's table.
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载 CSV" }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^\d{4}-职称申报统计\.csv$/);
  const csvBytes = await bytesOf(csvDownload);
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csvBytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
  expect(lines[0]).toBe(csvHeader);
  expect(lines.slice(1).map((l) => l.split(",").slice(0, 5))).toEqual(shown);

  // XLSX: the same rows under a frozen header row, plus the funnel and the daily sheets.
  const [xlsxDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载 Excel（XLSX）" }).click(),
  ]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/^\d{4}-职称申报统计\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await bytesOf(xlsxDownload)) as unknown as ArrayBuffer);
  const breakdown = workbook.getWorksheet("分类统计 Breakdown")!;
  expect((breakdown.getRow(1).values as unknown[]).slice(1).join(",")).toBe(csvHeader);
  expect(breakdown.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  const sheetRows = breakdown
    .getRows(2, breakdown.rowCount - 1)!
    .map((r) => (r.values as unknown[]).slice(1, 6).map(String));
  expect(sheetRows).toEqual(shown);
  const funnel = workbook.getWorksheet("申报漏斗 Funnel")!;
  expect(funnel.getRow(2).getCell(1).value).toBe("提交单位审核 (Submitted to employer)");
  expect(funnel.getRow(2).getCell(2).value).toBe(
    Number(await funnelRows.first().locator("td").first().textContent()),
  );
  expect(workbook.getWorksheet("每日确认 Daily")!.getRow(1).getCell(1).value).toBe("日期 (Date)");
});

test("the dashboard fits a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginAs(page, demo.admin);
  await page.goto("/bureau");
  const chart = page.getByTestId("funnel-chart").locator(chartSvg);
  await expect(chart).toBeVisible();
  const box = await chart.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a district bureau sees only its district's numbers", async ({ page }) => {
  await loginAs(page, demo.district);
  await page.goto("/bureau");
  await expect(page.getByText(/海淀区人力资源和社会保障局所辖单位/)).toBeVisible();
  // Publishing results is the city bureau's: a district bureau is not offered the link.
  await expect(page.getByRole("link", { name: "评审结果公示" })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载 CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^\d{4}-职称申报统计-haidian\.csv$/);
});

test("other roles are refused the dashboard and its exports, with the reason", async ({ page }) => {
  await loginAs(page, demo.applicant);
  const response = await page.goto("/bureau");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("此页面仅限市人社局或区人社局访问");
  for (const path of ["/bureau/export.csv", "/bureau/export.xlsx"]) {
    const file = await page.request.get(path);
    expect(file.status(), path).toBe(403);
    expect(await file.text()).toContain("此页面仅限市人社局或区人社局访问");
  }
});

test("a round that does not exist is refused with the reason", async ({ page }) => {
  await loginAs(page, demo.admin);
  const response = await page.goto("/bureau?year=2019");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert")).toHaveText("没有 2019 年度的评审。");
  const file = await page.request.get("/bureau/export.csv?year=abc");
  expect(file.status()).toBe(400);
  expect(await file.text()).toBe("评审年度应为四位年份，例如 2021。");
});
