import type { z } from "zod";
import { signBallot } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { ZBallotProgressOutput, ZCommitteeTarget } from "./committee-schemas";

export const ZCommitteeSignBallotInput = ZCommitteeTarget;
export type TCommitteeSignBallotInput = z.infer<typeof ZCommitteeSignBallotInput>;
export const ZCommitteeSignBallotOutput = ZBallotProgressOutput;
export type TCommitteeSignBallotOutput = z.infer<typeof ZCommitteeSignBallotOutput>;

/** The chair signs a closed ballot's result. */
export const committeeSignBallot = expertProcedure
  .input(ZCommitteeSignBallotInput)
  .output(ZCommitteeSignBallotOutput)
  .mutation(async ({ ctx, input }) => {
    const b = unwrap(await signBallot(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    const progress = { applicationId: b.applicationId, state: b.state, voted: b.voted, voters: b.voters };
    ctx.committee?.changed({ meetingId: input.meetingId, change: "ballot-sign", ...progress });
    return progress;
  });
