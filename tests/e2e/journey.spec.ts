import { fileURLToPath } from "node:url";
import { demo, expect, loginAs, PORTAL, test } from "./fixtures";
import { field, hydrated, pdfText, setServerClock, startAndFill, uploadThrough } from "./journey-helpers";

const photo = fileURLToPath(new URL("./files/certificate.jpg", import.meta.url));

test.describe.configure({ mode: "serial" });

let applicationId = "";

test.afterAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: PORTAL });
  await setServerClock(request, null);
  await request.dispose();
});

test("applicant and HR walk from a blank application to a confirmed submission", async ({ browser }) => {
  test.setTimeout(40_000);
  const applicantContext = await browser.newContext();
  const hrContext = await browser.newContext();
  const applicant = await applicantContext.newPage();
  const hr = await hrContext.newPage();

  // The applicant starts, fills the form step by step and uploads a material.
  await loginAs(applicant, demo.applicant);
  applicationId = await startAndFill(applicant);
  await uploadThrough(applicant, photo);
  await applicant.getByRole("link", { name: "下一步：核对并提交" }).click();

  // Review, then submit to the employer the applicant works for.
  await expect(applicant.getByText(/将提交至/)).toContainText("北京示例科技有限公司");
  await applicant.getByRole("button", { name: "提交单位审核" }).click();
  await expect(applicant.getByText("已提交工作单位审核")).toBeVisible();
  await expect(applicant.getByTestId("publicity-warning")).toContainText("不少于 5 个工作日");

  // The three printed forms carry the applicant's name.
  for (const name of ["申报信息表", "诚信承诺书", "公示模板"]) {
    const [download] = await Promise.all([
      applicant.waitForEvent("download"),
      applicant.getByRole("link", { name: `${name} (PDF)` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${name}-张伟.pdf`);
    const text = await pdfText(download);
    expect(text, name).toContain("张伟");
  }

  // HR: inbox, accept, publicity with its end date computed before confirming.
  await loginAs(hr, demo.hr);
  await hr.goto("/hr");
  await hr.getByTestId("hr-inbox").getByRole("link", { name: "张伟" }).click();
  // HR reads the generated form in the viewer before deciding.
  await hydrated(hr);
  await hr.getByRole("button", { name: "申报信息表（PDF）" }).click();
  await expect(hr.getByTestId("material-viewer").locator("canvas").first()).toBeVisible({ timeout: 20_000 });
  await hr.getByRole("button", { name: "审核通过，准备公示" }).click();
  await hr.getByRole("button", { name: "计算公示结束日期" }).click();
  const preview = await hr.getByTestId("publicity-preview").textContent();
  const [, start, end] = /公示期：(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})（5 个工作日）/.exec(
    preview ?? "",
  )!;
  expect(start && end).toBeTruthy();
  await hr.getByRole("button", { name: "确认开始公示" }).click();

  // An objection during the publicity, dismissed: the application continues.
  await hr.getByText("登记异议").click();
  await field(hr, "异议内容").fill("反映其论文署名存在问题");
  await field(hr, "处理结果及理由").fill("经核实署名无误");
  await hr.getByRole("button", { name: "登记" }).click();
  await expect(hr.getByText("异议不成立：经核实署名无误")).toBeVisible();

  // Nothing before its time: no recommendation while the publicity runs.
  await expect(hr.getByText(new RegExp(`公示期至 ${end}`))).toBeVisible();
  await expect(hr.getByRole("button", { name: "提交推荐意见" })).toHaveCount(0);

  // The day after the publicity's last day, HR recommends.
  const dayAfter = new Date(Date.parse(`${end}T09:00:00+08:00`) + 86_400_000).toISOString();
  await setServerClock(hr.request, dayAfter);
  await hr.reload();
  // HR attaches the stamped scans; without them the recommendation is refused.
  await field(hr, "单位推荐意见").fill("该同志业绩突出，同意推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByRole("alert").first()).toContainText("请先上传盖章的推荐材料扫描件");
  await uploadThrough(hr, photo);
  await field(hr, "单位推荐意见").fill("该同志业绩突出，同意推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByText("该同志业绩突出，同意推荐。")).toBeVisible();

  // The applicant's status page now asks for the stamped pages, with the deadline.
  await applicant.goto(`/applications/${applicationId}`);
  const closes = (await applicant.getByText(/^\d{4}-\d{2}-\d{2} 24:00$/).textContent())!.slice(0, 10);
  await applicant.getByRole("link", { name: "上传盖章材料并确认申报" }).click();

  // After the window's last day (server clock) the page says so and nothing can be done.
  await setServerClock(
    applicant.request,
    new Date(Date.parse(`${closes}T00:00:01+08:00`) + 86_400_000).toISOString(),
  );
  await applicant.reload();
  await expect(applicant.getByTestId("window-closed")).toContainText(`${closes} 24:00 截止`);
  await expect(applicant.getByRole("button", { name: "确认申报" })).toHaveCount(0);
  const late = await applicant.request.post(`/applications/${applicationId}/confirm`, { form: {} });
  expect(await late.text()).toContain("已截止");

  // Back inside the window: upload the three stamped documents and confirm.
  await setServerClock(applicant.request, dayAfter);
  await applicant.reload();
  for (let n = 0; n < 3; n++) await uploadThrough(applicant, photo, n);
  await applicant.getByRole("button", { name: "确认申报" }).click();
  await expect(applicant).toHaveURL(new RegExp(`/applications/${applicationId}\\?confirmed=1`));
  await expect(applicant.getByText("确认申报时间")).toBeVisible();

  const [receipt] = await Promise.all([
    applicant.waitForEvent("download"),
    applicant.getByRole("link", { name: "下载确认回执" }).click(),
  ]);
  const receiptText = await pdfText(receipt);
  expect(receiptText).toContain("张伟");
  expect(receiptText).toContain(applicationId.replace(/\s/g, ""));

  // Every transition sent its SMS.
  const sms = applicant.getByTestId("sms-history");
  for (const text of ["已提交", "开始公示", "推荐", "您已确认申报"]) await expect(sms).toContainText(text);

  await applicantContext.close();
  await hrContext.close();
});

test("another applicant's application and another unit's HR are refused with 403", async ({ page }) => {
  await loginAs(page, demo.applicantB);
  const response = await page.goto(`/applications/${applicationId}`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("这不是您本人的申报");

  await page.context().clearCookies();
  await loginAs(page, "13800000004");
  const hrResponse = await page.goto(`/hr/applications/${applicationId}`);
  expect(hrResponse?.status()).toBe(403);
  await expect(page.getByRole("alert")).toContainText("该申报不属于您所在的单位");
});
