// Issue 8, web security: headers and a CSP the pages really satisfy, the session cookie's attributes,
// cross-site requests refused, and 429 with Retry-After on login and SMS codes (decision 0015).
import { request as httpRequest } from "node:http";
import type { APIResponse, Page } from "@playwright/test";
import { DEMO_PASSWORD, demo, expect, loginAs, newPerson, PANEL, PORTAL, test } from "./fixtures";

const EVIL = "http://evil.example";

/** Records CSP violations on every page of the context, and console errors that name the CSP. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.context().exposeFunction("__cspViolation", (text: string) => violations.push(text));
  await page.context().addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      // biome-ignore lint/suspicious/noExplicitAny: the exposed function is not typed on window
      (window as any).__cspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI} on ${location.pathname}`,
      );
    });
  });
  page.context().on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      violations.push(message.text());
  });
  return violations;
}

/** Visits same-origin links breadth-first from `start`, up to `max` pages; returns the paths seen. */
async function crawl(page: Page, start: string, max: number, skip: RegExp): Promise<string[]> {
  const origin = new URL(start).origin;
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < max) {
    const url = queue.shift()!;
    const path = new URL(url).pathname;
    if (seen.has(path)) continue;
    seen.add(path);
    const response = await page.goto(url);
    if (!response || !(response.headers()["content-type"] ?? "").includes("text/html")) continue;
    await page.waitForLoadState("networkidle");
    const links = await page
      .locator("a[href]")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const link of links) {
      const next = new URL(link);
      if (next.origin === origin && !skip.test(next.pathname) && !seen.has(next.pathname))
        queue.push(next.href);
    }
  }
  return [...seen];
}

const NOT_A_PAGE =
  /^\/(logout|lang|api|files|test|pay|status|dev|credentials)(\/|$)|\.(pdf|csv|xlsx|json)$|\/attachments\/|\/documents\/[^/]+$/;

