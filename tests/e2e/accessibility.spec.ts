import { readdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { certificateNumber } from "@titles/domain";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { expectAccessible } from "./a11y";
import {
  DEMO_PASSWORD,
  demo,
  expect,
  fillRegistration,
  loginAs,
  newPerson,
  PANEL,
  PORTAL,
  readSmsCode,
  test,
} from "./fixtures";

// Issue 8: axe-core on every page a person can reach, as each demo role, with no serious or critical
// violation. The spec follows links and opens forms but submits none on demo data, so what other specs
// rely on stays as it was; its only writes are a newly registered person and their draft application.

const SONG = "13800000025"; // 宋佳: passed, waiting for her batch
const XU = "13800000027"; // 许静: publicity over, certificate issued
const LIN = "13800000019"; // 林峰: complete, waiting for a defense
const IN_PUBLICITY = "13800000012"; // the demo application in its employer's publicity
const ZHOU = "13800000007"; // 周明: an expert of the demo committee

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Files, exports, machine endpoints and links that change something on GET: not pages to check. */
const NOT_A_PAGE =
  /^\/(logout|lang|api|files|test|pay|credentials|status)(\/|$)|\.(pdf|csv|xlsx|json)$|\/attachments\/|\/documents\/[^/]+$/;

/** One visit per route and role: ids (and certificate numbers) are the same page with other data. */
function patternOf(pathname: string): string {
  return pathname.replace(UUID, ":id").replace(/^\/verify\/[^/]+$/, "/verify/:number");
}

/**
 * In the panel a meeting's kind decides its pages (a defense has scoring, a committee a room), so each
 * meeting's pages are visited; a dossier is the same page in every meeting.
 */
function panelPatternOf(pathname: string): string {
  return /\/applications\//.test(pathname) ? patternOf(pathname) : pathname;
}

const checked: string[] = [];
const unreachable: string[] = [];
const opened: BrowserContext[] = [];

test.afterEach(async () => {
  for (const context of opened.splice(0)) await context.close();
});

test.afterAll(() => {
  const visited = new Set(checked.map((c) => c.split(" ").pop()!));
  const routes = routePatterns().filter(
    (r) => !NOT_A_PAGE.test(r.replace(/:\w+/g, "x")) && ![...visited].some((v) => matches(r, v)),
  );
  console.log(
    `accessibility: ${checked.length} pages checked (${visited.size} distinct routes: ${[...visited].sort().join(", ")})` +
      (unreachable.length ? `; not reached: ${unreachable.join("; ")}` : "") +
      (routes.length ? `; routes never visited: ${routes.join(", ")}` : ""),
  );
});

async function fresh(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  opened.push(context);
  return context.newPage();
}

/** Pages that look the same whoever is signed in: checked once in the whole file, not once per role. */
const SHARED = new Set([
  "/",
  "/account",
  "/login",
  "/register",
  "/results",
  "/results/:id",
  "/results/:id/complaint",
  "/complaints",
  "/verify",
  "/verify/:number",
  "/dev/sms",
  "/certificates",
]);
const sharedSeen = new Set<string>();

/**
 * Lets the page settle: the portal renders on the server (its heading is there at `load`); the panel
 * fills itself over tRPC and a socket (its network never goes quiet), so it waits until nothing says
 * it is loading and no region is busy (the dossier's PDF).
 */
async function settle(page: Page) {
  await expect(page.locator("h1").first()).toBeVisible();
  if (page.url().startsWith(PANEL)) {
    await expect(page.getByText("正在加载…")).toHaveCount(0);
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  }
}

/** Opens a page; null for an address that downloads a file instead (a document route). */
async function open(page: Page, url: string) {
  try {
    return await page.goto(url);
  } catch (error) {
    if (String(error).includes("Download is starting")) return null;
    throw error;
  }
}

/** Checks one page by address; false when it could not be opened (recorded as not reached). */
async function check(page: Page, who: string, url: string): Promise<boolean> {
  const response = await open(page, url);
  const wanted = patternOf(new URL(url, PORTAL).pathname);
  if (!response || response.status() >= 400) {
    unreachable.push(`${who} ${wanted} (${response ? `HTTP ${response.status()}` : "a download"})`);
    return false;
  }
  const landed = patternOf(new URL(page.url()).pathname);
  if (landed !== wanted) {
    // The page is not for this application's state: the place it sends the person is checked elsewhere.
    unreachable.push(`${who} ${wanted} (redirects to ${landed})`);
    return false;
  }
  await settle(page);
  await expectAccessible(page, `${who} ${url}`);
  checked.push(`${who} ${patternOf(new URL(page.url()).pathname)}`);
  return true;
}

/**
 * Visits `starts` and every same-site page linked from them, once per route, running axe on each. A link
 * that redirects to a route already seen is not checked twice.
 */
async function crawl(page: Page, who: string, starts: string[], origin = PORTAL, max = 25) {
  const keyOf = origin === PANEL ? panelPatternOf : patternOf;
  const seen = new Set<string>();
  const queue = [...starts];
  let count = 0;
  while (queue.length > 0 && count < max) {
    const url = new URL(queue.shift()!, origin);
    const pattern = keyOf(url.pathname);
    const shared = (p: string) => origin === PORTAL && sharedSeen.has(p);
    if (seen.has(pattern) || shared(pattern)) continue;
    seen.add(pattern);
    const response = await open(page, url.href);
    if (response === null) continue;
    if (response.status() >= 400) {
      unreachable.push(`${who} ${pattern} (HTTP ${response.status()})`);
      continue;
    }
    const landed = keyOf(new URL(page.url()).pathname);
    if (landed !== pattern) {
      if (seen.has(landed) || shared(landed)) continue;
      seen.add(landed);
    }
    if (origin === PORTAL && SHARED.has(landed)) sharedSeen.add(landed);
    await settle(page);
    const route = origin === PANEL ? `panel:${patternOf(landed)}` : landed;
    await expectAccessible(page, `${who} ${route}`);
    checked.push(`${who} ${route}`);
    count++;
    const links = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of links) {
      const link = new URL(href);
      if (link.origin !== origin || NOT_A_PAGE.test(link.pathname)) continue;
      if (!seen.has(keyOf(link.pathname))) queue.push(link.href);
    }
  }
}

