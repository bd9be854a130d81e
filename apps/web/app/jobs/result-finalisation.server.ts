import type { Db } from "@titles/db";
import { type FinalisationResult, finaliseBatches } from "~/services/results.server";

/**
 * Result finalisation (step 8 → 9): when a batch's publicity is over (its last day ended at 24:00
 * Beijing time), each listed result without an open complaint becomes final and its applicant is told
 * by SMS; results under an open complaint wait for the decision; the batch ends when none is pending.
 * Every entry is its own transaction with the application and the entry locked and read again, so a
 * second pass, or two runners at once, settle nothing twice.
 */
export type ResultFinalisationResult = FinalisationResult;

export function runResultFinalisation(
  db: Db,
  now: Date,
  options: { batchId?: string; log?: (line: string) => void } = {},
): Promise<ResultFinalisationResult> {
  return finaliseBatches(db, now, options);
}
