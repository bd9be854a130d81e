// The panel process: parse the environment once, open the database, serve until told to stop.
import type { AddressInfo } from "node:net";
import { createDb, installFieldKeys } from "@titles/db";
import { createClient } from "redis";
import { createPanelServer } from "./app";
import { type PanelConfig, parsePanelEnv } from "./env";

let config: PanelConfig;
try {
  config = parsePanelEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
if (config.DATA_ENCRYPTION_KEY) installFieldKeys(config.DATA_ENCRYPTION_KEY);
// Access checks, tRPC queries, document loads and compactions.
const database = createDb({ url: config.DATABASE_URL, max: 10 });
// The appends of document updates, which every acknowledgement waits for, on connections of their
// own (as many as the commit batcher runs at once): they never queue behind the pool above.
const commits = createDb({ url: config.DATABASE_URL, max: 4 });
const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL) : undefined;
const server = await createPanelServer(config, { db: database.db, commitDb: commits.db, redis });

// Fan-out through Redis is lost while it is away: once it is back, re-read the loaded documents from
// PostgreSQL and send members what they missed (twice: the subscriptions come back a moment later).
let redisWasDown = false;
redis?.on("error", () => {
  redisWasDown = true;
});
redis?.on("ready", () => {
  if (!redisWasDown) return;
  redisWasDown = false;
  console.log("[panel] Redis 已恢复，正在重新同步文档 / Redis is back, resyncing documents");
  for (const delay of [1000, 5000]) setTimeout(() => void server.documents.resyncAll(), delay).unref();
});

server.httpServer.listen(config.PORT, () => {
  const port = (server.httpServer.address() as AddressInfo).port;
  console.log(`[panel] 专家工作台已启动 / panel listening on http://localhost:${port}`);
});

async function connectRedis(url: string) {
  const client = createClient({ url });
  // Errors while Redis restarts are expected; the client reconnects by itself.
  let lastLog = 0;
  client.on("error", (error: Error) => {
    if (Date.now() - lastLog < 5000) return;
    lastLog = Date.now();
    console.error(`[panel] Redis: ${error.message}`);
  });
  await client.connect();
  return client;
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[panel] ${signal}: 正在停止 / shutting down`);
  // A stuck connection must not keep the process alive forever.
  setTimeout(() => process.exit(1), 5000).unref();
  try {
    await server.close();
    await redis?.quit().catch(() => {});
    await Promise.all([database.close(), commits.close()]);
    process.exit(0);
  } catch (error) {
    console.error("[panel] shutdown failed:", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
