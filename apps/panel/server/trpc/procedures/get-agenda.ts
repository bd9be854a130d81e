import { meetingRepository } from "@titles/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { expertProcedure } from "../init";

export const ZGetAgendaInput = z.object({ meetingId: z.string().uuid() });
export type TGetAgendaInput = z.infer<typeof ZGetAgendaInput>;

export const ZGetAgendaOutput = z.object({
  meeting: z.object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string(),
    venue: z.string(),
    /** The reader's own seat in the meeting. */
    role: z.string(),
  }),
  /** Who presents during a defense: the client follows this member's page in "follow the chair". */
  chairUserIds: z.array(z.string()),
  applications: z.array(
    z.object({
      applicationId: z.string(),
      position: z.number(),
      applicantName: z.string(),
      employerName: z.string().nullable(),
      series: z.string(),
      level: z.string(),
    }),
  ),
});
export type TGetAgendaOutput = z.infer<typeof ZGetAgendaOutput>;

const notMember = {
  "zh-CN": "您不是该评审会的成员。",
  en: "You are not a member of this meeting.",
} as const;

/**
 * A meeting's agenda as the reader sees it: the applications they are not recused from. A recused
 * applicant is left out altogether, so the list does not even reveal that they are on the agenda.
 */
export const getAgenda = expertProcedure
  .input(ZGetAgendaInput)
  .output(ZGetAgendaOutput)
  .query(async ({ ctx, input }) => {
    const userId = ctx.actor.user.id;
    const role = await meetingRepository.memberRole(ctx.db, input.meetingId, userId);
    const meeting = role ? await meetingRepository.findById(ctx.db, input.meetingId) : null;
    if (!role || !meeting) throw new TRPCError({ code: "FORBIDDEN", message: notMember[ctx.locale] });
    const [members, agenda] = await Promise.all([
      meetingRepository.members(ctx.db, input.meetingId),
      meetingRepository.agendaFor(ctx.db, input.meetingId, userId),
    ]);
    return {
      meeting: {
        id: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt.toISOString(),
        venue: meeting.venue,
        role,
      },
      chairUserIds: members.filter((m) => m.role === "chair").map((m) => m.userId),
      applications: agenda.map((a) => ({
        applicationId: a.applicationId,
        position: a.position,
        applicantName: a.applicantName,
        employerName: a.employerName,
        series: a.series,
        level: a.level,
      })),
    };
  });
