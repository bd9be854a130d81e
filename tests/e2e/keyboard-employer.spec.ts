import { randomInt } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "@playwright/test";
import { DEMO_PASSWORD, demo, expect, newPerson, PORTAL, test } from "./fixtures";
import {
  hydrated,
  registerApplicant,
  setServerClock,
  startAndFill,
  submitToUnit,
  uploadThrough,
} from "./journey-helpers";

const photo = fileURLToPath(new URL("./files/certificate.jpg", import.meta.url));
/** 王芳's unit (HR 13800000003). */
const UNIT = "北京示例科技有限公司";

/** A name nobody else in the inbox has, so that HR can find the application by it. */
function uniqueName(): string {
  const han = "安白春丹东方高光海和红华江金兰丽林明宁平清秋瑞山松文霞新雪阳云志";
  return `键${Array.from({ length: 3 }, () => han[randomInt(0, han.length)]).join("")}`;
}

/** A freshly registered applicant of HR's unit whose application waits in HR's inbox; returns the name. */
async function submittedApplication(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const person = { ...newPerson(), name: uniqueName() };
  await registerApplicant(page, person);
  await startAndFill(page);
  await uploadThrough(page, photo);
  await page.goto(`${new URL(page.url()).pathname.replace(/\/materials$/, "")}/review`);
  await submitToUnit(page, UNIT);
  await context.close();
  return person.name;
}

interface Focused {
  /** The element's tag, or "body" when nothing on the page has focus. */
  tag: string;
  type: string | null;
  /** Its label, accessible name or text, spaces collapsed. */
  name: string;
  href: string | null;
  /** A focus indicator is drawn: an outline or a box shadow. */
  indicated: boolean;
  /** Inside the material viewer. */
  inViewer: boolean;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) {
      return { tag: "body", type: null, name: "", href: null, indicated: false, inViewer: false };
    }
    const labels = (el as HTMLInputElement).labels;
    const name =
      (labels && labels.length > 0 ? labels[0]!.textContent : null) ??
      el.getAttribute("aria-label") ??
      el.textContent ??
      "";
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none" && style.boxShadow !== "";
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type"),
      name: name.replace(/\s+/g, " ").trim(),
      href: el.getAttribute("href"),
      indicated: outline || shadow,
      inViewer: !!el.closest('[data-testid="material-viewer"]'),
    };
  });
}

const show = (f: Focused) => `<${f.tag}${f.type ? ` type=${f.type}` : ""}> “${f.name.slice(0, 40)}”`;

/**
 * Presses Tab (or Shift+Tab) until the focused element matches; every element passed on the way must show
 * where the focus is. Fails if the focus runs off the page twice without finding it.
 */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, what: string, backwards = false) {
  let offPage = 0;
  for (let presses = 0; presses < 150; presses++) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const f = await focused(page);
    if (f.tag === "body") {
      offPage += 1;
      expect(offPage, `${what}: not reachable with ${backwards ? "Shift+Tab" : "Tab"}`).toBeLessThan(2);
      continue;
    }
    expect(f.indicated, `focus is not visible on ${show(f)}`).toBe(true);
    if (wanted(f)) return f;
  }
  throw new Error(`${what}: not reached in 150 presses`);
}

const named = (start: string) => (f: Focused) => f.name.startsWith(start);

/**
 * Types a date into the focused date field. The order of its parts (year, month, day) follows the browser's
 * language, so it is found first as a person would: an arrow up on each part shows which part it is, and an
 * arrow down puts it back.
 */
async function typeDate(page: Page, field: Locator, iso: string) {
  type Part = "year" | "month" | "day";
  const split = (value: string) => {
    const [year, month, day] = value.split("-") as [string, string, string];
    return { year, month, day };
  };
  const order: Part[] = [];
  for (let n = 0; n < 3; n++) {
    const before = split(await field.inputValue());
    await page.keyboard.press("ArrowUp");
    const after = split(await field.inputValue());
    await page.keyboard.press("ArrowDown");
    order.push((["year", "month", "day"] as const).find((part) => before[part] !== after[part])!);
    if (n < 2) await page.keyboard.press("ArrowRight");
  }
  expect(new Set(order).size, `the date's parts: ${order.join(", ")}`).toBe(3);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  const parts = split(iso);
  for (const [index, part] of order.entries()) {
    await page.keyboard.type(parts[part]);
    // Two-digit parts move on by themselves; a year may have more digits, so the arrow moves on from it.
    if (part === "year" && index < order.length - 1) await page.keyboard.press("ArrowRight");
  }
  await expect(field).toHaveValue(iso);
}

