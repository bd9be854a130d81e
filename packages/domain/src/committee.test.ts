import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ballotPasses,
  committeeSizeOk,
  decideBallot,
  isQuorate,
  quorumNeeded,
  reviewGroupSizeOk,
  termOk,
  votesNeeded,
} from "./committee";
import { DomainError } from "./errors";

describe("quorum and ballot", () => {
  it("worked example: 25 members need 17; with 17 present 12 yes pass, 11 fail", () => {
    expect(isQuorate({ members: 25, present: 17 })).toBe(true);
    expect(isQuorate({ members: 25, present: 16 })).toBe(false);
    expect(quorumNeeded(25)).toBe(17);
    expect(ballotPasses({ present: 17, yes: 12 })).toBe(true);
    expect(ballotPasses({ present: 17, yes: 11 })).toBe(false);
    expect(votesNeeded(17)).toBe(12);
  });

  it("the boundary counts unless the committee excludes it", () => {
    expect(isQuorate({ members: 27, present: 18 })).toBe(true);
    expect(isQuorate({ members: 27, present: 18, inclusive: false })).toBe(false);
    expect(ballotPasses({ present: 18, yes: 12 })).toBe(true);
    expect(ballotPasses({ present: 18, yes: 12, inclusive: false })).toBe(false);
    expect(quorumNeeded(27, false)).toBe(19);
  });

  it("nobody present: no quorum, nothing passes", () => {
    expect(isQuorate({ members: 0, present: 0 })).toBe(false);
    expect(ballotPasses({ present: 0, yes: 0 })).toBe(false);
  });

  it("rejects impossible counts", () => {
    expect(() => isQuorate({ members: 5, present: 6 })).toThrow(DomainError);
    expect(() => ballotPasses({ present: 5, yes: 6 })).toThrow(DomainError);
    expect(() => ballotPasses({ present: 5.5, yes: 4 })).toThrow(DomainError);
  });

  it("thresholds agree with the predicates (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.boolean(), fc.nat(), (n, inclusive, k) => {
        const x = k % (n + 1);
        return (
          isQuorate({ members: n, present: x, inclusive }) === x >= quorumNeeded(n, inclusive) &&
          ballotPasses({ present: n, yes: x, inclusive }) === x >= votesNeeded(n, inclusive) &&
          // Exact rational comparison, independent of the implementation.
          ballotPasses({ present: n, yes: x, inclusive }) === (inclusive ? 3 * x >= 2 * n : 3 * x > 2 * n)
        );
      }),
    );
  });

  it("decideBallot: quorum over the committee, votes over present non-recused experts", () => {
    expect(decideBallot({ members: 25, presentAtRollCall: 17, recusedPresent: 2, yes: 10 })).toEqual({
      ok: true,
      passed: true,
      voters: 15,
      needed: 10,
    });
    expect(decideBallot({ members: 25, presentAtRollCall: 17, recusedPresent: 2, yes: 9 })).toMatchObject({
      passed: false,
    });
    expect(decideBallot({ members: 25, presentAtRollCall: 16, yes: 16 })).toMatchObject({
      ok: false,
      error: { code: "QUORUM_NOT_MET", params: { members: 25, present: 16, needed: 17 } },
    });
    expect(decideBallot({ members: 25, presentAtRollCall: 17, recusedPresent: 2, yes: 16 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
  });
});

describe("committee rules", () => {
  it("senior committees: odd, ≥25 per series or ≥11 per specialty", () => {
    expect(committeeSizeOk({ members: 25, organisedBy: "series", level: "senior" })).toEqual([]);
    expect(committeeSizeOk({ members: 11, organisedBy: "specialty", level: "deputy-senior" })).toEqual([]);
    expect(
      committeeSizeOk({ members: 24, organisedBy: "series", level: "senior" }).map((p) => p.code),
    ).toEqual(["COMMITTEE_SIZE_EVEN", "COMMITTEE_TOO_SMALL"]);
    expect(committeeSizeOk({ members: 9, organisedBy: "specialty", level: "senior" })[0]?.params).toEqual({
      members: 9,
      min: 11,
    });
    expect(committeeSizeOk({ members: 7, organisedBy: "series", level: "intermediate" })).toEqual([]);
    expect(
      committeeSizeOk({ members: 8, organisedBy: "series", level: "junior" }).map((p) => p.code),
    ).toEqual(["COMMITTEE_SIZE_EVEN"]);
  });

  it("terms last at most three years", () => {
    expect(termOk("2021-01-01", "2024-01-01")).toBe(true);
    expect(termOk("2021-01-01", "2024-01-02")).toBe(false);
    expect(termOk("2024-02-29", "2027-02-28")).toBe(true);
    expect(termOk("2024-02-29", "2027-03-01")).toBe(false);
    expect(termOk("2022-01-01", "2021-01-01")).toBe(false);
  });

  it("review groups have at least 3 experts", () => {
    expect(reviewGroupSizeOk(3)).toBe(true);
    expect(reviewGroupSizeOk(2)).toBe(false);
  });
});

describe("thresholds for every committee size 5–49 and every attendance (exhaustive)", () => {
  const sizes = Array.from({ length: 45 }, (_, i) => i + 5);

  it("quorum iff present·3 >= members·2 (inclusive) or > (exclusive); quorumNeeded is the least that sits", () => {
    for (const inclusive of [true, false]) {
      for (const members of sizes) {
        let least: number | undefined;
        for (let present = 0; present <= members; present++) {
          const expected = inclusive ? present * 3 >= members * 2 : present * 3 > members * 2;
          expect(isQuorate({ members, present, inclusive })).toBe(expected);
          if (expected) least ??= present;
        }
        expect(quorumNeeded(members, inclusive)).toBe(least);
      }
    }
    // Inclusive is the default.
    for (const members of sizes) {
      expect(quorumNeeded(members)).toBe(quorumNeeded(members, true));
      expect(isQuorate({ members, present: quorumNeeded(members) })).toBe(true);
    }
  });

  it("a ballot passes iff yes·3 >= voters·2 (or >); votesNeeded is the least yes that passes", () => {
    for (const inclusive of [true, false]) {
      for (let voters = 1; voters <= 49; voters++) {
        let least: number | undefined;
        for (let yes = 0; yes <= voters; yes++) {
          const expected = inclusive ? yes * 3 >= voters * 2 : yes * 3 > voters * 2;
          expect(ballotPasses({ present: voters, yes, inclusive })).toBe(expected);
          if (expected) least ??= yes;
        }
        expect(votesNeeded(voters, inclusive)).toBe(least);
      }
    }
  });

  it("decideBallot: below quorum refuses whatever the votes; above, yes over present non-recused", {
    timeout: 60_000,
  }, () => {
    for (const inclusive of [true, false]) {
      for (const members of sizes) {
        for (let present = 0; present <= members; present++) {
          const sits = inclusive ? present * 3 >= members * 2 : present * 3 > members * 2;
          for (let recused = 0; recused <= present; recused++) {
            const voters = present - recused;
            for (let yes = 0; yes <= voters; yes++) {
              const d = decideBallot({
                members,
                presentAtRollCall: present,
                recusedPresent: recused,
                yes,
                inclusive,
              });
              if (!sits) {
                if (d.ok || d.error.code !== "QUORUM_NOT_MET") throw new Error(`${members}/${present}: sat`);
                continue;
              }
              const passed = voters > 0 && (inclusive ? yes * 3 >= voters * 2 : yes * 3 > voters * 2);
              if (!d.ok || d.passed !== passed || d.voters !== voters) {
                throw new Error(`${members}/${present}/${recused}/${yes} ${inclusive}: ${JSON.stringify(d)}`);
              }
              if (voters > 0 && d.needed !== votesNeeded(voters, inclusive)) {
                throw new Error(`${members}/${present}/${recused}: needed ${d.needed}`);
              }
            }
          }
        }
      }
    }
  });

  it("committeeSizeOk for every size: odd, and the senior minimum", () => {
    for (let members = 1; members <= 49; members++) {
      for (const level of ["junior", "intermediate", "deputy-senior", "senior"] as const) {
        for (const organisedBy of ["series", "specialty"] as const) {
          const codes = committeeSizeOk({ members, organisedBy, level }).map((p) => p.code);
          const senior = level === "deputy-senior" || level === "senior";
          const min = senior ? (organisedBy === "series" ? 25 : 11) : 1;
          const expected = [
            ...(members % 2 === 0 ? ["COMMITTEE_SIZE_EVEN"] : []),
            ...(members < min ? ["COMMITTEE_TOO_SMALL"] : []),
          ];
          expect(codes).toEqual(expected);
        }
      }
    }
  });

  it("review groups: 3 or more; impossible counts refused", () => {
    for (let n = 0; n <= 10; n++) expect(reviewGroupSizeOk(n)).toBe(n >= 3);
    expect(() => reviewGroupSizeOk(-1)).toThrow(DomainError);
    expect(() => reviewGroupSizeOk(3.5)).toThrow(DomainError);
    expect(() => quorumNeeded(-1)).toThrow(DomainError);
    expect(() => isQuorate({ members: 25, present: -1 })).toThrow(DomainError);
  });
});
