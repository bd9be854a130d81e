import { demo, expect, loginAs, test } from "./fixtures";

test("a page for another role answers 403 and says why", async ({ page }) => {
  await loginAs(page, demo.applicant);
  await expect(page).toHaveURL(/\/dashboard/);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("此页面仅限市人社局访问");
  await expect(page.getByRole("alert")).toContainText("申报人");
});

test("each role reaches its own workspace from the dashboard", async ({ page }) => {
  const cases = [
    { phone: demo.hr, path: "/hr", heading: "单位人事" },
    { phone: demo.agency, path: "/agency", heading: "评审机构" },
    { phone: demo.district, path: "/district", heading: "区人社局" },
    { phone: demo.admin, path: "/admin", heading: "市人社局" },
    { phone: demo.expert, path: "/expert", heading: "评审专家" },
  ];
  for (const c of cases) {
    await page.context().clearCookies();
    await loginAs(page, c.phone);
    await expect(page).toHaveURL(/\/dashboard/);
    const response = await page.goto(c.path);
    expect(response?.status(), c.path).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: c.heading })).toBeVisible();
  }
});

test("HR sees only the applicants of its own unit", async ({ page }) => {
  await loginAs(page, demo.hr);
  await page.goto("/hr");
  const staff = page.getByTestId("unit-staff");
  await expect(staff).toContainText("张伟");
  await expect(staff).not.toContainText("李娜");
});

test("an admin sees the intact audit chain and the holiday tables", async ({ page }) => {
  await loginAs(page, demo.admin);
  await page.goto("/admin");
  await expect(page.getByText(/审计链完整/)).toBeVisible();
  await expect(page.getByRole("cell", { name: "2021", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "2026", exact: true })).toBeVisible();
});

test("the English toggle switches the interface and back", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "切换语言" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "Switch language" }).click();
  await expect(page.getByRole("link", { name: "登录", exact: true })).toBeVisible();
});
