import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ApplicationEvent,
  allowedEvents,
  canWithdraw,
  deadlineKinds,
  nextStepHint,
  type TransitionContext,
  transition,
  ZApplicationEvent,
} from "./application-state";
import {
  type ApplicationEventType,
  type ApplicationState,
  applicationEventTypes,
  applicationStateLabels,
  applicationStates,
  isTerminal,
  terminalStates,
} from "./application-states";
import { type Level, levels, type Track, tracks } from "./catalog";
import type { CorrectionItem } from "./correction-notice";

const sh = (s: string) => new Date(`${s}+08:00`);

/** A context in which the happy-path guards pass (mid-window, publicity over). */
const base: TransitionContext = {
  now: sh("2021-07-20T10:00:00"),
  level: "senior",
  track: "regular",
  window: { opens: "2021-07-06", closes: "2021-07-26", districtDeadline: "2021-07-29" },
  publicityEnd: "2021-07-19",
  correctionDeadline: "2021-08-10",
  feeDueBy: "2021-08-15",
};
const ctxOf = (over: Partial<TransitionContext> = {}): TransitionContext => ({ ...base, ...over });

/** One valid event of each type, with a payload the guards accept under `base`. */
const sample: Record<ApplicationEventType, ApplicationEvent> = {
  submitToEmployer: { type: "submitToEmployer" },
  employerReturn: { type: "employerReturn", reason: "业绩材料缺页" },
  employerAccept: { type: "employerAccept" },
  startPublicity: { type: "startPublicity", start: "2021-07-12", end: "2021-07-16" },
  recordObjection: { type: "recordObjection", upheld: false, reason: "匿名来信，经核实不成立" },
  recommend: { type: "recommend" },
  confirm: { type: "confirm" },
  requestCorrection: { type: "requestCorrection", deadline: "2021-08-10" },
  judgeMaterialChange: { type: "judgeMaterialChange" },
  resubmit: { type: "resubmit" },
  forwardToDistrict: { type: "forwardToDistrict" },
  districtRecommend: { type: "districtRecommend" },
  districtDecline: { type: "districtDecline", reason: "不符合高端领军人才条件" },
  approve: { type: "approve", feeDueBy: "2021-08-15" },
  decline: { type: "decline", reason: "不符合申报条件" },
  pay: { type: "pay" },
  scheduleDefense: { type: "scheduleDefense", date: "2021-09-15" },
  startEvaluation: { type: "startEvaluation" },
  ballotResult: { type: "ballotResult", passed: true },
  publishResult: { type: "publishResult", start: "2021-12-20", end: "2021-12-24" },
  complaintUpheld: { type: "complaintUpheld", reason: "论文抄袭经查属实" },
  reEvaluate: { type: "reEvaluate", reason: "复查发现评审时漏看了代表作，退回重新评审" },
  finalise: { type: "finalise" },
  issueCertificate: { type: "issueCertificate" },
  revoke: { type: "revoke", reason: "以不正当手段取得" },
  deadlinePassed: { type: "deadlinePassed", kind: "procedure" },
  withdraw: { type: "withdraw", reason: "本年度不再申报" },
};

const afterWindow = { now: sh("2021-07-27T09:00:00") };
type Row = {
  from: ApplicationState;
  event: ApplicationEvent;
  to: ApplicationState;
  ctx?: Partial<TransitionContext>;
};

const early: ApplicationState[] = [
  "draft",
  "submitted",
  "employer_returned",
  "employer_accepted",
  "publicity",
  "recommended",
];

