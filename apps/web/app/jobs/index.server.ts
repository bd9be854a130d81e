import { db } from "~/lib/db.server";
import { createSmsSimulator } from "~/services/sms-provider.server";
import { uploadStaging } from "~/uploads/context.server";
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
  // Uploads abandoned halfway expire after a day; their staged bytes are removed hourly.
  const sweep = setInterval(
    () => {
      uploadStaging()
        .removeExpired()
        .catch((e) => console.error("[jobs] staging sweep:", e instanceof Error ? e.message : e));
    },
    60 * 60 * 1000,
  );
  sweep.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(sweep);
    },
  };
}
