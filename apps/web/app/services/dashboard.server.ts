import { data } from "@remix-run/node";
import { type Db, roundRepository, statisticsRepository } from "@titles/db";
import {
  type ApplicationState,
  addDays,
  applicationStateLabels,
  applicationStates,
  compareDates,
  DomainError,
  dayNumber,
  type IsoDate,
  type Labels,
  levelLabels,
  levels,
  type RoundConfig,
  series,
  seriesLabels,
  shanghaiDate,
  trackLabels,
  tracks,
  ZRoundConfig,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import ExcelJS from "exceljs";
import { z } from "zod";
import { type Actor, requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";

/**
 * The bureau's numbers for one round: counts by series, level, track and state, the funnel of the happy
 * path and the daily confirmations. Read in one read-only snapshot, so the parts agree with each other.
 */

/** The stages of the happy path the funnel counts, in order. */
export const funnelStages = [
  "submitted",
  "employer_accepted",
  "publicity",
  "recommended",
  "confirmed",
  "approved",
  "complete",
] as const satisfies readonly ApplicationState[];
export type FunnelStage = (typeof funnelStages)[number];

/** A stage names what the applicant got past, not the state they wait in (cf. the state labels). */
export const funnelStageLabels: Readonly<Record<FunnelStage, Labels>> = {
  submitted: { "zh-CN": "提交单位审核", en: "Submitted to employer" },
  employer_accepted: { "zh-CN": "单位审核通过", en: "Accepted by employer" },
  publicity: { "zh-CN": "单位公示", en: "Employer publicity" },
  recommended: { "zh-CN": "单位推荐", en: "Recommended by employer" },
  confirmed: { "zh-CN": "确认申报", en: "Confirmed" },
  approved: { "zh-CN": "评审机构审核通过", en: "Approved by the agency" },
  complete: { "zh-CN": "缴费完成申报", en: "Paid, application complete" },
};

const stage = (s: FunnelStage) => funnelStages.indexOf(s);

/**
 * The furthest funnel stage that being in a state proves the application passed. An application counts
 * in every stage up to the furthest one over all the states it has been in (its timeline), so one that
 * was confirmed and later given up still counts as confirmed. Given up and withdrawn prove nothing by
 * themselves (-1): their timeline tells how far they got.
 */
export const furthestStageOf: Readonly<Record<ApplicationState, number>> = {
  draft: -1,
  submitted: stage("submitted"),
  employer_returned: stage("submitted"),
  employer_accepted: stage("employer_accepted"),
  publicity: stage("publicity"),
  objection_upheld: stage("publicity"),
  recommended: stage("recommended"),
  confirmed: stage("confirmed"),
  correction_requested: stage("confirmed"),
  republicity_required: stage("confirmed"),
  district_review: stage("confirmed"),
  district_recommended: stage("confirmed"),
  // Declined by the agency or by the district: both come after the confirmation.
  returned: stage("confirmed"),
  approved: stage("approved"),
  complete: stage("complete"),
  defense_scheduled: stage("complete"),
  evaluating: stage("complete"),
  passed: stage("complete"),
  failed: stage("complete"),
  result_publicity: stage("complete"),
  final: stage("complete"),
  certified: stage("complete"),
  revoked: stage("complete"),
  abandoned: -1,
  withdrawn: -1,
};

/** Who sees which applications: the city bureau all of them, a district bureau its units'. */
export type DashboardScope = { kind: "city" } | { kind: "district"; districts: string[] };

/** The scope of the actor's dashboard, or null when none of its roles may see one. */
export function dashboardScopeFor(actor: Actor): DashboardScope | null {
  if (actor.roles.some((r) => r.role === "admin")) return { kind: "city" };
  const districts = [
    ...new Set(
      actor.roles
        .filter((r) => r.role === "district" && r.organisationDistrict)
        .map((r) => r.organisationDistrict!),
    ),
  ];
  return districts.length > 0 ? { kind: "district", districts } : null;
}

/** The query string of the page and the exports. */
export const ZDashboardQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export interface CountRow {
  series: string;
  level: string;
  track: string;
  state: string;
  count: number;
  labels: { series: Labels; level: Labels; track: Labels; state: Labels };
}

export interface Subtotal {
  key: string;
  label: Labels;
  count: number;
}

export interface Dashboard {
  roundYear: number;
  /** When the numbers were taken (server clock), ISO instant and as Beijing time `YYYY-MM-DD HH:mm`. */
  takenAt: string;
  takenAtBeijing: string;
  scope: DashboardScope;
  total: number;
  rows: CountRow[];
  bySeries: Subtotal[];
  byLevel: Subtotal[];
  byTrack: Subtotal[];
  byState: Subtotal[];
  funnel: Array<{ stage: FunnelStage; label: Labels; count: number }>;
  /** Every day from the round's first window opening to today (or the last window's close), with zeros. */
  daily: Array<{ day: IsoDate; count: number; cumulative: number }>;
}

function labelOf<K extends string>(labels: Readonly<Record<K, Labels>>, key: string): Labels {
  return (labels as Record<string, Labels>)[key] ?? { "zh-CN": key, en: key };
}

/** Position of a key in the catalogue's order; unknown keys last, in code order. */
function orderOf(order: readonly string[]) {
  return (a: string, b: string) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== ib) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    return a.localeCompare(b);
  };
}
const bySeriesOrder = orderOf(series);
const byLevelOrder = orderOf(levels);
const byTrackOrder = orderOf(tracks);
const byStateOrder = orderOf(applicationStates);

