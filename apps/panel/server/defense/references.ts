import { type Db, defenseScoreRepository, meetingRepository, reviewOpinionRepository } from "@titles/db";
import { defenseReference, scoreSheetFor } from "@titles/domain";

/** What the committee is shown about an applicant before it votes: references, not votes. */
export interface EvaluationReference {
  /** Null when the application had no defense session in the round (junior titles). */
  defense: {
    /** `formatScore` of the panel score, null while nobody has submitted. */
    score: string | null;
    /** Submitted score sheets. */
    count: number;
    /** Whether the highest and lowest totals were dropped (five or more sheets). */
    trimmed: boolean;
    passLine: number;
    passed: boolean | null;
    /** The check-in of the defense: `pending`, `present` or `no_show`. */
    attendance: string | null;
  } | null;
  opinions: Array<{
    groupName: string;
    discipline: string;
    recommendation: "support" | "oppose";
    opinion: string;
  }>;
}

/**
 * The references of the committee meeting `meetingId` for the given applications: the defense panel
 * score from the application's latest defense session of the same round (submitted sheets only), and
 * the written opinions of the meeting's review groups. Every requested id gets an entry. The caller
 * decides who may see them (leave out the applicants a reader is recused from).
 */
export async function evaluationReferences(
  db: Db,
  meetingId: string,
  applicationIds: string[],
): Promise<Map<string, EvaluationReference>> {
  const out = new Map<string, EvaluationReference>();
  for (const id of applicationIds) out.set(id, { defense: null, opinions: [] });
  if (applicationIds.length === 0) return out;
  const meeting = await meetingRepository.findById(db, meetingId);
  if (!meeting) return out;

  // Sequential: `db` may be the caller's transaction, whose queries share one connection.
  const sessions = await defenseScoreRepository.latestTotals(db, meeting.roundYear, applicationIds);
  const opinions = await reviewOpinionRepository.forMeeting(db, meetingId, applicationIds);

  for (const session of sessions.values()) {
    const entry = out.get(session.applicationId);
    if (!entry) continue;
    entry.defense = {
      ...defenseReference(session.totals, scoreSheetFor(session.series)),
      attendance: session.attendance,
    };
  }
  for (const o of opinions) {
    out.get(o.applicationId)?.opinions.push({
      groupName: o.groupName,
      discipline: o.discipline,
      recommendation: o.recommendation === "oppose" ? "oppose" : "support",
      opinion: o.opinion,
    });
  }
  return out;
}
