import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { addDays, addWorkingDays, certificateNumber, resultPublicityEnd, shanghaiDate } from "@titles/domain";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { demo, expect, loginAs, test } from "./fixtures";
import { field, setServerClock } from "./journey-helpers";

// Issue 7, steps 8–9: a result batch goes through its publicity with complaints, ends, and its final
// results become signed electronic certificates that anyone can verify — and see revoked.
const SONG = "13800000025"; // 宋佳, 北京示例科技有限公司: a complaint against her is upheld
const LUO = "13800000026"; // 罗斌, 北京市示例建筑设计研究院: the complaint is dismissed, he is certified
const SONG_UNIT = "北京示例科技有限公司";
const LUO_UNIT = "北京市示例建筑设计研究院";
const PHONE_A = "13700000011"; // the member of the public complaining about 宋佳
const PHONE_B = "13700000012"; // … and about 罗斌
// An ID number anywhere on a public page: 17 digits and a check character.
const ID_NUMBER = /\d{17}[\dXx]/;

// pdf.js reads the footer's Helvetica (a standard, unembedded font) from its own font data.
const STANDARD_FONTS = `${dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"))}/standard_fonts/`;

const opened: BrowserContext[] = [];

async function fresh(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  opened.push(context);
  return context.newPage();
}

async function signedIn(browser: Browser, phone: string): Promise<Page> {
  const page = await fresh(browser);
  await loginAs(page, phone);
  return page;
}

/** The PDF's text without spaces, and the addresses its links open. */
async function readPdf(bytes: Uint8Array): Promise<{ text: string; links: string[] }> {
  const doc = await getDocument({ data: bytes, standardFontDataUrl: STANDARD_FONTS }).promise;
  let text = "";
  const links: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str : "")).join("");
    for (const a of await page.getAnnotations()) if (a.subtype === "Link" && a.url) links.push(a.url);
  }
  return { text: text.replace(/\s+/g, ""), links };
}

/** Files a complaint from the public list's “投诉” link on the person's row; returns the reference. */
async function fileComplaint(page: Page, name: string, phone: string, facts: string): Promise<string> {
  await page.getByRole("link", { name: `投诉 ${name}` }).click();
  await expect(page.getByTestId("complaint-entry")).toContainText(name);
  await field(page, "投诉人姓名").fill("张先生");
  await field(page, "联系电话").fill(phone);
  await field(page, "投诉事实与理由").fill(facts);
  await page.getByRole("button", { name: "提交投诉" }).click();
  const reference = (await page.getByTestId("complaint-reference").textContent())?.trim() ?? "";
  expect(reference).toMatch(/^TS\d{4}-/);
  return reference;
}

async function follow(page: Page, reference: string, phone: string) {
  await page.goto(`/complaints?reference=${encodeURIComponent(reference)}`);
  await field(page, "投诉编号").fill(reference);
  await field(page, "手机号码").fill(phone);
  await page.getByRole("button", { name: "查询", exact: true }).click();
  await expect(page.getByTestId("complaint-found")).toBeVisible();
}

/** The staff decision page of the complaint with `reference`, from the batch page. */
async function decide(
  staff: Page,
  batchUrl: string,
  reference: string,
  outcome: "upheld" | "dismissed",
  reason: string,
) {
  await staff.goto(batchUrl);
  await staff.locator(`tr[data-reference="${reference}"]`).getByRole("link", { name: "处理" }).click();
  await staff.locator(`input[name="outcome"][value="${outcome}"]`).check();
  await staff.getByLabel(/^理由/).fill(reason);
  await staff.getByRole("button", { name: "记录复查结论" }).click();
  await expect(staff.getByTestId("decision-done")).toBeVisible();
  await expect(staff.getByTestId("complaint-state")).toHaveText(
    outcome === "upheld" ? "经复查成立" : "经复查不成立",
  );
}

