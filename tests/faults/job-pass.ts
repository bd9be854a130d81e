// One pass of a scheduled job in its own process, for the fault suite's "a job run twice at once":
// connects, says `ready`, waits for `go` on stdin (so that two processes start the same pass at the
// same instant), runs the job's function directly — not through pg-boss, whose singleton queue would
// keep a second pass waiting — and prints `result <json>`. Run from the root with
// TSX_TSCONFIG_PATH=apps/web/tsconfig.json: node --import tsx tests/faults/job-pass.ts <job> <now>
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { createDb, fieldKeysFromConfig, installFieldKeys } from "@titles/db";
import { sweepDeadlines } from "~/jobs/deadlines.server";
import { runResultFinalisation } from "~/jobs/result-finalisation.server";
import { dispatchSmsOutbox } from "~/jobs/sms-outbox.server";
import type { SmsProvider } from "~/services/sms-provider.server";

const [job, nowText] = process.argv.slice(2);
const now = new Date(nowText ?? Date.now());
const url = process.env.DATABASE_URL;
const lookupKey = process.env.LOOKUP_HASH_KEY;
if (!url || !lookupKey || !job) throw new Error("DATABASE_URL, LOOKUP_HASH_KEY and a job name are needed");
installFieldKeys(fieldKeysFromConfig({ LOOKUP_HASH_KEY: lookupKey }));
const handle = createDb({ url, max: 4 });
await handle.db.execute("select 1");

/** A gateway that accepts everything, slowly enough for two dispatchers to overlap, and says what it sent. */
const sent: string[] = [];
const provider: SmsProvider = {
  async send({ phone }) {
    // Phone numbers never travel in output, not even test ones: their hashes say which went out.
    sent.push(createHash("sha256").update(phone).digest("hex"));
    await new Promise((resolve) => setTimeout(resolve, 15));
    return { ok: true, providerMessageId: `faults-${process.pid}-${sent.length}` };
  },
};

const lines = createInterface({ input: process.stdin });
console.log("ready");
for await (const line of lines) if (line.trim() === "go") break;
lines.close();

let result: unknown;
switch (job) {
  case "deadline-sweep":
    result = await sweepDeadlines(handle.db, now);
    break;
  case "result-finalisation":
    result = await runResultFinalisation(handle.db, now);
    break;
  case "sms-outbox": {
    // As the web server's timer does: pass after pass until nothing is due.
    let claimed = 0;
    for (let n = -1; n !== 0; ) {
      n = await dispatchSmsOutbox(handle.db, provider, now, 5);
      claimed += n;
    }
    result = { claimed, sent };
    break;
  }
  case "certificate-issuance": {
    // Its own deps (database, file store, signing key from the environment), as the web server builds them.
    const { certificateDeps, runCertificateIssuance } = await import("~/jobs/certificate-issuance.server");
    result = await runCertificateIssuance(
      certificateDeps(() => {}),
      now,
    );
    break;
  }
  default:
    throw new Error(`unknown job ${job}`);
}
await handle.close();
console.log(`result ${JSON.stringify(result)}`);
