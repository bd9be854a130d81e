import { ZScores } from "@titles/domain";
import { z } from "zod";
import { submit } from "../../defense/scoring";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { mySheetOut, ZMySheetOutput } from "./defense-schemas";

export const ZSubmitDefenseScoresInput = z.object({
  meetingId: z.string().uuid(),
  applicationId: z.string().uuid(),
  scores: ZScores,
});
export type TSubmitDefenseScoresInput = z.infer<typeof ZSubmitDefenseScoresInput>;

export const ZSubmitDefenseScoresOutput = ZMySheetOutput;
export type TSubmitDefenseScoresOutput = z.infer<typeof ZSubmitDefenseScoresOutput>;

/** Submits and locks the panelist's sheet for one applicant: every criterion scored. */
export const submitDefenseScores = expertProcedure
  .input(ZSubmitDefenseScoresInput)
  .output(ZSubmitDefenseScoresOutput)
  .mutation(async ({ ctx, input }) =>
    mySheetOut(unwrap(await submit(ctx.db, ctx.actor, input, ctx.now), ctx.locale)),
  );
