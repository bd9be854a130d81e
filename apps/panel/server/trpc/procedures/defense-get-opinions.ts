import { z } from "zod";
import { listOpinions } from "../../defense/opinions";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";

export const ZGetReviewOpinionsInput = z.object({
  meetingId: z.string().uuid(),
  applicationId: z.string().uuid(),
});
export type TGetReviewOpinionsInput = z.infer<typeof ZGetReviewOpinionsInput>;

export const ZReviewOpinion = z.object({
  groupId: z.string(),
  groupName: z.string(),
  discipline: z.string(),
  recommendation: z.enum(["support", "oppose"]),
  opinion: z.string(),
  writtenAt: z.string(),
});

export const ZGetReviewOpinionsOutput = z.object({
  myGroups: z.array(z.object({ groupId: z.string(), name: z.string(), discipline: z.string() })),
  opinions: z.array(ZReviewOpinion),
  closed: z.boolean(),
});
export type TGetReviewOpinionsOutput = z.infer<typeof ZGetReviewOpinionsOutput>;

/** The review groups' opinions on one applicant, and the groups the reader may write for. */
export const getReviewOpinions = expertProcedure
  .input(ZGetReviewOpinionsInput)
  .output(ZGetReviewOpinionsOutput)
  .query(async ({ ctx, input }) => {
    const view = unwrap(
      await listOpinions(ctx.db, ctx.actor, input.meetingId, input.applicationId),
      ctx.locale,
    );
    return {
      myGroups: view.myGroups,
      opinions: view.opinions.map((o) => ({
        groupId: o.groupId,
        groupName: o.groupName,
        discipline: o.discipline,
        recommendation: o.recommendation,
        opinion: o.opinion,
        writtenAt: o.writtenAt.toISOString(),
      })),
      closed: view.closed,
    };
  });
