import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { meetings, reviewGroupMembers, reviewGroups, reviewOpinions } from "../schema";

export type ReviewGroupRecord = typeof reviewGroups.$inferSelect;
export type ReviewOpinionRecord = typeof reviewOpinions.$inferSelect;

/** An opinion with the group that wrote it. */
export interface GroupOpinion {
  groupId: string;
  groupName: string;
  discipline: string;
  applicationId: string;
  recommendation: string;
  opinion: string;
  writtenAt: Date;
}

export const reviewOpinionRepository = {
  async findGroup(db: Db, groupId: string): Promise<ReviewGroupRecord | null> {
    const [row] = await db.select().from(reviewGroups).where(eq(reviewGroups.id, groupId));
    return row ?? null;
  },

  async isGroupMember(db: Db, groupId: string, userId: string): Promise<boolean> {
    const [row] = await db
      .select({ userId: reviewGroupMembers.userId })
      .from(reviewGroupMembers)
      .where(and(eq(reviewGroupMembers.groupId, groupId), eq(reviewGroupMembers.userId, userId)));
    return row !== undefined;
  },

  /** The review groups of a meeting the user belongs to. */
  async groupsOfMember(db: Db, meetingId: string, userId: string): Promise<ReviewGroupRecord[]> {
    const rows = await db
      .select({ group: reviewGroups })
      .from(reviewGroups)
      .innerJoin(reviewGroupMembers, eq(reviewGroupMembers.groupId, reviewGroups.id))
      .where(and(eq(reviewGroups.meetingId, meetingId), eq(reviewGroupMembers.userId, userId)))
      .orderBy(asc(reviewGroups.name));
    return rows.map((r) => r.group);
  },

  /**
   * The state of the group's meeting, read with a share lock: closing the meeting waits for an opinion
   * being written, and an opinion written after the close sees it closed.
   */
  async meetingStateForShare(db: Db, meetingId: string): Promise<string | null> {
    const [row] = await db
      .select({ state: meetings.state })
      .from(meetings)
      .where(eq(meetings.id, meetingId))
      .for("share");
    return row?.state ?? null;
  },

  /** One opinion per group and applicant: written, or rewritten in place. */
  async upsert(
    db: Db,
    input: {
      groupId: string;
      applicationId: string;
      recommendation: "support" | "oppose";
      opinion: string;
      writtenBy: string;
      writtenAt: Date;
    },
  ): Promise<ReviewOpinionRecord> {
    const [row] = await db
      .insert(reviewOpinions)
      .values(input)
      .onConflictDoUpdate({
        target: [reviewOpinions.groupId, reviewOpinions.applicationId],
        set: {
          recommendation: input.recommendation,
          opinion: input.opinion,
          writtenBy: input.writtenBy,
          writtenAt: input.writtenAt,
        },
      })
      .returning();
    return row!;
  },

  /** The opinions of a meeting's review groups on the given applications, by group name. */
  async forMeeting(db: Db, meetingId: string, applicationIds: readonly string[]): Promise<GroupOpinion[]> {
    if (applicationIds.length === 0) return [];
    return db
      .select({
        groupId: reviewGroups.id,
        groupName: reviewGroups.name,
        discipline: reviewGroups.discipline,
        applicationId: reviewOpinions.applicationId,
        recommendation: reviewOpinions.recommendation,
        opinion: reviewOpinions.opinion,
        writtenAt: reviewOpinions.writtenAt,
      })
      .from(reviewOpinions)
      .innerJoin(reviewGroups, eq(reviewGroups.id, reviewOpinions.groupId))
      .where(
        and(
          eq(reviewGroups.meetingId, meetingId),
          inArray(reviewOpinions.applicationId, [...applicationIds]),
        ),
      )
      .orderBy(asc(reviewGroups.name), asc(reviewGroups.createdAt));
  },
};