function subtotals(
  rows: CountRow[],
  key: "series" | "level" | "track" | "state",
  labels: Readonly<Record<string, Labels>>,
  compare: (a: string, b: string) => number,
): Subtotal[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r[key], (sums.get(r[key]) ?? 0) + r.count);
  return [...sums.keys()]
    .sort(compare)
    .map((k) => ({ key: k, label: labelOf(labels, k), count: sums.get(k)! }));
}

/** `YYYY-MM-DD HH:mm` in Beijing time. */
export function beijingDateTime(instant: Date): string {
  const minutes = Math.floor((instant.getTime() + 8 * 3_600_000) / 60_000);
  const hh = String(Math.floor(minutes / 60) % 24).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${shanghaiDate(instant)} ${hh}:${mm}`;
}

/** Longest daily curve drawn with zero days filled in; a longer span shows only the days with data. */
const MAX_FILLED_DAYS = 400;

function dailyCurve(
  found: Array<{ day: string; count: number }>,
  round: RoundConfig,
  today: IsoDate,
): Dashboard["daily"] {
  const counts = new Map(found.map((d) => [d.day, d.count]));
  const opens = round.windows.map((w) => w.opens).sort(compareDates)[0];
  const closes = round.windows
    .map((w) => w.closes)
    .sort(compareDates)
    .at(-1);
  const candidatesStart = [...found.map((d) => d.day), ...(opens ? [opens] : [])].sort(compareDates);
  const lastOpenDay = closes && compareDates(today, closes) > 0 ? closes : today;
  const candidatesEnd = [
    ...found.map((d) => d.day),
    ...(opens && compareDates(today, opens) >= 0 ? [lastOpenDay] : []),
  ].sort(compareDates);
  const start = candidatesStart[0];
  const end = candidatesEnd.at(-1);
  let days: IsoDate[];
  if (!start || !end) days = [];
  else if (dayNumber(end) - dayNumber(start) > MAX_FILLED_DAYS) days = found.map((d) => d.day);
  else {
    days = [];
    for (let d = start; compareDates(d, end) <= 0; d = addDays(d, 1)) days.push(d);
  }
  let cumulative = 0;
  return days.map((day) => {
    const count = counts.get(day) ?? 0;
    cumulative += count;
    return { day, count, cumulative };
  });
}

/**
 * The dashboard of one round for a scope. Throws NOT_THIS_ROUND when the round does not exist.
 * `now` is the server clock: it stamps the numbers and ends the daily curve.
 */
export async function loadDashboard(
  db: Db,
  input: { roundYear: number; scope: DashboardScope },
  now: Date,
): Promise<Dashboard> {
  const statsScope = {
    roundYear: input.roundYear,
    districts: input.scope.kind === "district" ? input.scope.districts : undefined,
  };
  const { round, groups, ranks, confirmations } = await db.transaction(
    async (tx) => {
      const roundRow = await roundRepository.findByYear(tx, input.roundYear);
      if (!roundRow) throw new DomainError("NOT_THIS_ROUND", { year: input.roundYear });
      return {
        round: ZRoundConfig.parse(roundRow.config),
        groups: await statisticsRepository.countByGroup(tx, statsScope),
        ranks: await statisticsRepository.countByFurthestRank(tx, statsScope, furthestStageOf),
        confirmations: await statisticsRepository.countFirstConfirmationsByDay(
          tx,
          statsScope,
          "Asia/Shanghai",
        ),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  const rows: CountRow[] = groups
    .map((g) => ({
      ...g,
      labels: {
        series: labelOf(seriesLabels, g.series),
        level: labelOf(levelLabels, g.level),
        track: labelOf(trackLabels, g.track),
        state: labelOf(applicationStateLabels, g.state),
      },
    }))
    .sort(
      (a, b) =>
        bySeriesOrder(a.series, b.series) ||
        byLevelOrder(a.level, b.level) ||
        byTrackOrder(a.track, b.track) ||
        byStateOrder(a.state, b.state),
    );

  return {
    roundYear: input.roundYear,
    takenAt: now.toISOString(),
    takenAtBeijing: beijingDateTime(now),
    scope: input.scope,
    total: rows.reduce((sum, r) => sum + r.count, 0),
    rows,
    bySeries: subtotals(rows, "series", seriesLabels, bySeriesOrder),
    byLevel: subtotals(rows, "level", levelLabels, byLevelOrder),
    byTrack: subtotals(rows, "track", trackLabels, byTrackOrder),
    byState: subtotals(rows, "state", applicationStateLabels, byStateOrder),
    funnel: funnelStages.map((s, index) => ({
      stage: s,
      label: funnelStageLabels[s],
      count: ranks.filter((r) => r.rank >= index).reduce((sum, r) => sum + r.count, 0),
    })),
    daily: dailyCurve(confirmations, round, shanghaiDate(now)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Exports. Headers are Chinese with the English in parentheses, one header row, so a spreadsheet
// sorts and filters them as they are; values are the Chinese labels, with the codes in the last columns.

/** The breakdown's columns, shared by the CSV and the first sheet of the workbook. */
export const breakdownHeaders = [
  "系列 (Series)",
  "级别 (Level)",
  "通道 (Track)",
  "状态 (State)",
  "数量 (Count)",
  "系列代码 (Series code)",
  "级别代码 (Level code)",
  "通道代码 (Track code)",
  "状态代码 (State code)",
] as const;

function breakdownRow(r: CountRow): Array<string | number> {
  return [
    r.labels.series["zh-CN"],
    r.labels.level["zh-CN"],
    r.labels.track["zh-CN"],
    r.labels.state["zh-CN"],
    r.count,
    r.series,
    r.level,
    r.track,
    r.state,
  ];
}

/** A CSV cell: quoted when needed; text a spreadsheet would run as a formula is defused with a quote. */
function csvCell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The breakdown as CSV: UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF line ends. */
export function dashboardCsv(dashboard: Dashboard): string {
  const lines = [breakdownHeaders, ...dashboard.rows.map(breakdownRow)].map((cells) =>
    cells.map(csvCell).join(","),
  );
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function scopeText(scope: DashboardScope): string {
  return scope.kind === "city" ? "全市 (Whole city)" : `区 (District): ${scope.districts.join(", ")}`;
}

function styleHeader(sheet: ExcelJS.Worksheet, widths: number[]): void {
  sheet.columns = widths.map((width) => ({ width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF0F2F5" } };
  sheet.views = [{ state: "frozen", ySplit: 1 }];
}

/** The workbook: breakdown, funnel, daily confirmations and a sheet saying what the numbers are. */
export async function dashboardXlsx(dashboard: Dashboard): Promise<Buffer<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "北京市职称评审申报系统";
  workbook.created = new Date(dashboard.takenAt);

  const breakdown = workbook.addWorksheet("分类统计 Breakdown");
  breakdown.addRow([...breakdownHeaders]);
  for (const r of dashboard.rows) breakdown.addRow(breakdownRow(r));
  styleHeader(breakdown, [22, 12, 12, 24, 12, 26, 16, 16, 24]);
  breakdown.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: breakdownHeaders.length } };

  const funnel = workbook.addWorksheet("申报漏斗 Funnel");
  funnel.addRow(["环节 (Stage)", "人数 (Applications)", "占提交单位审核比例 (Share of submitted)"]);
  const submitted = dashboard.funnel[0]?.count ?? 0;
  for (const f of dashboard.funnel) {
    funnel.addRow([`${f.label["zh-CN"]} (${f.label.en})`, f.count, submitted > 0 ? f.count / submitted : 0]);
  }
  styleHeader(funnel, [40, 20, 36]);
  funnel.getColumn(3).numFmt = "0.0%";

  const daily = workbook.addWorksheet("每日确认 Daily");
  daily.addRow(["日期 (Date)", "当日确认申报 (Confirmed that day)", "累计确认申报 (Cumulative)"]);
  for (const d of dashboard.daily) daily.addRow([d.day, d.count, d.cumulative]);
  styleHeader(daily, [16, 32, 28]);

  const about = workbook.addWorksheet("说明 About");
  about.addRow(["项目 (Item)", "内容 (Value)"]);
  about.addRow(["评审年度 (Round)", dashboard.roundYear]);
  about.addRow(["统计时间 (Taken at, Beijing time)", dashboard.takenAtBeijing]);
  about.addRow(["统计范围 (Scope)", scopeText(dashboard.scope)]);
  about.addRow(["申报总数 (Applications)", dashboard.total]);
  about.addRow([
    "漏斗口径 (Funnel)",
    "申报曾到达的每个环节均计入 (an application counts in every stage it has passed)",
  ]);
  styleHeader(about, [34, 70]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `2021-职称申报统计.xlsx`, with the district for a district's numbers. */
export function exportFileName(dashboard: Dashboard, extension: "csv" | "xlsx"): string {
  const district = dashboard.scope.kind === "district" ? `-${dashboard.scope.districts.join("-")}` : "";
  return `${dashboard.roundYear}-职称申报统计${district}.${extension}`;
}

/** An attachment with an ASCII fallback name and the real one per RFC 5987 / 6266. */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

/** The response of an export. */
export async function exportResponse(dashboard: Dashboard, format: "csv" | "xlsx"): Promise<Response> {
  const fallback = `${dashboard.roundYear}-title-applications.${format}`;
  const body = format === "csv" ? dashboardCsv(dashboard) : await dashboardXlsx(dashboard);
  return new Response(body, {
    headers: {
      "Content-Type":
        format === "csv"
          ? "text/csv; charset=utf-8"
          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": attachmentDisposition(exportFileName(dashboard, format), fallback),
      "Cache-Control": "private, no-store",
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Requests: who may look, at which round.

export interface DashboardRequest {
  scope: DashboardScope;
  /** What the scope covers, in words: the whole city, or the units of the actor's district bureaus. */
  scopeLabel: Labels;
  roundYear: number;
  /** Every configured round, newest first, for the round picker. */
  roundYears: number[];
  locale: Locale;
}

/**
 * The checks every dashboard request passes: the city bureau (admin) or a district bureau, else 403 with
 * the reason; `?year=` a configured round (400 / 404 otherwise), by default the active round.
 */
export async function dashboardRequest(request: Request): Promise<DashboardRequest> {
  const actor = await requireRole(request, ["admin", "district"]);
  const locale = localeOf(request);
  const en = locale === "en";
  const scope = dashboardScopeFor(actor);
  if (!scope) {
    throw data(
      {
        reason: en
          ? "Your district bureau account has no district: ask the city bureau to set it."
          : "您的区人社局账号未设置所属区，请联系市人社局设置。",
      },
      { status: 403 },
    );
  }
  const query = ZDashboardQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    throw data(
      { reason: en ? "The round must be a year such as 2021." : "评审年度应为四位年份，例如 2021。" },
      { status: 400 },
    );
  }
  const roundYears = await statisticsRepository.findRoundYears(db());
  const roundYear = query.data.year ?? (await roundRepository.findActive(db()))?.year;
  if (roundYear === undefined) {
    throw data(
      { reason: en ? "No round is running at the moment." : "当前没有进行中的评审年度。" },
      { status: 404 },
    );
  }
  if (!roundYears.includes(roundYear)) {
    throw data(
      { reason: en ? `There is no ${roundYear} round.` : `没有 ${roundYear} 年度的评审。` },
      { status: 404 },
    );
  }
  const bureaus = actor.roles
    .filter((r) => r.role === "district" && r.organisationDistrict)
    .map((r) => r.organisationName ?? r.organisationDistrict!);
  const scopeLabel: Labels =
    scope.kind === "city"
      ? { "zh-CN": "全市", en: "Whole city" }
      : { "zh-CN": `${bureaus.join("、")}所辖单位`, en: `Units under ${bureaus.join(", ")}` };
  return { scope, scopeLabel, roundYear, roundYears, locale };
}

/**
 * A resource route answers a refusal with its reason as text: Remix would otherwise turn a thrown
 * `data()` into a generic error body.
 */
export function refusalAsText(error: unknown): Response | null {
  if (
    error !== null &&
    typeof error === "object" &&
    "type" in error &&
    error.type === "DataWithResponseInit" &&
    "data" in error &&
    "init" in error
  ) {
    const reason = (error.data as { reason?: string } | null)?.reason ?? "";
    const status = (error.init as { status?: number } | null)?.status ?? 500;
    return new Response(reason, {
      status,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return null;
}

/** The loader of an export route: the same checks as the page, then the file. */
export async function exportLoader(request: Request, format: "csv" | "xlsx"): Promise<Response> {
  try {
    const { scope, roundYear } = await dashboardRequest(request);
    return exportResponse(await loadDashboard(db(), { roundYear, scope }, now()), format);
  } catch (error) {
    const refusal = refusalAsText(error);
    if (refusal) return refusal;
    throw error;
  }
}
