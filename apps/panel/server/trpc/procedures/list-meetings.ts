import { meetingRepository } from "@titles/db";
import { z } from "zod";
import { expertProcedure } from "../init";

export const ZListMeetingsInput = z.void();
export type TListMeetingsInput = z.infer<typeof ZListMeetingsInput>;

export const ZMeetingSummary = z.object({
  id: z.string(),
  title: z.string(),
  /** The expert's seat in this meeting: chair, expert or observer. */
  role: z.string(),
  startsAt: z.string(),
  venue: z.string(),
});

export const ZListMeetingsOutput = z.array(ZMeetingSummary);
export type TListMeetingsOutput = z.infer<typeof ZListMeetingsOutput>;

/** The meetings the signed-in expert sits in, earliest first. */
export const listMeetings = expertProcedure
  .input(ZListMeetingsInput)
  .output(ZListMeetingsOutput)
  .query(async ({ ctx }) => {
    const rows = await meetingRepository.findForMember(ctx.db, ctx.actor.user.id);
    return rows.map((m) => ({
      id: m.id,
      title: m.title,
      role: m.memberRole,
      startsAt: m.startsAt.toISOString(),
      venue: m.venue,
    }));
  });
