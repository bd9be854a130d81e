import {
  appendAudit,
  applicationRepository,
  type Db,
  fileRepository,
  organisationRepository,
  type PublicBatch,
  type PublicEntry,
  type ResultBatchRecord,
  type ResultBatchSummary,
  type ResultCandidate,
  type ResultEntryRecord,
  resultBatchRepository,
  type StaffEntry,
  userRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  DomainError,
  type EntryOutcome,
  type EntryResult,
  evaluationSchedule,
  type IsoDate,
  isApplicationState,
  isDayOver,
  isDomainError,
  isIsoDate,
  type Level,
  levelGroupOf,
  levelGroups,
  levelLabels,
  levels,
  levelsOfGroup,
  mayManageBatch,
  publisherForGroup,
  qualificationTitle,
  resultPublicityEnd,
  resultPublicityError,
  resultPublicityMinWorkingDays,
  type Series,
  scheduleWarning,
  seriesLabels,
  settleEntry,
  shanghaiDate,
  validationError,
  workingDaysBetween,
  ZResultBatchInput,
} from "@titles/domain";
import { z } from "zod";
import { renderResultList } from "~/documents/result-list.server";
import { type Actor, hasRole } from "~/lib/auth.server";
import { agencySeries } from "./agency.server";
import { apply, type CommandResult, command, loadRules } from "./applications.server";
import { enqueueSms } from "./notifications.server";

/**
 * Result batches (评审结果公示, step 8). Staff group decided applications into a batch of one level
 * group: senior batches are the city bureau's (role `admin`), intermediate and junior ones belong to
 * the agency that serves the series. Publishing starts the publicity (at least 5 working days on the
 * admin's calendar); when its last day is over, entries without an open complaint become final
 * (`finaliseBatches`, a job every minute) and the batch ends once nothing is pending.
 */

const ZId = z.string().uuid();
export const PUBLIC_PAGE_SIZE = 50;
export const BUREAU_NAME = "北京市人力资源和社会保障局";

const isAdmin = (actor: Actor) => hasRole(actor, "admin");
const agencyIdsOf = (actor: Actor) =>
  actor.roles.filter((r) => r.role === "agency" && r.organisationId).map((r) => r.organisationId!);

/** The batch if the actor may manage it; NOT_FOUND otherwise (another agency's batch is not revealed). */
export async function batchFor(db: Db, actor: Actor, id: unknown): Promise<ResultBatchRecord> {
  const parsed = ZId.safeParse(id);
  if (!parsed.success) throw new DomainError("NOT_FOUND");
  const batch = await resultBatchRepository.findById(db, parsed.data);
  if (!batch || !mayManageBatch(actor, batch)) throw new DomainError("NOT_FOUND");
  return batch;
}

const seriesLabel = (s: string) => seriesLabels[s as Series]?.["zh-CN"] ?? s;
const levelLabel = (l: string) => levelLabels[l as Level]?.["zh-CN"] ?? l;

/** 2021年度工程技术系列中级职称评审结果公示（第1批） */
export function defaultBatchTitle(
  roundYear: number,
  entries: Array<{ series: string; level: string }>,
  number: number,
): string {
  const series = [...new Set(entries.map((e) => e.series))].map(seriesLabel);
  const lvl = levels.filter((l) => entries.some((e) => e.level === l)).reverse();
  const levelText =
    lvl.length > 0 && lvl.every((l) => l === "senior" || l === "deputy-senior") && lvl.length > 1
      ? "高级"
      : lvl.map(levelLabel).join("、");
  const seriesText = series.length > 3 ? `${series.slice(0, 3).join("、")}等` : series.join("、");
  return `${roundYear}年度${seriesText}系列${levelText}职称评审结果公示（第${number}批）`;
}

// --------------------------------------------------------------------------------------------------
// Candidates and a new batch

export interface CandidateView extends ResultCandidate {
  qualification: string;
}

function qualificationOf(c: { series: string; level: string }): string {
  return qualificationTitle(c.series as Series, c.level as Level);
}

