import { applicationRepository, type Db, meetingAdminRepository } from "@titles/db";
import { isApplicationState, isDomainError } from "@titles/domain";
import { apply } from "~/services/applications.server";

/**
 * Results flow (step 7 → result publicity): every ballot the chair has signed decides its application
 * (`ballotResult` → passed or failed) and the applicant is told by SMS. Each application is its own
 * transaction with its row locked and its state read again under the lock, so a second run, or two
 * runners at once, apply nothing twice.
 */

export interface EvaluationResultsResult {
  checked: number;
  applied: number;
}

export async function applyEvaluationResults(
  db: Db,
  now: Date,
  options: { meetingId?: string; log?: (line: string) => void } = {},
): Promise<EvaluationResultsResult> {
  const pending = await meetingAdminRepository.pendingResults(db, options.meetingId);
  let applied = 0;
  for (const result of pending) {
    try {
      const done = await db.transaction(async (tx) => {
        const locked = await applicationRepository.findByIdForUpdate(tx, result.applicationId);
        if (!locked || !isApplicationState(locked.state) || locked.state !== "evaluating") return false;
        const ballot = await meetingAdminRepository.signedBallotOf(tx, locked.id);
        if (!ballot || ballot.id !== result.ballotId || ballot.passed === null) return false;
        await apply(
          tx,
          { ...locked, state: locked.state },
          { type: "ballotResult", passed: ballot.passed },
          {
            actor: null,
            now,
            data: { meetingId: ballot.meetingId, ballot: ballot.id },
            notices: [
              {
                to: "applicant",
                template: "evaluation-result",
                params: { result: ballot.passed ? "通过" : "未通过" },
              },
            ],
          },
        );
        return true;
      });
      if (done) applied += 1;
    } catch (error) {
      // One application's failure must not hold up the others; the next pass tries it again.
      options.log?.(
        `[jobs] evaluation-results: application ${result.applicationId}: ${
          isDomainError(error) ? error.code : error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
  return { checked: pending.length, applied };
}
