import { meetingStates } from "@titles/domain";
import { z } from "zod";
import { closeMeeting } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";

export const ZCommitteeCloseMeetingInput = z.object({ meetingId: z.string().uuid() });
export type TCommitteeCloseMeetingInput = z.infer<typeof ZCommitteeCloseMeetingInput>;
export const ZCommitteeCloseMeetingOutput = z.object({ state: z.enum(meetingStates) });
export type TCommitteeCloseMeetingOutput = z.infer<typeof ZCommitteeCloseMeetingOutput>;

/** The chair closes the meeting; refused while a ballot is open. */
export const committeeCloseMeeting = expertProcedure
  .input(ZCommitteeCloseMeetingInput)
  .output(ZCommitteeCloseMeetingOutput)
  .mutation(async ({ ctx, input }) => {
    const result = unwrap(await closeMeeting(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    ctx.committee?.changed({ meetingId: input.meetingId, change: "meeting-close" });
    return result;
  });
