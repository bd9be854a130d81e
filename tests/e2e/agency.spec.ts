import type { Browser, BrowserContext, Page } from "@playwright/test";
import { demo, expect, loginAs, test } from "./fixtures";
import { field, setServerClock, uploadThrough } from "./journey-helpers";

const CERTIFICATE = new URL("./files/certificate.jpg", import.meta.url).pathname;

// Every context a test opens is closed after it, so later tests start from a clean browser.
const opened: BrowserContext[] = [];

async function signedIn(browser: Browser, phone: string): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  await loginAs(page, phone);
  return page;
}

/** The agency opens the named applicant's dossier from its queue; returns the application id. */
async function openFromQueue(agency: Page, name: string): Promise<string> {
  await agency.goto("/agency");
  await agency.getByTestId("agency-queue").getByRole("link", { name }).click();
  await expect(agency).toHaveURL(/\/agency\/applications\/[0-9a-f-]{36}$/);
  return /applications\/([0-9a-f-]{36})/.exec(agency.url())![1]!;
}

/** Ticks a checklist point as a problem, with what is wrong and what is needed. */
async function markProblem(agency: Page, point: string, problem: string, needed: string) {
  await agency.getByLabel(point, { exact: true }).check();
  await agency.getByLabel(`${point} · 存在的问题`).fill(problem);
  await agency.getByLabel(`${point} · 需补正的内容`).fill(needed);
}

test.afterEach(async ({ request }) => {
  await setServerClock(request, null);
  for (const context of opened.splice(0)) await context.close();
});

test("(a) a notice with three items; the applicant corrects and resubmits; approved, paid, complete", async ({
  browser,
}) => {
  const agency = await signedIn(browser, demo.agency);
  const id = await openFromQueue(agency, "孙浩");
  await expect(agency.getByTestId("dossier-state")).toHaveText("已确认申报");
  // The dossier shows the stamped pages and the audit trail.
  await expect(agency.getByTestId("materials-stamped-form")).toBeVisible();
  await expect(agency.getByTestId("audit-trail")).toContainText("seed.demo-application");

  await markProblem(agency, "毕业时间与学历证书一致", "毕业时间与学历证书不一致", "按学历证书填写毕业时间");
  await markProblem(agency, "申报专业与现从事专业一致", "申报专业与现岗位不一致", "填写现从事的专业");
  await markProblem(agency, "项目材料能证明本人承担的任务", "验收报告未体现本人任务", "补充任务分工证明");
  await agency.getByRole("button", { name: "发送一次性告知" }).click();
  await expect(agency.getByText("一次性告知已发送。")).toBeVisible();
  await expect(agency.getByTestId("dossier-state")).toHaveText("待补正");
  await expect(agency.getByTestId("notice-1").getByRole("listitem")).toHaveCount(3);

  const applicant = await signedIn(browser, demo.queuedD);
  await applicant.goto(`/applications/${id}`);
  await applicant.getByRole("link", { name: /补正材料/ }).click();
  await expect(applicant.getByTestId("correction-items").getByRole("listitem")).toHaveCount(3);
  await applicant.getByLabel("毕业时间").fill("2012-06-30");
  await applicant.getByLabel("申报专业").fill("暖通工程");
  await applicant.getByRole("button", { name: "保存修改" }).click();
  await expect(applicant.getByText("已保存。")).toBeVisible();
  await uploadThrough(applicant, CERTIFICATE);
  await applicant.getByRole("button", { name: "提交补正" }).click();
  await expect(applicant).toHaveURL(new RegExp(`/applications/${id}\\?resubmitted=1$`));
  await expect(applicant.getByTestId("sms-history")).toContainText("一次性告知3项");

  await agency.reload();
  await expect(agency.getByTestId("dossier-state")).toHaveText("已确认申报");
  await expect(agency.getByTestId("notice-1")).toContainText("新增材料 1");
  await agency.getByRole("button", { name: "审核通过" }).click();
  await expect(agency.getByText("已审核通过，已通知缴费。")).toBeVisible();

  await applicant.goto(`/applications/${id}`);
  await payFee(applicant, id);
  await expect(applicant.getByTestId("sms-history")).toContainText("已收到您缴纳的评审费");
});

