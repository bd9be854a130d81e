// The production variant of the headers (the e2e suite runs the test mode over http): HSTS, upgrades.
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { CSP_REPORT_PATH, describeReports } from "./csp-report.server";
import { securityHeaders } from "./headers.server";

async function headersOf(options: Parameters<typeof securityHeaders>[0], path = "/") {
  const app = express();
  app.use(securityHeaders(options));
  app.get("*", (_req, res) => {
    res.send(`nonce ${res.locals.cspNonce}`);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { headers: response.headers, body: await response.text() };
  } finally {
    server.close();
  }
}

describe("security headers", () => {
  it("in production over https: HSTS for a year, upgrade-insecure-requests, the page's nonce", async () => {
    const { headers, body } = await headersOf({
      mode: "strict",
      hsts: true,
      publicUrl: "https://zhicheng.example.gov.cn",
      panelUrl: "https://panel.zhicheng.example.gov.cn",
    });
    expect(headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const csp = headers.get("content-security-policy")!;
    expect(csp).toContain("upgrade-insecure-requests");
    expect(csp).toContain("form-action 'self' https://panel.zhicheng.example.gov.cn");
    expect(csp).toContain(`'nonce-${body.replace("nonce ", "")}'`);
    expect(csp).toContain(`report-uri ${CSP_REPORT_PATH}`);
  });

  it("in development (Vite): no HSTS, inline scripts and HMR sockets allowed", async () => {
    const { headers } = await headersOf({
      mode: "dev",
      hsts: false,
      publicUrl: "http://localhost:3000",
      panelUrl: "http://localhost:3001",
    });
    expect(headers.get("strict-transport-security")).toBeNull();
    const csp = headers.get("content-security-policy")!;
    expect(csp).toContain("'unsafe-inline'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("the payment page, whose address holds a token, sends no referrer", async () => {
    const { headers } = await headersOf(
      { mode: "strict", hsts: false, publicUrl: "http://localhost:3000", panelUrl: "http://localhost:3001" },
      "/pay/sim/secret-token",
    );
    expect(headers.get("referrer-policy")).toBe("no-referrer");
  });
});

describe("CSP reports", () => {
  it("logs directive, blocked address and page without their query strings", () => {
    const lines = describeReports({
      "csp-report": {
        "document-uri": "https://portal.example/verify/AB12?t=secret-token",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://cdn.example/lib.js?key=1",
      },
    });
    expect(lines).toEqual([
      "CSP violation: script-src-elem blocked https://cdn.example/lib.js on https://portal.example/verify/AB12",
    ]);
    expect(
      describeReports([
        { type: "csp-violation", body: { effectiveDirective: "img-src", blockedURL: "data" } },
      ]),
    ).toEqual(["CSP violation: img-src blocked data on -"]);
  });
});