/** Decided applications the actor may put into a batch of `levelGroup` (senior: the bureau only). */
export async function listCandidates(db: Db, actor: Actor, levelGroup: unknown): Promise<CandidateView[]> {
  const group = z.enum(levelGroups).safeParse(levelGroup);
  if (!group.success) throw new DomainError("VALIDATION", { details: "levelGroup" });
  if (group.data === "senior" && !isAdmin(actor)) throw new DomainError("FORBIDDEN");
  const rows = await resultBatchRepository.candidates(db, {
    levels: levelsOfGroup(group.data),
    series: isAdmin(actor) ? null : agencySeries(actor),
  });
  return rows.map((r) => ({ ...r, qualification: qualificationOf(r) }));
}

/** The end date a publicity starting on `start` needs (5 working days), on the round's calendar. */
export async function suggestedPublicityEnd(
  db: Db,
  roundYear: number,
  start: string,
): Promise<IsoDate | null> {
  if (!isIsoDate(start)) return null;
  const { calendar } = await loadRules(db, roundYear);
  return resultPublicityEnd(start, resultPublicityMinWorkingDays, calendar);
}

/** The agency whose batch the candidate goes into: the actor's agency for its series, or (admin) the one serving it. */
async function agencyOf(db: Db, actor: Actor, series: string): Promise<string | null> {
  const grant = actor.roles.find(
    (r) => r.role === "agency" && r.organisationId && r.organisationSeries.includes(series),
  );
  if (grant?.organisationId) return grant.organisationId;
  if (!isAdmin(actor)) return null;
  return (await resultBatchRepository.agenciesServing(db, series))[0]?.id ?? null;
}

/**
 * A draft batch of the chosen decided applications, its publicity dates checked on the calendar
 * (fewer than 5 working days is refused and nothing is written). Numbered per round, publisher and
 * agency; the title defaults to “2021年度工程技术系列中级职称评审结果公示（第1批）”.
 */
export async function createBatch(
  db: Db,
  actor: Actor,
  raw: unknown,
  now: Date,
): Promise<CommandResult<ResultBatchRecord>> {
  return command(db, async (tx) => {
    // A blank title means “the default”, which needs the batch number first.
    const source = (raw ?? {}) as Record<string, unknown>;
    const typedTitle = typeof source.title === "string" ? source.title.trim() : "";
    const parsed = ZResultBatchInput.safeParse({ ...source, title: typedTitle || "—" });
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    if (input.levelGroup === "senior" && !isAdmin(actor)) throw new DomainError("FORBIDDEN");

    await resultBatchRepository.lockApplications(tx, input.applicationIds);
    const candidates = await resultBatchRepository.candidates(tx, {
      levels: levelsOfGroup(input.levelGroup),
      series: isAdmin(actor) ? null : agencySeries(actor),
      applicationIds: input.applicationIds,
    });
    const byId = new Map(candidates.map((c) => [c.applicationId, c]));
    const batched = new Set(await resultBatchRepository.batchedApplicationIds(tx, input.applicationIds));
    for (const id of input.applicationIds) {
      if (byId.has(id)) continue;
      // Say why this one cannot join, in the order staff would fix it.
      const app = await applicationRepository.findById(tx, id);
      const series = isAdmin(actor) ? null : agencySeries(actor);
      if (!app || (series !== null && !series.includes(app.series))) throw new DomainError("NOT_FOUND");
      if (levelGroupOf(app.level as Level) !== input.levelGroup) {
        throw new DomainError("RESULT_BATCH_LEVEL_MISMATCH", { level: levelLabel(app.level) });
      }
      if (batched.has(id)) throw new DomainError("RESULT_ALREADY_IN_BATCH", { name: app.applicantName });
      throw new DomainError("RESULT_NOT_DECIDED", { name: app.applicantName });
    }
    const chosen = input.applicationIds.map((id) => byId.get(id)!);
    const roundYear = chosen[0]!.roundYear;
    if (chosen.some((c) => c.roundYear !== roundYear)) {
      throw new DomainError("VALIDATION", {
        details: "一个批次只能包含同一评审年度的结果 / a batch holds one round's results",
      });
    }
    const publisher = publisherForGroup(input.levelGroup);
    let agencyId: string | null = null;
    if (publisher === "agency") {
      const agencies = new Set(await Promise.all(chosen.map((c) => agencyOf(tx, actor, c.series))));
      if (agencies.size !== 1 || agencies.has(null)) {
        throw new DomainError("VALIDATION", {
          details: "一个批次只能包含同一评审机构负责系列的结果 / a batch holds one agency's series",
        });
      }
      agencyId = [...agencies][0]!;
    }

    const { calendar } = await loadRules(tx, roundYear);
    const error = resultPublicityError(
      { start: input.publicityStart, end: input.publicityEnd, today: shanghaiDate(now) },
      calendar,
    );
    if (error) throw error;

    await resultBatchRepository.lockNumbering(tx, roundYear, publisher, agencyId);
    const number = await resultBatchRepository.nextNumber(tx, roundYear, publisher, agencyId);
    const title = typedTitle ? input.title : defaultBatchTitle(roundYear, chosen, number);
    // Passed results first, numbered 1…n as printed; failed ones after them, never public.
    const ordered = [
      ...chosen.filter((c) => c.result === "passed"),
      ...chosen.filter((c) => c.result === "failed"),
    ];
    const batch = await resultBatchRepository.insert(
      tx,
      {
        roundYear,
        publisher,
        agencyId,
        levelGroup: input.levelGroup,
        number,
        title,
        state: "draft",
        publicityStart: input.publicityStart,
        publicityEnd: input.publicityEnd,
        workingDays: workingDaysBetween(input.publicityStart, input.publicityEnd, calendar),
        createdBy: actor.user.id,
        createdAt: now,
      },
      ordered.map((c, index) => ({
        applicationId: c.applicationId,
        position: index + 1,
        result: c.result,
        listed: c.result === "passed",
        name: c.name,
        unitName: c.unitName,
        series: c.series,
        level: c.level,
        specialty: c.specialty,
        qualification: qualificationOf(c),
        committeeName: c.committeeName,
        meetingId: c.meetingId,
        approvedOn: c.approvedOn,
        outcome: "pending",
      })),
    );
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "result-batch.created",
      objectType: "result_batch",
      objectId: batch.id,
      data: {
        number,
        levelGroup: input.levelGroup,
        agencyId,
        passed: ordered.filter((c) => c.result === "passed").length,
        failed: ordered.filter((c) => c.result === "failed").length,
        publicityStart: input.publicityStart,
        publicityEnd: input.publicityEnd,
      },
    });
    return batch;
  });
}

