import {
  appendAudit,
  type Db,
  type DefenseScoreRecord,
  defenseScoreRepository,
  meetingRepository,
  type SubmittedTotal,
} from "@titles/db";
import {
  DomainError,
  defensePassed,
  panelScore,
  type ScoreSheet,
  type Scores,
  scoreErrors,
  scoreSheetFor,
  weightedTotal,
  ZScores,
} from "@titles/domain";
import { z } from "zod";
import { command, type Outcome, type PanelUser, query } from "../outcome";

export const ZScoreTarget = z.object({ meetingId: z.string().uuid(), applicationId: z.string().uuid() });
export const ZScoresInput = ZScoreTarget.extend({ scores: ZScores });
export type ScoresInput = z.infer<typeof ZScoresInput>;

/** The reader's own sheet for one applicant. */
export interface MySheet {
  status: "none" | "draft" | "submitted";
  scores: Scores;
  /** Weighted total in hundredths: the running total of a draft, the stored total once submitted. */
  total: number;
  updatedAt: Date | null;
  submittedAt: Date | null;
}

/** What the chair sees of the panel: how many submitted, and the panel score once everyone has. */
export interface PanelSummary {
  submitted: number;
  /** Panelists (chair and experts) not recused and not marked absent. */
  expected: number;
  complete: boolean;
  /** Hundredths of a point; null until every expected panelist has submitted. */
  score: number | null;
  trimmed: boolean;
  passed: boolean | null;
}

function validation(error: z.ZodError): DomainError {
  return new DomainError("VALIDATION", {
    details: error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
  });
}

interface Gate {
  sheet: ScoreSheet;
  role: "chair" | "expert";
  attendance: string;
}

/**
 * Who may score (or read a sheet of) an applicant in a meeting: a chair or expert of a defense meeting,
 * for an application on its agenda, who is not recused from it.
 */
async function gate(db: Db, reader: PanelUser, meetingId: string, applicationId: string): Promise<Gate> {
  const facts = await defenseScoreRepository.scoringFacts(db, meetingId, applicationId, reader.user.id);
  if (!facts.meeting || (facts.role !== "chair" && facts.role !== "expert")) {
    throw new DomainError("NOT_MEETING_MEMBER");
  }
  if (facts.meeting.kind !== "defense") throw new DomainError("MEETING_KIND", { kind: facts.meeting.kind });
  if (!facts.agenda) throw new DomainError("NOT_ON_AGENDA");
  if (facts.recused) throw new DomainError("RECUSED");
  return { sheet: scoreSheetFor(facts.agenda.series), role: facts.role, attendance: facts.agenda.attendance };
}

function firstError(errors: DomainError[]): void {
  if (errors[0]) throw errors[0];
}

function parseScores(input: unknown): ScoresInput {
  const parsed = ZScoresInput.safeParse(input);
  if (!parsed.success) throw validation(parsed.error);
  return parsed.data;
}

function mine(sheet: ScoreSheet, row: DefenseScoreRecord | null | undefined): MySheet {
  if (!row) return { status: "none", scores: {}, total: 0, updatedAt: null, submittedAt: null };
  const submitted = row.submittedAt !== null;
  return {
    status: submitted ? "submitted" : "draft",
    scores: row.scores,
    total: submitted && row.total !== null ? row.total : weightedTotal(sheet, row.scores),
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
  };
}

/** The panel's standing on one applicant from the expected panelists and the submitted totals. */
export function summarize(sheet: ScoreSheet, expected: readonly string[], totals: readonly SubmittedTotal[]) {
  const submittedBy = new Set(totals.map((t) => t.expertId));
  const complete = totals.length > 0 && expected.every((id) => submittedBy.has(id));
  const result = complete ? panelScore(totals.map((t) => t.total)) : null;
  const summary: PanelSummary = {
    submitted: totals.length,
    expected: expected.length,
    complete,
    score: result?.score ?? null,
    trimmed: result?.trimmed ?? false,
    passed: result?.score == null ? null : defensePassed(result.score, sheet),
  };
  return summary;
}

/**
 * Autosaves a panelist's draft for one applicant: partial scores are fine, each must be a whole number
 * 0–100 of a criterion of the series' sheet. Refused once the sheet is submitted. One transaction, audited.
 */
export async function saveDraft(db: Db, expert: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx) => {
    const { meetingId, applicationId, scores } = parseScores(input);
    const { sheet, attendance } = await gate(tx, expert, meetingId, applicationId);
    if (attendance === "no_show") throw new DomainError("DEFENSE_NO_SHOW");
    firstError(scoreErrors(sheet, scores, false));
    const existing = await defenseScoreRepository.findForUpdate(tx, meetingId, applicationId, expert.user.id);
    if (existing?.submittedAt) throw new DomainError("SCORE_SUBMITTED");
    const row = await defenseScoreRepository.saveDraft(tx, {
      meetingId,
      applicationId,
      expertId: expert.user.id,
      scores,
      at: now,
    });
    if (!row) throw new DomainError("SCORE_SUBMITTED");
    await appendAudit(tx, {
      at: now,
      actorUserId: expert.user.id,
      action: "defense.score-draft",
      objectType: "application",
      objectId: applicationId,
      data: { meetingId, criteria: Object.keys(scores).sort() },
    });
    return mine(sheet, row);
  });
}

/**
 * Submits a panelist's sheet: every criterion scored, the weighted total stored, the sheet locked.
 * An applicant recorded as a no-show is not scored. One transaction, audited.
 */