/** The whole machine as data: every valid (state, event) pair with its target. */
const table: Row[] = [
  ...early.flatMap((from): Row[] => [
    { from, event: sample.withdraw, to: "withdrawn" },
    { from, event: { type: "deadlinePassed", kind: "window" }, to: "abandoned", ctx: afterWindow },
    { from, event: { type: "deadlinePassed", kind: "procedure" }, to: "abandoned" },
  ]),
  { from: "draft", event: sample.submitToEmployer, to: "submitted" },
  { from: "submitted", event: sample.employerReturn, to: "employer_returned" },
  { from: "submitted", event: sample.employerAccept, to: "employer_accepted" },
  { from: "employer_returned", event: sample.submitToEmployer, to: "submitted" },
  { from: "employer_accepted", event: sample.employerReturn, to: "employer_returned" },
  { from: "employer_accepted", event: sample.startPublicity, to: "publicity" },
  { from: "publicity", event: sample.recordObjection, to: "publicity" },
  {
    from: "publicity",
    event: { ...sample.recordObjection, upheld: true } as ApplicationEvent,
    to: "objection_upheld",
  },
  { from: "publicity", event: sample.recommend, to: "recommended" },
  { from: "recommended", event: sample.confirm, to: "confirmed" },
  // Regular and pilot: the agency reviews a confirmed application.
  ...(["regular", "pilot"] as const).flatMap((track): Row[] => [
    { from: "confirmed", event: sample.approve, to: "approved", ctx: { track } },
    { from: "confirmed", event: sample.requestCorrection, to: "correction_requested", ctx: { track } },
    { from: "confirmed", event: sample.decline, to: "returned", ctx: { track } },
    { from: "confirmed", event: sample.withdraw, to: "withdrawn", ctx: { track } },
    { from: "correction_requested", event: sample.resubmit, to: "confirmed", ctx: { track } },
    // The resubmitted correction judged a material change: back to the employer.
    {
      from: "confirmed",
      event: sample.judgeMaterialChange,
      to: "republicity_required",
      ctx: { track, correctionAlreadyRequested: true },
    },
  ]),
  // Through-train: via the district bureau.
  {
    from: "confirmed",
    event: sample.forwardToDistrict,
    to: "district_review",
    ctx: { track: "through-train" },
  },
  { from: "confirmed", event: sample.withdraw, to: "withdrawn", ctx: { track: "through-train" } },
  {
    from: "confirmed",
    event: { type: "deadlinePassed", kind: "district" },
    to: "abandoned",
    ctx: { track: "through-train", now: sh("2021-07-30T09:00:00") },
  },
  {
    from: "confirmed",
    event: { type: "deadlinePassed", kind: "procedure" },
    to: "abandoned",
    ctx: { track: "through-train" },
  },
  { from: "district_review", event: sample.districtRecommend, to: "district_recommended" },
  { from: "district_review", event: sample.districtDecline, to: "returned" },
  { from: "district_review", event: sample.withdraw, to: "withdrawn" },
  { from: "district_recommended", event: sample.approve, to: "approved" },
  { from: "district_recommended", event: sample.requestCorrection, to: "correction_requested" },
  { from: "district_recommended", event: sample.decline, to: "returned" },
  {
    from: "district_recommended",
    event: sample.judgeMaterialChange,
    to: "republicity_required",
    ctx: { correctionAlreadyRequested: true },
  },
  { from: "district_recommended", event: sample.withdraw, to: "withdrawn" },
  {
    from: "correction_requested",
    event: sample.resubmit,
    to: "district_recommended",
    ctx: { track: "through-train" },
  },
  { from: "correction_requested", event: sample.judgeMaterialChange, to: "republicity_required" },
  { from: "correction_requested", event: sample.withdraw, to: "withdrawn" },
  {
    from: "correction_requested",
    event: { type: "deadlinePassed", kind: "correction" },
    to: "abandoned",
    ctx: { now: sh("2021-08-11T00:00:00") },
  },
  { from: "correction_requested", event: sample.deadlinePassed, to: "abandoned" },
  { from: "republicity_required", event: sample.startPublicity, to: "republicity_required" },
  { from: "republicity_required", event: sample.recordObjection, to: "republicity_required" },
  {
    from: "republicity_required",
    event: { ...sample.recordObjection, upheld: true } as ApplicationEvent,
    to: "objection_upheld",
  },
  { from: "republicity_required", event: sample.recommend, to: "correction_requested" },
  { from: "republicity_required", event: sample.withdraw, to: "withdrawn" },
  {
    from: "republicity_required",
    event: { type: "deadlinePassed", kind: "correction" },
    to: "abandoned",
    ctx: { now: sh("2021-08-11T00:00:00") },
  },
  { from: "republicity_required", event: sample.deadlinePassed, to: "abandoned" },
  { from: "approved", event: sample.pay, to: "complete" },
  { from: "approved", event: sample.withdraw, to: "withdrawn" },
  {
    from: "approved",
    event: { type: "deadlinePassed", kind: "payment" },
    to: "abandoned",
    ctx: { now: sh("2021-08-16T00:00:00") },
  },
  { from: "approved", event: sample.deadlinePassed, to: "abandoned" },
  // Defense only for intermediate and above.
  ...(["intermediate", "deputy-senior", "senior"] as const).map(
    (level): Row => ({
      from: "complete",
      event: sample.scheduleDefense,
      to: "defense_scheduled",
      ctx: { level },
    }),
  ),
  { from: "complete", event: sample.startEvaluation, to: "evaluating", ctx: { level: "junior" } },
  { from: "defense_scheduled", event: sample.scheduleDefense, to: "defense_scheduled" },
  { from: "defense_scheduled", event: sample.startEvaluation, to: "evaluating" },
  { from: "evaluating", event: sample.ballotResult, to: "passed" },
  { from: "evaluating", event: { type: "ballotResult", passed: false }, to: "failed" },
  { from: "passed", event: sample.publishResult, to: "result_publicity" },
  { from: "passed", event: { type: "publishResult" }, to: "result_publicity" },
  { from: "result_publicity", event: sample.complaintUpheld, to: "failed" },
  { from: "failed", event: sample.reEvaluate, to: "evaluating" },
  { from: "result_publicity", event: sample.finalise, to: "final", ctx: { publicityEnd: "2021-07-19" } },
  { from: "final", event: sample.issueCertificate, to: "certified" },
  { from: "certified", event: sample.revoke, to: "revoked" },
];

