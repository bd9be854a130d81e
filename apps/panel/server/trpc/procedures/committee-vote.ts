import type { z } from "zod";
import { castVote, ZCastVoteInput } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { ZBallotProgressOutput } from "./committee-schemas";

export const ZCommitteeVoteInput = ZCastVoteInput;
export type TCommitteeVoteInput = z.infer<typeof ZCommitteeVoteInput>;
export const ZCommitteeVoteOutput = ZBallotProgressOutput;
export type TCommitteeVoteOutput = z.infer<typeof ZCommitteeVoteOutput>;

/**
 * One secret vote by the caller (no proxy). The answer and the members' event carry how many have
 * voted, never the choice; the choice is not logged.
 */
export const committeeVote = expertProcedure
  .input(ZCommitteeVoteInput)
  .output(ZCommitteeVoteOutput)
  .mutation(async ({ ctx, input }) => {
    const b = unwrap(await castVote(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    const progress = { applicationId: b.applicationId, state: b.state, voted: b.voted, voters: b.voters };
    ctx.committee?.changed({ meetingId: input.meetingId, change: "vote", ...progress });
    return progress;
  });