test("(b) a material change goes back to the employer for a new publicity, then the correction is resubmitted", async ({
  browser,
  request,
}) => {
  const agency = await signedIn(browser, demo.agency);
  const id = await openFromQueue(agency, "马琳");
  await markProblem(agency, "申报专业与现从事专业一致", "申报专业与岗位不符", "说明现从事的专业");
  await agency.getByRole("button", { name: "发送一次性告知" }).click();
  await expect(agency.getByTestId("dossier-state")).toHaveText("待补正");

  const applicant = await signedIn(browser, demo.queuedE);
  await applicant.goto(`/applications/${id}/correction`);
  await applicant.getByLabel("申报专业").fill("市政给排水");
  await applicant.getByRole("button", { name: "保存修改" }).click();
  await applicant.getByRole("button", { name: "提交补正" }).click();
  await expect(applicant).toHaveURL(/resubmitted=1$/);

  await agency.reload();
  await agency.getByRole("button", { name: "认定为实质性变更" }).click();
  await expect(agency.getByTestId("dossier-state")).toHaveText("需单位重新公示");

  // The applicant may not correct while the employer publicises again.
  await applicant.goto(`/applications/${id}/correction`);
  await expect(applicant).toHaveURL(new RegExp(`/applications/${id}$`));

  const hr = await signedIn(browser, "13800000004");
  await hr.goto(`/hr/applications/${id}`);
  await hr.getByRole("button", { name: "计算公示结束日期" }).click();
  await hr.getByRole("button", { name: "确认开始公示" }).click();
  await expect(hr.getByText(/公示期至/)).toBeVisible();
  // Ten days later the publicity is over: HR recommends anew.
  await setServerClock(request, new Date(Date.now() + 10 * 86_400_000).toISOString());
  await hr.reload();
  await field(hr, "单位推荐意见").fill("重新公示无异议，同意推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByText("重新公示无异议，同意推荐。")).toBeVisible();

  await applicant.goto(`/applications/${id}`);
  await applicant.getByRole("link", { name: /补正材料/ }).click();
  await applicant.getByRole("button", { name: "提交补正" }).click();
  await expect(applicant).toHaveURL(/resubmitted=1$/);
  await agency.reload();
  await expect(agency.getByTestId("dossier-state")).toHaveText("已确认申报");
  await expect(agency.getByTestId("notice-1")).toContainText("实质性变更");
});

test("another agency's reviewer cannot open the dossier, nor see it in its queue", async ({ browser }) => {
  const engineering = await signedIn(browser, demo.agency);
  const id = await openFromQueue(engineering, "黄磊");
  const economics = await signedIn(browser, demo.agencyEcon);
  await economics.goto("/agency");
  await expect(economics.getByText("黄磊")).toHaveCount(0);
  const response = await economics.goto(`/agency/applications/${id}`);
  expect(response?.status()).toBe(403);
  await expect(economics.getByText(/不属于本评审机构受理的系列/)).toBeVisible();
  // Nor its files.
  const file = await economics.request.get(`/applications/${id}/documents/application-form`);
  expect(file.status()).toBe(403);
});

test("(c) a correction deadline that passes without resubmission ends the application by the job, with an SMS", async ({
  browser,
  request,
}) => {
  const agency = await signedIn(browser, demo.agency);
  const id = await openFromQueue(agency, "黄磊");
  await markProblem(agency, "论文、著作数量与上传材料一致", "论文数量与材料不符", "补充论文材料或更正数量");
  const deadline = await agency.getByLabel("补正截止日期").inputValue();
  await agency.getByRole("button", { name: "发送一次性告知" }).click();
  await expect(agency.getByTestId("dossier-state")).toHaveText("待补正");

  // On the deadline day itself nothing happens; the day after, the scheduled job gives it up.
  await setServerClock(request, `${deadline}T23:00:00+08:00`);
  const onTheDay = await request.post("/test/jobs", { data: { name: "deadline-sweep" } });
  expect(onTheDay.ok()).toBe(true);
  await agency.reload();
  await expect(agency.getByTestId("dossier-state")).toHaveText("待补正");

  const next = new Date(Date.parse(`${deadline}T00:30:00+08:00`) + 86_400_000).toISOString();
  await setServerClock(request, next);
  const swept = await request.post("/test/jobs", { data: { name: "deadline-sweep" } });
  expect(swept.ok()).toBe(true);
  expect((await swept.json()).result.abandoned).toBeGreaterThanOrEqual(1);
  await agency.reload();
  await expect(agency.getByTestId("dossier-state")).toHaveText("视为放弃申报");

  const applicant = await signedIn(browser, demo.queuedF);
  await applicant.goto(`/applications/${id}`);
  await expect(applicant.getByTestId("sms-history")).toContainText("补正期限已逾期，视为放弃");
  // Running the job again sends nothing more.
  await request.post("/test/jobs", { data: { name: "deadline-sweep" } });
  await applicant.reload();
  await expect(applicant.getByTestId("sms-history").getByText(/补正期限已逾期/)).toHaveCount(1);
});

/** From the status page: the payment page, the gateway's hosted page, and back to a complete application. */
async function payFee(applicant: Page, id: string) {
  await applicant.goto(`/applications/${id}/payment`);
  await applicant.getByRole("button", { name: /去支付/ }).click();
  await applicant.getByRole("button", { name: /确认支付/ }).click();
  await applicant.goto(`/applications/${id}`);
  await expect(async () => {
    await applicant.reload();
    await expect(applicant.getByText("申报完成").first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
}