export async function submit(db: Db, expert: PanelUser, input: unknown, now: Date) {
  return command(db, async (tx) => {
    const { meetingId, applicationId, scores } = parseScores(input);
    const { sheet, attendance } = await gate(tx, expert, meetingId, applicationId);
    if (attendance === "no_show") throw new DomainError("DEFENSE_NO_SHOW");
    firstError(scoreErrors(sheet, scores, true));
    const existing = await defenseScoreRepository.findForUpdate(tx, meetingId, applicationId, expert.user.id);
    if (existing?.submittedAt) throw new DomainError("SCORE_SUBMITTED");
    const total = weightedTotal(sheet, scores);
    const row = await defenseScoreRepository.submit(tx, {
      meetingId,
      applicationId,
      expertId: expert.user.id,
      scores,
      total,
      at: now,
    });
    if (!row) throw new DomainError("SCORE_SUBMITTED");
    await appendAudit(tx, {
      at: now,
      actorUserId: expert.user.id,
      action: "defense.score-submit",
      objectType: "application",
      objectId: applicationId,
      data: { meetingId, scores, total },
    });
    return mine(sheet, row);
  });
}

/** One applicant as the scoring page shows it to the reader. */
export interface ScoreSheetView {
  applicationId: string;
  attendance: string;
  sheet: ScoreSheet;
  mine: MySheet;
  /** Only for the chair: other panelists' individual scores are never shown. */
  summary: PanelSummary | null;
}

async function summariesFor(
  db: Db,
  meetingId: string,
  applications: ReadonlyArray<{ applicationId: string; sheet: ScoreSheet }>,
): Promise<Map<string, PanelSummary>> {
  const [expected, totals] = await Promise.all([
    defenseScoreRepository.expectedPanelists(db, meetingId),
    defenseScoreRepository.submittedTotals(
      db,
      applications.map((a) => ({ meetingId, applicationId: a.applicationId })),
    ),
  ]);
  const out = new Map<string, PanelSummary>();
  for (const a of applications) {
    out.set(
      a.applicationId,
      summarize(
        a.sheet,
        expected.filter((e) => e.applicationId === a.applicationId).map((e) => e.expertId),
        totals.filter((t) => t.applicationId === a.applicationId),
      ),
    );
  }
  return out;
}

/** The sheet of one applicant (criteria, weights, pass line), the reader's scores, and the chair's summary. */
export async function scoreSheet(
  db: Db,
  reader: PanelUser,
  meetingId: string,
  applicationId: string,
): Promise<Outcome<ScoreSheetView>> {
  return query(async () => {
    const target = ZScoreTarget.safeParse({ meetingId, applicationId });
    if (!target.success) throw validation(target.error);
    const { sheet, role, attendance } = await gate(db, reader, meetingId, applicationId);
    const [own] = (await defenseScoreRepository.findForExpert(db, meetingId, reader.user.id)).filter(
      (r) => r.applicationId === applicationId,
    );
    const summary =
      role === "chair"
        ? (await summariesFor(db, meetingId, [{ applicationId, sheet }])).get(applicationId)!
        : null;
    return { applicationId, attendance, sheet, mine: mine(sheet, own), summary };
  });
}

export interface ScoringOverview {
  meeting: {
    id: string;
    title: string;
    role: "chair" | "expert";
    state: string;
    startsAt: Date;
    venue: string;
  };
  applicants: Array<
    ScoreSheetView & { position: number; applicantName: string; employerName: string | null; series: string }
  >;
}

/**
 * The scoring page of a defense meeting: every applicant the reader is not recused from (the recused
 * ones are left out altogether), each with its sheet, the reader's scores and, for the chair, the summary.
 */
export async function scoringOverview(
  db: Db,
  reader: PanelUser,
  meetingId: string,
): Promise<Outcome<ScoringOverview>> {
  return query(async () => {
    if (!z.string().uuid().safeParse(meetingId).success) {
      throw new DomainError("VALIDATION", { details: "meetingId" });
    }
    const [meeting, role] = await Promise.all([
      meetingRepository.findById(db, meetingId),
      meetingRepository.memberRole(db, meetingId, reader.user.id),
    ]);
    if (!meeting || (role !== "chair" && role !== "expert")) throw new DomainError("NOT_MEETING_MEMBER");
    if (meeting.kind !== "defense") throw new DomainError("MEETING_KIND", { kind: meeting.kind });
    const [agenda, attendance, own] = await Promise.all([
      meetingRepository.agendaFor(db, meetingId, reader.user.id),
      defenseScoreRepository.attendance(db, meetingId),
      defenseScoreRepository.findForExpert(db, meetingId, reader.user.id),
    ]);
    const withSheets = agenda.map((a) => ({ ...a, sheet: scoreSheetFor(a.series) }));
    const summaries = role === "chair" ? await summariesFor(db, meetingId, withSheets) : null;
    return {
      meeting: {
        id: meeting.id,
        title: meeting.title,
        role,
        state: meeting.state,
        startsAt: meeting.startsAt,
        venue: meeting.venue,
      },
      applicants: withSheets.map((a) => ({
        applicationId: a.applicationId,
        position: a.position,
        applicantName: a.applicantName,
        employerName: a.employerName,
        series: a.series,
        attendance: attendance.get(a.applicationId) ?? "pending",
        sheet: a.sheet,
        mine: mine(
          a.sheet,
          own.find((r) => r.applicationId === a.applicationId),
        ),
        summary: summaries?.get(a.applicationId) ?? null,
      })),
    };
  });
}
