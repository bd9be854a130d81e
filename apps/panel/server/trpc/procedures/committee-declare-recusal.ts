import { z } from "zod";
import { declareRecusal, ZDeclareRecusalInput } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";

export const ZCommitteeDeclareRecusalInput = ZDeclareRecusalInput;
export type TCommitteeDeclareRecusalInput = z.infer<typeof ZCommitteeDeclareRecusalInput>;
export const ZCommitteeDeclareRecusalOutput = z.object({ applicationId: z.string() });
export type TCommitteeDeclareRecusalOutput = z.infer<typeof ZCommitteeDeclareRecusalOutput>;

/** The expert declares a recusal (回避) from an applicant, with a reason, before its ballot opens. */
export const committeeDeclareRecusal = expertProcedure
  .input(ZCommitteeDeclareRecusalInput)
  .output(ZCommitteeDeclareRecusalOutput)
  .mutation(async ({ ctx, input }) => {
    const result = unwrap(await declareRecusal(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    ctx.committee?.changed({ meetingId: input.meetingId, change: "recusal" });
    return result;
  });
