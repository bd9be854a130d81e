import { createServer, type Server as HttpServer } from "node:http";
import type { Db } from "@titles/db";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express from "express";
import { mountClient } from "./client-assets";
import { type PanelConfig, publicConfig } from "./env";
import { createPanelIo, type PanelIo } from "./socket";
import { contextFactory } from "./trpc/init";
import { appRouter } from "./trpc/router";

export interface PanelServer {
  httpServer: HttpServer;
  io: PanelIo;
  /** Disconnects sockets, stops Vite (in development) and closes the http server; the db is the caller's. */
  close(): Promise<void>;
}

/**
 * The panel's http server: tRPC under /api/trpc, socket.io at /socket.io, the client at /. Everything
 * comes in through `config` and `deps`, so tests run several on port 0 side by side. Not yet listening.
 */
export async function createPanelServer(
  config: Pick<PanelConfig, "NODE_ENV" | "SESSION_SECRET" | "PORTAL_URL" | "PANEL_URL" | "PANEL_CLIENT">,
  deps: { db: Db },
): Promise<PanelServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    next();
  });
  const httpServer = createServer(app);

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/api/config", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(publicConfig(config));
  });
  app.use(
    "/api/trpc",
    createExpressMiddleware({
      router: appRouter,
      createContext: contextFactory({ db: deps.db, secret: config.SESSION_SECRET }),
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
  });

  return {
    httpServer,
    io,
    async close() {
      await closeClient();
      // io.close() also closes the http server; idle keep-alive connections would otherwise hold it open.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
}
