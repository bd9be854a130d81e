import { ZScores } from "@titles/domain";
import { z } from "zod";
import { saveDraft } from "../../defense/scoring";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { mySheetOut, ZMySheetOutput } from "./defense-schemas";

export const ZSaveDefenseDraftInput = z.object({
  meetingId: z.string().uuid(),
  applicationId: z.string().uuid(),
  scores: ZScores,
});
export type TSaveDefenseDraftInput = z.infer<typeof ZSaveDefenseDraftInput>;

export const ZSaveDefenseDraftOutput = ZMySheetOutput;
export type TSaveDefenseDraftOutput = z.infer<typeof ZSaveDefenseDraftOutput>;

/** Autosave: the panelist's draft scores for one applicant (partial is fine, each 0–100). */
export const saveDefenseDraft = expertProcedure
  .input(ZSaveDefenseDraftInput)
  .output(ZSaveDefenseDraftOutput)
  .mutation(async ({ ctx, input }) =>
    mySheetOut(unwrap(await saveDraft(ctx.db, ctx.actor, input, ctx.now), ctx.locale)),
  );
