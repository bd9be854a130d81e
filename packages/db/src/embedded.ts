import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves one PGlite over the PostgreSQL wire protocol, so the web and panel processes connect with
 * the same driver and pool as in production; only the URL differs.
 */
export async function startEmbeddedServer(options: {
  dataDir: string;
  port: number;
  host?: string;
}): Promise<EmbeddedServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: 64 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${host}:${options.port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
