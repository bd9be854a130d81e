import { z } from "zod";
import { expertProcedure } from "../init";

export const ZGetLobbyInput = z.void();
export type TGetLobbyInput = z.infer<typeof ZGetLobbyInput>;

export const ZLobbyMeeting = z.object({ id: z.string(), title: z.string(), date: z.string() });

export const ZGetLobbyOutput = z.object({
  user: z.object({ name: z.string() }),
  roles: z.array(z.string()),
  meetings: z.array(ZLobbyMeeting),
});
export type TGetLobbyOutput = z.infer<typeof ZGetLobbyOutput>;

export const getLobby = expertProcedure
  .input(ZGetLobbyInput)
  .output(ZGetLobbyOutput)
  .query(({ ctx }) => ({
    user: { name: ctx.actor.user.name },
    roles: [...new Set(ctx.actor.roles.map((r) => r.role))],
    // The meeting tables arrive with the scheduling issue; until then nobody has a meeting.
    meetings: [],
  }));