/** Opens the panel with the portal login, as an expert does (the portal sends them back). */
async function panelLogin(browser: Browser, login: string): Promise<Page> {
  const page = await fresh(browser);
  await page.goto(`/login?next=${encodeURIComponent(`${PANEL}/`)}`);
  await page.getByLabel(/^手机号码或证件号码/).fill(login);
  await page.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PANEL}/`));
  return page;
}

/** The QR target of a certificate: only the PDF carries its token. */
async function verificationUrl(page: Page): Promise<string | null> {
  const href = await page.locator('a[href^="/certificates/"][href$=".pdf"]').first().getAttribute("href");
  if (!href) return null;
  const bytes = new Uint8Array(await (await page.request.get(href)).body());
  const doc = await getDocument({ data: bytes }).promise;
  for (let n = 1; n <= doc.numPages; n++) {
    for (const a of await (await doc.getPage(n)).getAnnotations()) {
      if (a.subtype === "Link" && typeof a.url === "string" && a.url.includes("/verify/")) return a.url;
    }
  }
  return null;
}

/** The web app's routes as URL patterns, from the file names (Remix flat routes). */
function routePatterns(): string[] {
  const dir = new URL("../../apps/web/app/routes/", import.meta.url);
  return readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f))
    .map((f) => {
      const segments = f
        .replace(/\.tsx?$/, "")
        .replace(/\[(\.\w+)\]/g, (_, ext: string) => ext.replace(".", "\u0000"))
        .split(".")
        .filter((s) => s !== "_index" && !s.startsWith("_"))
        .map((s) =>
          s
            .replace(/_$/, "")
            .replace(/^\$(\w+)$/, ":$1")
            .replace("\u0000", "."),
        );
      return `/${segments.join("/")}`.replace(/\/\.(\w+)$/, ".$1");
    });
}

function matches(route: string, pattern: string): boolean {
  return new RegExp(`^${route.replace(/:\w+/g, "[^/]+")}$`).test(pattern.replace(/:id|:number/g, "x"));
}

test("public pages, signed out", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await fresh(browser);
  await crawl(page, "public", ["/", "/login", "/register", "/results", "/complaints", "/verify", "/dev/sms"]);
  // "Not ours": a well-formed made-up number.
  await check(page, "public", `/verify/${certificateNumber(2021, 9_999_999)}`);
});

test("applicants: dashboard, application pages, results and certificates", async ({ browser }) => {
  test.setTimeout(150_000);
  for (const login of [demo.applicant, IN_PUBLICITY, SONG, LIN]) {
    const page = await fresh(browser);
    await loginAs(page, login);
    await crawl(page, `applicant ${login}`, ["/dashboard", "/account", "/applications/new"], PORTAL, 15);
  }
  // A draft's form steps, materials and review are linked only while it is a draft, and starting one is a
  // POST: a newly registered person (not demo data other specs use) starts one to reach them.
  const person = newPerson();
  const newcomer = await fresh(browser);
  await fillRegistration(newcomer, person);
  await newcomer.getByRole("button", { name: "获取短信验证码" }).click();
  await expect(newcomer.getByRole("status").filter({ hasText: "验证码已发送" })).toBeVisible();
  await newcomer.getByLabel(/^短信验证码/).fill(await readSmsCode(newcomer, person.phone));
  await newcomer.getByRole("button", { name: "完成注册" }).click();
  await expect(newcomer).toHaveURL(/\/dashboard/);
  await newcomer.goto("/applications/new");
  await newcomer.getByLabel("申报系列、级别和通道").selectOption("engineering/deputy-senior/regular");
  await newcomer.getByRole("button", { name: "开始填报" }).click();
  await expect(newcomer).toHaveURL(/\/form\/personal$/);
  const draft = new URL(newcomer.url()).pathname.replace(/\/form\/personal$/, "");
  for (const step of ["personal", "position", "achievements", "series"]) {
    await check(newcomer, "applicant (new)", `${draft}/form/${step}`);
  }
  await check(newcomer, "applicant (new)", `${draft}/materials`);
  await check(newcomer, "applicant (new)", `${draft}/review`);

  // Steps of later states, opened by address on the application in its employer's publicity.
  const page = await fresh(browser);
  await loginAs(page, IN_PUBLICITY);
  const own = await page.getByTestId("my-applications").getByRole("link").first().getAttribute("href");
  for (const step of ["confirm", "correction", "payment"]) {
    await check(page, `applicant ${IN_PUBLICITY}`, `${own}/${step}`);
  }
  // 许静: the result block, the re-review form and her certificate, then its public verification page.
  const xu = await fresh(browser);
  await loginAs(xu, XU);
  await crawl(xu, `applicant ${XU}`, ["/dashboard", "/certificates"]);
  await xu.goto("/dashboard");
  await xu.getByTestId("my-applications").getByRole("link").first().click();
  await expect(xu).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
  await check(xu, `applicant ${XU}`, `${new URL(xu.url()).pathname}/re-review`);
  await xu.goto("/certificates");
  const verify = await verificationUrl(xu);
  if (verify) {
    const url = new URL(verify);
    await check(await fresh(browser), "public", url.pathname + url.search);
  } else unreachable.push("public /verify/:number?t= (no certificate for 许静)");
});

test("staff: employer HR, district and the economics agency", async ({ browser }) => {
  test.setTimeout(90_000);
  const staff: [string, string[]][] = [
    [demo.hr, ["/dashboard", "/hr"]],
    [demo.district, ["/dashboard", "/district"]],
    [demo.agencyEcon, ["/agency"]],
  ];
  for (const [login, starts] of staff) {
    const page = await fresh(browser);
    await loginAs(page, login);
    await crawl(page, `staff ${login}`, starts, PORTAL, 10);
  }
});

test("staff: the engineering agency and the city bureau", async ({ browser }) => {
  test.setTimeout(150_000);
  const staff: [string, string[]][] = [
    [demo.agency, ["/agency", "/agency/results"]],
    [demo.admin, ["/dashboard", "/admin", "/bureau", "/bureau/results", "/bureau/certificates"]],
  ];
  for (const [login, starts] of staff) {
    const page = await fresh(browser);
    await loginAs(page, login);
    await crawl(page, `staff ${login}`, starts, PORTAL, 25);
  }
});

test("experts: the portal and the panel (lobby, agenda, dossier, committee room, defense scoring)", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  for (const login of [demo.chair, ZHOU]) {
    const page = await panelLogin(browser, login);
    await crawl(page, `panel ${login}`, [`${PANEL}/`], PANEL, 12);
    await crawl(page, `expert ${login}`, ["/dashboard", "/expert"]);
  }
});

test("on a phone: the applicant's dashboard and status page, and a public result list", async ({
  browser,
}) => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const page = await fresh(browser, phone);
  await loginAs(page, XU);
  await check(page, "phone", "/dashboard");
  await page.getByTestId("my-applications").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
  await check(page, "phone", new URL(page.url()).pathname);
  await page.goto("/results");
  const batch = await page.locator('a[href^="/results/"]').first().getAttribute("href");
  expect(batch, "a published result batch").toBeTruthy();
  await check(page, "phone", batch!);
});
