import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { DEMO_PASSWORD, expect, PANEL, test } from "./fixtures";

const MEETING = "工程技术系列中级职称评审会（演示）";
const ZHOU = { login: "13800000007", name: "周明" };
// Not 吴刚 (13800000008): the throttling test in auth.spec.ts locks his login for the rest of the run.
const WU = { login: "13800000009", name: "郑敏" };
const CHAIR = { login: "13800000010", name: "钱华" };
/** "Within a second" of the other expert's action. */
const LIVE = { timeout: 1_000 };

/** An expert signs in through the portal (sent back to the panel) and opens 林峰's dossier. */
async function openDossier(browser: Browser, who: { login: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(`${PANEL}/`)}`);
  await page.getByLabel(/^手机号码或证件号码/).fill(who.login);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PANEL}/`));
  await page.getByRole("link", { name: MEETING }).click();
  await page.getByRole("link", { name: "查看林峰的评审材料" }).click();
  await expectDossierReady(page);
  return page;
}

async function expectDossierReady(page: Page) {
  await expect(page.getByRole("heading", { name: "林峰 的评审材料" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "批注已实时同步" })).toBeVisible({
    timeout: 15_000,
  });
  await expect(firstPageText(page).first()).toBeVisible({ timeout: 15_000 });
}

function firstPageText(page: Page) {
  return page.locator('.pdf-viewer__page[data-page-number="1"] .textLayer span');
}

function presence(page: Page, name: string) {
  return page.getByRole("region", { name: "在线专家" }).getByRole("listitem").filter({ hasText: name });
}

function annotation(page: Page, text: string) {
  return page
    .getByRole("region", { name: /全部批注/ })
    .locator("li.panel-annotation")
    .filter({ hasText: text });
}

test("two experts annotate one dossier live, and everything is still there after both reload", async ({
  browser,
}) => {
  const zhou = await openDossier(browser, ZHOU);
  const wu = await openDossier(browser, WU);

  // Presence: each sees the other, on page 1, within a second of arriving.
  await expect(presence(zhou, WU.name)).toContainText("第 1 页", LIVE);
  await expect(presence(wu, ZHOU.name)).toContainText("第 1 页", LIVE);

  // 周明 selects text on page 1, highlights it and comments.
  // The data folder outlives one run of this test: tell this run's annotations apart.
  const run = randomBytes(3).toString("hex");
  const zhouComment = `论文与申报系列相符，建议核对发表时间。${run}`;
  await zhou.getByLabel("批注内容").fill(zhouComment);
  const words = firstPageText(zhou).filter({ hasText: "林峰" }).first();
  await words.selectText();
  const quote = (await zhou.evaluate(() => window.getSelection()?.toString() ?? "")).trim();
  expect(quote).toContain("林峰");
  await zhou.getByRole("button", { name: "高亮所选文字" }).click();
  await expect(annotation(zhou, zhouComment)).toBeVisible();

  // 郑敏 sees the highlight (on the page and in the list) and the comment within a second.
  await expect(annotation(wu, zhouComment)).toContainText(quote, LIVE);
  await expect(annotation(wu, zhouComment)).toContainText("周明", LIVE);
  await expect(
    wu.locator('.pdf-viewer__page[data-page-number="1"] .panel-mark--highlight').first(),
  ).toBeVisible(LIVE);

  // 郑敏 drops a pin with a comment on page 1.
  const wuComment = `此处盖章不清晰，请主任委员关注。${run}`;
  await wu.getByRole("radio", { name: "放置图钉" }).check();
  await wu.getByLabel("批注内容").fill(wuComment);
  await wu.locator('[data-draw-page="1"]').click({ position: { x: 120, y: 160 } });
  await expect(annotation(wu, wuComment)).toBeVisible();

  // 周明 sees the pin and its comment within a second.
  await expect(zhou.getByRole("button", { name: `郑敏的图钉：${wuComment}` })).toBeVisible(LIVE);
  await expect(annotation(zhou, wuComment)).toContainText("郑敏", LIVE);

  // A reply on the other's annotation goes across too.
  const reply = `同意，会上请申报人说明。${run}`;
  await zhou.getByRole("radio", { name: "选择文字" }).check();
  const onPin = annotation(zhou, wuComment);
  await onPin.getByLabel("评论内容").fill(reply);
  await onPin.getByRole("button", { name: "添加评论" }).click();
  await expect(annotation(wu, wuComment)).toContainText(reply, LIVE);

  // Only the author may delete: 郑敏 has no delete button on 周明's highlight.
  await expect(annotation(wu, zhouComment).getByRole("button", { name: "删除批注" })).toHaveCount(0);
  await expect(annotation(wu, wuComment).getByRole("button", { name: "删除批注" })).toBeVisible();

  // Everything acknowledged (nothing waiting to be saved), then both reload.
  await expect(zhou.getByRole("status").filter({ hasText: "批注已实时同步" })).toBeVisible();
  await expect(wu.getByRole("status").filter({ hasText: "批注已实时同步" })).toBeVisible();
  await Promise.all([zhou.reload(), wu.reload()]);
  for (const page of [zhou, wu]) {
    await expectDossierReady(page);
    await expect(annotation(page, zhouComment)).toContainText(quote);
    await expect(annotation(page, wuComment)).toContainText(reply);
    await expect(
      page.locator('.pdf-viewer__page[data-page-number="1"] .panel-mark--highlight').first(),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: `郑敏的图钉：${wuComment}` })).toBeVisible();
  }
  // And presence comes back after the reload.
  await expect(presence(zhou, WU.name)).toBeVisible({ timeout: 5_000 });
  await expect(presence(wu, ZHOU.name)).toBeVisible({ timeout: 5_000 });
});

test("an expert follows the chair's page, and finds text through search and the outline", async ({
  browser,
}) => {
  const chair = await openDossier(browser, CHAIR);
  const zhou = await openDossier(browser, ZHOU);
  await expect(presence(zhou, CHAIR.name)).toContainText("主任委员", LIVE);

  await zhou.getByRole("checkbox", { name: "跟随主任委员翻页" }).check();
  await chair.getByRole("button", { name: "下一页" }).click();
  await chair.getByRole("button", { name: "下一页" }).click();
  await expect(chair.getByLabel("页码")).toHaveValue("3");
  await expect(zhou.getByLabel("页码")).toHaveValue("3", LIVE);
  await expect(presence(zhou, CHAIR.name)).toContainText("第 3 页", LIVE);

  // Not following any more: the chair's page no longer moves the expert.
  await zhou.getByRole("checkbox", { name: "跟随主任委员翻页" }).uncheck();
  await chair.getByRole("button", { name: "上一页" }).click();
  await expect(presence(zhou, CHAIR.name)).toContainText("第 2 页", LIVE);
  await expect(zhou.getByLabel("页码")).toHaveValue("3");

  // Search in the text, then the PDF's own outline, each turns the page.
  const sidebar = zhou.getByRole("navigation", { name: "缩略图、目录和搜索" });
  await sidebar.getByRole("tab", { name: "搜索" }).click();
  await sidebar.getByLabel("在文件中搜索").fill("林峰");
  await sidebar.getByRole("button", { name: "搜索" }).click();
  await expect(sidebar.getByRole("status")).toContainText(/找到 \d+ 页/);
  await sidebar.getByRole("tab", { name: "目录" }).click();
  await sidebar.getByRole("button", { name: "申报信息表", exact: true }).click();
  await expect(zhou.getByLabel("页码")).toHaveValue("1");
  await expect(presence(chair, ZHOU.name)).toContainText("第 1 页", LIVE);
});