test.afterAll(async ({ playwright }) => {
  const request = await playwright.request.newContext({ baseURL: PORTAL });
  await setServerClock(request, null);
  await request.dispose();
});

test("HR works the employer workspace with the keyboard alone", async ({ browser }) => {
  test.setTimeout(120_000);
  const toReturn = await submittedApplication(browser);
  const toAccept = await submittedApplication(browser);

  const hr = await (await browser.newContext()).newPage();

  // Log in: the first Tab shows the skip link; the fields are reached and typed into.
  await hr.goto("/login");
  const skip = await tabTo(hr, () => true, "the first stop");
  expect(skip.href, "the first stop is the skip link").toBe("#main");
  await tabTo(hr, named("手机号码或证件号码"), "the login field");
  await hr.keyboard.type(demo.hr);
  await tabTo(hr, named("密码"), "the password field");
  await hr.keyboard.type(DEMO_PASSWORD);
  await hr.keyboard.press("Enter");
  await expect(hr).toHaveURL(/\/dashboard/);

  // The workspace, then the inbox, then the application to return.
  await tabTo(hr, (f) => f.href === "/hr", "the employer workspace link");
  await hr.keyboard.press("Enter");
  await expect(hr).toHaveURL(/\/hr$/);
  await tabTo(hr, (f) => f.tag === "a" && f.name === toReturn, `${toReturn} in the inbox`);
  await hr.keyboard.press("Enter");
  await expect(hr).toHaveURL(/\/hr\/applications\//);

  // Read the generated form: the viewer takes the keyboard, lets it leave both ways, and gives it back.
  const formButton = await tabTo(hr, named("申报信息表（PDF）"), "the application form button");
  await hydrated(hr);
  await hr.keyboard.press("Enter");
  await expect(hr.getByTestId("material-viewer").locator("canvas").first()).toBeVisible({ timeout: 20_000 });
  const inside = await focused(hr);
  expect(inside.inViewer, `focus moved into the viewer, not ${show(inside)}`).toBe(true);
  expect(inside.indicated).toBe(true);
  await tabTo(hr, (f) => !f.inViewer, "an element after the viewer");
  await tabTo(hr, (f) => f.inViewer, "back into the viewer", true);
  await tabTo(hr, (f) => !f.inViewer, "an element before the viewer", true);
  await tabTo(hr, named("关闭预览"), "the viewer's close button");
  await hr.keyboard.press("Enter");
  await expect(hr.getByTestId("material-viewer")).toHaveCount(0);
  expect((await focused(hr)).name, "focus is back on the button that opened the viewer").toBe(
    formButton.name,
  );
  // Escape closes it too.
  await hr.keyboard.press("Space");
  await expect(hr.getByTestId("material-viewer")).toBeVisible();
  expect((await focused(hr)).inViewer).toBe(true);
  await hr.keyboard.press("Escape");
  await expect(hr.getByTestId("material-viewer")).toHaveCount(0);
  expect((await focused(hr)).name).toBe(formButton.name);

  // Return it with a reason, going back up the page from the viewer's button.
  await tabTo(hr, named("退回理由"), "the reason field", true);
  await hr.keyboard.type("现任职务填写不准确，请按单位任职文件填写。");
  await tabTo(hr, named("退回申报人修改"), "the return button");
  await hr.keyboard.press("Space");
  await expect(hr.getByText("单位退回修改").first()).toBeVisible();

  // Back to the inbox, the other application: accept it.
  await tabTo(hr, named("← 返回待办申报"), "the link back to the inbox");
  await hr.keyboard.press("Enter");
  await expect(hr).toHaveURL(/\/hr$/);
  await tabTo(hr, (f) => f.tag === "a" && f.name === toAccept, `${toAccept} in the inbox`);
  await hr.keyboard.press("Enter");
  await expect(hr).toHaveURL(/\/hr\/applications\//);
  await tabTo(hr, named("审核通过，准备公示"), "the accept button");
  await hr.keyboard.press("Enter");
  await expect(hr.getByRole("heading", { name: "开始单位公示" })).toBeVisible();

  // The publicity: type its first day, have the end computed, confirm.
  const startField = await tabTo(hr, (f) => f.type === "date", "the publicity's first day");
  expect(startField.name).toContain("公示开始日期");
  const dateField = hr.getByLabel(/^公示开始日期/);
  const today = await dateField.inputValue();
  await typeDate(hr, dateField, today);
  await tabTo(hr, named("计算公示结束日期"), "the calculate button");
  await hr.keyboard.press("Enter");
  // A start on a rest day moves to the next working day.
  await expect(hr.getByTestId("publicity-preview")).toContainText(/公示期：\d{4}-\d{2}-\d{2} 至/);
  await tabTo(hr, named("确认开始公示"), "the confirm button");
  await hr.keyboard.press("Enter");
  await expect(hr.getByText(/公示期至 \d{4}-\d{2}-\d{2}/)).toBeVisible();

  // An objection: the disclosure opens with Enter and the keyboard moves into it; arrows choose the finding.
  await tabTo(hr, named("登记异议"), "the objection disclosure");
  await hr.keyboard.press("Enter");
  await expect(hr.getByLabel(/^异议内容/)).toBeVisible();
  await tabTo(hr, named("异议内容"), "the objection field");
  await hr.keyboard.type("反映其论文署名存在问题");
  const finding = await tabTo(hr, (f) => f.type === "radio", "the finding");
  expect(finding.name).toContain("异议不成立");
  await hr.keyboard.press("ArrowDown");
  await expect(hr.getByLabel("异议成立，终止申报")).toBeChecked();
  await hr.keyboard.press("ArrowUp");
  await expect(hr.getByLabel("异议不成立，继续办理")).toBeChecked();
  await tabTo(hr, named("处理结果及理由"), "the outcome field");
  await hr.keyboard.type("经核实署名无误");
  // Shift+Tab leaves the field backwards and Tab comes back: no trap in either direction.
  await tabTo(hr, (f) => f.type === "radio", "the finding again", true);
  await tabTo(hr, named("处理结果及理由"), "the outcome field again");
  await tabTo(hr, (f) => f.tag === "button" && f.name === "登记", "the record button");
  await hr.keyboard.press("Enter");
  await expect(hr.getByText("异议不成立：经核实署名无误")).toBeVisible();

  // From the day HR may recommend: the stamped scan is chosen from the keyboard, a delete asks first and
  // leaves the keyboard where it was, and the recommendation is typed and sent.
  const notice = (await hr.getByText(/起可填写推荐意见/).textContent()) ?? "";
  const from = /(\d{4}-\d{2}-\d{2}) 起可填写推荐意见/.exec(notice)?.[1];
  expect(from, notice).toBeTruthy();
  await setServerClock(hr.request, new Date(`${from}T09:00:00+08:00`).toISOString());
  await hr.reload();
  await tabTo(hr, named("选择照片或 PDF 文件"), "the scan's file input");
  const [chooser] = await Promise.all([hr.waitForEvent("filechooser"), hr.keyboard.press("Space")]);
  await chooser.setFiles(photo);
  await expect(hr.getByText(/·\s*已上传/)).toBeVisible({ timeout: 30_000 });
  const remove = await tabTo(hr, named("删除"), "the scan's delete button");
  const asked = new Promise<string>((resolve) =>
    hr.once("dialog", (dialog) => {
      resolve(dialog.message());
      void dialog.dismiss();
    }),
  );
  await hr.keyboard.press("Enter");
  expect(await asked).toContain("确定删除");
  expect((await focused(hr)).name, "focus is back on the delete button").toBe(remove.name);
  await tabTo(hr, named("单位推荐意见"), "the recommendation field");
  await hr.keyboard.type("该同志业绩突出，同意推荐。");
  await tabTo(hr, named("提交推荐意见"), "the recommend button");
  await hr.keyboard.press("Enter");
  await expect(hr.getByText("该同志业绩突出，同意推荐。")).toBeVisible();
  await hr.context().close();
});
