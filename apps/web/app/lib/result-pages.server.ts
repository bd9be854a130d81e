import { data, redirect } from "@remix-run/node";
import {
  type BatchState,
  batchStateLabels,
  DomainError,
  type EntryOutcome,
  type EntryResult,
  entryOutcomeLabels,
  entryResultLabels,
  evaluationSchedule,
  isDomainError,
  isIsoDate,
  type Level,
  type LevelGroup,
  levelGroupLabels,
  levelLabels,
  messageFor,
  type Series,
  scheduleWarning,
  seriesLabels,
  shanghaiDate,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import { env } from "~/env.server";
import type { IssuanceStatus } from "~/services/certificates.server";
import { issuanceStatus } from "~/services/certificates.server";
import type { BatchComplaintItem } from "~/services/complaints.server";
import { listBatchComplaints } from "~/services/complaints.server";
import {
  BUREAU_NAME,
  batchFor,
  batchForStaff,
  createBatch,
  finaliseBatches,
  listBatches,
  listCandidates,
  publishBatch,
  suggestedPublicityEnd,
} from "~/services/results.server";
import { fileStore } from "~/uploads/context.server";
import { type Actor, requireRole } from "./auth.server";
import { now } from "./clock.server";
import { db } from "./db.server";
import { localeOf } from "./i18n.server";
import { activeRound } from "./round.server";

/**
 * Loaders and actions of the staff result-batch pages, shared by the agency's (`/agency/results`,
 * intermediate and junior) and the city bureau's (`/bureau/results`, senior) routes. Everything they
 * return crosses to the browser, so only labels, dates as text and ids; never an ID number.
 */

/**
 * Public pages may be cached for a minute (a list read by thousands on its first morning). With the
 * test clock the server's time jumps, and a cached page would still offer a complaint link after the
 * publicity ended, so nothing is cached there.
 */
export function publicCacheControl(): string {
  return env().ALLOW_TEST_CLOCK ? "no-cache" : "public, max-age=60";
}

export type StaffKind = "agency" | "bureau";

const config = {
  agency: {
    base: "/agency/results",
    roles: ["agency", "admin"] as const,
    group: "intermediate-junior" as const,
  },
  bureau: { base: "/bureau/results", roles: ["admin"] as const, group: "senior" as const },
} satisfies Record<StaffKind, { base: string; roles: readonly ("agency" | "admin")[]; group: LevelGroup }>;

type L = Record<string, Record<Locale, string>>;
const label = (labels: L, key: string, locale: Locale) => labels[key]?.[locale] ?? key;

export interface BatchRow {
  id: string;
  href: string;
  title: string;
  number: number;
  roundYear: number;
  state: string;
  stateLabel: string;
  publisherName: string;
  publicityStart: string | null;
  publicityEnd: string | null;
  workingDays: number | null;
  entries: number;
  listed: number;
  pending: number;
  openComplaints: number;
}

export interface CandidateRow {
  id: string;
  name: string;
  unit: string;
  series: string;
  level: string;
  specialty: string;
  qualification: string;
  result: EntryResult;
  resultLabel: string;
  committee: string;
  approvedOn: string;
}

export interface StaffListData {
  kind: StaffKind;
  base: string;
  levelGroup: LevelGroup;
  levelGroupLabel: string;
  batches: BatchRow[];
  candidates: CandidateRow[];
  today: string;
  defaultEnd: string | null;
  roundYear: number | null;
  schedule: { evaluationBy: string; publicityBy: string } | null;
}

async function staffActor(request: Request, kind: StaffKind): Promise<Actor> {
  return requireRole(request, [...config[kind].roles]);
}

export async function staffListLoader(request: Request, kind: StaffKind): Promise<StaffListData> {
  const actor = await staffActor(request, kind);
  const locale = localeOf(request);
  const at = now();
  const today = shanghaiDate(at);
  const { base, group } = config[kind];
  const [batches, candidates, round] = await Promise.all([
    listBatches(db(), actor),
    listCandidates(db(), actor, group),
    activeRound(),
  ]);
  const roundYear = candidates[0]?.roundYear ?? round?.year ?? null;
  return {
    kind,
    base,
    levelGroup: group,
    levelGroupLabel: label(levelGroupLabels, group, locale),
    batches: batches
      // The bureau's page lists its own senior batches first; the agencies' batches it may open follow.
      .sort((a, b) => Number(b.levelGroup === group) - Number(a.levelGroup === group))
      .map((b) => ({
        id: b.id,
        href: `${b.levelGroup === "senior" ? "/bureau/results" : kind === "bureau" ? base : "/agency/results"}/${b.id}`,
        title: b.title,
        number: b.number,
        roundYear: b.roundYear,
        state: b.state,
        stateLabel: label(batchStateLabels as L, b.state as BatchState, locale),
        publisherName: b.publisher === "bureau" ? BUREAU_NAME : (b.agencyName ?? "—"),
        publicityStart: b.publicityStart,
        publicityEnd: b.publicityEnd,
        workingDays: b.workingDays,
        entries: b.entries,
        listed: b.listed,
        pending: b.pending,
        openComplaints: b.openComplaints,
      })),
    candidates: candidates.map((c) => ({
      id: c.applicationId,
      name: c.name,
      unit: c.unitName || "—",
      series: label(seriesLabels as L, c.series as Series, locale),
      level: label(levelLabels as L, c.level as Level, locale),
      specialty: c.specialty || "—",
      qualification: c.qualification,
      result: c.result,
      resultLabel: label(entryResultLabels as L, c.result, locale),
      committee: c.committeeName,
      approvedOn: c.approvedOn,
    })),
    today,
    defaultEnd: roundYear ? await suggestedPublicityEnd(db(), roundYear, today).catch(() => null) : null,
    roundYear,
    schedule: roundYear ? evaluationSchedule(roundYear) : null,
  };
}

const ZListIntent = z.object({
  intent: z.enum(["preview", "create"]),
  title: z.string().max(200).optional().default(""),
  publicityStart: z.string().max(20).optional().default(""),
  publicityEnd: z.string().max(20).optional().default(""),
});

export interface StaffListAction {
  intent: "preview" | "create" | "";
  error?: string;
  /** The computed (or typed) period, shown before confirming. */
  period?: { start: string; end: string; late: boolean };
  values: { title: string; publicityStart: string; publicityEnd: string; selected: string[] };
}

export async function staffListAction(request: Request, kind: StaffKind) {
  const actor = await staffActor(request, kind);
  const locale = localeOf(request);
  const en = locale === "en";
  const form = await request.formData();
  const selected = form.getAll("applicationIds").map(String);
  const parsed = ZListIntent.safeParse(Object.fromEntries([...form].filter(([k]) => k !== "applicationIds")));
  const empty = { title: "", publicityStart: "", publicityEnd: "", selected };
  if (!parsed.success) {
    return data<StaffListAction>(
      { intent: "", error: en ? "Invalid request." : "请求无效。", values: empty },
      400,
    );
  }
  const input = parsed.data;
  const values = {
    title: input.title,
    publicityStart: input.publicityStart,
    publicityEnd: input.publicityEnd,
    selected,
  };
  const at = now();
  const round = await activeRound();
  const candidates = await listCandidates(db(), actor, config[kind].group);
  const roundYear =
    candidates.find((c) => selected.includes(c.applicationId))?.roundYear ??
    candidates[0]?.roundYear ??
    round?.year;
  if (!isIsoDate(input.publicityStart) || !roundYear) {
    return {
      intent: input.intent,
      error: en ? "Choose the first day of the publicity." : "请选择公示开始日期。",
      values,
    } satisfies StaffListAction;
  }
  const computed = (await suggestedPublicityEnd(db(), roundYear, input.publicityStart)) ?? "";
  const end = input.publicityEnd && isIsoDate(input.publicityEnd) ? input.publicityEnd : computed;
  const period = { start: input.publicityStart, end, late: scheduleWarning(end, roundYear) === "late" };
  if (input.intent === "preview") {
    // Preview always shows the 5-working-day end; a typed end is for the confirmation.
    return {
      intent: "preview",
      period: { ...period, end: computed, late: scheduleWarning(computed, roundYear) === "late" },
      values: { ...values, publicityEnd: computed },
    } satisfies StaffListAction;
  }
  const result = await createBatch(
    db(),
    actor,
    {
      levelGroup: config[kind].group,
      title: input.title,
      publicityStart: input.publicityStart,
      publicityEnd: end,
      applicationIds: selected,
    },
    at,
  );
  if (!result.ok) {
    return {
      intent: "create",
      error: messageFor(result.error, locale),
      period,
      values,
    } satisfies StaffListAction;
  }
  return redirect(`${config[kind].base}/${result.value.id}`);
}

// --------------------------------------------------------------------------------------------------
// The batch page

export interface EntryRow {
  id: string;
  position: number;
  name: string;
  unit: string;
  series: string;
  level: string;
  specialty: string;
  qualification: string;
  result: EntryResult;
  resultLabel: string;
  listed: boolean;
  outcome: EntryOutcome;
  outcomeLabel: string;
  applicationState: string;
  openComplaints: number;
  committee: string;
  approvedOn: string;
}

export interface StaffBatchData {
  kind: StaffKind;
  base: string;
  batch: {
    id: string;
    title: string;
    number: number;
    roundYear: number;
    state: BatchState;
    stateLabel: string;
    levelGroupLabel: string;
    publisherName: string;
    publicityStart: string | null;
    publicityEnd: string | null;
    workingDays: number | null;
    publishedAt: string | null;
    endedAt: string | null;
    listArchived: boolean;
  };
  entries: EntryRow[];
  counts: Record<EntryOutcome, number> & { openComplaints: number };
  schedule: { evaluationBy: string; publicityBy: string };
  late: boolean;
  publicityOver: boolean;
  today: string;
  /** When the draft's start is already past: a fresh 5-working-day period from today. */
  suggested: { start: string; end: string | null } | null;
  publicHref: string;
  listHref: string;
  complaints: BatchComplaintItem[];
  issuance: IssuanceStatus | null;
}

function notFound(error: unknown): never {
  if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
  throw error;
}

const beijing = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const beijingTime = (d: Date | null) => (d ? beijing.format(d).replace(/\//g, "-") : null);

export async function staffBatchLoader(
  request: Request,
  id: string | undefined,
  kind: StaffKind,
): Promise<StaffBatchData> {
  const actor = await staffActor(request, kind);
  const locale = localeOf(request);
  const at = now();
  const view = await batchForStaff(db(), actor, id, at).catch(notFound);
  const b = view.batch;
  const [complaints, issuance] = await Promise.all([
    listBatchComplaints(db(), actor, b.id).catch(() => []),
    issuanceStatus(db(), actor, b.id),
  ]);
  const today = shanghaiDate(at);
  const startPast = b.state === "draft" && (!b.publicityStart || b.publicityStart < today);
  return {
    kind,
    base: config[kind].base,
    batch: {
      id: b.id,
      title: b.title,
      number: b.number,
      roundYear: b.roundYear,
      state: b.state as BatchState,
      stateLabel: label(batchStateLabels as L, b.state, locale),
      levelGroupLabel: label(levelGroupLabels as L, b.levelGroup, locale),
      publisherName: view.publisherName,
      publicityStart: b.publicityStart,
      publicityEnd: b.publicityEnd,
      workingDays: b.workingDays,
      publishedAt: beijingTime(b.publishedAt),
      endedAt: beijingTime(b.endedAt),
      listArchived: b.listSha256 !== null,
    },
    entries: view.entries.map((e) => ({
      id: e.id,
      position: e.position,
      name: e.name,
      unit: e.unitName || "—",
      series: label(seriesLabels as L, e.series, locale),
      level: label(levelLabels as L, e.level, locale),
      specialty: e.specialty || "—",
      qualification: e.qualification,
      result: e.result as EntryResult,
      resultLabel: label(entryResultLabels as L, e.result, locale),
      listed: e.listed,
      outcome: e.outcome as EntryOutcome,
      outcomeLabel: label(entryOutcomeLabels as L, e.outcome, locale),
      applicationState: e.applicationState,
      openComplaints: e.openComplaints,
      committee: e.committeeName,
      approvedOn: e.approvedOn,
    })),
    counts: view.counts,
    schedule: view.schedule,
    late: view.late,
    publicityOver: view.publicityOver,
    today,
    suggested: startPast
      ? { start: today, end: await suggestedPublicityEnd(db(), b.roundYear, today).catch(() => null) }
      : null,
    publicHref: `/results/${b.id}`,
    listHref: `/results/${b.id}/list.pdf`,
    complaints,
    issuance,
  };
}

const ZBatchIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("publish"),
    publicityStart: z.string().max(20).optional(),
    publicityEnd: z.string().max(20).optional(),
  }),
  z.object({ intent: z.literal("finalise") }),
]);

