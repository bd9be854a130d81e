import { buildMissingDossiers } from "~/dossiers/build.server";
import { env } from "~/env.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { paymentDeps } from "~/payments/context.server";
import { reconcileOpenOrders } from "~/payments/payments.server";
import { createSmsSimulator } from "~/services/sms-provider.server";
import { fileStore, uploadStaging } from "~/uploads/context.server";
import { certificateDeps, runCertificateIssuance } from "./certificate-issuance.server";
import { registerJobRunner, startJobRunnerOrFallback } from "./runner.server";
import { applyDeliveryReceipt, dispatchSmsOutbox } from "./sms-outbox.server";

/**
 * In-process jobs of the web server. The scheduled jobs (deadlines) run on pg-boss (decision 0008);
 * the SMS outbox is itself a queue (rows claimed with SKIP LOCKED) and is polled every second.
 */
export function startJobs(): { stop(): Promise<void> } {
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
  const config = env();
  const runner = startJobRunnerOrFallback({
    url: config.DATABASE_URL,
    db: db(),
    now,
    log: (line) => console.log(line),
    reconcilePayments: (at) => reconcileOpenOrders(paymentDeps(), at),
    buildDossiers: (at) =>
      buildMissingDossiers({ db: db(), files: fileStore(), now: () => at, log: (line) => console.log(line) }),
    issueCertificates: (at) => runCertificateIssuance(certificateDeps(), at),
    // With the test clock the e2e suite runs sweeps on demand (/test/jobs), never behind its back.
    schedules: config.JOB_SCHEDULES ? config.JOB_SCHEDULES === "on" : !config.ALLOW_TEST_CLOCK,
    acceptJobClock: config.ALLOW_TEST_CLOCK,
  });
  registerJobRunner(runner);
  return {
    stop: async () => {
      clearInterval(timer);
      clearInterval(sweep);
      registerJobRunner(undefined);
      await (await runner).stop();
    },
  };
}
