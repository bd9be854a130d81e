import type { Browser, Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { DEMO_PASSWORD, demo, expect, PANEL, PORTAL, test } from "./fixtures";

const MEETING = "工程技术系列中级职称评审委员会会议（演示）";
const QIAN = "13800000010"; // 钱华, the chair
const ZHOU = "13800000007"; // 周明
const ZHENG = "13800000009"; // 郑敏
const CHEN = "13800000021"; // 陈晨, same unit as 韩雨: recused automatically
// 王磊 (13800000022), the fifth member, stays away: 4 of 5 present is a quorum.

async function openRoom(browser: Browser, login: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`/login?next=${encodeURIComponent(`${PANEL}/`)}`);
  await page.getByLabel(/^手机号码或证件号码/).fill(login);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PANEL}/`));
  await page.getByRole("link", { name: MEETING }).click();
  await page.getByRole("link", { name: "进入会议表决室" }).click();
  await expect(page.getByRole("heading", { name: "申报人" })).toBeVisible();
  return page;
}

const applicant = (page: Page, heading: string) => page.getByRole("region", { name: heading });

async function vote(page: Page, heading: string, choice: "同意" | "不同意" | "弃权") {
  const region = applicant(page, heading);
  await region.getByRole("radio", { name: choice, exact: true }).check();
  await region.getByRole("button", { name: "投票", exact: true }).click();
  await region.getByRole("button", { name: "确认投票" }).click();
  await expect(region.getByText("您已投票")).toBeVisible();
}

async function closeAndSign(chair: Page, heading: string) {
  const region = applicant(chair, heading);
  await region.getByRole("button", { name: "结束投票" }).click();
  await region.getByRole("button", { name: "确认结束投票" }).click();
  await expect(region.getByTestId("ballot-tally")).toBeVisible();
  await region.getByRole("button", { name: "签署结果" }).click();
  await region.getByRole("button", { name: "确认签署" }).click();
  await expect(region.getByText("主任委员已签署")).toBeVisible();
}

test("the committee meets: roll call, one applicant passes, one fails, the recused expert is left out, and the minutes record the tallies", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const chair = await openRoom(browser, QIAN);
  const zhou = await openRoom(browser, ZHOU);
  const zheng = await openRoom(browser, ZHENG);
  const chen = await openRoom(browser, CHEN);

  // Roll call: the chair unticks the absent member; 4 of 5 present (at least 4 needed).
  await expect(zhou.getByText("等待主任委员点名。")).toBeVisible();
  await chair.getByRole("checkbox", { name: /^王磊/ }).uncheck();
  await expect(chair.getByText("已勾选 4 人，须至少 4 人出席")).toBeVisible();
  await chair.getByRole("button", { name: "确认点名" }).click();
  await expect(chair.getByText("出席 4 / 5 人").first()).toBeVisible();

  // 陈晨 is recused from 韩雨 (same unit): the applicant is not on 陈晨's agenda at all.
  await expect(applicant(chen, "1. 唐宁")).toBeVisible();
  await expect(applicant(chen, "2. 韩雨")).toHaveCount(0);
  await expect(applicant(zhou, "2. 韩雨")).toBeVisible();

  // 唐宁: the references, then four present experts vote; the chair sees progress, never the choices.
  await expect(applicant(chair, "1. 唐宁").getByText("支持推荐")).toBeVisible();
  await applicant(chair, "1. 唐宁").getByRole("button", { name: "开启投票" }).click();
  await expect(applicant(zhou, "1. 唐宁").getByTestId("ballot-progress")).toHaveText("已投 0/4");
  await vote(zhou, "1. 唐宁", "同意");
  await expect(applicant(chair, "1. 唐宁").getByTestId("ballot-progress")).toHaveText("已投 1/4");
  await vote(zheng, "1. 唐宁", "同意");
  await vote(chen, "1. 唐宁", "弃权");
  await vote(chair, "1. 唐宁", "同意");
  await expect(applicant(chair, "1. 唐宁").getByTestId("ballot-progress")).toHaveText("已投 4/4");
  await expect(applicant(zhou, "1. 唐宁").getByTestId("ballot-tally")).toHaveCount(0);
  await closeAndSign(chair, "1. 唐宁");
  const tangTally = applicant(chair, "1. 唐宁").getByTestId("ballot-tally");
  await expect(tangTally).toContainText("通过");
  await expect(tangTally).toContainText("同意 3 票，不同意 0 票，弃权 1 票，未投 0 票");
  await expect(tangTally).toContainText("应投票委员 4 人，通过须同意 3 票");

  // 韩雨: three voters (陈晨 recused); one yes of three fails.
  await applicant(chair, "2. 韩雨").getByRole("button", { name: "开启投票" }).click();
  await expect(applicant(zheng, "2. 韩雨").getByTestId("ballot-progress")).toHaveText("已投 0/3");
  await vote(chair, "2. 韩雨", "同意");
  await vote(zhou, "2. 韩雨", "不同意");
  await vote(zheng, "2. 韩雨", "弃权");
  await expect(applicant(chen, "2. 韩雨")).toHaveCount(0);
  await closeAndSign(chair, "2. 韩雨");
  const hanTally = applicant(chair, "2. 韩雨").getByTestId("ballot-tally");
  await expect(hanTally).toContainText("未通过");
  await expect(hanTally).toContainText("同意 1 票，不同意 1 票，弃权 1 票，未投 0 票");
  await expect(hanTally).toContainText("应投票委员 3 人，通过须同意 2 票");

  // The chair closes the meeting.
  await chair.getByRole("button", { name: "结束会议" }).click();
  await chair.getByRole("button", { name: "确认结束会议" }).click();
  await expect(chair.getByText("会议已结束。").first()).toBeVisible();
  for (const page of [chair, zhou, zheng, chen]) await page.context().close();

  // The agency downloads the minutes: who was present, the tallies and the results.
  const agency = await (await browser.newContext()).newPage();
  await agency.goto(`${PORTAL}/login?next=/agency/meetings`);
  await agency.getByLabel(/^手机号码或证件号码/).fill(demo.agency);
  await agency.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await agency.getByRole("button", { name: "登录" }).click();
  await agency.getByRole("link", { name: MEETING }).click();
  const href = await agency.getByTestId("minutes-link").getAttribute("href");
  const response = await agency.request.get(`${PORTAL}${href}`);
  expect(response.ok()).toBe(true);
  expect(response.headers()["content-type"]).toContain("application/pdf");
  const doc = await getDocument({ data: new Uint8Array(await response.body()) }).promise;
  let text = "";
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join("");
  }
  text = text.replace(/\s+/g, "");
  expect(text).toContain("会议纪要");
  expect(text).toContain("唐宁");
  expect(text).toContain("同意3票不同意0票弃权1票未投0票应投4票需3票");
  expect(text).toContain("韩雨");
  expect(text).toContain("同意1票不同意1票弃权1票未投0票应投3票需2票");
  expect(text).toMatch(/唐宁.*通过/);
  expect(text).toMatch(/韩雨.*未通过/);
  expect(text).toContain("王磊");

  // The results reach the applicants: 唐宁's status page says she passed.
  await agency.context().close();
  const tang = await (await browser.newContext()).newPage();
  await tang.goto(`${PORTAL}/login`);
  await tang.getByLabel(/^手机号码或证件号码/).fill("13800000023");
  await tang.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await tang.getByRole("button", { name: "登录" }).click();
  await expect(tang.getByText("评审通过").first()).toBeVisible();
  await tang.context().close();
});
