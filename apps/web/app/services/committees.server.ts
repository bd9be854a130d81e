import {
  appendAudit,
  type CommitteeMemberView,
  type CommitteeRecord,
  type CommitteeSummary,
  committeeRepository,
  type Db,
  expertRepository,
  type PoolExpertView,
  roundRepository,
} from "@titles/db";
import {
  committeeSizeOk,
  DomainError,
  isDomainError,
  isIsoDate,
  termOk,
  ZLevel,
  ZRoundConfig,
  ZSeries,
} from "@titles/domain";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";
import { agencySeries } from "./agency.server";

/**
 * Committees (评审委员会) and the expert pool, as agency staff keep them. An agency sees the pool and
 * committees of the series it serves; the city bureau (admin) sees every series.
 */

/** The series the actor may see, or null for every series (the city bureau). */
export function seriesScope(actor: Actor): string[] | null {
  if (actor.roles.some((r) => r.role === "admin")) return null;
  return agencySeries(actor);
}

function mayManageSeries(actor: Actor, series: string): boolean {
  const scope = seriesScope(actor);
  return scope === null || scope.includes(series);
}

/** The agency organisation of the actor that serves `series` (null for the city bureau). */
export function agencyIdFor(actor: Actor, series: string): string | null {
  const grant = actor.roles.find(
    (r) => r.role === "agency" && r.organisationId && r.organisationSeries.includes(series),
  );
  return grant?.organisationId ?? null;
}

export const ZExpertFilter = z.object({
  discipline: z.string().trim().max(40).optional(),
  series: z.string().trim().max(40).optional(),
});

/** The expert pool the actor may see, optionally one discipline or series only. */
export async function listExperts(
  db: Db,
  actor: Actor,
  filter: z.output<typeof ZExpertFilter>,
): Promise<{ experts: PoolExpertView[]; disciplines: string[]; series: string[] | null }> {
  const scope = seriesScope(actor);
  const series = filter.series
    ? scope === null || scope.includes(filter.series)
      ? [filter.series]
      : []
    : scope;
  const [experts, disciplines] = await Promise.all([
    expertRepository.findPool(db, {
      series,
      ...(filter.discipline ? { discipline: filter.discipline } : {}),
    }),
    expertRepository.disciplines(db, scope),
  ]);
  return { experts, disciplines, series: scope };
}

/** The active experts of one series the actor serves, to seat in a committee or a meeting (none otherwise). */
export async function activePool(db: Db, actor: Actor, series: string): Promise<PoolExpertView[]> {
  if (!mayManageSeries(actor, series)) return [];
  return expertRepository.findPool(db, { series: [series], activeOnly: true });
}

export async function listCommittees(db: Db, actor: Actor): Promise<CommitteeSummary[]> {
  return committeeRepository.findAll(db, { series: seriesScope(actor) });
}

/** A committee the actor may see, with its members (chair first). */
export async function committeeFor(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ committee: CommitteeRecord; members: CommitteeMemberView[] } | null> {
  if (!z.string().uuid().safeParse(id).success) return null;
  const committee = await committeeRepository.findById(db, id);
  if (!committee || !mayManageSeries(actor, committee.series)) return null;
  return { committee, members: await committeeRepository.members(db, id) };
}

const ZIsoDate = z.string().refine(isIsoDate, { message: "date" });

export const ZCommitteeInput = z.object({
  name: z.string().trim().min(2).max(100),
  series: ZSeries,
  level: ZLevel,
  organisedBy: z.enum(["series", "specialty"]),
  specialty: z.string().trim().max(60).default(""),
  /** Whether exactly two thirds counts (以上, the default) or not (不含). */
  inclusive: z.boolean().default(true),
  members: z
    .array(
      z.object({
        userId: z.string().uuid(),
        role: z.enum(["chair", "member"]),
        termStart: ZIsoDate,
        termEnd: ZIsoDate,
      }),
    )
    .max(200),
});
export type CommitteeInput = z.input<typeof ZCommitteeInput>;

export type CommitteeResult =
  | { ok: true; value: CommitteeRecord }
  | { ok: false; error: DomainError; problems: DomainError[] };

function fail(problems: DomainError[]): CommitteeResult {
  return { ok: false, error: problems[0]!, problems };
}

/**
 * Sets up a committee and its members. Every rule is checked first and every problem reported at
 * once (size odd and large enough, one chair, each term at most three years, every member in the
 * pool of the series); with any problem nothing is written.
 */
export async function createCommittee(
  db: Db,
  actor: Actor,
  raw: unknown,
  now: Date,
): Promise<CommitteeResult> {
  const parsed = ZCommitteeInput.safeParse(raw);
  if (!parsed.success) {
    return fail([
      new DomainError("VALIDATION", {
        details: [...new Set(parsed.error.issues.map((i) => i.path.join(".") || i.message))].join(", "),
      }),
    ]);
  }
  const input = parsed.data;
  if (!mayManageSeries(actor, input.series)) {
    return fail([new DomainError("FORBIDDEN", { reason: "not-your-agency" })]);
  }
  try {
    return await db.transaction(async (tx) => {
      const problems: DomainError[] = [];
      const ids = input.members.map((m) => m.userId);
      if (new Set(ids).size !== ids.length) {
        problems.push(
          new DomainError("VALIDATION", { details: "同一专家只能列入一次 / a member is listed twice" }),
        );
      }
      const chairs = input.members.filter((m) => m.role === "chair").length;
      if (chairs !== 1) {
        problems.push(
          new DomainError("VALIDATION", {
            details: "须指定一名主任委员 / exactly one chair is needed",
          }),
        );
      }
      problems.push(
        ...committeeSizeOk({ members: ids.length, organisedBy: input.organisedBy, level: input.level }),
      );
      for (const m of input.members) {
        if (!termOk(m.termStart, m.termEnd)) {
          problems.push(new DomainError("TERM_TOO_LONG", { start: m.termStart, end: m.termEnd }));
        }
      }
      const pool = await expertRepository.findByIds(tx, ids);
      const outside = ids.filter((id) => !pool.some((e) => e.userId === id && e.series === input.series));
      if (outside.length > 0) {
        problems.push(
          new DomainError("VALIDATION", {
            details: `${outside.length} 名成员不在本系列专家库中 / ${outside.length} members are not in the series' pool`,
          }),
        );
      }
      if (problems.length > 0) return fail(problems);
      const active = await roundRepository.findActive(tx);
      const roundYear = active ? ZRoundConfig.parse(active.config).year : now.getUTCFullYear();
      const committee = await committeeRepository.insert(tx, {
        roundYear,
        series: input.series,
        level: input.level,
        name: input.name,
        organisedBy: input.organisedBy,
        specialty: input.specialty,
        inclusive: input.inclusive,
        agencyId: agencyIdFor(actor, input.series),
      });
      await committeeRepository.addMembers(
        tx,
        input.members.map((m) => ({ committeeId: committee.id, ...m })),
      );
      await appendAudit(tx, {
        at: now,
        actorUserId: actor.user.id,
        action: "committee.created",
        objectType: "committee",
        objectId: committee.id,
        data: {
          name: input.name,
          series: input.series,
          level: input.level,
          organisedBy: input.organisedBy,
          inclusive: input.inclusive,
          members: ids.length,
          chair: input.members.find((m) => m.role === "chair")?.userId ?? null,
        },
      });
      return { ok: true as const, value: committee };
    });
  } catch (error) {
    if (isDomainError(error)) return fail([error]);
    throw error;
  }
}
