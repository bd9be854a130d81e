import { appendAudit, type Db, meetingRepository, reviewOpinionRepository } from "@titles/db";
import { DomainError } from "@titles/domain";
import { z } from "zod";
import { command, type Outcome, type PanelUser, query } from "../outcome";

export const recommendations = ["support", "oppose"] as const;
export type Recommendation = (typeof recommendations)[number];

export const ZOpinionInput = z.object({
  groupId: z.string().uuid(),
  applicationId: z.string().uuid(),
  recommendation: z.enum(recommendations),
  opinion: z
    .string()
    .trim()
    .min(2, { message: "请填写评议意见（至少2个字）。 / Write the opinion (at least 2 characters)." })
    .max(2000, { message: "评议意见不超过2000字。 / The opinion is at most 2000 characters." }),
});
export type OpinionInput = z.infer<typeof ZOpinionInput>;

function validation(error: z.ZodError): DomainError {
  return new DomainError("VALIDATION", {
    details: error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
  });
}

/**
 * A review group's (评议组) written opinion on one applicant: support or oppose, with the reasons. Only a
 * member of the group writes it, for an application on the agenda of the group's meeting that they are
 * not recused from. One opinion per group and applicant, rewritten in place until the meeting closes.
 */
export async function writeOpinion(db: Db, expert: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx) => {
    const parsed = ZOpinionInput.safeParse(input);
    if (!parsed.success) throw validation(parsed.error);
    const { groupId, applicationId, recommendation, opinion } = parsed.data;
    const group = await reviewOpinionRepository.findGroup(tx, groupId);
    if (!group) throw new DomainError("NOT_FOUND");
    if (!(await reviewOpinionRepository.isGroupMember(tx, groupId, expert.user.id))) {
      throw new DomainError("NOT_REVIEW_GROUP_MEMBER");
    }
    const state = await reviewOpinionRepository.meetingStateForShare(tx, group.meetingId);
    if (state === "closed") throw new DomainError("REVIEW_OPINION_CLOSED");
    if (!(await meetingRepository.onAgenda(tx, group.meetingId, applicationId))) {
      throw new DomainError("NOT_ON_AGENDA");
    }
    if (await meetingRepository.isRecused(tx, group.meetingId, applicationId, expert.user.id)) {
      throw new DomainError("RECUSED");
    }
    const row = await reviewOpinionRepository.upsert(tx, {
      groupId,
      applicationId,
      recommendation,
      opinion,
      writtenBy: expert.user.id,
      writtenAt: now,
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: expert.user.id,
      action: "review-group.opinion",
      objectType: "application",
      objectId: applicationId,
      data: { groupId, meetingId: group.meetingId, recommendation, length: opinion.length },
    });
    return {
      groupId: row.groupId,
      applicationId: row.applicationId,
      recommendation: row.recommendation as Recommendation,
      opinion: row.opinion,
      writtenAt: row.writtenAt,
    };
  });
}

export interface OpinionsView {
  /** The meeting's review groups the reader belongs to: where they may write. */
  myGroups: Array<{ groupId: string; name: string; discipline: string }>;
  opinions: Array<{
    groupId: string;
    groupName: string;
    discipline: string;
    applicationId: string;
    recommendation: Recommendation;
    opinion: string;
    writtenAt: Date;
  }>;
  /** Once the meeting is closed the opinions are final. */
  closed: boolean;
}

/**
 * The review groups' opinions on one applicant of a meeting, for a member of the meeting or of one of
 * its review groups who is not recused from that applicant.
 */
export async function listOpinions(
  db: Db,
  reader: PanelUser,
  meetingId: string,
  applicationId: string,
): Promise<Outcome<OpinionsView>> {
  return query(async () => {
    const ids = z.object({ meetingId: z.string().uuid(), applicationId: z.string().uuid() });
    const parsed = ids.safeParse({ meetingId, applicationId });
    if (!parsed.success) throw validation(parsed.error);
    const [meeting, role, groups] = await Promise.all([
      meetingRepository.findById(db, meetingId),
      meetingRepository.memberRole(db, meetingId, reader.user.id),
      reviewOpinionRepository.groupsOfMember(db, meetingId, reader.user.id),
    ]);
    if (!meeting || (!role && groups.length === 0)) throw new DomainError("NOT_MEETING_MEMBER");
    if (!(await meetingRepository.onAgenda(db, meetingId, applicationId)))
      throw new DomainError("NOT_ON_AGENDA");
    if (await meetingRepository.isRecused(db, meetingId, applicationId, reader.user.id)) {
      throw new DomainError("RECUSED");
    }
    const opinions = await reviewOpinionRepository.forMeeting(db, meetingId, [applicationId]);
    return {
      myGroups: groups.map((g) => ({ groupId: g.id, name: g.name, discipline: g.discipline })),
      opinions: opinions.map((o) => ({ ...o, recommendation: o.recommendation as Recommendation })),
      closed: meeting.state === "closed",
    };
  });
}
