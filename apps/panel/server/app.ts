import { createServer, type Server as HttpServer } from "node:http";
import type { Db } from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import helmet from "helmet";
import { mountClient } from "./client-assets";
import { CommitteeLive } from "./committee/live";
import { CSP_REPORT_PATH, cspReportHandler } from "./csp-report";
import { dossierRouter } from "./dossier-route";
import { type PanelConfig, publicConfig } from "./env";
import { crossSiteGuard } from "./origin";
import { createPanelIo, type PanelIo } from "./socket";
import { contextFactory } from "./trpc/init";
import { appRouter } from "./trpc/router";
import { type DocumentOptions, DocumentService } from "./yjs/documents";
import { type AdapterRedisClient, redisAdapter } from "./yjs/redis";

export interface PanelServer {
  httpServer: HttpServer;
  io: PanelIo;
  /** The live Yjs documents (tests and the health route read its counters). */
  documents: DocumentService;
  /** Disconnects sockets, stops Vite (in development) and closes the http server; the db is the caller's. */
  close(): Promise<void>;
}

/**
 * The panel's http server: tRPC under /api/trpc, socket.io at /socket.io, the client at /. Everything
 * comes in through `config` and `deps`, so tests run several on port 0 side by side. Not yet listening.
 */
export async function createPanelServer(
  config: Pick<
    PanelConfig,
    "NODE_ENV" | "SESSION_SECRET" | "PORTAL_URL" | "PANEL_URL" | "PANEL_CLIENT" | "FILES_DIR"
  >,
  /** `files`: the portal's file store (the dossier PDFs); by default the folder FILES_DIR names. */
  deps: {
    db: Db;
    files?: FileStore;
    /** A connected `redis` client: several processes then share rooms through the streams adapter. */
    redis?: AdapterRedisClient;
    /** A pool of its own for appending document updates (main.ts); `db` otherwise. */
    commitDb?: Db;
    /** Timings of the live documents (tests shorten them). */
    documents?: DocumentOptions;
  },
): Promise<PanelServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use(helmet(panelHelmetOptions(config)));
  app.post(CSP_REPORT_PATH, cspReportHandler("panel"));
  // tRPC mutations (and any other state-changing request) only from the panel's own pages.
  app.use(crossSiteGuard([config.PANEL_URL]));
  const httpServer = createServer(app);

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  const documents = new DocumentService(
    deps.db,
    { clustered: Boolean(deps.redis), ...deps.documents },
    deps.commitDb,
  );
  // Dropped-frame counters by reason, loaded documents and commit batching.
  app.get("/healthz/documents", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, ...documents.health() });
  });
  app.get("/api/config", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(publicConfig(config));
  });
  app.use(
    dossierRouter({
      db: deps.db,
      secret: config.SESSION_SECRET,
      files: deps.files ?? (config.FILES_DIR ? createLocalFileStore(config.FILES_DIR) : null),
    }),
  );
  const committee = new CommitteeLive(deps.db);
  app.use(
    "/api/trpc",
    createExpressMiddleware({
      router: appRouter,
      createContext: contextFactory({ db: deps.db, secret: config.SESSION_SECRET, committee }),
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR")
          console.error(`[panel] tRPC ${path ?? "?"} failed:`, error);
      },
    }),
  );

  const closeClient = await mountClient(app, httpServer, config.PANEL_CLIENT ?? "none");
  const io = createPanelIo(httpServer, {
    db: deps.db,
    secret: config.SESSION_SECRET,
    origins: [new URL(config.PANEL_URL).origin],
    documents,
    committee,
  });
  if (deps.redis) io.adapter(redisAdapter(deps.redis));

  return {
    httpServer,
    io,
    documents,
    async close() {
      await closeClient();
      await documents.close();
      // io.close() also closes the http server; idle keep-alive connections would otherwise hold it open.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

/** Security headers (decision 0015): the built client runs under a strict CSP; Vite's dev client does not. */
export function panelHelmetOptions(
  config: Pick<PanelConfig, "NODE_ENV" | "PORTAL_URL" | "PANEL_URL" | "PANEL_CLIENT">,
): Parameters<typeof helmet>[0] {
  const panel = new URL(config.PANEL_URL);
  const socket = `${panel.protocol === "https:" ? "wss:" : "ws:"}//${panel.host}`;
  const dev = config.PANEL_CLIENT === "vite";
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "script-src": dev ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        // pdf.js paints pages and thumbnails to blob:/data: images; its worker is a bundled asset.
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:", "blob:"],
        "worker-src": ["'self'", "blob:"],
        // socket.io over websocket to this origin ('self' does not cover ws: in every browser).
        "connect-src": dev ? ["'self'", "ws:", "wss:"] : ["'self'", socket],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        // The logout form posts to the portal.
        "form-action": ["'self'", new URL(config.PORTAL_URL).origin],
        "upgrade-insecure-requests": panel.protocol === "https:" ? [] : null,
        "report-uri": [CSP_REPORT_PATH],
      },
    },
    strictTransportSecurity:
      config.NODE_ENV === "production" ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Not same-origin/no-referrer: with those Chromium sends `Origin: null` on the logout form's
    // cross-origin POST, and the portal could not tell it from a forged one.
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    xFrameOptions: { action: "deny" },
    crossOriginEmbedderPolicy: false,
  };
}