// --------------------------------------------------------------------------------------------------
// Publishing

async function publisherName(db: Db, batch: ResultBatchRecord): Promise<string> {
  if (batch.publisher === "bureau" || !batch.agencyId) return BUREAU_NAME;
  return (await organisationRepository.findById(db, batch.agencyId))?.name ?? "评审机构";
}

/** The printable list of a batch as it would be published (the bytes archived on publishing). */
export async function renderBatchList(
  db: Db,
  batch: ResultBatchRecord,
  options: { publicUrl: string; start: string; end: string; workingDays: number; publishedOn: string },
): Promise<Uint8Array> {
  const entries = await resultBatchRepository.listedEntries(db, batch.id);
  return renderResultList({
    title: batch.title,
    publisher: await publisherName(db, batch),
    publicityStart: options.start,
    publicityEnd: options.end,
    workingDays: options.workingDays,
    complaintUrl: `${options.publicUrl.replace(/\/$/, "")}/results/${batch.id}`,
    publishedOn: options.publishedOn,
    entries: entries.map((e) => ({
      position: e.position,
      name: e.name,
      unitName: e.unitName,
      series: seriesLabel(e.series),
      specialty: e.specialty,
      qualification: e.qualification,
    })),
  });
}

export const ZPublishInput = z.object({
  publicityStart: z.string().optional(),
  publicityEnd: z.string().optional(),
});

/**
 * Starts the publicity of a draft batch: the dates are checked again (today may have moved past the
 * start), the printable list is archived, passed applications move to `result_publicity` and every
 * applicant gets an SMS (passed: the dates; failed: how to ask for a re-review until the end day).
 * `dates` overrides the draft's dates.
 */
