import { DomainError, type Result } from "./errors";

/** An expert of the pool as the draw sees them. */
export interface PoolExpert {
  id: string;
  disciplines: readonly string[];
  /** The unit the expert works for; applicants of that unit are a conflict. */
  unitId: string | null;
}

export interface DrawInput {
  pool: readonly PoolExpert[];
  /** How many experts the meeting needs. */
  size: number;
  /** Printed on the draw record; the same seed over the same pool draws the same experts. */
  seed: string;
  /** Each of these disciplines is covered by at least one drawn expert. */
  requiredDisciplines?: readonly string[];
  /** Experts of these units are not drawn (the units of the applicants on the agenda). */
  excludeUnitIds?: readonly string[];
  /** Experts who may not sit (declared conflicts, already serving elsewhere). */
  excludeIds?: readonly string[];
}

export interface DrawResult {
  drawn: string[];
  /** The pool after conflicts were removed, in the seeded order the draw walked. */
  order: string[];
  /** For each required discipline, the expert who covers it. */
  coverage: Record<string, string>;
}

/** cyrb128: a 128-bit string hash, enough to seed a small PRNG reproducibly. */
function hashSeed(seed: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** sfc32: a small, fast PRNG with a 128-bit state; returns floats in [0, 1). */
export function seededRandom(seed: string): () => number {
  let [a, b, c, d] = hashSeed(seed);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/**
 * Draws a meeting's experts at random from the pool: experts in conflict (excluded ids, units of the
 * applicants) are removed, the rest are shuffled by the seed (the pool is first sorted by id, so the
 * order the pool arrives in does not matter), each required discipline takes the first expert in that
 * order who has it, and the rest of the seats go to the next experts in order. The same seed over the
 * same pool gives the same draw, so an auditor can repeat it.
 */
export function drawExperts(input: DrawInput): Result<DrawResult> {
  if (!Number.isSafeInteger(input.size) || input.size < 1) {
    return { ok: false, error: new DomainError("VALIDATION", { details: `size ${input.size}` }) };
  }
  if (input.seed.trim().length === 0) {
    return { ok: false, error: new DomainError("VALIDATION", { details: "the draw needs a seed" }) };
  }
  const excludedUnits = new Set(input.excludeUnitIds ?? []);
  const excludedIds = new Set(input.excludeIds ?? []);
  const eligible = [...new Map(input.pool.map((e) => [e.id, e])).values()]
    .filter((e) => !excludedIds.has(e.id) && !(e.unitId !== null && excludedUnits.has(e.unitId)))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (eligible.length < input.size) {
    return {
      ok: false,
      error: new DomainError("DRAW_POOL_TOO_SMALL", { size: input.size, eligible: eligible.length }),
    };
  }
  const random = seededRandom(input.seed);
  const order = [...eligible];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const drawn: string[] = [];
  const coverage: Record<string, string> = {};
  for (const discipline of input.requiredDisciplines ?? []) {
    if (coverage[discipline]) continue;
    const covering = order.find((e) => drawn.includes(e.id) && e.disciplines.includes(discipline));
    const pick = covering ?? order.find((e) => !drawn.includes(e.id) && e.disciplines.includes(discipline));
    if (!pick) return { ok: false, error: new DomainError("DRAW_DISCIPLINE_UNCOVERED", { discipline }) };
    if (!covering) drawn.push(pick.id);
    coverage[discipline] = pick.id;
  }
  if (drawn.length > input.size) {
    // One expert per discipline took too many seats; look, in the seeded order, for fewer experts who
    // hold several of the disciplines (otherwise the outcome would depend on the seed).
    const cover = coverWithin(order, input.requiredDisciplines ?? [], input.size);
    if (!cover) {
      return {
        ok: false,
        error: new DomainError("DRAW_DISCIPLINE_UNCOVERED", {
          discipline: (input.requiredDisciplines ?? []).join("、"),
        }),
      };
    }
    drawn.splice(0, drawn.length, ...cover.map((e) => e.id));
    for (const discipline of Object.keys(coverage)) {
      coverage[discipline] = cover.find((e) => e.disciplines.includes(discipline))!.id;
    }
  }
  for (const e of order) {
    if (drawn.length >= input.size) break;
    if (!drawn.includes(e.id)) drawn.push(e.id);
  }
  return { ok: true, drawn, order: order.map((e) => e.id), coverage };
}

/**
 * The first set (in `order`, depth first) of at most `size` experts who together hold every required
 * discipline, or undefined. The search is bounded; disciplines and seats are few in practice.
 */
function coverWithin(
  order: readonly PoolExpert[],
  required: readonly string[],
  size: number,
): PoolExpert[] | undefined {
  const chosen: PoolExpert[] = [];
  let budget = 100_000;
  const search = (): boolean => {
    const open = required.find((d) => !chosen.some((e) => e.disciplines.includes(d)));
    if (open === undefined) return true;
    if (chosen.length >= size || --budget < 0) return false;
    for (const e of order) {
      if (!e.disciplines.includes(open)) continue;
      chosen.push(e);
      if (search()) return true;
      chosen.pop();
    }
    return false;
  };
  return search() ? chosen : undefined;
}