function expectSecurityHeaders(headers: Record<string, string>) {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("default-src 'self'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  // HSTS only in production (this is the e2e mode on plain http).
  expect(headers["strict-transport-security"]).toBeUndefined();
  return csp;
}

test("portal pages carry a strict CSP with a fresh nonce that their own scripts use", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const csp = expectSecurityHeaders(first.headers());
  expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(/script-src ([^;]*)/.exec(csp)?.[1]).not.toContain("unsafe");
  expect(second.headers()["content-security-policy"]).not.toContain(nonce!);
  const html = await first.text();
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
  expect(inline.length).toBeGreaterThan(0);
  for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`);

  // Static files too; the certificate check page, whose address holds a token, sends no referrer.
  const asset = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1]!;
  expectSecurityHeaders((await request.get(asset)).headers());
  const verify = await request.get("/verify/X?t=abc");
  expect(verify.headers()["referrer-policy"]).toBe("no-referrer");
});

test("the panel carries its CSP: scripts from itself, sockets to itself only", async ({ request }) => {
  const response = await request.get(`${PANEL}/`);
  const csp = expectSecurityHeaders(response.headers());
  expect(/script-src ([^;]*)/.exec(csp)?.[1]?.trim()).toBe("'self'");
  expect(csp).toContain(`connect-src 'self' ${PANEL.replace(/^http/, "ws")}`);
  expect(csp).toContain(`form-action 'self' ${PORTAL}`);
  // Not same-origin: Chromium would then send `Origin: null` with the logout form posted to the portal.
  expect(response.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("a real login sets the session cookie as __Host-, Secure, HttpOnly and SameSite=Lax", async ({
  playwright,
}) => {
  const api = await playwright.request.newContext({ baseURL: PORTAL });
  const response = await api.post("/login", {
    form: { login: demo.applicantB, password: DEMO_PASSWORD, next: "/dashboard" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const cookie = response.headersArray().find((h) => h.name.toLowerCase() === "set-cookie")?.value ?? "";
  const [pair, ...attributes] = cookie.split(";").map((p) => p.trim());
  expect(pair).toMatch(/^__Host-titles_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  const names = attributes.map((a) => a.split("=")[0]!.toLowerCase());
  expect(names).toEqual(expect.arrayContaining(["path", "httponly", "secure", "samesite"]));
  expect(attributes).toContain("Path=/");
  expect(attributes).toContain("SameSite=Lax");
  expect(names).not.toContain("domain");
  await api.dispose();
});

test("a form on another site cannot act with the user's session", async ({ page }) => {
  await loginAs(page, demo.applicantB);
  // A page of another site with a form aimed at the portal's logout (served here by the test).
  await page.route(`${EVIL}/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><meta charset="utf-8"><form method="post" action="${PORTAL}/logout"><button>win a prize</button></form>`,
    }),
  );
  await page.goto(`${EVIL}/prize`);
  const [answer] = await Promise.all([
    page.waitForResponse(`${PORTAL}/logout`),
    page.getByRole("button", { name: "win a prize" }).click(),
  ]);
  expect(answer.status()).toBe(403);
  await expect(page.getByText("请求来自其他网站，已被拒绝")).toBeVisible();
  await expect(page.getByText("This request came from another website and was refused")).toBeVisible();
  // Still signed in.
  await page.goto(`${PORTAL}/dashboard`);
  await expect(page).toHaveURL(/\/dashboard/);
});

test("cross-site requests are refused by both servers; same-origin and non-browser ones are not", async ({
  request,
}) => {
  const login = (headers: Record<string, string>) =>
    request.post("/login", { form: { login: "nobody", password: "x" }, headers, maxRedirects: 0 });
  const refused = await login({ Origin: EVIL });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toMatch(/请求来自其他网站.*\/ This request came from another website/);
  expect((await login({ "Sec-Fetch-Site": "cross-site" })).status()).toBe(403);
  expect((await request.post("/api/materials", { data: {}, headers: { Origin: EVIL } })).status()).toBe(403);
  expect(
    (await request.post("/api/uploads", { headers: { Origin: EVIL, "Tus-Resumable": "1.0.0" } })).status(),
  ).toBe(403);
  // The same request from the portal's own page, or from a program that is not a browser, is judged as usual.
  expect(
    (
      await request.post("/lang", {
        form: { locale: "zh-CN", redirectTo: "/" },
        headers: { Origin: PORTAL },
        maxRedirects: 0,
      })
    ).status(),
  ).toBe(302);
  expect(
    (await request.post("/lang", { form: { locale: "zh-CN", redirectTo: "/" }, maxRedirects: 0 })).status(),
  ).toBe(302);

  // The panel: tRPC mutations and the socket handshake (cross-site WebSocket hijacking).
  const mutation = await request.post(`${PANEL}/api/trpc/scores.submit`, {
    data: {},
    headers: { Origin: EVIL, "Accept-Language": "en" },
  });
  expect(mutation.status()).toBe(403);
  expect((await mutation.json()).message).toMatch(/^This request came from another website/);
  // engine.io answers a refused upgrade with 400 and the reason.
  const foreign = await upgrade(EVIL);
  expect(foreign.status).toBe(400);
  expect(foreign.body).toContain("请求来自其他网站，已被拒绝");
  expect((await upgrade(PANEL)).status).toBe(101);
});

/** What a WebSocket handshake to the panel gets with the given Origin. */
function upgrade(origin: string): Promise<{ status: number; body: string }> {
  const url = new URL("/socket.io/?EIO=4&transport=websocket", PANEL);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from("0123456789abcdef").toString("base64"),
        Origin: origin,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: "" });
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function expectTooMany(response: APIResponse, text: RegExp) {
  expect(response.status()).toBe(429);
  const wait = Number(response.headers()["retry-after"]);
  expect(wait).toBeGreaterThan(0);
  expect(await response.text()).toMatch(text);
}

test("a login longer than the form allows is refused with a reason, not a server error", async ({
  request,
}) => {
  const response = await request.post("/login", {
    form: { login: "1".repeat(41), password: "x", next: "/dashboard" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain("账号不超过 40 个字符");
});

test("login attempts past the account's budget answer 429 with Retry-After", async ({ request }) => {
  // 吴刚 is the account the auth spec locks: wrong passwords lock it (LOGIN_THROTTLED), then every further
  // attempt spends its budget until RATE_LIMITED. Neither adds failures to this address once locked.
  const attempt = () =>
    request.post("/login", {
      form: { login: demo.expertB, password: "Wrong-Password-1", next: "/dashboard" },
      maxRedirects: 0,
    });
  let response = await attempt();
  for (let i = 0; i < 25 && response.status() !== 429; i++) response = await attempt();
  await expectTooMany(response, /登录失败次数过多|操作过于频繁/);
  for (let i = 0; i < 25 && !/操作过于频繁/.test(await response.text()); i++) {
    response = await attempt();
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  }
  await expectTooMany(response, /操作过于频繁，请\d+秒后再试/);
});

test("SMS code requests and code checks past a phone's budget answer 429 with Retry-After", async ({
  request,
}) => {
  const person = newPerson();
  // Details that fail their checks (a short password): no SMS is sent and nothing is written, but each
  // request spends the phone's budget (five an hour).
  const ask = (intent?: string) =>
    request.post("/register", {
      form: {
        name: person.name,
        idType: "mainland",
        idNumber: person.idNumber,
        phone: person.phone,
        password: "x",
        passwordConfirm: "x",
        ...(intent ? { intent, code: "000000" } : {}),
      },
      maxRedirects: 0,
    });
  const sends = [];
  for (let i = 0; i < 6; i++) sends.push(await ask());
  expect(sends.slice(0, 5).map((r) => r.status())).toEqual([200, 200, 200, 200, 200]);
  await expectTooMany(sends[5]!, /操作过于频繁，请\d+秒后再试/);

  // Trying codes: ten a phone in ten minutes.
  const checks = [];
  for (let i = 0; i < 11; i++) checks.push(await ask("register"));
  expect(checks.slice(0, 10).every((r) => r.status() !== 429)).toBe(true);
  await expectTooMany(checks[10]!, /操作过于频繁，请\d+秒后再试/);
});

test("the pages of every role run under the CSP with no violation", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const violations = await watchCsp(page);
  const visited: string[] = [];
  // The applicant's pages (dashboard, application, materials with thumbnails and the PDF viewer).
  await loginAs(page, demo.applicant);
  visited.push(...(await crawl(page, `${PORTAL}/dashboard`, 15, NOT_A_PAGE)));
  // The agency's review pages (the PDF viewer and its worker).
  const agency = await browser.newPage();
  const agencyViolations = await watchCsp(agency);
  await loginAs(agency, demo.agency);
  visited.push(...(await crawl(agency, `${PORTAL}/agency`, 10, NOT_A_PAGE)));
  // The panel through the portal login: its client, socket.io over websocket, dossiers in pdf.js.
  const chair = await browser.newPage();
  const panelViolations = await watchCsp(chair);
  await chair.goto(PANEL);
  await chair.getByRole("link", { name: "使用门户账号登录" }).click();
  await chair.getByLabel(/^手机号码或证件号码/).fill(demo.chair);
  await chair.getByLabel(/^密码/).fill(DEMO_PASSWORD);
  await chair.getByRole("button", { name: "登录" }).click();
  await expect(chair).toHaveURL(new RegExp(`^${PANEL}/`));
  await expect(chair.getByRole("status").filter({ hasText: "已连接" })).toBeVisible();
  visited.push(...(await crawl(chair, `${PANEL}/`, 8, /^\/(api|socket\.io|healthz)(\/|$)/)));

  console.log(`[csp] ${visited.length} pages visited under the CSP`);
  expect(visited.length).toBeGreaterThan(10);
  expect([...violations, ...agencyViolations, ...panelViolations]).toEqual([]);
  await agency.close();
  await chair.close();
});