/** The applicant's own status page, through the dashboard. */
async function ownApplication(page: Page) {
  await page.getByTestId("my-applications").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
}

/** On a phone the page must fit the screen: no sideways scrolling. */
async function fitsThePhone(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

test.describe.configure({ mode: "serial" });

test.afterEach(async ({ request }) => {
  await setServerClock(request, null);
  for (const context of opened.splice(0)) await context.close();
});

test("a batch is published, complained about (one upheld, one dismissed), ends, is certified; the certificate verifies, then is revoked", async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(180_000);

  // 1. The agency makes the batch of 宋佳 and 罗斌; four working days are refused, five are published.
  const agency = await signedIn(browser, demo.agency);
  await agency.goto("/agency/results");
  const candidates = agency.getByTestId("batch-candidates");
  await expect(candidates.getByRole("checkbox", { name: "宋佳" })).toBeVisible();
  for (const box of await candidates.getByRole("checkbox").all()) {
    const name = await box.getAttribute("aria-label");
    await box.setChecked(name === "宋佳" || name === "罗斌");
  }
  // The first day defaults to today (Beijing time, as the server sees it).
  const today = shanghaiDate(new Date());
  await expect(agency.getByLabel("公示开始日期")).toHaveValue(today);
  const end = resultPublicityEnd(today, 5);
  const batchesBefore = await agency.getByTestId("result-batches").locator("tbody tr").count();

  await agency.getByLabel(/^公示结束日期/).fill(addWorkingDays(end, -1));
  await agency.getByRole("button", { name: "确认创建公示批次" }).click();
  await expect(agency.getByTestId("batch-form-error")).toContainText(
    "公示期不少于5个工作日，所选期间只有4个工作日",
  );
  await expect(agency).not.toHaveURL(/\/agency\/results\/[0-9a-f-]{36}/);
  await agency.goto("/agency/results");
  await expect(agency.getByTestId("result-batches").locator("tbody tr")).toHaveCount(batchesBefore);

  for (const box of await candidates.getByRole("checkbox").all()) {
    const name = await box.getAttribute("aria-label");
    await box.setChecked(name === "宋佳" || name === "罗斌");
  }
  await agency.getByRole("button", { name: "计算公示结束日期" }).click();
  await expect(agency.getByTestId("batch-period")).toContainText(`公示期：${today} 至 ${end}`);
  await expect(agency.getByLabel(/^公示结束日期/)).toHaveValue(end);
  await agency.getByRole("button", { name: "确认创建公示批次" }).click();
  await expect(agency).toHaveURL(/\/agency\/results\/[0-9a-f-]{36}$/);
  const batchPath = new URL(agency.url()).pathname;
  const batchId = batchPath.split("/").pop()!;
  await expect(agency.getByTestId("batch-entries")).toContainText("宋佳");
  await expect(agency.getByTestId("batch-entries")).toContainText("罗斌");
  await agency.getByRole("button", { name: "发布公示" }).click();
  await expect(agency.getByText(`已发布：公示期 ${today} 至 ${end}`)).toBeVisible();
  await expect(agency.getByTestId("batch-state")).toHaveText("公示中");
  await expect(agency.getByTestId("batch-dates")).toContainText("共5个工作日");

  // 2. The public, without logging in: the list, the searches, two complaints, and following one.
  const visitor = await fresh(browser);
  await visitor.goto("/results");
  // Intermediate results are on the agency's pages, not in the city bureau's notices.
  await expect(visitor.getByTestId("bureau-batches").locator(`a[href="/results/${batchId}"]`)).toHaveCount(0);
  await visitor.getByTestId("agency-batches").locator(`a[href="/results/${batchId}"]`).click();
  await expect(visitor).toHaveURL(new RegExp(`/results/${batchId}$`));
  const entries = visitor.getByTestId("public-entries");
  await expect(entries.locator("tr", { hasText: "宋佳" })).toContainText(SONG_UNIT);
  await expect(entries.locator("tr", { hasText: "罗斌" })).toContainText(LUO_UNIT);
  expect(await visitor.locator("main").textContent()).not.toMatch(ID_NUMBER);

  await visitor.getByLabel("姓名或工作单位").fill("罗斌");
  await visitor.getByRole("button", { name: "查询", exact: true }).click();
  await expect(visitor.getByTestId("search-summary")).toContainText("共查到 1 人");
  await expect(entries).toContainText("罗斌");
  await expect(entries).not.toContainText("宋佳");
  await visitor.getByLabel("姓名或工作单位").fill("示例科技");
  await visitor.getByRole("button", { name: "查询", exact: true }).click();
  await expect(visitor.getByTestId("search-summary")).toContainText("共查到 1 人");
  await expect(entries).toContainText("宋佳");
  await expect(entries).not.toContainText("罗斌");

  const refSong = await fileComplaint(
    visitor,
    "宋佳",
    PHONE_A,
    "宋佳申报材料中所列的代表性工程项目并非本人主持完成，请予核查。",
  );
  await visitor.goto(`/results/${batchId}`);
  const refLuo = await fileComplaint(
    visitor,
    "罗斌",
    PHONE_B,
    "罗斌的论文疑似与他人合作，署名顺序与材料不符。",
  );
  await follow(visitor, refSong, PHONE_A);
  await expect(visitor.getByTestId("complaint-state")).toHaveText("办理中");

  // 3. The agency re-reviews: upheld for 宋佳 (her result changes), dismissed for 罗斌.
  await agency.goto(batchPath);
  await expect(agency.getByTestId("batch-complaints")).toContainText(refSong);
  await expect(agency.getByTestId("batch-complaints")).toContainText(refLuo);
  const upheld = "经核查，代表性项目由他人主持，申报人仅为参与人员，评审结果予以撤销。";
  const dismissed = "经核查，论文署名与期刊记录一致，投诉不成立，维持评审结果。";
  await decide(agency, batchPath, refSong, "upheld", upheld);
  await decide(agency, batchPath, refLuo, "dismissed", dismissed);

  await follow(visitor, refSong, PHONE_A);
  await expect(visitor.getByTestId("complaint-state")).toHaveText("经复查成立");
  await expect(visitor.getByTestId("complaint-reason")).toHaveText(upheld);
  await follow(visitor, refLuo, PHONE_B);
  await expect(visitor.getByTestId("complaint-state")).toHaveText("经复查不成立");
  await expect(visitor.getByTestId("complaint-reason")).toHaveText(dismissed);

  // The public list now says 宋佳's result was withdrawn; she can no longer be complained about.
  await visitor.goto(`/results/${batchId}`);
  const songRow = visitor.getByTestId("public-entries").locator("tr", { hasText: "宋佳" });
  await expect(songRow.getByTestId("entry-overturned")).toHaveText("经复查撤销");
  await expect(songRow.getByRole("link", { name: /投诉/ })).toHaveCount(0);
  await expect(visitor.getByRole("link", { name: "投诉 罗斌" })).toBeVisible();

  const song = await signedIn(browser, SONG);
  await ownApplication(song);
  await expect(song.getByTestId("result-notice-result")).toContainText("未通过");
  await expect(async () => {
    await song.reload();
    await expect(song.getByTestId("sms-history")).toContainText(`（编号${refSong}）已处理：成立`, {
      timeout: 1000,
    });
  }).toPass({ timeout: 20_000 });

  // 4. The publicity ends: the day after its last day, the agency confirms the results.
  await setServerClock(request, `${addDays(end, 1)}T09:00:00+08:00`);
  const agencyLater = await signedIn(browser, demo.agency);
  await agencyLater.goto(batchPath);
  await agencyLater.getByRole("button", { name: "立即确认公示结果" }).click();
  await expect(agencyLater.getByText("已确认 1 条结果")).toBeVisible();
  await expect(agencyLater.getByTestId("batch-state")).toHaveText("公示结束");
  await expect(agencyLater.getByTestId("finalisation-status")).toContainText("已确认 1 条");
  await expect(agencyLater.getByTestId("finalisation-status")).toContainText("经复查撤销 1 条");
  const rows = agencyLater.getByTestId("batch-entries");
  await expect(rows.locator("tr", { hasText: "罗斌" })).toHaveAttribute("data-outcome", "final");
  await expect(rows.locator("tr", { hasText: "宋佳" })).toHaveAttribute("data-outcome", "overturned");

  // 5. The city bureau issues the certificates: one, for 罗斌 only.
  const bureau = await signedIn(browser, demo.admin);
  await bureau.goto(`/bureau/results/${batchId}`);
  const panel = bureau.getByTestId("certificate-issuance");
  await panel.getByTestId("issuance-start").click();
  await expect(panel.getByTestId("issuance-count")).toHaveText("已签发 1 / 1", { timeout: 30_000 });
  await expect(panel.getByTestId("issuance-state")).toHaveText("已完成");
  await expect(panel).toContainText("本批次已发证 1 份，待签发 0 人");
  await expect(bureau.getByTestId("issuance-start")).toHaveCount(0);

  const songLater = await signedIn(browser, SONG);
  await songLater.goto("/certificates");
  await expect(songLater.getByTestId("my-certificates")).toHaveCount(0);
  await expect(songLater.getByText("暂无电子证书")).toBeVisible();

  // 6. 罗斌 downloads his certificate from 专业技术人员资格证书.
  const luo = await signedIn(browser, LUO);
  await luo.getByTestId("certificates-link").first().click();
  await expect(luo.getByRole("heading", { name: "专业技术人员资格证书" })).toBeVisible();
  const row = luo.getByTestId("certificate-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("有效");
  await expect(luo.getByTestId("verify-link-hint")).toContainText("点击二维码");
  const link = row.getByRole("link", { name: "下载 PDF" });
  const number = /\/certificates\/([0-9A-Z]+)\.pdf$/.exec((await link.getAttribute("href")) ?? "")![1]!;
  const [download] = await Promise.all([luo.waitForEvent("download"), link.click()]);
  const pdf = await readPdf(new Uint8Array(await readFile((await download.path())!)));
  expect(pdf.text).toContain("专业技术资格证书");
  expect(pdf.text).toContain("罗斌");
  expect(pdf.text).toContain(number);
  expect(pdf.text).not.toMatch(ID_NUMBER);
  // The SMS said it was ready (the outbox is sent a moment after the commit).
  await luo.goto("/dashboard");
  await ownApplication(luo);
  await expect(async () => {
    await luo.reload();
    await expect(luo.getByTestId("sms-history")).toContainText(`证书编号${number}`, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // 7. The QR code (a link on the PDF too) opens the public verification page: valid.
  const verifyUrl = pdf.links.find((u) => u.includes(`/verify/${number}?t=`));
  expect(verifyUrl, "the certificate links its verification page").toBeTruthy();
  const { pathname, search } = new URL(verifyUrl!);
  expect(search).not.toMatch(ID_NUMBER);
  const checker = await fresh(browser, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await checker.goto(pathname + search);
  await expect(checker.getByTestId("verify-status")).toHaveText(/有效/);
  await expect(checker.getByTestId("verify-holder")).toHaveText("罗斌");
  expect(await checker.locator("main").textContent()).not.toMatch(ID_NUMBER);
  await fitsThePhone(checker);
  await checker.screenshot({ path: testInfo.outputPath("phone-verify-valid.png"), fullPage: true });
  // The same certificate as a Verifiable Credential, for machines (the verifier libraries are unit-tested).
  const vcHref = await checker.getByRole("link", { name: /可验证凭证/ }).getAttribute("href");
  const vc = await checker.request.get(vcHref!);
  expect(vc.ok()).toBe(true);
  const credential = await vc.json();
  expect(credential.proof.cryptosuite).toBe("eddsa-jcs-2022");
  expect(credential.credentialSubject.certificate).toMatchObject({ number, holderName: "罗斌" });
  expect(JSON.stringify(credential)).not.toMatch(ID_NUMBER);

  // The public list on the same phone: a card per person, nothing wider than the screen.
  await checker.goto(`/results/${batchId}`);
  await expect(checker.getByTestId("public-entry-cards")).toContainText("罗斌");
  await expect(checker.getByTestId("public-entries")).toBeHidden();
  await fitsThePhone(checker);
  await checker.screenshot({ path: testInfo.outputPath("phone-results-list.png"), fullPage: true });

  // 8. The bureau revokes it; the same verification page says so.
  await bureau.goto("/bureau/certificates");
  await bureau.getByLabel(/^证书编号或姓名/).fill(number);
  await bureau.getByRole("button", { name: "查找" }).click();
  const found = bureau.getByTestId("certificate-result");
  await expect(bureau.getByRole("heading", { name: /^罗斌 · / })).toBeVisible();
  await expect(found.getByTestId("certificate-status")).toHaveText("有效");
  await found.getByLabel(/^撤销原因/).fill("经核实申报材料存在问题，撤销该证书。");
  await found.getByRole("button", { name: "撤销证书" }).click();
  await expect(bureau.getByText(`证书 ${number} 已撤销`)).toBeVisible();
  await expect(bureau.getByTestId("certificate-status")).toContainText("已撤销");

  await checker.goto(pathname + search);
  await expect(checker.getByTestId("verify-status")).toContainText("已撤销");
  await luo.goto("/certificates");
  await expect(luo.getByTestId("certificate-row")).toContainText("已撤销");
});

test("bad input: a made-up certificate number, a malformed one, and a complaint after the publicity ended", async ({
  browser,
}) => {
  const visitor = await fresh(browser);
  // A well-formed number (right check character) that was never issued.
  const madeUp = certificateNumber(2021, 9_999_999);
  await visitor.goto("/verify");
  await field(visitor, "证书编号").fill(madeUp);
  await visitor.getByRole("button", { name: "核验" }).click();
  await expect(visitor).toHaveURL(new RegExp(`/verify/${madeUp}$`));
  await expect(visitor.getByTestId("verify-status")).toContainText("查无此证书");
  await expect(visitor.getByTestId("verify-message")).toContainText(`本局未签发编号为${madeUp}`);

  await visitor.goto("/verify");
  await field(visitor, "证书编号").fill("11 2021 123");
  await visitor.getByRole("button", { name: "核验" }).click();
  await expect(visitor.getByText("证书编号格式不正确或校验位不符")).toBeVisible();

  // 许静's batch ended before today: its list has no complaint links, and the form (by address) refuses.
  await visitor.goto("/results");
  const ended = visitor.getByTestId("agency-batches").getByRole("listitem").filter({ hasText: "已结束" });
  await ended
    .filter({ hasText: /共 1 人/ })
    .first()
    .getByRole("link")
    .click();
  const xu = visitor.getByTestId("public-entries").locator("tr", { hasText: "许静" });
  await expect(xu).toBeVisible();
  await expect(xu.getByRole("link", { name: /投诉/ })).toHaveCount(0);
  const publicityEnd = /至 (\d{4}-\d{2}-\d{2})/.exec(
    (await visitor.getByTestId("public-batch-dates").textContent()) ?? "",
  )![1]!;
  const entryId = await xu.getAttribute("data-entry");
  await visitor.goto(`${new URL(visitor.url()).pathname}/complaint?entry=${entryId}`);
  await expect(visitor.getByTestId("complaint-closed")).toHaveText(
    `该批次公示期已于${publicityEnd}结束，不再受理投诉。`,
  );
  await expect(visitor.getByRole("button", { name: "提交投诉" })).toHaveCount(0);
});
