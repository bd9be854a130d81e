import type { z } from "zod";
import { openBallot } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { ZBallotProgressOutput, ZCommitteeTarget } from "./committee-schemas";

export const ZCommitteeOpenBallotInput = ZCommitteeTarget;
export type TCommitteeOpenBallotInput = z.infer<typeof ZCommitteeOpenBallotInput>;
export const ZCommitteeOpenBallotOutput = ZBallotProgressOutput;
export type TCommitteeOpenBallotOutput = z.infer<typeof ZCommitteeOpenBallotOutput>;

/** The chair opens the ballot on one applicant of the agenda. */
export const committeeOpenBallot = expertProcedure
  .input(ZCommitteeOpenBallotInput)
  .output(ZCommitteeOpenBallotOutput)
  .mutation(async ({ ctx, input }) => {
    const b = unwrap(await openBallot(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    const progress = { applicationId: b.applicationId, state: b.state, voted: b.voted, voters: b.voters };
    ctx.committee?.changed({ meetingId: input.meetingId, change: "ballot-open", ...progress });
    return progress;
  });
