import { expect, test } from "./fixtures";

test("the home page shows the round's open windows with days left, and what is handled elsewhere", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("年度职称评审申报");
  const windows = page.getByRole("listitem").filter({ hasText: "正在申报" });
  await expect(windows.first()).toContainText(/剩余 \d+ 天/);
  await expect(page.getByText("直通车").first()).toBeVisible();
  await expect(page.getByText(/材料报送区人社局截止/)).toBeVisible();
  await expect(page.getByText(/中小学教师.*以相关行业主管部门评审服务机构安排为准/)).toBeVisible();
});

test("registration works at phone size", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/register");
  await expect(page.getByRole("heading", { name: "实名注册" })).toBeVisible();
  const button = page.getByRole("button", { name: "获取短信验证码" });
  const box = await button.boundingBox();
  // Full-width, finger-sized controls on a phone.
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThanOrEqual(44);
});
