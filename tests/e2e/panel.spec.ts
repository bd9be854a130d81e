import { demo, expect, PANEL, test } from "./fixtures";

test("an expert enters the panel through the portal login and sees the lobby, live", async ({ page }) => {
  await page.goto(PANEL);
  await expect(page.getByRole("heading", { name: "专家工作台" })).toBeVisible();
  await page.getByRole("link", { name: "使用门户账号登录" }).click();

  await expect(page).toHaveURL(/localhost:3100\/login\?next=/);
  await page.getByLabel(/^手机号码或证件号码/).fill(demo.chair);
  await page.getByLabel(/^密码/).fill("Titles-Demo-2021");
  await page.getByRole("button", { name: "登录" }).click();

  // Back on the panel with the portal's session.
  await expect(page).toHaveURL(new RegExp(`^${PANEL}/`));
  await expect(page.getByRole("heading", { name: "评审会议大厅" })).toBeVisible();
  await expect(page.getByText("钱华").first()).toBeVisible();
  await expect(page.getByText("主任委员")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "已连接" })).toBeVisible();

  // Logging out from the panel ends the portal session too.
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/localhost:3100\/login/);
  await page.goto(PANEL);
  await expect(page.getByRole("link", { name: "使用门户账号登录" })).toBeVisible();
});

test("an applicant is told the panel is for experts only", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel(/^手机号码或证件号码/).fill(demo.applicant);
  await page.getByLabel(/^密码/).fill("Titles-Demo-2021");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto(PANEL);
  await expect(page.getByRole("heading", { name: "无法进入专家工作台" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("专家工作台仅限评审专家和主任委员使用");
});
