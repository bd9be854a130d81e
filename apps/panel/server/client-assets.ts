import { existsSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";

const panelRoot = fileURLToPath(new URL("..", import.meta.url));
export const distDir = join(panelRoot, "dist");

/** Paths the SPA fallback must never answer with index.html. */
const serverPaths = /^\/(api|socket\.io|healthz)(\/|$)/;

/**
 * Serves the React client: the built `dist/` in production, Vite in middleware mode in development
 * (HMR on the panel's own http server), nothing in tests. Returns a closer for the Vite server.
 */
export async function mountClient(
  app: Express,
  httpServer: HttpServer,
  mode: "vite" | "dist" | "none",
): Promise<() => Promise<void>> {
  if (mode === "none") return async () => {};
  if (mode === "dist") {
    const index = join(distDir, "index.html");
    if (!existsSync(index)) {
      throw new Error(
        `找不到前端构建产物 / client build missing: ${index} (run \`npm run build -w @titles/panel\`)`,
      );
    }
    app.use("/assets", express.static(join(distDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(distDir, { maxAge: "1h", index: false }));
    app.get("*", (req, res, next) => {
      if (serverPaths.test(req.path)) return next();
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(index);
    });
    return async () => {};
  }
  const { createServer } = await import("vite");
  const vite = await createServer({
    configFile: join(panelRoot, "vite.config.ts"),
    appType: "spa",
    server: { middlewareMode: true, hmr: { server: httpServer } },
  });
  app.use(vite.middlewares);
  return () => vite.close();
}
