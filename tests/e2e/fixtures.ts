import { randomInt } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import { idCheckChar } from "@titles/domain";

// The topology run (playwright.topology.config.ts) points them at its reverse proxy.
export const PORTAL = process.env.E2E_PORTAL_URL ?? "http://localhost:3100";
export const PANEL = process.env.E2E_PANEL_URL ?? "http://localhost:3101";
export const DEMO_PASSWORD = "Titles-Demo-2021";

export const demo = {
  applicant: "13800000001",
  applicantB: "13800000002",
  hr: "13800000003",
  agency: "13800000005",
  /** The economics agency: another agency's reviewer. */
  agencyEcon: "13800000014",
  /** Demo applicants whose applications wait, confirmed, in the engineering agency's queue. */
  queuedD: "13800000015",
  queuedE: "13800000016",
  queuedF: "13800000017",
  district: "13800000006",
  expert: "13800000007",
  // Kept for the throttling test: its lock must not get in the way of other tests.
  expertB: "13800000008",
  chair: "13800000010",
  admin: "13800000011",
} as const;

export interface NewPerson {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
}

/** A person nobody has registered yet: a valid ID number (real birth date, right check digit) and a fresh phone. */
export function newPerson(): NewPerson {
  const year = 1960 + randomInt(0, 40);
  const month = String(1 + randomInt(0, 12)).padStart(2, "0");
  const day = String(1 + randomInt(0, 28)).padStart(2, "0");
  const first17 = `110108${year}${month}${day}${String(randomInt(0, 1000)).padStart(3, "0")}`;
  return {
    name: "测试申报人",
    idNumber: first17 + idCheckChar(first17),
    phone: `139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`,
    password: "Autumn-Leaf-2021",
  };
}

export async function fillRegistration(page: Page, person: NewPerson, overrides: Partial<NewPerson> = {}) {
  const p = { ...person, ...overrides };
  await page.goto("/register");
  await page.getByLabel(/^姓名/).fill(p.name);
  await page.getByLabel(/^证件号码/).fill(p.idNumber);
  await page.getByLabel(/^手机号码/).fill(p.phone);
  await page.getByLabel(/^密码/).fill(p.password);
  await page.getByLabel(/^再次输入密码/).fill(p.password);
}

/** Reads the newest code sent to a phone from the SMS simulator page, as a person trying the system would. */
export async function readSmsCode(page: Page, phone: string): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  const sms = await page.context().newPage();
  await sms.goto("/dev/sms");
  const row = sms.getByTestId("sms-row").filter({ hasText: masked }).filter({ hasText: "验证码" }).first();
  await expect(row).toBeVisible();
  const body = (await row.getByTestId("sms-body").textContent()) ?? "";
  await sms.close();
  return /(\d{6})/.exec(body)![1]!;
}

/** Fills and sends the login form; the caller checks the outcome. */
export async function submitLogin(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel(/^手机号码或证件号码/).fill(login);
  await page.getByLabel(/^密码/).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/** Logs in and waits until the portal has moved on from the login page. */
export async function loginAs(page: Page, login: string, password = DEMO_PASSWORD) {
  await submitLogin(page, login, password);
  await expect(page).toHaveURL(/\/dashboard/);
}

export const test = base;
export { expect };
