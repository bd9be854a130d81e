// The portal's background worker: re-encodes received photos at the lowest CPU priority, so that
// uploads and confirmations on deadline day come first (decision 0006).
import { setPriority } from "node:os";
import { startMaterialProcessing } from "./app/jobs/material-processing.server";
import { materialDeps } from "./app/uploads/context.server";

try {
  setPriority(19);
} catch {
  console.warn("[worker] 无法降低优先级 / could not lower the priority; running at normal priority");
}
const worker = startMaterialProcessing(materialDeps(), { log: (line) => console.log(line) });
console.log("[worker] 照片处理已启动 / photo worker started");

async function shutdown() {
  await worker.stop();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
