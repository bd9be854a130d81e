// The portal's HTTP server: Remix behind express, plus the in-process jobs (deadlines on pg-boss, SMS outbox).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env } from "./app/env.server";
import { startJobs } from "./app/jobs/index.server";
import { now } from "./app/lib/clock.server";
import { db } from "./app/lib/db.server";
import { retryAfterWhenUnavailable, withDatabaseGuard } from "./app/lib/unavailable.server";
import { createPortalGatewaySimulator, paymentDeps } from "./app/payments/context.server";
import {
  createPaymentCallbackHandler,
  PAYMENT_GATEWAY_PATH,
  PAYMENT_NOTIFY_PATH,
} from "./app/payments/http.server";
import { CSP_REPORT_PATH, cspReportHandler } from "./app/security/csp-report.server";
import { csrfGuard } from "./app/security/csrf.server";
import { securityHeaders } from "./app/security/headers.server";
import { uploadLimit } from "./app/security/upload-limit.server";
import { attachUpload } from "./app/services/materials.server";
import { materialDeps, tusConfig, UPLOADS_PATH, uploadStaging } from "./app/uploads/context.server";
import { createTusHandler } from "./app/uploads/tus.server";

const config = env();
// Development serves through Vite; production and the e2e test mode serve the built app.
const production = config.NODE_ENV !== "development";

const vite = production
  ? null
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
// The client address comes from the socket (or the trusted proxy), never from a header the client sets.
app.set("trust proxy", config.TRUST_PROXY);
// Every 503 (the database is away) says when to try again, whichever part of the portal answered.
app.use(retryAfterWhenUnavailable());
// Security headers on every response, with the script nonce the rendered page uses (decision 0015).
app.use(
  securityHeaders({
    mode: vite ? "dev" : "strict",
    hsts: config.NODE_ENV === "production",
    publicUrl: config.PUBLIC_URL,
    panelUrl: config.PANEL_URL,
  }),
);
// What browsers report the CSP blocked, logged (and failed on by the e2e log audit).
app.post(CSP_REPORT_PATH, cspReportHandler("web"));
// Payment notifications are server-to-server and signed over the raw bytes: before any parsing, and
// outside the cross-site check (a provider sends no Origin anyway).
app.post(PAYMENT_NOTIFY_PATH, createPaymentCallbackHandler(paymentDeps()));
// A state-changing request from another site's page is refused; the panel posts the logout form.
app.use(csrfGuard([config.PUBLIC_URL, config.PANEL_URL]));
// Upload budgets per address and per session, before a byte of the body is read.
app.use([UPLOADS_PATH, "/api/materials"], uploadLimit());
// Resumable uploads (tus) before everything else: their bodies are streamed, never compressed or parsed.
const uploads = createTusHandler(tusConfig(), {
  db: db(),
  now,
  staging: uploadStaging(),
  attach: (actor, uploadId) => attachUpload(materialDeps(), actor, { uploadId, keepStaged: true }),
});
app.all([UPLOADS_PATH, `${UPLOADS_PATH}/*`], uploads.handle);
// The built-in payment gateway, also before any parsing.
const gateway = createPortalGatewaySimulator();
if (gateway) app.use(PAYMENT_GATEWAY_PATH, gateway.handle);
app.use(compression());

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static(`${config.BUILD_DIR}/client/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(`${config.BUILD_DIR}/client`, { maxAge: "1h" }));
}

// Every loader and action answers 503 with a clear message while the database is away (issue 8).
const build = vite
  ? () => (vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>).then(withDatabaseGuard)
  : withDatabaseGuard(
      (await import(
        pathToFileURL(resolve(import.meta.dirname, config.BUILD_DIR, "server/index.js")).href
      )) as ServerBuild,
    );

app.all(
  "*",
  createRequestHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req, res) => ({
      clientAddress: req.ip ?? "unknown",
      cspNonce: res.locals.cspNonce as string | undefined,
      setResponseHeader: (name: string, value: string) => res.setHeader(name, value),
    }),
  }),
);

const server = app.listen(config.PORT, () => {
  console.log(`[web] 门户已启动 / portal listening on http://localhost:${config.PORT}`);
});
const jobs = startJobs();

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 15_000).unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A deadline pass under way finishes (or is left to pg-boss to retry) before the process ends.
  await jobs.stop().catch((e) => console.error("[jobs] stop:", e instanceof Error ? e.message : e));
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000))]);
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
