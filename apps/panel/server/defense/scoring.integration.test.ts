import { meetingRepository } from "@titles/db";
import { countRows, createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PanelServer } from "../app";
import type { AppRouter } from "../trpc/router";
import { personWithSession } from "../yjs/testing/fixtures";
import { saveDraft, scoreSheet, scoringOverview, submit } from "./scoring";
import { applicationOf, asUser, defenseMeeting, flat, setAttendance, startPanel } from "./testing";

const NOW = new Date("2021-09-15T02:00:00Z");

/** Every number anywhere in a value: what a reader could learn from it. */
function numbers(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(numbers);
  return [];
}
const TABLES = ["defense_scores", "audit_log"];

describe.each(testTargets)("defense scoring on %s", (target) => {
  let database: TestDb;
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let server: PanelServer;

  beforeAll(async () => {
    database = await createTestDb(target);
    panel = await startPanel(database.db);
    server = panel.server;
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const db = () => database.db;

  async function oneApplicant(panelists = 3) {
    const app = await applicationOf(db(), "林申报");
    return { ...(await defenseMeeting(db(), { panelists, applications: [app.id] })), applicationId: app.id };
  }

  it("refuses scores outside 0–100 or not whole (−1, 101, 85.5), naming the criterion; nothing is written", async () => {
    const f = await oneApplicant();
    const expert = asUser(f.panel[1]!);
    for (const [value, label] of [
      [-1, "专业理论水平"],
      [101, "专业理论水平"],
      [85.5, "专业理论水平"],
    ] as const) {
      const before = await countRows(db(), TABLES);
      for (const run of [saveDraft, submit]) {
        const scores = run === submit ? { ...flat(80), theory: value } : { theory: value };
        const result = await run(
          db(),
          expert,
          { meetingId: f.meetingId, applicationId: f.applicationId, scores },
          NOW,
        );
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.error.code).toBe("SCORE_OUT_OF_RANGE");
        expect(result.error.params).toMatchObject({ criterion: label, value: String(value) });
      }
      expect(await countRows(db(), TABLES)).toEqual(before);
    }
  });

  it("says so in the reader's language through tRPC, with the criterion's label", async () => {
    const f = await oneApplicant();
    const input = { meetingId: f.meetingId, applicationId: f.applicationId, scores: { achievements: 101 } };
    const zh = await panel
      .client(f.panel[1]!)
      .defense.saveDraft.mutate(input)
      .catch((e: unknown) => e);
    expect(zh).toBeInstanceOf(TRPCClientError);
    expect((zh as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
    expect((zh as Error).message).toBe("“工程业绩与成果”的分数101无效：每项为0到100之间的整数。");
    const en = await panel
      .client(f.panel[1]!, "en")
      .defense.saveDraft.mutate(input)
      .catch((e: unknown) => e);
    expect((en as Error).message).toBe(
      "The score 101 for “Engineering achievements” is invalid: each criterion takes a whole number from 0 to 100.",
    );
  });

  it("refuses a score for an applicant the expert is recused from; nothing is written", async () => {
    const f = await oneApplicant();
    const recused = f.panel[2]!;
    await meetingRepository.recuse(db(), {
      meetingId: f.meetingId,
      applicationId: f.applicationId,
      expertId: recused.id,
      source: "declared",
      reason: "曾为其导师",
    });
    const before = await countRows(db(), TABLES);
    const input = { meetingId: f.meetingId, applicationId: f.applicationId, scores: flat(80) };
    for (const run of [saveDraft, submit]) {
      const result = await run(db(), asUser(recused), input, NOW);
      expect(result.ok ? null : result.error.code).toBe("RECUSED");
    }
    const read = await scoreSheet(db(), asUser(recused), f.meetingId, f.applicationId);
    expect(read.ok ? null : read.error.code).toBe("RECUSED");
    // The recused applicant is not even listed on the expert's scoring page.
    const overview = await scoringOverview(db(), asUser(recused), f.meetingId);
    expect(overview.ok && overview.value.applicants).toEqual([]);
    expect(await countRows(db(), TABLES)).toEqual(before);
    const zh = await panel
      .client(recused)
      .defense.submit.mutate(input)
      .catch((e: unknown) => e);
    expect((zh as TRPCClientError<AppRouter>).data?.code).toBe("FORBIDDEN");
    expect((zh as Error).message).toBe("您已回避该申报人，不能查看、评分或投票。");
  });

  it("refuses an applicant not on the agenda, a non-member and a meeting that is not a defense", async () => {
    const f = await oneApplicant();
    const other = await applicationOf(db(), "高申报");
    const before = await countRows(db(), TABLES);
    const notOnAgenda = await saveDraft(
      db(),
      asUser(f.panel[1]!),
      { meetingId: f.meetingId, applicationId: other.id, scores: { theory: 80 } },
      NOW,
    );
    expect(notOnAgenda.ok ? null : notOnAgenda.error.code).toBe("NOT_ON_AGENDA");

    const outsider = await personWithSession(db(), "外专家", ["expert"]);
    const notMember = await submit(
      db(),
      asUser(outsider),
      { meetingId: f.meetingId, applicationId: f.applicationId, scores: flat(80) },
      NOW,
    );
    expect(notMember.ok ? null : notMember.error.code).toBe("NOT_MEETING_MEMBER");

    const review = await defenseMeeting(db(), { panelists: 2, applications: [other.id], kind: "review" });
    const wrongKind = await saveDraft(
      db(),
      asUser(review.panel[1]!),
      { meetingId: review.meetingId, applicationId: other.id, scores: { theory: 80 } },
      NOW,
    );
    expect(wrongKind.ok ? null : wrongKind.error.code).toBe("MEETING_KIND");
    const message = await panel
      .client(review.panel[1]!)
      .defense.scoring.query({ meetingId: review.meetingId })
      .catch((e: unknown) => (e as Error).message);
    expect(message).toBe("该操作不适用于本次会议（评审会）。");
    expect(await countRows(db(), TABLES)).toEqual(before);
  });

  it("refuses an incomplete submission naming the missing criteria; the draft stays a draft", async () => {
    const f = await oneApplicant();
    const expert = asUser(f.panel[1]!);
    const target = { meetingId: f.meetingId, applicationId: f.applicationId };
    const draft = await saveDraft(db(), expert, { ...target, scores: { theory: 80, presentation: 70 } }, NOW);
    expect(draft.ok).toBe(true);
    const before = await countRows(db(), TABLES);
    const result = await submit(db(), expert, { ...target, scores: { theory: 80, presentation: 70 } }, NOW);
    expect(result.ok ? null : result.error.code).toBe("SCORE_INCOMPLETE");
    expect(result.ok ? null : result.error.params.missing).toBe("工程业绩与成果、解决复杂技术问题能力");
    expect(await countRows(db(), TABLES)).toEqual(before);
    const en = await panel
      .client(f.panel[1]!, "en")
      .defense.submit.mutate({ ...target, scores: { theory: 80 } })
      .catch((e: unknown) => (e as Error).message);
    expect(en).toBe(
      "These criteria are not scored yet: Engineering achievements; Solving complex technical problems; Presentation and answers.",
    );
    const sheet = await scoreSheet(db(), expert, f.meetingId, f.applicationId);
    expect(sheet.ok && sheet.value.mine).toMatchObject({
      status: "draft",
      scores: { theory: 80, presentation: 70 },
      total: 80 * 25 + 70 * 15,
      submittedAt: null,
    });
  });

  it("autosaves drafts, then submits with the weighted total and locks the sheet", async () => {
    const f = await oneApplicant();
    const expert = asUser(f.panel[1]!);
    const target = { meetingId: f.meetingId, applicationId: f.applicationId };
    expect((await saveDraft(db(), expert, { ...target, scores: { theory: 90 } }, NOW)).ok).toBe(true);
    const second = await saveDraft(
      db(),
      expert,
      { ...target, scores: { theory: 88, achievements: 75 } },
      NOW,
    );
    expect(second.ok && second.value).toMatchObject({ status: "draft", total: 88 * 25 + 75 * 35 });
    const scores = { theory: 88, achievements: 75, "problem-solving": 92, presentation: 81 };
    const submitted = await submit(db(), expert, { ...target, scores }, new Date("2021-09-15T03:00:00Z"));
    expect(submitted.ok && submitted.value).toMatchObject({
      status: "submitted",
      total: 88 * 25 + 75 * 35 + 92 * 25 + 81 * 15,
      submittedAt: new Date("2021-09-15T03:00:00Z"),
    });
    const [row] = await queryRows(
      db(),
      `select total, submitted_at from defense_scores where meeting_id = '${f.meetingId}'
       and expert_id = '${f.panel[1]!.id}'`,
    );
    expect(Number(row!.total)).toBe(8340);
    expect(row!.submitted_at).not.toBeNull();
    const audit = await queryRows(
      db(),
      `select action from audit_log where object_id = '${f.applicationId}' order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      "defense.score-draft",
      "defense.score-draft",
      "defense.score-submit",
    ]);

    const before = await countRows(db(), TABLES);
    const change = await saveDraft(db(), expert, { ...target, scores: { theory: 100 } }, NOW);
    expect(change.ok ? null : change.error.code).toBe("SCORE_SUBMITTED");
    const resubmit = await submit(db(), expert, { ...target, scores: flat(100) }, NOW);
    expect(resubmit.ok ? null : resubmit.error.code).toBe("SCORE_SUBMITTED");
    expect(await countRows(db(), TABLES)).toEqual(before);
    const [still] = await queryRows(
      db(),
      `select total from defense_scores where meeting_id = '${f.meetingId}' and expert_id = '${f.panel[1]!.id}'`,
    );
    expect(Number(still!.total)).toBe(8340);
  });

  it("never lets a late autosave overwrite a submitted sheet, whatever the order", async () => {
    const f = await oneApplicant();
    const expert = asUser(f.panel[1]!);
    const target = { meetingId: f.meetingId, applicationId: f.applicationId };
    const results = await Promise.all([
      submit(db(), expert, { ...target, scores: flat(80) }, NOW),
      ...Array.from({ length: 5 }, () => saveDraft(db(), expert, { ...target, scores: { theory: 10 } }, NOW)),
    ]);
    expect(results[0]!.ok).toBe(true);
    for (const late of results.slice(1)) {
      if (!late.ok) expect(late.error.code).toBe("SCORE_SUBMITTED");
    }
    const rows = await queryRows(
      db(),
      `select scores, total from defense_scores where meeting_id = '${f.meetingId}'`,
    );
    expect(rows).toEqual([{ scores: flat(80), total: 8000 }]);
  });

  it("refuses to score an applicant recorded as a no-show", async () => {
    const f = await oneApplicant();
    await setAttendance(db(), f.meetingId, f.applicationId, "no_show");
    const before = await countRows(db(), TABLES);
    const target = { meetingId: f.meetingId, applicationId: f.applicationId };
    for (const run of [saveDraft, submit]) {
      const result = await run(db(), asUser(f.panel[1]!), { ...target, scores: flat(80) }, NOW);
      expect(result.ok ? null : result.error.code).toBe("DEFENSE_NO_SHOW");
    }
    expect(await countRows(db(), TABLES)).toEqual(before);
    const message = await panel
      .client(f.panel[1]!)
      .defense.submit.mutate({ ...target, scores: flat(80) })
      .catch((e: unknown) => (e as Error).message);
    expect(message).toBe("该申报人未到场参加答辩（已登记缺席），不能评分。");
  });

  async function submitAll(f: Awaited<ReturnType<typeof oneApplicant>>, values: number[]) {
    for (const [i, value] of values.entries()) {
      const result = await submit(
        db(),
        asUser(f.panel[i]!),
        { meetingId: f.meetingId, applicationId: f.applicationId, scores: flat(value) },
        NOW,
      );
      expect(result.ok).toBe(true);
    }
  }

  it("shows the chair the panel score once all three panelists submitted: the plain mean", async () => {
    const f = await oneApplicant(3);
    await submitAll(f, [80, 70]);
    const partial = await scoreSheet(db(), asUser(f.chair), f.meetingId, f.applicationId);
    expect(partial.ok && partial.value.summary).toEqual({
      submitted: 2,
      expected: 3,
      complete: false,
      score: null,
      trimmed: false,
      passed: null,
    });
    await submit(
      db(),
      asUser(f.panel[2]!),
      { meetingId: f.meetingId, applicationId: f.applicationId, scores: flat(95) },
      NOW,
    );
    const full = await scoreSheet(db(), asUser(f.chair), f.meetingId, f.applicationId);
    // (8000 + 7000 + 9500) / 3 = 8166.67 → 8167 hundredths.
    expect(full.ok && full.value.summary).toEqual({
      submitted: 3,
      expected: 3,
      complete: true,
      score: 8167,
      trimmed: false,
      passed: true,
    });
  });

  it("drops the highest and the lowest total when five panelists scored", async () => {
    const f = await oneApplicant(5);
    await submitAll(f, [50, 70, 80, 90, 100]);
    const view = await scoringOverview(db(), asUser(f.chair), f.meetingId);
    expect(view.ok && view.value.applicants[0]!.summary).toEqual({
      submitted: 5,
      expected: 5,
      complete: true,
      score: 8000,
      trimmed: true,
      passed: true,
    });
  });

  it("fails an applicant below the pass line (60 for engineering)", async () => {
    const f = await oneApplicant(3);
    await submitAll(f, [50, 60, 58]);
    const view = await scoreSheet(db(), asUser(f.chair), f.meetingId, f.applicationId);
    expect(view.ok && view.value.sheet.passLine).toBe(60);
    expect(view.ok && view.value.summary).toMatchObject({ complete: true, score: 5600, passed: false });
  });

  it("waits only for the panelists present and not recused", async () => {
    const f = await oneApplicant(4);
    await meetingRepository.recuse(db(), {
      meetingId: f.meetingId,
      applicationId: f.applicationId,
      expertId: f.panel[3]!.id,
      source: "ordered",
      reason: "近亲属",
    });
    await queryRows(
      db(),
      `update meeting_members set present = false where meeting_id = '${f.meetingId}' and user_id = '${f.panel[2]!.id}'`,
    );
    await submitAll(f, [70, 80]);
    const view = await scoreSheet(db(), asUser(f.chair), f.meetingId, f.applicationId);
    expect(view.ok && view.value.summary).toMatchObject({
      submitted: 2,
      expected: 2,
      complete: true,
      score: 7500,
    });
  });

  it("never shows an expert another panelist's scores, nor the panel's", async () => {
    const f = await oneApplicant(3);
    await submitAll(f, [77, 63]);
    const reader = f.panel[2]!;
    await saveDraft(
      db(),
      asUser(reader),
      { meetingId: f.meetingId, applicationId: f.applicationId, scores: { theory: 91 } },
      NOW,
    );
    const overview = await panel.client(reader).defense.scoring.query({ meetingId: f.meetingId });
    const sheet = await panel
      .client(reader)
      .defense.sheet.query({ meetingId: f.meetingId, applicationId: f.applicationId });
    expect(overview.meeting.role).toBe("expert");
    expect(overview.applicants[0]!.summary).toBeNull();
    expect(overview.applicants[0]!.mine).toMatchObject({ status: "draft", scores: { theory: 91 } });
    expect(sheet.summary).toBeNull();
    for (const view of [overview, sheet]) {
      const seen = numbers(view);
      for (const other of [77, 63, 7700, 6300, 7000]) expect(seen).not.toContain(other);
    }
    // The chair sees counts and, later, the panel score, but no one's individual sheet.
    const chairView = await panel.client(f.chair).defense.sheet.query({
      meetingId: f.meetingId,
      applicationId: f.applicationId,
    });
    expect(chairView.summary).toMatchObject({ submitted: 2, expected: 3, score: null });
    expect(numbers(chairView.summary)).not.toContain(6300);
    expect(chairView.mine).toMatchObject({ status: "submitted", total: 7700 });
  });
});
