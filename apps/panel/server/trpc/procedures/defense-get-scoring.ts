import { z } from "zod";
import { scoringOverview } from "../../defense/scoring";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { sheetViewOut, ZSheetViewOutput } from "./defense-schemas";

export const ZGetDefenseScoringInput = z.object({ meetingId: z.string().uuid() });
export type TGetDefenseScoringInput = z.infer<typeof ZGetDefenseScoringInput>;

export const ZGetDefenseScoringOutput = z.object({
  meeting: z.object({
    id: z.string(),
    title: z.string(),
    role: z.enum(["chair", "expert"]),
    state: z.string(),
    startsAt: z.string(),
    venue: z.string(),
  }),
  applicants: z.array(
    ZSheetViewOutput.extend({
      position: z.number().int(),
      applicantName: z.string(),
      employerName: z.string().nullable(),
    }),
  ),
});
export type TGetDefenseScoringOutput = z.infer<typeof ZGetDefenseScoringOutput>;

/** A defense meeting's scoring page: the applicants the reader is not recused from, each with its sheet. */
export const getDefenseScoring = expertProcedure
  .input(ZGetDefenseScoringInput)
  .output(ZGetDefenseScoringOutput)
  .query(async ({ ctx, input }) => {
    const view = unwrap(await scoringOverview(ctx.db, ctx.actor, input.meetingId), ctx.locale);
    return {
      meeting: { ...view.meeting, startsAt: view.meeting.startsAt.toISOString() },
      applicants: view.applicants.map((a) => ({
        ...sheetViewOut(a, ctx.locale),
        position: a.position,
        applicantName: a.applicantName,
        employerName: a.employerName,
      })),
    };
  });
