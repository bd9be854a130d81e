import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { demo, expect, fillRegistration, loginAs, newPerson, PORTAL, readSmsCode, test } from "./fixtures";
import { completeForm, field, fillStep, hydrated, setServerClock, uploadThrough } from "./journey-helpers";

const photo = fileURLToPath(new URL("./files/certificate.jpg", import.meta.url));
const chaoyangDistrict = "13800000013";

test.describe.configure({ mode: "serial" });

test.afterAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: PORTAL });
  await setServerClock(request, null);
  await request.dispose();
});

/** A new applicant of a haidian unit registers and starts a senior-engineer through-train application. */
async function registerAndStart(page: Page, name: string): Promise<{ id: string; phone: string }> {
  const person = { ...newPerson(), name };
  await fillRegistration(page, person);
  await page.getByRole("button", { name: "获取短信验证码" }).click();
  await page.getByLabel(/^短信验证码/).fill(await readSmsCode(page, person.phone));
  await page.getByRole("button", { name: "完成注册" }).click();
  await expect(page).toHaveURL(/\/dashboard/);

  await page.goto("/applications/new");
  await page.getByLabel("申报系列、级别和通道").selectOption("engineering/senior/through-train");
  await page.getByRole("button", { name: "开始填报" }).click();
  await expect(page).toHaveURL(/\/form\/personal$/);
  const id = /applications\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await fillStep(page, completeForm.personal, /\/form\/position$/);
  await fillStep(page, { ...completeForm.position, 现有职称级别: "deputy-senior" }, /\/form\/achievements$/);
  await fillStep(page, completeForm.achievements, /\/form\/series$/);
  await fillStep(page, completeForm.series, /\/materials$/);
  await uploadThrough(page, photo);
  await page.getByRole("link", { name: "下一步：核对并提交" }).click();

  // Not yet employed anywhere: the applicant finds the unit (in Haidian) and submits to it.
  await field(page, "按名称或统一社会信用代码搜索单位").fill("北京示例科技");
  await page.getByRole("button", { name: "搜索" }).click();
  await page.getByLabel("北京示例科技有限公司").check();
  await page.getByRole("button", { name: "提交单位审核" }).click();
  await expect(page.getByText("已提交工作单位审核")).toBeVisible();
  return { id, phone: person.phone };
}

