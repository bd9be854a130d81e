// The portal's HTTP server: Remix behind express, plus the in-process jobs (deadlines on pg-boss, SMS outbox).
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env } from "./app/env.server";
import { startJobs } from "./app/jobs/index.server";
import { now } from "./app/lib/clock.server";
import { db } from "./app/lib/db.server";
import { createPortalGatewaySimulator, paymentDeps } from "./app/payments/context.server";
import {
  createPaymentCallbackHandler,
  PAYMENT_GATEWAY_PATH,
  PAYMENT_NOTIFY_PATH,
} from "./app/payments/http.server";
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
// Resumable uploads (tus) before everything else: their bodies are streamed, never compressed or parsed.
const uploads = createTusHandler(tusConfig(), {
  db: db(),
  now,
  staging: uploadStaging(),
  attach: (actor, uploadId) => attachUpload(materialDeps(), actor, { uploadId, keepStaged: true }),
});
app.all([UPLOADS_PATH, `${UPLOADS_PATH}/*`], uploads.handle);
// Payment notifications and the built-in gateway, also before any parsing: signatures cover the raw bytes.
app.post(PAYMENT_NOTIFY_PATH, createPaymentCallbackHandler(paymentDeps()));
const gateway = createPortalGatewaySimulator();
if (gateway) app.use(PAYMENT_GATEWAY_PATH, gateway.handle);
app.use(compression());

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

const build = vite
  ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(new URL("./build/server/index.js", import.meta.url).href)) as ServerBuild);

// The client address comes from the socket (or the trusted proxy), never from a header the client sets.
app.set("trust proxy", config.TRUST_PROXY);
app.all(
  "*",
  createRequestHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req) => ({ clientAddress: req.ip ?? "unknown" }),
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
