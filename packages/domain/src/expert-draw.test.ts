import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DrawInput, type DrawResult, drawExperts, type PoolExpert, seededRandom } from "./expert-draw";

function drawn(input: DrawInput): DrawResult {
  const r = drawExperts(input);
  if (!r.ok) throw new Error(`draw refused: ${r.error.code} ${JSON.stringify(r.error.params)}`);
  return r;
}

const expert = (id: string, disciplines: string[] = [], unitId: string | null = null): PoolExpert => ({
  id,
  disciplines,
  unitId,
});

/** 20 experts e01…e20 in 4 units, each with one of 4 disciplines. */
const pool20: PoolExpert[] = Array.from({ length: 20 }, (_, i) =>
  expert(`e${String(i + 1).padStart(2, "0")}`, [`d${i % 4}`], `u${i % 5}`),
);

const disciplines = ["civil", "electrical", "mechanical", "chemical", "software"] as const;
const units = ["u1", "u2", "u3", "u4"] as const;

/** A pool of distinct ids, each expert with 0–3 disciplines and a unit or none. */
const arbPool = fc
  .uniqueArray(
    fc.record({
      id: fc.stringMatching(/^[a-z0-9]{1,6}$/),
      disciplines: fc.subarray([...disciplines]),
      unitId: fc.option(fc.constantFrom(...units), { nil: null }),
    }),
    { minLength: 1, maxLength: 30, selector: (e) => e.id },
  )
  .map((p) => p as PoolExpert[]);

const arbSeed = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0);

