// The panel process: parse the environment once, open the database, serve until told to stop.
import { createDb } from "@titles/db";
import { createPanelServer } from "./app";
import { type PanelConfig, parsePanelEnv } from "./env";

let config: PanelConfig;
try {
  config = parsePanelEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const database = createDb({ url: config.DATABASE_URL, max: 5 });
const server = await createPanelServer(config, { db: database.db });

server.httpServer.listen(config.PORT, () => {
  console.log(`[panel] 专家工作台已启动 / panel listening on http://localhost:${config.PORT}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[panel] ${signal}: 正在停止 / shutting down`);
  // A stuck connection must not keep the process alive forever.
  setTimeout(() => process.exit(1), 5000).unref();
  try {
    await server.close();
    await database.close();
    process.exit(0);
  } catch (error) {
    console.error("[panel] shutdown failed:", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