test("through-train: from the applicant's confirmation and the district's intake to the forwarded list", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const applicant = await (await browser.newContext()).newPage();
  const hr = await (await browser.newContext()).newPage();
  const district = await (await browser.newContext()).newPage();
  const name = "林直通";

  const { id, phone } = await registerAndStart(applicant, name);

  // HR of the unit accepts, publicises and, the day after the publicity, recommends.
  await loginAs(hr, demo.hr);
  await hr.goto("/hr");
  await hr.getByTestId("hr-inbox").getByRole("link", { name }).click();
  await hr.getByRole("button", { name: "审核通过，准备公示" }).click();
  await hr.getByRole("button", { name: "计算公示结束日期" }).click();
  const preview = (await hr.getByTestId("publicity-preview").textContent()) ?? "";
  const end = /至 (\d{4}-\d{2}-\d{2})/.exec(preview)![1]!;
  await hr.getByRole("button", { name: "确认开始公示" }).click();
  await expect(hr.getByText(new RegExp(`公示期至 ${end}`))).toBeVisible();
  const dayAfter = new Date(Date.parse(`${end}T09:00:00+08:00`) + 86_400_000).toISOString();
  await setServerClock(hr.request, dayAfter);
  await hr.reload();
  await uploadThrough(hr, photo);
  await field(hr, "单位推荐意见").fill("该同志为高端领军人才，同意通过“直通车”推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByText("该同志为高端领军人才，同意通过“直通车”推荐。")).toBeVisible();

  // The applicant uploads the stamped pages and confirms; the next step is the district bureau.
  await applicant.goto(`/applications/${id}`);
  await applicant.getByRole("link", { name: "上传盖章材料并确认申报" }).click();
  for (let n = 0; n < 3; n++) await uploadThrough(applicant, photo, n);
  await applicant.getByRole("button", { name: "确认申报" }).click();
  await expect(applicant.getByText("确认申报时间")).toBeVisible();
  await expect(applicant.getByTestId("next-step")).toContainText("报送辖区人力资源和社会保障局");

  // Another district's bureau neither lists the file nor opens it, even with its address.
  await loginAs(district, chaoyangDistrict);
  await district.goto("/district");
  await expect(district.getByRole("heading", { level: 1, name: "区人社局" })).toBeVisible();
  await expect(district.getByRole("link", { name })).toHaveCount(0);
  const foreign = await district.goto(`/district/applications/${id}`);
  expect(foreign?.status()).toBe(403);
  await expect(district.getByRole("alert")).toContainText("该申报不是本区单位的直通车申报");
  await district.context().clearCookies();

  // The Haidian bureau: the file waits for intake, with the district deadline and the days left.
  await loginAs(district, demo.district);
  await district.goto("/district");
  const intake = district.getByTestId("district-intake");
  await expect(intake.getByRole("row").filter({ hasText: name })).toContainText(/剩余 \d+ 天/);
  await intake.getByRole("link", { name }).click();
  await expect(district).toHaveURL(new RegExp(`/district/applications/${id}$`));
  // The district reads the generated form in the viewer.
  await hydrated(district);
  await district.getByRole("button", { name: "申报信息表（PDF）" }).click();
  await expect(district.getByTestId("material-viewer").locator("canvas").first()).toBeVisible({
    timeout: 20_000,
  });

  await district.getByRole("button", { name: "接收材料" }).click();
  await expect(district.getByText("区人社局审核中").first()).toBeVisible();

  // The committee cannot decide before the on-site check: its form appears only once the check is in.
  await expect(district.getByRole("button", { name: "登记推荐意见" })).toHaveCount(0);
  await field(district, "核查人员").fill("孙丽、周刚");
  await district.getByLabel(/^核查结论/).selectOption("passed");
  await district.getByRole("button", { name: "登记现场核查" }).click();
  await expect(district.getByTestId("district-record")).toContainText("孙丽、周刚 · 现场核查通过");

  // The recommendation committee recommends.
  await district.getByLabel("推荐", { exact: true }).check();
  await district.getByRole("button", { name: "登记推荐意见" }).click();
  await expect(district.getByTestId("district-record")).toContainText(
    /推委会推荐意见\s*\d{4}-\d{2}-\d{2} · 推荐/,
  );
  await expect(district.getByText("区推委会推荐").first()).toBeVisible();

  // Forward the list to the agency: it names who goes, then shows the list sent.
  await district.goto("/district");
  await expect(district.getByTestId("district-to-forward")).toContainText(name);
  await district.getByRole("button", { name: /报送评审机构（\d+ 人）/ }).click();
  await expect(district.getByRole("status").filter({ hasText: "已报送评审机构" })).toContainText(name);
  await expect(district.getByTestId("forwarded-lists")).toContainText(name);
  await expect(district.getByTestId("district-forwarded").getByRole("link", { name })).toBeVisible();
  await expect(district.getByTestId("district-to-forward")).toHaveCount(0);

  // The applicant's status page shows the district's steps and the SMS.
  await applicant.goto(`/applications/${id}`);
  await expect(applicant.getByTestId("next-step")).toContainText("区推委会已推荐");
  await expect(applicant.getByText("报送区人社局").first()).toBeVisible();
  await expect(applicant.getByText("区推委会推荐").first()).toBeVisible();
  const sms = applicant.getByTestId("sms-history");
  await expect(sms).toContainText("区人力社保局已收到您的直通车申报材料");
  await expect(sms).toContainText("您已通过区推荐委员会推荐");

  // The SMS simulator shows the message sent to the applicant's phone.
  await applicant.goto("/dev/sms");
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  await expect(
    applicant
      .getByTestId("sms-row")
      .filter({ hasText: masked })
      .filter({ hasText: "您已通过区推荐委员会推荐" }),
  ).toHaveCount(1);
});
