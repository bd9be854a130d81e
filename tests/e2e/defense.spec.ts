import { randomInt } from "node:crypto";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { demo, expect, loginAs, test } from "./fixtures";

// 高雪: a complete intermediate engineering application of the demo seed, waiting for a defense.
const GAO_XUE = "13800000020";

const opened: BrowserContext[] = [];

async function signedIn(browser: Browser, phone: string): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  await loginAs(page, phone);
  return page;
}

test.afterEach(async () => {
  for (const context of opened.splice(0)) await context.close();
});

test("the agency schedules a defense, calls an applicant, publishes the requirements; the applicant sees them", async ({
  browser,
}) => {
  const title = `工程技术系列中级答辩（E2E ${randomInt(1000, 9999)}）`;
  const venue = "北京市职称评审中心 答辩室 5";
  const rules = "请于答辩前一日查询北京健康宝状态，入场出示绿码并测温，全程佩戴口罩。";

  // The agency opens the defense arrangements from its workspace and schedules a session.
  const agency = await signedIn(browser, demo.agency);
  await agency.goto("/agency");
  await agency.getByRole("link", { name: "答辩安排" }).click();
  await expect(agency).toHaveURL(/\/agency\/defense$/);
  await expect(agency.getByTestId("defense-dates")).toContainText("答辩时间");
  const form = agency.getByTestId("defense-form");
  await form.getByLabel("场次名称").fill(title);
  await form.getByLabel("答辩地点").fill(venue);
  const date = await form.getByLabel("答辩日期").inputValue();
  expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await form.getByRole("button", { name: "创建场次" }).click();
  await expect(agency).toHaveURL(/\/agency\/defense\/[0-9a-f-]{36}\?scheduled=1$/);
  await expect(agency.getByText("答辩场次已创建。")).toBeVisible();
  await expect(agency.getByTestId("defense-slots")).toContainText("09:00 · 已安排 0／6 人");

  // The session is listed with its date and venue.
  await agency.getByRole("link", { name: "← 全部答辩场次" }).click();
  const row = agency.getByTestId("defense-sessions").getByRole("row").filter({ hasText: title });
  await expect(row).toContainText(date);
  await expect(row).toContainText(venue);
  await expect(row).toContainText("未发布");
  await row.getByRole("link", { name: title }).click();

  // 高雪 is called to the 09:00 slot: the notice goes out by SMS.
  const option = agency.locator("#a-app option").filter({ hasText: "高雪" });
  const applicationId = (await option.getAttribute("value"))!;
  expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  await agency.getByLabel("申报人").selectOption(applicationId);
  await agency.getByLabel("时段").selectOption("09:00");
  await agency.getByRole("button", { name: "安排并通知" }).click();
  await expect(agency.getByText("已安排，答辩通知已短信发送。")).toBeVisible();
  await expect(agency.getByTestId("defense-applicants")).toContainText("高雪");
  await expect(agency.getByTestId("defense-slots")).toContainText("09:00 · 已安排 1／6 人");

  // The epidemic-prevention requirements are published and texted.
  await agency.getByLabel("防疫要求内容").fill(rules);
  await agency.getByRole("button", { name: "发布并短信通知申报人" }).click();
  await expect(agency.getByText("防疫要求已发布，已短信通知 1 名申报人。")).toBeVisible();
  await expect(agency.getByTestId("requirements-state")).toContainText("已于");

  // The applicant's status page shows the session, the requirements and what follows.
  const applicant = await signedIn(browser, GAO_XUE);
  await applicant.goto(`/applications/${applicationId}`);
  await expect(applicant.getByTestId("defense-when")).toHaveText(`${date} 09:00`);
  await expect(applicant.getByTestId("defense-venue")).toHaveText(venue);
  await expect(applicant.getByTestId("defense-requirements")).toHaveText(rules);
  await expect(applicant.getByTestId("defense-next")).toContainText("评审委员会评审");
  await expect(applicant.getByTestId("defense-next")).toContainText("评审结果公示");
  const sms = applicant.getByTestId("sms-history");
  await expect(sms).toContainText(`您的职称答辩安排在${date} 09:00，地点：${venue}`);
  await expect(sms).toContainText(`职称答辩防疫要求：${rules}`);
});
