import type { z } from "zod";
import { closeBallot } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { ZBallotProgressOutput, ZCommitteeTarget } from "./committee-schemas";

export const ZCommitteeCloseBallotInput = ZCommitteeTarget;
export type TCommitteeCloseBallotInput = z.infer<typeof ZCommitteeCloseBallotInput>;
export const ZCommitteeCloseBallotOutput = ZBallotProgressOutput;
export type TCommitteeCloseBallotOutput = z.infer<typeof ZCommitteeCloseBallotOutput>;

/** The chair closes the ballot; the box is counted. */
export const committeeCloseBallot = expertProcedure
  .input(ZCommitteeCloseBallotInput)
  .output(ZCommitteeCloseBallotOutput)
  .mutation(async ({ ctx, input }) => {
    const b = unwrap(await closeBallot(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    const progress = { applicationId: b.applicationId, state: b.state, voted: b.voted, voters: b.voters };
    ctx.committee?.changed({ meetingId: input.meetingId, change: "ballot-close", ...progress });
    return progress;
  });
