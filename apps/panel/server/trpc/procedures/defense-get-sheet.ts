import { z } from "zod";
import { scoreSheet } from "../../defense/scoring";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { sheetViewOut, ZSheetViewOutput } from "./defense-schemas";

export const ZGetDefenseSheetInput = z.object({
  meetingId: z.string().uuid(),
  applicationId: z.string().uuid(),
});
export type TGetDefenseSheetInput = z.infer<typeof ZGetDefenseSheetInput>;

export const ZGetDefenseSheetOutput = ZSheetViewOutput;
export type TGetDefenseSheetOutput = z.infer<typeof ZGetDefenseSheetOutput>;

/** One applicant's score sheet, the reader's own scores, and for the chair the panel summary. */
export const getDefenseSheet = expertProcedure
  .input(ZGetDefenseSheetInput)
  .output(ZGetDefenseSheetOutput)
  .query(async ({ ctx, input }) => {
    const view = unwrap(
      await scoreSheet(ctx.db, ctx.actor, input.meetingId, input.applicationId),
      ctx.locale,
    );
    return sheetViewOut(view, ctx.locale);
  });
