// The portal's HTTP server: Remix behind express, plus the in-process jobs (SMS outbox for now).
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env } from "./app/env.server";
import { startJobs } from "./app/jobs/index.server";
import { now } from "./app/lib/clock.server";
import { db } from "./app/lib/db.server";
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

function shutdown() {
  jobs.stop();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
