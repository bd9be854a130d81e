import { notificationRepository } from "@titles/db";
import { z } from "zod";
import { authedProcedure } from "../init.server";

export const ZListMyMessagesInput = z.object({ limit: z.number().int().min(1).max(100).default(20) });
export const ZListMyMessagesOutput = z.array(
  z.object({ id: z.string(), body: z.string(), status: z.string(), at: z.string() }),
);
export type TListMyMessagesOutput = z.infer<typeof ZListMyMessagesOutput>;

/** The SMS the system sent to the acting user: their own, never anyone else's. */
export const listMyMessages = authedProcedure
  .input(ZListMyMessagesInput)
  .output(ZListMyMessagesOutput)
  .query(async ({ ctx, input }) => {
    const rows = await notificationRepository.findForUser(ctx.db, ctx.actor.user.id, input.limit);
    return rows.map((m) => ({ id: m.id, body: m.body, status: m.status, at: m.createdAt.toISOString() }));
  });
