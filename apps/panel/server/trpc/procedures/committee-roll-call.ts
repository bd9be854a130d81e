import { z } from "zod";
import { rollCall, ZRollCallInput } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";

export const ZCommitteeRollCallInput = ZRollCallInput;
export type TCommitteeRollCallInput = z.infer<typeof ZCommitteeRollCallInput>;
export const ZCommitteeRollCallOutput = z.object({
  members: z.number().int(),
  present: z.number().int(),
  needed: z.number().int(),
});
export type TCommitteeRollCallOutput = z.infer<typeof ZCommitteeRollCallOutput>;

/** The chair's roll call; below quorum it is refused with the number needed. */
export const committeeRollCall = expertProcedure
  .input(ZCommitteeRollCallInput)
  .output(ZCommitteeRollCallOutput)
  .mutation(async ({ ctx, input }) => {
    const result = unwrap(await rollCall(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    ctx.committee?.changed({ meetingId: input.meetingId, change: "roll-call" });
    return result;
  });
