import { fileURLToPath } from "node:url";
import { demo, expect, loginAs, test } from "./fixtures";
import { field, startAndFill, uploadThrough } from "./journey-helpers";

const photo = fileURLToPath(new URL("./files/certificate.jpg", import.meta.url));
const hrB = "13800000004";

test("HR returns an application with reasons; the applicant corrects it and resubmits; an upheld objection ends it", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const applicantContext = await browser.newContext();
  const hrContext = await browser.newContext();
  const applicant = await applicantContext.newPage();
  const hr = await hrContext.newPage();

  await loginAs(applicant, demo.applicantB);
  const id = await startAndFill(applicant);

  // A required field left empty: the review says so and submission is refused.
  await applicant.goto(`/applications/${id}/form/position`);
  await field(applicant, "所在部门").fill("");
  await applicant.getByRole("button", { name: "保存并继续" }).click();
  await applicant.goto(`/applications/${id}/review`);
  await expect(applicant.getByText("还有 1 处未填写或填写有误")).toBeVisible();
  await expect(applicant.getByText("请填写“所在部门”。")).toBeVisible();
  await applicant.getByRole("button", { name: "提交单位审核" }).click();
  await expect(applicant.getByRole("alert").first()).toContainText("申报表还有 1 处未填写或填写有误");

  await applicant.goto(`/applications/${id}/form/position`);
  await field(applicant, "所在部门").fill("结构所");
  await applicant.getByRole("button", { name: "保存并继续" }).click();
  await applicant.goto(`/applications/${id}/materials`);
  await uploadThrough(applicant, photo);
  await applicant.goto(`/applications/${id}/review`);
  await applicant.getByRole("button", { name: "提交单位审核" }).click();
  await expect(applicant.getByText("已提交工作单位审核")).toBeVisible();

  // HR returns it with a reason.
  await loginAs(hr, hrB);
  await hr.goto(`/hr/applications/${id}`);
  await field(hr, "退回理由").fill("现任职务填写不准确，请按单位任职文件填写。");
  await hr.getByRole("button", { name: "退回申报人修改" }).click();
  await expect(hr.getByText("单位退回修改").first()).toBeVisible();

  // The applicant sees the reason, corrects and resubmits.
  await applicant.goto(`/applications/${id}`);
  await expect(applicant.getByText("现任职务填写不准确，请按单位任职文件填写。").first()).toBeVisible();
  await applicant.getByRole("link", { name: "填写申报信息" }).click();
  await applicant.goto(`/applications/${id}/form/position`);
  await field(applicant, "现任职务（岗位）").fill("结构专业负责人");
  await applicant.getByRole("button", { name: "保存并继续" }).click();
  await applicant.goto(`/applications/${id}/review`);
  await expect(applicant.getByText("结构专业负责人")).toBeVisible();
  await applicant.getByRole("button", { name: "提交单位审核" }).click();
  await expect(applicant.getByText("已提交工作单位审核")).toBeVisible();

  // HR accepts, publicises, and an objection is upheld: the application stops with the reason.
  await hr.goto(`/hr/applications/${id}`);
  await hr.getByRole("button", { name: "审核通过，准备公示" }).click();
  await hr.getByRole("button", { name: "计算公示结束日期" }).click();
  await hr.getByRole("button", { name: "确认开始公示" }).click();
  await hr.getByText("登记异议").click();
  await field(hr, "异议内容").fill("实名举报其主要业绩成果与实际不符");
  await hr.getByLabel("异议成立，终止申报").check();
  await field(hr, "处理结果及理由").fill("经核实业绩成果与实际不符");
  await hr.getByRole("button", { name: "登记" }).click();
  await expect(hr.getByText("异议成立：经核实业绩成果与实际不符")).toBeVisible();
  await expect(hr.getByRole("button", { name: "提交推荐意见" })).toHaveCount(0);

  await applicant.goto(`/applications/${id}`);
  await expect(applicant.getByTestId("next-step")).toBeVisible();
  await expect(applicant.getByText("经核实业绩成果与实际不符").first()).toBeVisible();
  await expect(applicant.getByTestId("sms-history")).toContainText("异议成立");
  await expect(applicant.getByRole("link", { name: "上传盖章材料并确认申报" })).toHaveCount(0);

  await applicantContext.close();
  await hrContext.close();
});

test("the demo's seeded application can be walked today: HR recommends, the applicant confirms", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const hr = await (await browser.newContext()).newPage();
  await loginAs(hr, hrB);
  await hr.goto("/hr");
  await hr.getByTestId("hr-inbox").getByRole("link", { name: "赵敏" }).click();
  await uploadThrough(hr, photo);
  await field(hr, "单位推荐意见").fill("同意推荐。");
  await hr.getByRole("button", { name: "提交推荐意见" }).click();
  await expect(hr.getByText("同意推荐。")).toBeVisible();

  const applicant = await (await browser.newContext()).newPage();
  await loginAs(applicant, "13800000012");
  await applicant.getByTestId("my-applications").getByRole("link").first().click();
  await applicant.getByRole("link", { name: "上传盖章材料并确认申报" }).click();
  for (let n = 0; n < 3; n++) await uploadThrough(applicant, photo, n);
  await applicant.getByRole("button", { name: "确认申报" }).click();
  await expect(applicant.getByText("确认申报时间")).toBeVisible();
});
