import { availableParallelism } from "node:os";
import { issuerKey } from "~/certificates/keys.server";
import type { CertificateRenderPool } from "~/certificates/render-pool.server";
import { env } from "~/env.server";
import { db } from "~/lib/db.server";
import {
  type CertificateDeps,
  type IssuanceJobResult,
  processIssuances,
} from "~/services/certificates.server";
import { fileStore } from "~/uploads/context.server";
import { registeredJobRunner } from "./runner.server";

/**
 * The `certificate-issuance` job: works through queued issuances and resumes running ones a crash left
 * (every minute, and at once when the bureau starts one). pg-boss runs it as a singleton, and
 * `processIssuances` would issue nothing twice even if two passes met (see `issueEntries`).
 */

/** What issuing needs in the running portal; made on first use (nothing at import time). */
export function certificateDeps(log: (line: string) => void = (line) => console.log(line)): CertificateDeps {
  return { db: db(), files: fileStore(), key: issuerKey(), baseUrl: env().PUBLIC_URL, log };
}

/**
 * One pass of the job. Rendering is CPU-bound, so a pass that has work renders on a small worker pool
 * (at most two threads, leaving the web server its core) started on first use and stopped at the end of
 * the pass; an idle pass starts nothing. The pool module is loaded only here, from the tsx-run server
 * (it is its own worker entry point and cannot run from the Vite bundle the routes live in).
 */
export async function runCertificateIssuance(deps: CertificateDeps, now: Date): Promise<IssuanceJobResult> {
  let pool: CertificateRenderPool | null = null;
  const render: CertificateDeps["render"] = async (input) => {
    if (!pool) {
      const { createCertificateRenderPool } = await import("~/certificates/render-pool.server");
      pool ??= createCertificateRenderPool({ threads: Math.min(2, availableParallelism()) });
    }
    return pool.render(input);
  };
  try {
    return await processIssuances({ ...deps, render }, now);
  } finally {
    await (pool as CertificateRenderPool | null)?.close();
  }
}

/**
 * Asks the job runner for a pass now (after a start), without waiting for it: the batch page polls the
 * progress. Without a runner (a script, a test) the next scheduled pass picks the issuance up.
 */
export function triggerCertificateIssuance(now?: Date): void {
  const runner = registeredJobRunner();
  if (!runner) return;
  runner
    // With the test clock the pass judges by the moved clock; otherwise the runner reads its own.
    .then((r) =>
      r.runNow("certificate-issuance", {
        now: env().ALLOW_TEST_CLOCK ? now : undefined,
        timeoutMs: 30 * 60_000,
      }),
    )
    .catch((error) =>
      console.error("[jobs] certificate-issuance:", error instanceof Error ? error.message : String(error)),
    );
}
