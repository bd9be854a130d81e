import { z } from "zod";
import { writeOpinion } from "../../defense/opinions";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";

export const ZWriteReviewOpinionInput = z.object({
  groupId: z.string().uuid(),
  applicationId: z.string().uuid(),
  recommendation: z.enum(["support", "oppose"]),
  /** Checked (trimmed, 2–2000 characters) by the service, so the refusal comes in the reader's language. */
  opinion: z.string().max(4000),
});
export type TWriteReviewOpinionInput = z.infer<typeof ZWriteReviewOpinionInput>;

export const ZWriteReviewOpinionOutput = z.object({
  groupId: z.string(),
  applicationId: z.string(),
  recommendation: z.enum(["support", "oppose"]),
  opinion: z.string(),
  writtenAt: z.string(),
});
export type TWriteReviewOpinionOutput = z.infer<typeof ZWriteReviewOpinionOutput>;

/** A review group's opinion on an applicant, written or rewritten by a member until the meeting closes. */
export const writeReviewOpinion = expertProcedure
  .input(ZWriteReviewOpinionInput)
  .output(ZWriteReviewOpinionOutput)
  .mutation(async ({ ctx, input }) => {
    const row = unwrap(await writeOpinion(ctx.db, ctx.actor, input, ctx.now), ctx.locale);
    return { ...row, writtenAt: row.writtenAt.toISOString() };
  });