export interface StaffBatchAction {
  intent: string;
  error?: string;
  done?: string;
}

export async function staffBatchAction(
  request: Request,
  id: string | undefined,
  kind: StaffKind,
): Promise<StaffBatchAction> {
  const actor = await staffActor(request, kind);
  const locale = localeOf(request);
  const en = locale === "en";
  const parsed = ZBatchIntent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "", error: en ? "Invalid request." : "请求无效。" };
  const input = parsed.data;
  const at = now();
  switch (input.intent) {
    case "publish": {
      const r = await publishBatch(db(), fileStore(), actor, id, at, {
        publicUrl: env().PUBLIC_URL,
        dates: {
          ...(input.publicityStart ? { publicityStart: input.publicityStart } : {}),
          ...(input.publicityEnd ? { publicityEnd: input.publicityEnd } : {}),
        },
      });
      if (!r.ok) return { intent: input.intent, error: messageFor(r.error, locale) };
      return {
        intent: input.intent,
        done: en
          ? `Published: publicity ${r.value.publicityStart} – ${r.value.publicityEnd}; the applicants are told by SMS.`
          : `已发布：公示期 ${r.value.publicityStart} 至 ${r.value.publicityEnd}，已短信通知申报人。`,
      };
    }
    case "finalise": {
      const batch = await batchFor(db(), actor, id).catch(notFound);
      if (batch.state !== "publicity") {
        return {
          intent: input.intent,
          error: messageFor(new DomainError("RESULT_BATCH_NOT_IN_PUBLICITY"), locale),
        };
      }
      const r = await finaliseBatches(db(), at, { batchId: batch.id, log: (line) => console.log(line) });
      if (r.checked === 0) {
        return {
          intent: input.intent,
          error: en
            ? `The publicity runs until the end of ${batch.publicityEnd}; results become final after that.`
            : `公示期至 ${batch.publicityEnd} 24时结束，期满后方可确认结果。`,
        };
      }
      return {
        intent: input.intent,
        done: en
          ? `${r.finalised} results settled, ${r.waiting} wait for open complaints${r.ended ? "; the publicity has ended." : "."}`
          : `已确认 ${r.finalised} 条结果，${r.waiting} 条因投诉未处理而等待${r.ended ? "；本批次公示已结束。" : "。"}`,
      };
    }
  }
}