export async function publishBatch(
  db: Db,
  files: FileStore,
  actor: Actor,
  batchId: unknown,
  now: Date,
  options: { publicUrl: string; dates?: { publicityStart?: string; publicityEnd?: string } },
): Promise<CommandResult<ResultBatchRecord>> {
  try {
    const batch = await batchFor(db, actor, batchId);
    if (batch.state !== "draft") throw new DomainError("RESULT_BATCH_NOT_DRAFT");
    const start = options.dates?.publicityStart || batch.publicityStart || "";
    const end = options.dates?.publicityEnd || batch.publicityEnd || "";
    const today = shanghaiDate(now);
    const { calendar } = await loadRules(db, batch.roundYear);
    const early = resultPublicityError({ start, end, today }, calendar);
    if (early) throw early;
    const workingDays = workingDaysBetween(start, end, calendar);
    // Rendered before the transaction (it takes a while); an unused file is harmless, being content-addressed.
    const bytes = await renderBatchList(db, batch, {
      publicUrl: options.publicUrl,
      start,
      end,
      workingDays,
      publishedOn: today,
    });
    const stored = await files.putBuffer(bytes);
    return await command(db, async (tx) => {
      const locked = await resultBatchRepository.findByIdForUpdate(tx, batch.id);
      if (locked?.state !== "draft") throw new DomainError("RESULT_BATCH_NOT_DRAFT");
      const error = resultPublicityError({ start, end, today }, calendar);
      if (error) throw error;
      const entries = await resultBatchRepository.entries(tx, batch.id);
      if (entries.length === 0) throw new DomainError("RESULT_BATCH_EMPTY");
      await fileRepository.upsert(tx, {
        sha256: stored.sha256,
        size: stored.size,
        mime: "application/pdf",
        width: null,
        height: null,
        pages: null,
      });
      const updated = await resultBatchRepository.update(tx, batch.id, {
        state: "publicity",
        publicityStart: start,
        publicityEnd: end,
        workingDays,
        publishedAt: now,
        listSha256: stored.sha256,
      });
      for (const entry of entries) {
        const app = await applicationRepository.findByIdForUpdate(tx, entry.applicationId);
        if (!app || !isApplicationState(app.state) || app.state !== entry.result) {
          throw new DomainError("RESULT_NOT_DECIDED", { name: entry.name });
        }
        if (entry.result === "passed") {
          await apply(
            tx,
            { ...app, state: app.state },
            { type: "publishResult", start, end },
            {
              actor,
              now,
              data: { batchId: batch.id, entryId: entry.id },
              notices: [
                {
                  to: "applicant",
                  template: "result-publicity",
                  params: { qualification: entry.qualification, start, end },
                },
              ],
            },
          );
        } else {
          // A failed result stays failed; the applicant learns it and how to ask for a re-review.
          const phone = await userRepository.findPhoneById(tx, app.applicantId);
          if (phone) {
            await enqueueSms(tx, {
              userId: app.applicantId,
              phone,
              template: "result-not-passed",
              params: { end },
              applicationId: app.id,
              at: now,
            });
          }
        }
      }
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "result-batch.published",
        objectType: "result_batch",
        objectId: batch.id,
        data: {
          publicityStart: start,
          publicityEnd: end,
          workingDays,
          listSha256: stored.sha256,
          passed: entries.filter((e) => e.result === "passed").length,
          failed: entries.filter((e) => e.result === "failed").length,
        },
      });
      return updated;
    });
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}

// --------------------------------------------------------------------------------------------------
// Reading, for staff

export interface BatchForStaff {
  batch: ResultBatchRecord;
  agencyName: string | null;
  publisherName: string;
  entries: StaffEntry[];
  schedule: { evaluationBy: IsoDate; publicityBy: IsoDate };
  /** The publicity would end after 1 月 31 日 of the next year. */
  late: boolean;
  /** Today is after the publicity's last day. */
  publicityOver: boolean;
  counts: Record<EntryOutcome, number> & { openComplaints: number };
}

export async function batchForStaff(
  db: Db,
  actor: Actor,
  batchId: unknown,
  now: Date,
): Promise<BatchForStaff> {
  const batch = await batchFor(db, actor, batchId);
  const [entries, name] = await Promise.all([
    resultBatchRepository.entries(db, batch.id),
    publisherName(db, batch),
  ]);
  const counts = { pending: 0, final: 0, overturned: 0, re_evaluation: 0, openComplaints: 0 };
  for (const e of entries) {
    counts[e.outcome as EntryOutcome] = (counts[e.outcome as EntryOutcome] ?? 0) + 1;
    counts.openComplaints += e.openComplaints;
  }
  return {
    batch,
    agencyName: batch.agencyId ? name : null,
    publisherName: name,
    entries,
    schedule: evaluationSchedule(batch.roundYear),
    late: batch.publicityEnd ? scheduleWarning(batch.publicityEnd, batch.roundYear) === "late" : false,
    publicityOver: batch.publicityEnd ? isDayOver(now, batch.publicityEnd) : false,
    counts,
  };
}

