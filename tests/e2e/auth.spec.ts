import {
  DEMO_PASSWORD,
  demo,
  expect,
  fillRegistration,
  loginAs,
  newPerson,
  readSmsCode,
  submitLogin,
  test,
} from "./fixtures";

test("a new applicant registers with the SMS code, logs out and logs back in", async ({ page }) => {
  const person = newPerson();
  await fillRegistration(page, person);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(page.getByRole("status").filter({ hasText: "验证码已发送" })).toBeVisible();
  const code = await readSmsCode(page, person.phone);
  await page.getByLabel(/^短信验证码/).fill(code);
  await page.getByRole("button", { name: "完成注册" }).click();

  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { name: "我的工作台" })).toBeVisible();
  await expect(page.getByText(`您好，${person.name}`)).toBeVisible();
  await expect(page.getByText("申报人").first()).toBeVisible();

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText("您已安全退出")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard/);

  // Log back in with the ID number this time.
  await loginAs(page, person.idNumber, person.password);
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByText(`您好，${person.name}`)).toBeVisible();
});

test("registration explains each bad input in place and creates no account", async ({ page }) => {
  const person = newPerson();
  const badCheck = person.idNumber.slice(0, 17) + (person.idNumber.endsWith("1") ? "2" : "1");
  await fillRegistration(page, person, { idNumber: badCheck, password: "password1" });
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  // Each message sits on its field (as its accessible description) and in the summary on top.
  await expect(page.getByLabel(/^证件号码/)).toHaveAccessibleDescription(/校验位不正确/);
  await expect(page.getByLabel(/^密码/)).toHaveAccessibleDescription(/密码不符合要求：至少10个字符/);
  await expect(page.getByLabel(/^密码/)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toContainText("校验位不正确");

  // An impossible birth date (February 30th).
  await fillRegistration(page, person, { idNumber: "110108199002300019" });
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(page.getByLabel(/^证件号码/)).toHaveAccessibleDescription(/出生日期无效/);

  // Somebody already registered with this ID number (the demo applicant).
  await fillRegistration(page, person, { idNumber: "110108198503120011" });
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(page.getByLabel(/^证件号码/)).toHaveAccessibleDescription(/已注册/);

  // A wrong SMS code.
  await fillRegistration(page, person);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await page.getByLabel(/^短信验证码/).fill("000000");
  const real = await readSmsCode(page, person.phone);
  if (real === "000000") await page.getByLabel(/^短信验证码/).fill("111111");
  await page.getByRole("button", { name: "完成注册" }).click();
  await expect(page.getByLabel(/^短信验证码/)).toHaveAccessibleDescription(/短信验证码不正确，还可尝试4次/);

  // None of this made an account: logging in fails.
  await submitLogin(page, person.phone, person.password);
  await expect(page.getByRole("alert")).toContainText("不正确");
});

test("repeated failed logins are throttled with a clear wait time", async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    await submitLogin(page, demo.expertB, "Wrong-Password-1");
    await expect(page.getByRole("alert")).toBeVisible();
  }
  await expect(page.getByRole("alert")).toContainText(/请.*(分钟|秒)后再试|后重试/);
  // Even the right password waits until the lock ends.
  await submitLogin(page, demo.expertB, DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toContainText(/分钟|秒/);
});

test("a tampered session cookie is refused with a clear message", async ({ page, context }) => {
  await loginAs(page, demo.applicant);
  await expect(page).toHaveURL(/\/dashboard/);
  const [cookie] = (await context.cookies()).filter((c) => c.name === "__Host-titles_session");
  const value = cookie!.value;
  await context.addCookies([
    { ...cookie!, value: value.slice(0, 3) + (value[3] === "a" ? "b" : "a") + value.slice(4) },
  ]);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText("登录凭据无效")).toBeVisible();
});

test("logging out everywhere ends the other browser's session too", async ({ page, browser }) => {
  await loginAs(page, demo.applicant);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await loginAs(otherPage, demo.applicant);
  await expect(otherPage).toHaveURL(/\/dashboard/);

  await page.goto("/account");
  await page.getByRole("button", { name: "退出所有设备" }).click();
  await expect(page.getByText("已退出所有设备上的登录")).toBeVisible();
  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/login/);
  await expect(otherPage.getByText("登录已过期")).toBeVisible();
  await other.close();
});
