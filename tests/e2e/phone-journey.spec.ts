import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "@playwright/test";
import { expectAccessible } from "./a11y";
import { demo, expect, loginAs, newPerson, PORTAL, test } from "./fixtures";
import {
  acceptAndPublicise,
  pdfText,
  recommendAfterPublicity,
  registerApplicant,
  setServerClock,
  startAndFill,
  submitToUnit,
  tap,
  uploadThrough,
} from "./journey-helpers";

/** A page photographed with a phone's camera: 3024×4032, as it leaves the camera. */
const pagePhoto = fileURLToPath(new URL("./files/phone-page.jpg", import.meta.url));
const scan = fileURLToPath(new URL("./files/certificate.jpg", import.meta.url));
/** 王芳's unit (HR 13800000003). */
const UNIT = "北京示例科技有限公司";

/** A mid-size phone: 390×844 CSS px at 3x, touch, a mobile browser's user agent. */
async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    screen: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent:
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  });
  return context.newPage();
}

/** Nothing on the page is wider than the phone: no sideways scrolling. */
async function fitsThePhone(page: Page) {
  const where = new URL(page.url()).pathname;
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    const innerWidth = window.innerWidth;
    // Name the widest culprit, so a failure says what to fix.
    let widest = "";
    let right = innerWidth;
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.right > right + 0.5 && getComputedStyle(el).position !== "absolute") {
        right = box.right;
        widest = `${el.tagName.toLowerCase()}.${String(el.className)} (${Math.round(box.right)}px)`;
      }
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, widest };
  });
  expect(innerWidth, "the page uses the device width").toBe(390);
  expect(scrollWidth, `${where} scrolls sideways on a phone: ${widest}`).toBeLessThanOrEqual(innerWidth);
}

/**
 * A main action a thumb can hit and an eye can see: at least 24×24 CSS px (WCAG 2.2 target size, minimum)
 * and its text at least 4.5:1 against the background it sits on.
 */
async function bigEnough(target: Locator) {
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  const name = (await target.textContent())?.trim();
  expect(box.width, `width of “${name}”`).toBeGreaterThanOrEqual(24);
  expect(box.height, `height of “${name}”`).toBeGreaterThanOrEqual(24);
  const contrast = await target.evaluate((el) => {
    const rgba = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const linear = (v: number) =>
        v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4;
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    let background = [255, 255, 255];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3]! > 0) {
        background = colour;
        break;
      }
    }
    const [a, b] = [luminance(rgba(getComputedStyle(el).color)), luminance(background)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
  expect(contrast, `contrast of “${name}”`).toBeGreaterThanOrEqual(4.5);
}

/** The status page says which stage the application is in and, where there is one, its date. */
async function statusSays(page: Page, stage: string, next: string, date: RegExp | null) {
  await fitsThePhone(page);
  const current = page.locator('[aria-current="step"]');
  await expect(current).toContainText(stage);
  if (date) await expect(current).toContainText(date);
  await expect(page.getByTestId("next-step")).toContainText(next);
}

test.afterAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: PORTAL });
  await setServerClock(request, null);
  await request.dispose();
});

test("an applicant applies on a phone with touch, from registration to the confirmation receipt", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const applicant = await phone(browser);
  const person = newPerson();

  await registerApplicant(applicant, person, tap);
  await fitsThePhone(applicant);

  // The form, step by step, each step checked for width before it is filled.
  const id = await startAndFill(applicant, tap, () => fitsThePhone(applicant));

  // Materials: a file that is neither photo nor PDF is refused in place, with a retry that can be seen and hit.
  await fitsThePhone(applicant);
  const chooser = applicant.getByLabel("选择照片或 PDF 文件");
  await expect(chooser).toBeEnabled();
  await chooser.setInputFiles({
    name: "备注.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("不是照片"),
  });
  await expect(applicant.getByRole("alert").filter({ hasText: "只能上传照片" })).toBeVisible();
  await bigEnough(applicant.getByRole("button", { name: "重试" }));
  await expectAccessible(applicant, "materials with a refused file on a phone");
  await fitsThePhone(applicant);

  // A page photographed with the camera input (compressed on the phone before it leaves).
  await uploadThrough(applicant, pagePhoto, 0, "拍照上传");
  await fitsThePhone(applicant);
  const next = applicant.getByRole("link", { name: "下一步：核对并提交" });
  await bigEnough(next);
  await tap(next);

  // Review, then find the unit and submit to it.
  await expect(applicant).toHaveURL(/\/review$/);
  await fitsThePhone(applicant);
  await bigEnough(applicant.getByRole("button", { name: "搜索" }));
  await submitToUnit(applicant, UNIT, tap);
  await fitsThePhone(applicant);
  for (const name of ["申报信息表", "诚信承诺书", "公示模板"]) {
    await bigEnough(applicant.getByRole("link", { name: `${name} (PDF)` }));
  }

  await applicant.goto(`/applications/${id}`);
  await statusSays(applicant, "提交工作单位审核", "诚信承诺书", /建议 \d{4}-\d{2}-\d{2}/);

  // HR, at a desktop, accepts and publicises; the status page follows on the phone.
  const hrContext = await browser.newContext();
  const hr = await hrContext.newPage();
  await loginAs(hr, demo.hr);
  const end = await acceptAndPublicise(hr, id);
  await applicant.reload();
  await statusSays(applicant, "单位推荐及公示", "单位公示中", new RegExp(`至 ${end}|${end}`));

  // The day after the publicity HR recommends; the applicant is asked for the stamped pages, with the deadline.
  await recommendAfterPublicity(hr, id, end, scan);
  await hrContext.close();
  await applicant.reload();
  await statusSays(applicant, "上传盖章材料并确认申报", "逐页拍照上传", /截止 \d{4}-\d{2}-\d{2}/);
  const toConfirm = applicant.getByRole("link", { name: "上传盖章材料并确认申报" });
  await bigEnough(toConfirm);
  await tap(toConfirm);

  // The three stamped documents, each photographed with the camera, then confirmation.
  await expect(applicant).toHaveURL(/\/confirm$/);
  await fitsThePhone(applicant);
  for (let n = 0; n < 3; n++) await uploadThrough(applicant, pagePhoto, n, "拍照上传");
  await fitsThePhone(applicant);
  const confirm = applicant.getByRole("button", { name: "确认申报" });
  await bigEnough(confirm);
  await tap(confirm);
  await expect(applicant).toHaveURL(new RegExp(`/applications/${id}\\?confirmed=1`));
  await expect(applicant.getByText("确认申报时间")).toBeVisible();
  await statusSays(applicant, "评审机构审核", "等待评审机构审核", null);

  // The receipt downloads on the phone and names the applicant and the application.
  const receiptLink = applicant.getByRole("link", { name: "下载确认回执" });
  await bigEnough(receiptLink);
  const [receipt] = await Promise.all([applicant.waitForEvent("download"), tap(receiptLink)]);
  const text = await pdfText(receipt);
  expect(text).toContain(person.name);
  expect(text).toContain(id);
  await applicant.context().close();
});
