import { z } from "zod";
import { authedProcedure } from "../init.server";

export const ZGetMeOutput = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(
    z.object({
      role: z.string(),
      organisationId: z.string().nullable(),
      organisationName: z.string().nullable(),
    }),
  ),
});
export type TGetMeOutput = z.infer<typeof ZGetMeOutput>;

export const getMe = authedProcedure.output(ZGetMeOutput).query(({ ctx }) => ({
  id: ctx.actor.user.id,
  name: ctx.actor.user.name,
  roles: ctx.actor.roles.map((r) => ({
    role: r.role,
    organisationId: r.organisationId,
    organisationName: r.organisationName,
  })),
}));
