import { windowStatus } from "@titles/domain";
import { z } from "zod";
import { activeRound } from "~/lib/round.server";
import { publicProcedure } from "../init.server";

export const ZGetCurrentRoundOutput = z
  .object({
    year: z.number(),
    windows: z.array(
      z.object({
        id: z.string(),
        series: z.array(z.string()),
        levels: z.array(z.string()),
        opens: z.string(),
        closes: z.string(),
        status: z.enum(["not-open", "open", "closed"]),
      }),
    ),
  })
  .nullable();
export type TGetCurrentRoundOutput = z.infer<typeof ZGetCurrentRoundOutput>;

export const getCurrentRound = publicProcedure.output(ZGetCurrentRoundOutput).query(async ({ ctx }) => {
  const round = await activeRound(ctx.db);
  if (!round) return null;
  return {
    year: round.year,
    windows: round.windows.map((w) => ({
      id: w.id,
      series: w.series,
      levels: w.levels,
      opens: w.opens,
      closes: w.closes,
      status: windowStatus(ctx.now, w),
    })),
  };
});
