import { ballotStates, meetingStates } from "@titles/domain";
import { z } from "zod";
import type { MeetingRoom } from "../../committee/service";

const ZTally = z.object({
  yes: z.number().int(),
  no: z.number().int(),
  abstain: z.number().int(),
  blank: z.number().int(),
  needed: z.number().int(),
  passed: z.boolean(),
});

export const ZCommitteeTarget = z.object({ meetingId: z.string().uuid(), applicationId: z.string().uuid() });

/** A ballot's standing: how many voted of how many, never how while it is open. */
export const ZBallotProgressOutput = z.object({
  applicationId: z.string(),
  state: z.enum(ballotStates),
  voted: z.number().int(),
  voters: z.number().int(),
});
export type TBallotProgressOutput = z.infer<typeof ZBallotProgressOutput>;

export const ZMeetingRoomOutput = z.object({
  meeting: z.object({
    id: z.string(),
    title: z.string(),
    state: z.enum(meetingStates),
    inclusive: z.boolean(),
    members: z.number().int(),
    needed: z.number().int(),
    presentAtRollCall: z.number().int().nullable(),
    rollCallAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  }),
  me: z.object({ userId: z.string(), role: z.string(), present: z.boolean().nullable() }),
  seats: z.array(
    z.object({ userId: z.string(), name: z.string(), role: z.string(), present: z.boolean().nullable() }),
  ),
  applicants: z.array(
    z.object({
      applicationId: z.string(),
      position: z.number().int(),
      applicantName: z.string(),
      employerName: z.string().nullable(),
      ballot: z
        .object({
          state: z.enum(ballotStates),
          voted: z.number().int(),
          voters: z.number().int(),
          tally: ZTally.nullable(),
          signedAt: z.string().nullable(),
        })
        .nullable(),
      voted: z.boolean(),
      references: z.object({
        defense: z
          .object({
            score: z.string().nullable(),
            count: z.number().int(),
            trimmed: z.boolean(),
            passLine: z.number(),
            passed: z.boolean().nullable(),
            attendance: z.string().nullable(),
          })
          .nullable(),
        opinions: z.array(
          z.object({
            groupName: z.string(),
            discipline: z.string(),
            recommendation: z.enum(["support", "oppose"]),
            opinion: z.string(),
          }),
        ),
      }),
    }),
  ),
});
export type TMeetingRoomOutput = z.infer<typeof ZMeetingRoomOutput>;

export function meetingRoomOut(room: MeetingRoom): TMeetingRoomOutput {
  return {
    meeting: {
      ...room.meeting,
      rollCallAt: room.meeting.rollCallAt?.toISOString() ?? null,
      closedAt: room.meeting.closedAt?.toISOString() ?? null,
    },
    me: room.me,
    seats: room.seats,
    applicants: room.applicants.map((a) => ({
      ...a,
      ballot: a.ballot ? { ...a.ballot, signedAt: a.ballot.signedAt?.toISOString() ?? null } : null,
    })),
  };
}