describe("drawExperts: reproducible from its seed", () => {
  it("the same seed over the same pool, in any order, draws the same experts (property)", () => {
    fc.assert(
      fc.property(
        arbPool.chain((pool) =>
          fc.tuple(fc.constant(pool), fc.shuffledSubarray(pool, { minLength: pool.length })),
        ),
        arbSeed,
        fc.nat(),
        ([pool, shuffled], seed, n) => {
          const size = 1 + (n % pool.length);
          const a = drawExperts({ pool, size, seed });
          const b = drawExperts({ pool: shuffled, size, seed });
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it("a printed seed repeats exactly, with constraints", () => {
    const input: DrawInput = {
      pool: pool20,
      size: 5,
      seed: "2021-09-15/工程技术/高级",
      requiredDisciplines: ["d1", "d3"],
      excludeUnitIds: ["u2"],
      excludeIds: ["e01"],
    };
    const first = drawn(input);
    for (let i = 0; i < 5; i++) expect(drawn({ ...input, pool: [...pool20].reverse() })).toEqual(first);
  });

  it("different seeds generally draw differently", () => {
    const draws = new Set<string>();
    for (let i = 0; i < 200; i++) {
      draws.add([...drawn({ pool: pool20, size: 5, seed: `seed-${i}` }).drawn].sort().join(","));
    }
    // C(20,5) = 15504 possible panels; 200 seeds should hardly ever repeat one.
    expect(draws.size).toBeGreaterThanOrEqual(195);
    expect(drawn({ pool: pool20, size: 5, seed: "a" }).order).not.toEqual(
      drawn({ pool: pool20, size: 5, seed: "b" }).order,
    );
  });

  it("seededRandom repeats per seed and stays in [0, 1)", () => {
    const a = seededRandom("x");
    const b = seededRandom("x");
    const c = seededRandom("y");
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("drawExperts: the draw itself", () => {
  it("drawn experts are distinct, of the requested size, all eligible members of the pool (property)", () => {
    fc.assert(
      fc.property(
        arbPool,
        arbSeed,
        fc.nat(),
        fc.subarray([...units]),
        fc.nat(),
        (pool, seed, n, excludeUnitIds, k) => {
          const excludeIds = pool.filter((_, i) => (i + k) % 4 === 0).map((e) => e.id);
          const eligible = pool.filter(
            (e) =>
              !excludeIds.includes(e.id) &&
              !(e.unitId !== null && (excludeUnitIds as string[]).includes(e.unitId)),
          );
          const size = 1 + (n % pool.length);
          const r = drawExperts({ pool, size, seed, excludeIds, excludeUnitIds });
          if (eligible.length < size) {
            expect(r).toMatchObject({
              ok: false,
              error: { code: "DRAW_POOL_TOO_SMALL", params: { size, eligible: eligible.length } },
            });
            return;
          }
          if (!r.ok) throw r.error;
          expect(r.drawn).toHaveLength(size);
          expect(new Set(r.drawn).size).toBe(size);
          const eligibleIds = new Set(eligible.map((e) => e.id));
          for (const id of r.drawn) expect(eligibleIds.has(id)).toBe(true);
          // The recorded order is the eligible pool, shuffled: what an auditor replays.
          expect([...r.order].sort()).toEqual([...eligibleIds].sort());
          // Without required disciplines the panel is the first `size` of that order.
          expect(r.drawn).toEqual(r.order.slice(0, size));
        },
      ),
    );
  });

  it("never draws an expert of an excluded unit or an excluded id", () => {
    for (let i = 0; i < 200; i++) {
      const r = drawn({
        pool: pool20,
        size: 8,
        seed: `s${i}`,
        excludeUnitIds: ["u0", "u3"],
        excludeIds: ["e02", "e03"],
      });
      for (const id of r.drawn) {
        const e = pool20.find((x) => x.id === id)!;
        expect(["u0", "u3"]).not.toContain(e.unitId);
        expect(["e02", "e03"]).not.toContain(id);
      }
      expect(r.order).toHaveLength(20 - 8 - 2);
    }
  });

  it("an expert without a unit is never excluded by unit", () => {
    const pool = [expert("a", [], null), expert("b", [], "u1"), expert("c", [], "u2")];
    expect(drawExperts({ pool, size: 1, seed: "x", excludeUnitIds: ["u1", "u2"] })).toMatchObject({
      ok: true,
      drawn: ["a"],
    });
    expect(drawExperts({ pool, size: 2, seed: "x", excludeUnitIds: ["u1", "u2"] })).toMatchObject({
      ok: false,
      error: { code: "DRAW_POOL_TOO_SMALL", params: { size: 2, eligible: 1 } },
    });
  });

  it("covers every required discipline with a drawn expert who has it (property)", () => {
    fc.assert(
      fc.property(arbPool, arbSeed, fc.subarray([...disciplines]), fc.nat(), (pool, seed, required, n) => {
        const present = required.filter((d) => pool.some((e) => e.disciplines.includes(d)));
        const size = present.length + (n % (pool.length - present.length + 1));
        fc.pre(size >= 1 && size <= pool.length);
        const r = drawExperts({ pool, size, seed, requiredDisciplines: required });
        if (present.length < required.length) {
          const missing = required.find((d) => !present.includes(d));
          expect(r).toMatchObject({ ok: false, error: { code: "DRAW_DISCIPLINE_UNCOVERED" } });
          if (!r.ok) expect(r.error.params.discipline).toBe(missing);
          return;
        }
        if (!r.ok) throw r.error;
        expect(r.drawn).toHaveLength(size);
        expect(new Set(r.drawn).size).toBe(size);
        expect(Object.keys(r.coverage).sort()).toEqual([...required].sort());
        for (const d of required) {
          const by = r.coverage[d]!;
          expect(r.drawn).toContain(by);
          expect(pool.find((e) => e.id === by)?.disciplines).toContain(d);
        }
      }),
    );
  });

  it("a required discipline still goes to a random holder, not always the same one", () => {
    const holders = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const r = drawn({ pool: pool20, size: 2, seed: `cov-${i}`, requiredDisciplines: ["d1"] });
      holders.add(r.coverage.d1!);
    }
    // d1 is held by e02, e06, e10, e14, e18.
    expect([...holders].sort()).toEqual(["e02", "e06", "e10", "e14", "e18"]);
  });

  it("DRAW_DISCIPLINE_UNCOVERED when no eligible expert has the discipline", () => {
    // Only e04, e08, e12, e16, e20 have d3; excluding them (by id and by unit) leaves nobody.
    const r = drawExperts({
      pool: pool20,
      size: 3,
      seed: "x",
      requiredDisciplines: ["d0", "d3"],
      excludeIds: ["e04", "e08", "e12"],
      // e16 works at u0, e20 at u4.
      excludeUnitIds: ["u0", "u4"],
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: "DRAW_DISCIPLINE_UNCOVERED", params: { discipline: "d3" } },
    });
    expect(drawExperts({ pool: pool20, size: 3, seed: "x", requiredDisciplines: ["geology"] })).toMatchObject(
      { ok: false, error: { code: "DRAW_DISCIPLINE_UNCOVERED", params: { discipline: "geology" } } },
    );
  });

  it("DRAW_DISCIPLINE_UNCOVERED when the seats are fewer than the disciplines to cover", () => {
    const r = drawExperts({ pool: pool20, size: 2, seed: "x", requiredDisciplines: ["d0", "d1", "d2"] });
    expect(r).toMatchObject({ ok: false, error: { code: "DRAW_DISCIPLINE_UNCOVERED" } });
  });

  it("fewer seats than disciplines: experts holding several disciplines cover them, whatever the seed", () => {
    const pool = [expert("a", ["A"]), expert("b", ["B"]), expert("ab", ["A", "B"]), expert("c", ["C"])];
    for (let i = 0; i < 100; i++) {
      const r = drawn({ pool, size: 1, seed: `s${i}`, requiredDisciplines: ["A", "B"] });
      expect(r.drawn).toEqual(["ab"]);
      expect(r.coverage).toEqual({ A: "ab", B: "ab" });
      const two = drawn({ pool, size: 2, seed: `s${i}`, requiredDisciplines: ["A", "B", "C"] });
      expect(two.drawn.sort()).toEqual(["ab", "c"]);
    }
  });

  it("the draw succeeds exactly when some panel of that size covers the disciplines (property)", () => {
    const small = fc.uniqueArray(
      fc.record({
        id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
        disciplines: fc.subarray(["A", "B", "C", "D"]),
        unitId: fc.constant(null),
      }),
      { minLength: 1, maxLength: 8, selector: (e) => e.id },
    );
    fc.assert(
      fc.property(small, arbSeed, fc.subarray(["A", "B", "C", "D"]), fc.nat(), (pool, seed, required, n) => {
        const size = 1 + (n % pool.length);
        // Brute force over every subset of the pool.
        let coverable = false;
        for (let mask = 0; mask < 1 << pool.length && !coverable; mask++) {
          const chosen = pool.filter((_, i) => mask & (1 << i));
          coverable =
            chosen.length <= size && required.every((d) => chosen.some((e) => e.disciplines.includes(d)));
        }
        const r = drawExperts({ pool: pool as PoolExpert[], size, seed, requiredDisciplines: required });
        expect(r.ok).toBe(coverable);
        if (!r.ok) {
          expect(r.error.code).toBe("DRAW_DISCIPLINE_UNCOVERED");
          return;
        }
        expect(r.drawn).toHaveLength(size);
        for (const d of required) {
          expect(r.drawn).toContain(r.coverage[d]);
          expect(pool.find((e) => e.id === r.coverage[d])?.disciplines).toContain(d);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("DRAW_POOL_TOO_SMALL with the eligible count after conflicts", () => {
    expect(drawExperts({ pool: pool20, size: 21, seed: "x" })).toMatchObject({
      ok: false,
      error: { code: "DRAW_POOL_TOO_SMALL", params: { size: 21, eligible: 20 } },
    });
    expect(drawExperts({ pool: pool20, size: 17, seed: "x", excludeUnitIds: ["u1"] })).toMatchObject({
      ok: false,
      error: { code: "DRAW_POOL_TOO_SMALL", params: { size: 17, eligible: 16 } },
    });
    expect(drawExperts({ pool: [], size: 1, seed: "x" })).toMatchObject({
      ok: false,
      error: { code: "DRAW_POOL_TOO_SMALL", params: { size: 1, eligible: 0 } },
    });
  });

  it("an expert listed twice counts once", () => {
    const pool = [expert("a"), expert("a"), expert("b")];
    expect(drawExperts({ pool, size: 3, seed: "x" })).toMatchObject({
      ok: false,
      error: { code: "DRAW_POOL_TOO_SMALL", params: { eligible: 2 } },
    });
    expect(drawn({ pool, size: 2, seed: "x" }).drawn.sort()).toEqual(["a", "b"]);
  });

  it("refuses a size that is not a positive integer, and an empty seed", () => {
    for (const size of [0, -1, 1.5, Number.NaN]) {
      expect(drawExperts({ pool: pool20, size, seed: "x" })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION" },
      });
    }
    for (const seed of ["", "   "]) {
      expect(drawExperts({ pool: pool20, size: 5, seed })).toMatchObject({
        ok: false,
        error: { code: "VALIDATION" },
      });
    }
  });
});

describe("drawExperts: fairness", () => {
  it("over 2,000 seeded draws of 5 from 20, every expert sits, about equally often", () => {
    const counts = new Map<string, number>(pool20.map((e) => [e.id, 0]));
    for (let i = 0; i < 2000; i++) {
      const r = drawn({ pool: pool20, size: 5, seed: `fair-${i}` });
      for (const id of r.drawn) counts.set(id, counts.get(id)! + 1);
    }
    // Expected 2000 × 5 / 20 = 500 each (standard deviation ≈ 19); the bounds are very loose.
    for (const [id, n] of counts) {
      expect(n, id).toBeGreaterThanOrEqual(350);
      expect(n, id).toBeLessThanOrEqual(650);
    }
    expect([...counts.values()].reduce((s, n) => s + n, 0)).toBe(10_000);
  });
});