export async function listBatches(db: Db, actor: Actor): Promise<ResultBatchSummary[]> {
  return resultBatchRepository.list(db, { agencyIds: isAdmin(actor) ? null : agencyIdsOf(actor) });
}

// --------------------------------------------------------------------------------------------------
// Public pages

export const ZPublicQuery = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export async function publicBatches(db: Db): Promise<PublicBatch[]> {
  return resultBatchRepository.publicBatches(db);
}

export interface PublicBatchPage {
  batch: PublicBatch;
  rows: PublicEntry[];
  total: number;
  page: number;
  pages: number;
  q: string;
}

/** One page of a published batch's list; NOT_FOUND for a draft or an unknown id. */
export async function publicBatchPage(db: Db, batchId: unknown, query: unknown): Promise<PublicBatchPage> {
  const id = ZId.safeParse(batchId);
  if (!id.success) throw new DomainError("NOT_FOUND");
  const { q, page } = ZPublicQuery.parse(query ?? {});
  const batch = await resultBatchRepository.findPublic(db, id.data);
  if (!batch) throw new DomainError("NOT_FOUND");
  const { rows, total } = await resultBatchRepository.publicEntries(db, batch.id, {
    ...(q ? { q } : {}),
    page,
    pageSize: PUBLIC_PAGE_SIZE,
  });
  return { batch, rows, total, page, pages: Math.max(1, Math.ceil(total / PUBLIC_PAGE_SIZE)), q: q ?? "" };
}

/** The archived printable list of a published batch. */
export async function publicBatchList(
  db: Db,
  files: FileStore,
  batchId: unknown,
): Promise<{ sha256: string; bytes: Uint8Array; title: string }> {
  const id = ZId.safeParse(batchId);
  if (!id.success) throw new DomainError("NOT_FOUND");
  const batch = await resultBatchRepository.findById(db, id.data);
  if (!batch || batch.state === "draft" || !batch.listSha256) throw new DomainError("NOT_FOUND");
  const chunks: Buffer[] = [];
  for await (const chunk of files.createReadStream(batch.listSha256)) chunks.push(chunk as Buffer);
  return { sha256: batch.listSha256, bytes: new Uint8Array(Buffer.concat(chunks)), title: batch.title };
}

// --------------------------------------------------------------------------------------------------
// Finalisation

/**
 * Settles one pending entry of a batch whose publicity may be over: the application first, then the
 * entry are locked and read again, so a second runner (or a complaint decided at the same moment)
 * changes nothing twice. A passed result that stands moves its application to `final`.
 */
async function settleOne(
  tx: Db,
  batch: ResultBatchRecord,
  entryId: string,
  now: Date,
  actor: Actor | null,
): Promise<EntryOutcome | null> {
  const peek = await resultBatchRepository.findEntry(tx, entryId);
  if (!peek) return null;
  const app = await applicationRepository.findByIdForUpdate(tx, peek.applicationId);
  const entry = await resultBatchRepository.findEntryForUpdate(tx, entryId);
  if (!app || !entry || entry.outcome !== "pending") return null;
  const tally = await resultBatchRepository.complaintTally(tx, entry.id);
  const outcome = settleEntry({
    publicityOver: batch.publicityEnd !== null && isDayOver(now, batch.publicityEnd),
    openComplaints: tally.open,
    upheldComplaint: tally.upheld > 0,
    result: entry.result as EntryResult,
  });
  if (outcome === "pending") return "pending";
  if (outcome === "final" && entry.result === "passed") {
    if (!isApplicationState(app.state) || app.state !== "result_publicity") {
      throw new DomainError("INVALID_TRANSITION", { from: app.state, event: "finalise" });
    }
    await apply(
      tx,
      { ...app, state: app.state },
      { type: "finalise", at: now },
      {
        actor,
        now,
        data: { batchId: batch.id, entryId: entry.id },
        // The result publicity's end, not the employer's (which the application row keeps).
        facts: { publicityEnd: batch.publicityEnd! },
        notices: [
          { to: "applicant", template: "result-final", params: { qualification: entry.qualification } },
        ],
      },
    );
  }
  await resultBatchRepository.updateEntry(tx, entry.id, { outcome, finalisedAt: now });
  await appendAudit(tx, {
    at: now,
    actorUserId: actor?.user.id ?? null,
    action: "result-entry.settled",
    objectType: "result_entry",
    objectId: entry.id,
    data: { batchId: batch.id, applicationId: entry.applicationId, result: entry.result, outcome },
  });
  return outcome;
}

