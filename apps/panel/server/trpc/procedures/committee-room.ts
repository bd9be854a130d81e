import { z } from "zod";
import { meetingRoom } from "../../committee/service";
import { unwrap } from "../domain-errors";
import { expertProcedure } from "../init";
import { meetingRoomOut, ZMeetingRoomOutput } from "./committee-schemas";

export const ZCommitteeRoomInput = z.object({ meetingId: z.string().uuid() });
export type TCommitteeRoomInput = z.infer<typeof ZCommitteeRoomInput>;
export const ZCommitteeRoomOutput = ZMeetingRoomOutput;

/** The committee room as the reader sees it: recused applicants left out, open ballots without counts. */
export const getCommitteeRoom = expertProcedure
  .input(ZCommitteeRoomInput)
  .output(ZCommitteeRoomOutput)
  .query(async ({ ctx, input }) =>
    meetingRoomOut(unwrap(await meetingRoom(ctx.db, ctx.actor, input), ctx.locale)),
  );