const allCtxs = levels.flatMap((level) => tracks.map((track) => ({ level, track })));

function applies(row: Row, level: Level, track: Track): boolean {
  return (row.ctx?.level ?? level) === level && (row.ctx?.track ?? track) === track;
}

describe("transition table", () => {
  it.each(table.map((r) => [r.from, r.event.type, r.to, r] as const))("%s --%s--> %s", (_f, _e, _t, row) => {
    expect(transition(row.from, row.event, ctxOf(row.ctx))).toEqual({ ok: true, state: row.to });
  });

  it("covers every (state, event) pair the machine allows, for every level and track", () => {
    const missing: string[] = [];
    for (const state of applicationStates) {
      for (const { level, track } of allCtxs) {
        for (const type of allowedEvents(state, { level, track })) {
          const covered = table.some(
            (r) =>
              r.from === state &&
              r.event.type === type &&
              (r.ctx?.level === undefined || r.ctx.level === level) &&
              (r.ctx?.track === undefined || r.ctx.track === track),
          );
          if (!covered) missing.push(`${state}/${type}/${level}/${track}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("allows nothing the table does not list", () => {
    for (const row of table) {
      const level = row.ctx?.level ?? base.level;
      const track = row.ctx?.track ?? base.track;
      expect(allowedEvents(row.from, { level, track })).toContain(row.event.type);
    }
    for (const state of applicationStates) {
      for (const { level, track } of allCtxs) {
        const listed = new Set(
          table.filter((r) => r.from === state && applies(r, level, track)).map((r) => r.event.type),
        );
        expect(new Set(allowedEvents(state, { level, track })), `${state}/${level}/${track}`).toEqual(listed);
      }
    }
  });

  it("refuses every other pair with INVALID_TRANSITION", () => {
    for (const state of applicationStates) {
      for (const { level, track } of allCtxs) {
        const allowed = allowedEvents(state, { level, track });
        for (const type of applicationEventTypes) {
          if (allowed.includes(type)) continue;
          const r = transition(state, sample[type], ctxOf({ level, track }));
          expect(r.ok === false && r.error.code, `${state}/${type}`).toBe("INVALID_TRANSITION");
          expect(r.ok === false && r.error.params).toEqual({ from: state, event: type });
        }
      }
    }
  });

  it("every state appears in the table or is terminal", () => {
    for (const state of applicationStates) {
      expect(isTerminal(state) || table.some((r) => r.from === state), state).toBe(true);
      expect(table.some((r) => r.to === state) || state === "draft", state).toBe(true);
    }
  });
});

describe("guards", () => {
  const code = (state: ApplicationState, event: ApplicationEvent, over: Partial<TransitionContext> = {}) => {
    const r = transition(state, event, ctxOf(over));
    return r.ok ? `ok:${r.state}` : r.error.code;
  };

  it("submission to the employer only inside the window, when known", () => {
    expect(code("draft", sample.submitToEmployer, { now: sh("2021-07-05T23:00:00") })).toBe(
      "WINDOW_NOT_OPEN",
    );
    expect(code("draft", sample.submitToEmployer, afterWindow)).toBe("WINDOW_CLOSED");
    expect(code("draft", sample.submitToEmployer, { ...afterWindow, window: undefined })).toBe(
      "ok:submitted",
    );
  });

  it("publicity lasts at least 5 working days", () => {
    // 7/12–7/15 is 4 working days.
    expect(
      code("employer_accepted", { type: "startPublicity", start: "2021-07-12", end: "2021-07-15" }),
    ).toBe("PUBLICITY_TOO_SHORT");
    // Over Mid-Autumn 2021: 9/16, 9/17, 9/18 (worked Saturday), 9/22, 9/23.
    expect(
      code("employer_accepted", { type: "startPublicity", start: "2021-09-16", end: "2021-09-23" }),
    ).toBe("ok:publicity");
    expect(
      code("employer_accepted", { type: "startPublicity", start: "2021-09-16", end: "2021-09-22" }),
    ).toBe("PUBLICITY_TOO_SHORT");
    expect(
      code("employer_accepted", { type: "startPublicity", start: "2021-07-16", end: "2021-07-12" }),
    ).toBe("VALIDATION");
    const r = transition(
      "employer_accepted",
      { type: "startPublicity", start: "2021-07-12", end: "2021-07-15" },
      ctxOf(),
    );
    expect(r.ok === false && r.error.params).toEqual({ days: 4, min: 5 });
  });

  it("no recommendation before the publicity's last day is over", () => {
    expect(code("publicity", sample.recommend, { publicityEnd: "2021-07-20" })).toBe("PUBLICITY_NOT_ENDED");
    expect(code("publicity", sample.recommend, { publicityEnd: undefined })).toBe("VALIDATION");
    expect(
      code("publicity", { type: "recommend", at: sh("2021-07-21T00:00:00") }, { publicityEnd: "2021-07-20" }),
    ).toBe("ok:recommended");
    expect(code("republicity_required", sample.recommend, { publicityEnd: "2021-07-20" })).toBe(
      "PUBLICITY_NOT_ENDED",
    );
  });

  it("no confirmation after the window closes", () => {
    expect(code("recommended", sample.confirm, { now: sh("2021-07-26T23:59:59") })).toBe("ok:confirmed");
    expect(code("recommended", sample.confirm, { now: sh("2021-07-27T00:00:00") })).toBe("WINDOW_CLOSED");
    const w = { opens: "2021-09-01", closes: "2021-09-23" };
    expect(code("recommended", { type: "confirm", window: w }, { window: undefined })).toBe(
      "WINDOW_NOT_OPEN",
    );
    expect(code("recommended", sample.confirm, { window: undefined })).toBe("VALIDATION");
  });

  it("the correction notice is sent once, with a future deadline", () => {
    expect(code("confirmed", sample.requestCorrection, { correctionAlreadyRequested: true })).toBe(
      "CORRECTION_ALREADY_REQUESTED",
    );
    expect(code("confirmed", { type: "requestCorrection", deadline: "2021-07-19" })).toBe("VALIDATION");
    expect(code("confirmed", { type: "requestCorrection", deadline: "2021-07-20" })).toBe(
      "ok:correction_requested",
    );
  });

  it("a further notice only about material the correction introduced", () => {
    const item = (target: CorrectionItem["target"]): CorrectionItem => ({
      target,
      problem: "照片模糊",
      needed: "重新拍摄清晰照片",
    });
    const newPhoto = item({ type: "material", kind: "achievement", materialId: "m-new" });
    const again = { correctionAlreadyRequested: true, correctionIntroducedMaterialIds: ["m-new"] };
    expect(
      code("confirmed", { type: "requestCorrection", deadline: "2021-08-10", items: [newPhoto] }, again),
    ).toBe("ok:correction_requested");
    expect(
      code(
        "district_recommended",
        { type: "requestCorrection", deadline: "2021-08-10", items: [newPhoto] },
        again,
      ),
    ).toBe("ok:correction_requested");
    const r = transition(
      "confirmed",
      {
        type: "requestCorrection",
        deadline: "2021-08-10",
        items: [newPhoto, item({ type: "field", fieldId: "school" })],
      },
      ctxOf(again),
    );
    expect(r.ok === false && r.error.code).toBe("CORRECTION_SECOND_NOTICE_REFUSED");
    expect(r.ok === false && r.error.params).toEqual({ itemProblems: "2:field-after-first-notice" });
    // Without items it stays the plain refusal; the deadline is still checked.
    expect(code("confirmed", sample.requestCorrection, again)).toBe("CORRECTION_ALREADY_REQUESTED");
    expect(
      code("confirmed", { type: "requestCorrection", deadline: "2021-07-01", items: [newPhoto] }, again),
    ).toBe("VALIDATION");
    // The first notice may carry its items; they are not restricted.
    expect(
      code("confirmed", {
        type: "requestCorrection",
        deadline: "2021-08-10",
        items: [item({ type: "field", fieldId: "school" })],
      }),
    ).toBe("ok:correction_requested");
  });

  it("a material change is judged only on a correction", () => {
    expect(code("confirmed", sample.judgeMaterialChange)).toBe("CORRECTION_NOT_REQUESTED");
    expect(code("district_recommended", sample.judgeMaterialChange)).toBe("CORRECTION_NOT_REQUESTED");
    expect(code("correction_requested", sample.judgeMaterialChange)).toBe("ok:republicity_required");
    expect(code("correction_requested", { type: "judgeMaterialChange", deadline: "2021-07-19" })).toBe(
      "VALIDATION",
    );
    expect(
      code(
        "confirmed",
        { type: "judgeMaterialChange", deadline: "2021-08-03" },
        { correctionAlreadyRequested: true },
      ),
    ).toBe("ok:republicity_required");
  });

  it("a material change sends the applicant back through the employer before the upload", () => {
    const ctx = ctxOf({ correctionAlreadyRequested: true });
    const steps: ApplicationEvent[] = [
      sample.resubmit,
      sample.judgeMaterialChange,
      sample.startPublicity,
      sample.recommend,
      sample.resubmit,
      sample.approve,
    ];
    const visited: ApplicationState[] = [];
    let state: ApplicationState = "correction_requested";
    for (const e of steps) {
      const r = transition(state, e, ctx);
      if (!r.ok) throw r.error;
      state = r.state;
      visited.push(state);
    }
    expect(visited).toEqual([
      "confirmed",
      "republicity_required",
      "republicity_required",
      "correction_requested",
      "confirmed",
      "approved",
    ]);
  });

  it("deadlines: correction, district, payment", () => {
    expect(code("correction_requested", sample.resubmit, { now: sh("2021-08-11T00:00:00") })).toBe(
      "DEADLINE_PASSED",
    );
    expect(code("correction_requested", sample.resubmit, { now: sh("2021-08-10T23:59:00") })).toBe(
      "ok:confirmed",
    );
    expect(
      code("confirmed", sample.forwardToDistrict, { track: "through-train", now: sh("2021-07-30T00:00:00") }),
    ).toBe("DEADLINE_PASSED");
    expect(code("approved", sample.pay, { now: sh("2021-08-16T00:00:00") })).toBe("DEADLINE_PASSED");
    expect(code("approved", { type: "approve", feeDueBy: "2021-07-01" })).toBe("INVALID_TRANSITION");
    expect(code("confirmed", { type: "approve", feeDueBy: "2021-07-01" })).toBe("VALIDATION");
  });

  it("a deadline event must be of the state's kind and really past", () => {
    expect(code("approved", { type: "deadlinePassed", kind: "window" })).toBe("INVALID_TRANSITION");
    expect(code("approved", { type: "deadlinePassed", kind: "payment" })).toBe("DEADLINE_NOT_REACHED");
    expect(code("draft", { type: "deadlinePassed", kind: "window" })).toBe("DEADLINE_NOT_REACHED");
    expect(code("confirmed", { type: "deadlinePassed", kind: "procedure" })).toBe("INVALID_TRANSITION");
    expect(code("approved", { type: "deadlinePassed", kind: "payment" }, { feeDueBy: undefined })).toBe(
      "ok:abandoned",
    );
  });

  it("junior skips the defense; others must defend first", () => {
    expect(code("complete", sample.startEvaluation, { level: "junior" })).toBe("ok:evaluating");
    expect(code("complete", sample.scheduleDefense, { level: "junior" })).toBe("INVALID_TRANSITION");
    expect(code("complete", sample.startEvaluation, { level: "intermediate" })).toBe("INVALID_TRANSITION");
  });

  it("through-train goes via the district; others never do", () => {
    expect(code("confirmed", sample.approve, { track: "through-train" })).toBe("INVALID_TRANSITION");
    expect(code("confirmed", sample.forwardToDistrict, { track: "regular" })).toBe("INVALID_TRANSITION");
  });

  it("result publicity: at least 5 working days, finalised after its end", () => {
    expect(code("passed", { type: "publishResult", start: "2021-12-20", end: "2021-12-23" })).toBe(
      "PUBLICITY_TOO_SHORT",
    );
    expect(code("passed", { type: "publishResult", start: "2021-12-20" })).toBe("VALIDATION");
    expect(code("result_publicity", sample.finalise, { publicityEnd: "2021-07-20" })).toBe(
      "PUBLICITY_NOT_ENDED",
    );
  });

  it("reasons are required where someone is told no", () => {
    expect(code("submitted", { type: "employerReturn", reason: "  " })).toBe("VALIDATION");
    expect(code("certified", { type: "revoke", reason: "" })).toBe("VALIDATION");
  });

  it("withdrawal only before the application is complete", () => {
    expect(canWithdraw("approved")).toBe(true);
    expect(canWithdraw("complete")).toBe(false);
    expect(canWithdraw("withdrawn")).toBe(false);
    expect(code("complete", sample.withdraw)).toBe("INVALID_TRANSITION");
  });
});

describe("events at the boundary", () => {
  it("ZApplicationEvent parses JSON payloads, coercing instants", () => {
    const e = ZApplicationEvent.parse({ type: "confirm", at: "2021-07-20T02:00:00Z" });
    expect(e.type === "confirm" && e.at instanceof Date).toBe(true);
    expect(ZApplicationEvent.safeParse({ type: "approve" }).success).toBe(false);
    expect(ZApplicationEvent.safeParse({ type: "fly" }).success).toBe(false);
    for (const e of Object.values(sample)) expect(ZApplicationEvent.safeParse(e).success).toBe(true);
  });
});

describe("labels and hints", () => {
  it("every state has labels and a hint in both languages", () => {
    for (const s of applicationStates) {
      expect(applicationStateLabels[s]["zh-CN"].length).toBeGreaterThan(0);
      expect(nextStepHint(s, "zh-CN").length).toBeGreaterThan(0);
      expect(nextStepHint(s, "en").length).toBeGreaterThan(0);
    }
    expect(nextStepHint("confirmed", "zh-CN", { track: "through-train" })).toContain("区");
  });
});

// ---- properties ---------------------------------------------------------------

const arbCtx = fc.record({
  level: fc.constantFrom(...levels),
  track: fc.constantFrom(...tracks),
});
// Instants across the round so time guards sometimes pass and sometimes fail.
const arbNow = fc.constantFrom(
  sh("2021-07-01T09:00:00"),
  sh("2021-07-20T10:00:00"),
  sh("2021-07-28T10:00:00"),
  sh("2021-08-12T10:00:00"),
  sh("2021-12-31T10:00:00"),
);
const arbEvent: fc.Arbitrary<ApplicationEvent> = fc.oneof(
  fc.constantFrom(...Object.values(sample)),
  fc.constantFrom(...deadlineKinds).map((kind): ApplicationEvent => ({ type: "deadlinePassed", kind })),
  fc.boolean().map((passed): ApplicationEvent => ({ type: "ballotResult", passed })),
  fc.boolean().map((upheld): ApplicationEvent => ({ ...sample.recordObjection, upheld }) as ApplicationEvent),
);

/** `failed` stays terminal for the applicant's timeline; only an upheld re-review reopens it. */
const reopens = (state: ApplicationState, type: ApplicationEventType) =>
  state === "failed" && type === "reEvaluate";

type Mode = "random" | "guided" | "progress";
type Step = { pick: number; event: ApplicationEvent; now: Date; mode: Mode };
const arbSteps = fc.array(
  fc.record({
    pick: fc.nat(),
    event: arbEvent,
    now: arbNow,
    mode: fc.oneof(
      { weight: 1, arbitrary: fc.constant<Mode>("random") },
      { weight: 2, arbitrary: fc.constant<Mode>("guided") },
      { weight: 6, arbitrary: fc.constant<Mode>("progress") },
    ),
  }),
  { maxLength: 60, size: "max" },
);

/** Event types in happy-path order, so "progress" steps move forward. */
const forward: ApplicationEventType[] = [
  "submitToEmployer",
  "employerAccept",
  "startPublicity",
  "recommend",
  "confirm",
  "forwardToDistrict",
  "districtRecommend",
  "resubmit",
  "approve",
  "pay",
  // Before scheduleDefense, which would otherwise loop on itself.
  "startEvaluation",
  "scheduleDefense",
  "ballotResult",
  "publishResult",
  "finalise",
  "issueCertificate",
];

/**
 * Runs a walk from draft. Random steps send any event; guided steps pick any
 * allowed event; progress steps pick the most forward allowed event, so some
 * walks get all the way to the certificate.
 */
function walk(ctx: { level: Level; track: Track }, steps: Step[]) {
  let state: ApplicationState = "draft";
  const visited: ApplicationState[] = [state];
  for (const step of steps) {
    let event = step.event;
    const allowed = allowedEvents(state, ctx);
    const type =
      step.mode === "guided"
        ? allowed[step.pick % Math.max(allowed.length, 1)]
        : step.mode === "progress"
          ? (forward.find((t) => allowed.includes(t)) ?? allowed[step.pick % Math.max(allowed.length, 1)])
          : undefined;
    if (type) event = type === "ballotResult" ? { type, passed: step.pick % 5 !== 0 } : sample[type];
    const before = state;
    const r = transition(state, event, ctxOf({ ...ctx, now: step.now }));
    if (r.ok) {
      expect(allowedEvents(before, ctx)).toContain(event.type);
      expect(isTerminal(before) && !reopens(before, event.type)).toBe(false);
      state = r.state;
      visited.push(state);
    } else if (!allowedEvents(before, ctx).includes(event.type)) {
      expect(r.error.code).toBe("INVALID_TRANSITION");
    }
  }
  return { state, visited };
}

describe("state machine properties", () => {
  it("random event sequences never leave the state set", () => {
    fc.assert(
      fc.property(arbCtx, arbSteps, (ctx, steps) => {
        const { visited } = walk(ctx, steps);
        return visited.every((s) => (applicationStates as readonly string[]).includes(s));
      }),
      { numRuns: 500 },
    );
  });

  it("terminal states accept no event, except an upheld re-review of a failed result", () => {
    fc.assert(
      fc.property(fc.constantFrom(...terminalStates), arbEvent, arbCtx, arbNow, (state, event, ctx, now) => {
        expect(allowedEvents(state, ctx)).toEqual(state === "failed" ? ["reEvaluate"] : []);
        const r = transition(state, event, ctxOf({ ...ctx, now }));
        if (reopens(state, event.type)) return r.ok && r.state === "evaluating";
        return !r.ok && r.error.code === "INVALID_TRANSITION";
      }),
    );
  });

  it("a re-review needs a reason and sends the failed result back to the committee", () => {
    expect(transition("failed", { type: "reEvaluate", reason: "  " }, ctxOf())).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
    expect(ZApplicationEvent.safeParse({ type: "reEvaluate" }).success).toBe(false);
    expect(transition("result_publicity", sample.reEvaluate, ctxOf())).toMatchObject({
      ok: false,
      error: { code: "INVALID_TRANSITION" },
    });
    // The re-evaluated application can pass this time and reach its certificate.
    let state: ApplicationState = "failed";
    for (const e of [
      sample.reEvaluate,
      sample.ballotResult,
      sample.publishResult,
      sample.finalise,
      sample.issueCertificate,
    ]) {
      const r = transition(state, e, ctxOf());
      if (!r.ok) throw r.error;
      state = r.state;
    }
    expect(state).toBe("certified");
  });

  it("certified is reached only through confirmed, approved, complete, evaluating, passed, result publicity and final", () => {
    let reached = 0;
    fc.assert(
      fc.property(arbCtx, arbSteps, (ctx, steps) => {
        const { visited } = walk(ctx, steps);
        if (!visited.includes("certified")) return true;
        reached++;
        const must: ApplicationState[] = [
          "submitted",
          "publicity",
          "recommended",
          "confirmed",
          "approved",
          "complete",
          "evaluating",
          "passed",
          "result_publicity",
          "final",
        ];
        if (ctx.track === "through-train") must.push("district_review", "district_recommended");
        if (ctx.level !== "junior") must.push("defense_scheduled");
        return (
          must.every((s) => visited.includes(s)) && visited.indexOf("approved") < visited.indexOf("complete")
        );
      }),
      { numRuns: 2000 },
    );
    expect(reached).toBeGreaterThanOrEqual(10); // about 45 expected
  });

  it("through-train never skips the district, and only through-train visits it", () => {
    fc.assert(
      fc.property(arbCtx, arbSteps, (ctx, steps) => {
        const { visited } = walk(ctx, steps);
        const district = visited.includes("district_review");
        if (ctx.track !== "through-train") return !district;
        return !visited.includes("approved") || district;
      }),
      { numRuns: 500 },
    );
  });

  it("junior applications never see a defense", () => {
    fc.assert(
      fc.property(
        arbSteps,
        (steps) => !walk({ level: "junior", track: "regular" }, steps).visited.includes("defense_scheduled"),
      ),
      { numRuns: 300 },
    );
  });
});

describe("happy paths", () => {
  it.each(allCtxs.filter((c) => c.track !== "through-train" || c.level === "senior"))(
    "$level / $track reaches certified",
    ({ level, track }) => {
      const ctx = ctxOf({ level, track });
      const events: ApplicationEvent[] = [
        sample.submitToEmployer,
        sample.employerAccept,
        sample.startPublicity,
        sample.recommend,
        sample.confirm,
        ...(track === "through-train" ? [sample.forwardToDistrict, sample.districtRecommend] : []),
        sample.requestCorrection,
        sample.resubmit,
        sample.approve,
        sample.pay,
        ...(level === "junior" ? [] : [sample.scheduleDefense]),
        sample.startEvaluation,
        sample.ballotResult,
        sample.publishResult,
        sample.finalise,
        sample.issueCertificate,
      ];
      let state: ApplicationState = "draft";
      for (const e of events) {
        const r = transition(state, e, ctx);
        if (!r.ok) throw r.error;
        state = r.state;
      }
      expect(state).toBe("certified");
    },
  );
});