/** Ends a batch in publicity once its last day is over and no entry is pending. */
async function endIfSettled(tx: Db, batchId: string, now: Date, actor: Actor | null): Promise<boolean> {
  const batch = await resultBatchRepository.findByIdForUpdate(tx, batchId);
  if (batch?.state !== "publicity" || !batch.publicityEnd || !isDayOver(now, batch.publicityEnd)) {
    return false;
  }
  if ((await resultBatchRepository.pendingCount(tx, batchId)) > 0) return false;
  await resultBatchRepository.update(tx, batchId, { state: "ended", endedAt: now });
  await appendAudit(tx, {
    at: now,
    actorUserId: actor?.user.id ?? null,
    action: "result-batch.ended",
    objectType: "result_batch",
    objectId: batchId,
    data: { publicityEnd: batch.publicityEnd },
  });
  return true;
}

export interface FinalisationResult {
  /** Batches whose publicity is over. */
  checked: number;
  /** Entries settled (final, or decided by an upheld complaint). */
  finalised: number;
  /** Entries still waiting for an open complaint. */
  waiting: number;
  /** Batches ended. */
  ended: number;
}

/**
 * The `result-finalisation` job: for every batch in publicity whose last day is over, each pending
 * entry without an open complaint settles (a passed one becomes final); the batch ends when none is
 * pending. One transaction per entry, so one failure holds up nothing else; a repeat changes nothing.
 */
export async function finaliseBatches(
  db: Db,
  now: Date,
  options: { batchId?: string; log?: (line: string) => void } = {},
): Promise<FinalisationResult> {
  const due = (await resultBatchRepository.publicityOver(db, shanghaiDate(now))).filter(
    (b) => !options.batchId || b.id === options.batchId,
  );
  const result: FinalisationResult = { checked: due.length, finalised: 0, waiting: 0, ended: 0 };
  for (const batch of due) {
    for (const entry of await resultBatchRepository.pendingEntries(db, batch.id)) {
      try {
        const outcome = await db.transaction((tx) => settleOne(tx, batch, entry.id, now, null));
        if (outcome === "pending") result.waiting += 1;
        else if (outcome !== null) result.finalised += 1;
      } catch (error) {
        options.log?.(
          `[jobs] result-finalisation: entry ${entry.id}: ${
            isDomainError(error) ? error.code : error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
    try {
      if (await db.transaction((tx) => endIfSettled(tx, batch.id, now, null))) result.ended += 1;
    } catch (error) {
      options.log?.(
        `[jobs] result-finalisation: batch ${batch.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return result;
}

/**
 * For the complaint decision (H5), inside its transaction, after the complaint's state is written:
 * once the batch's publicity is over, the entry settles at once (final, or what the upheld complaint
 * decided) instead of waiting for the job, and the batch ends if it was the last one pending.
 * Returns the entry's outcome, or null when the publicity is still running (the job settles it later)
 * or the entry was settled already.
 */
export async function settleEntryAfterDecision(
  tx: Db,
  entryId: string,
  now: Date,
  actor: Actor | null = null,
): Promise<EntryOutcome | null> {
  const entry: ResultEntryRecord | null = await resultBatchRepository.findEntry(tx, entryId);
  if (!entry) return null;
  const batch = await resultBatchRepository.findById(tx, entry.batchId);
  if (batch?.state !== "publicity" || !batch.publicityEnd || !isDayOver(now, batch.publicityEnd)) {
    return null;
  }
  const outcome = entry.outcome === "pending" ? await settleOne(tx, batch, entryId, now, actor) : null;
  await endIfSettled(tx, batch.id, now, actor);
  return outcome === "pending" ? null : outcome;
}
