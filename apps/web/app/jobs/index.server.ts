import { db } from "~/lib/db.server";
import { createSmsSimulator } from "~/services/sms-provider.server";
import { applyDeliveryReceipt, dispatchSmsOutbox } from "./sms-outbox.server";

/**
 * In-process jobs of the web server. The SMS outbox is polled every second; the deadline jobs of
 * later issues move this onto a PostgreSQL job queue.
 */
export function startJobs(): { stop(): void } {
  const provider = createSmsSimulator((receipt) => {
    applyDeliveryReceipt(db(), receipt).catch((e) => console.error("[jobs] receipt failed:", e.message));
  });
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await dispatchSmsOutbox(db(), provider, new Date());
    } catch (error) {
      console.error("[jobs] sms outbox:", error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  }, 1000);
  return { stop: () => clearInterval(timer) };
}
