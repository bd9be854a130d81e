import {
  applicationRepository,
  DEMO_PASSWORD,
  demoLogins,
  lookupHash,
  organisationRepository,
  seedDemo,
  userRepository,
} from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/lib/auth.server";
import {
  attachmentDisposition,
  breakdownHeaders,
  type Dashboard,
  dashboardCsv,
  dashboardScopeFor,
  dashboardXlsx,
  exportFileName,
  exportResponse,
  loadDashboard,
} from "./dashboard.server";

const KEY = "test-lookup-key-0123456789abcdefghij";
const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);

/** The happy path up to a confirmation, as [event, to-state]. */
const toConfirmed: Array<[string, string]> = [
  ["submitToEmployer", "submitted"],
  ["employerAccept", "employer_accepted"],
  ["startPublicity", "publicity"],
  ["recommend", "recommended"],
  ["confirm", "confirmed"],
];

describe.each(testTargets)("the bureau dashboard on %s", (target) => {
  let handle: TestDb;
  let unit1: string; // haidian
  let unit2: string; // chaoyang
  let roundYear: number;
  let windowId: string;
  let people = 0;
  const actors: Record<string, Actor> = {};
  // The demo round's first window opened 2026-11-20; "now" is 11-27 in the morning, Beijing time.
  const now = at("2026-11-27T10:05:00");

  async function actorFor(phone: string): Promise<Actor> {
    const found = await userRepository.findCredentialsByLookupHash(handle.db, lookupHash(KEY, phone));
    return {
      sessionId: "s",
      user: found!.user,
      roles: await userRepository.findRoles(handle.db, found!.user.id),
    };
  }

  /**
   * One applicant of `employer` with an application that went through `steps` (each [event, to-state,
   * Beijing time]); the timeline and the row are written through the repositories as `apply` writes them.
   */
  async function seedApplication(input: {
    series: string;
    level: string;
    track: string;
    employer: string;
    steps: Array<[string, string, string]>;
    year?: number;
  }) {
    people += 1;
    const n = String(people).padStart(4, "0");
    const user = await userRepository.insert(handle.db, {
      name: `申报人${n}`,
      idType: "mainland",
      idNumber: `11010819900101${n}`,
      idNumberHash: lookupHash(KEY, `id-${n}`),
      phone: `1390000${n}`,
      phoneHash: lookupHash(KEY, `phone-${n}`),
      passwordHash: "x",
      phoneVerifiedAt: now,
    });
    await userRepository.setEmployer(handle.db, user.id, input.employer);
    const created = at("2026-11-21T09:00:00");
    const app = await applicationRepository.insert(handle.db, {
      applicantId: user.id,
      roundYear: input.year ?? roundYear,
      windowId,
      series: input.series,
      level: input.level,
      track: input.track,
      state: "draft",
      at: created,
    });
    let state = "draft";
    let confirmedAt: Date | null = null;
    for (const [event, toState, when] of input.steps) {
      await applicationRepository.appendEvent(handle.db, {
        applicationId: app.id,
        at: at(when),
        actorUserId: null,
        event,
        fromState: state,
        toState,
      });
      if (event === "confirm") confirmedAt = at(when);
      state = toState;
    }
    await applicationRepository.update(handle.db, app.id, {
      state,
      employerId: input.employer,
      confirmedAt,
      updatedAt: created,
    });
    return app.id;
  }

  const path = (confirmOn: string, more: Array<[string, string, string]> = []) =>
    [
      ...toConfirmed.map(([event, state], i): [string, string, string] => [
        event,
        state,
        i === toConfirmed.length - 1 ? confirmOn : `2026-11-2${1 + Math.min(i, 2)}T10:00:00`,
      ]),
      ...more,
    ] as Array<[string, string, string]>;

  beforeAll(async () => {
    handle = await createTestDb(target);
    await seedDemo(handle.db, { hashPassword: async () => DEMO_PASSWORD, lookupKey: KEY, now });
    for (const login of demoLogins) actors[login.phone] = await actorFor(login.phone);
    unit1 = (await organisationRepository.findByName(handle.db, "employer", "北京示例科技有限公司"))!.id;
    unit2 = (await organisationRepository.findByName(handle.db, "employer", "北京市示例建筑设计研究院"))!.id;
    roundYear = 2026;
    windowId = "2021-general";

    // A: a draft (counts in no stage). B: submitted. I: submitted, then withdrawn.
    await seedApplication({
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      employer: unit1,
      steps: [],
    });
    await seedApplication({
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      employer: unit1,
      steps: [["submitToEmployer", "submitted", "2026-11-21T10:00:00"]],
    });
    await seedApplication({
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      employer: unit2,
      steps: [
        ["submitToEmployer", "submitted", "2026-11-21T10:00:00"],
        ["withdraw", "withdrawn", "2026-11-22T10:00:00"],
      ],
    });
    // H: an upheld objection during publicity.
    await seedApplication({
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      employer: unit1,
      steps: [
        ["submitToEmployer", "submitted", "2026-11-21T10:00:00"],
        ["employerAccept", "employer_accepted", "2026-11-22T10:00:00"],
        ["startPublicity", "publicity", "2026-11-22T11:00:00"],
        ["recordObjection", "objection_upheld", "2026-11-24T11:00:00"],
      ],
    });
    // C and D: confirmed, D at 00:30 Beijing time on the 25th (still the 24th in UTC).
    await seedApplication({
      series: "engineering",
      level: "intermediate",
      track: "regular",
      employer: unit2,
      steps: path("2026-11-24T10:00:00"),
    });
    await seedApplication({
      series: "engineering",
      level: "intermediate",
      track: "regular",
      employer: unit2,
      steps: path("2026-11-25T00:30:00"),
    });
    // E: approved and paid.
    await seedApplication({
      series: "economics",
      level: "deputy-senior",
      track: "regular",
      employer: unit1,
      steps: path("2026-11-25T09:00:00", [
        ["approve", "approved", "2026-11-26T09:00:00"],
        ["pay", "complete", "2026-11-26T15:00:00"],
      ]),
    });
    // F: through-train, recommended by the district, approved, not paid yet.
    await seedApplication({
      series: "engineering",
      level: "senior",
      track: "through-train",
      employer: unit1,
      steps: path("2026-11-26T09:00:00", [
        ["forwardToDistrict", "district_review", "2026-11-26T10:00:00"],
        ["districtRecommend", "district_recommended", "2026-11-26T11:00:00"],
        ["approve", "approved", "2026-11-26T16:00:00"],
      ]),
    });
    // G: confirmed, asked to correct, then given up when the deadline passed.
    await seedApplication({
      series: "engineering",
      level: "deputy-senior",
      track: "regular",
      employer: unit2,
      steps: path("2026-11-24T14:00:00", [
        ["requestCorrection", "correction_requested", "2026-11-25T09:00:00"],
        ["deadlinePassed", "abandoned", "2026-11-27T00:00:00"],
      ]),
    });
    // Another round's application must not count.
    await seedApplication({
      series: "engineering",
      level: "intermediate",
      track: "regular",
      employer: unit1,
      year: 2021,
      steps: path("2021-07-10T10:00:00"),
    });
  });
  afterAll(() => handle.close());

  const city = (): Promise<Dashboard> =>
    loadDashboard(handle.db, { roundYear, scope: { kind: "city" } }, now);

  it("lets the city bureau see the whole city and a district bureau only its district", () => {
    expect(dashboardScopeFor(actors["13800000011"]!)).toEqual({ kind: "city" });
    expect(dashboardScopeFor(actors["13800000006"]!)).toEqual({ kind: "district", districts: ["haidian"] });
    expect(dashboardScopeFor(actors["13800000003"]!)).toBeNull(); // employer HR
    expect(dashboardScopeFor(actors["13800000001"]!)).toBeNull(); // an applicant
  });

  it("counts the round's applications by series, level, track and state, and nothing of other rounds", async () => {
    const d = await city();
    expect(d.roundYear).toBe(2026);
    expect(d.total).toBe(9);
    const count = (series: string, level: string, track: string, state: string) =>
      d.rows.find((r) => r.series === series && r.level === level && r.track === track && r.state === state)
        ?.count;
    expect(count("engineering", "intermediate", "regular", "confirmed")).toBe(2);
    expect(count("engineering", "deputy-senior", "regular", "draft")).toBe(1);
    expect(count("engineering", "senior", "through-train", "approved")).toBe(1);
    expect(count("economics", "deputy-senior", "regular", "complete")).toBe(1);
    const confirmedRow = d.rows.find((r) => r.state === "confirmed")!;
    expect(confirmedRow.labels.state).toEqual({
      "zh-CN": "已确认申报",
      en: "Confirmed, awaiting agency review",
    });
    expect(confirmedRow.labels.series["zh-CN"]).toBe("工程技术");
    // Catalogue order: engineering before economics, junior levels first.
    expect(d.bySeries.map((s) => [s.key, s.count])).toEqual([
      ["engineering", 8],
      ["economics", 1],
    ]);
    expect(d.byLevel.map((s) => [s.key, s.count])).toEqual([
      ["intermediate", 2],
      ["deputy-senior", 6],
      ["senior", 1],
    ]);
    expect(d.byTrack.map((s) => [s.key, s.count])).toEqual([
      ["regular", 8],
      ["through-train", 1],
    ]);
    expect(Object.fromEntries(d.byState.map((s) => [s.key, s.count]))).toEqual({
      draft: 1,
      submitted: 1,
      confirmed: 2,
      approved: 1,
      complete: 1,
      objection_upheld: 1,
      abandoned: 1,
      withdrawn: 1,
    });
  });

  it("counts each application in every stage of the funnel it has passed, ended ones included", async () => {
    const d = await city();
    expect(d.funnel.map((f) => [f.stage, f.count])).toEqual([
      ["submitted", 8],
      ["employer_accepted", 6],
      ["publicity", 6],
      ["recommended", 5],
      ["confirmed", 5],
      ["approved", 2],
      ["complete", 1],
    ]);
    expect(d.funnel[4]!.label).toEqual({ "zh-CN": "确认申报", en: "Confirmed" });
  });

  it("draws the daily confirmations by Beijing day from the window's opening to today", async () => {
    const d = await city();
    expect(d.daily.map((p) => [p.day, p.count, p.cumulative])).toEqual([
      ["2026-11-20", 0, 0],
      ["2026-11-21", 0, 0],
      ["2026-11-22", 0, 0],
      ["2026-11-23", 0, 0],
      ["2026-11-24", 2, 2],
      ["2026-11-25", 2, 4],
      ["2026-11-26", 1, 5],
      ["2026-11-27", 0, 5],
    ]);
    expect(d.takenAtBeijing).toBe("2026-11-27 10:05");
  });

  it("limits a district bureau to the applications of its units", async () => {
    const d = await loadDashboard(
      handle.db,
      { roundYear, scope: dashboardScopeFor(actors["13800000006"]!)! },
      now,
    );
    expect(d.total).toBe(5);
    expect(d.funnel.map((f) => f.count)).toEqual([4, 3, 3, 2, 2, 2, 1]);
    expect(d.daily.filter((p) => p.count > 0).map((p) => [p.day, p.count])).toEqual([
      ["2026-11-25", 1],
      ["2026-11-26", 1],
    ]);
    expect(d.rows.some((r) => r.series === "engineering" && r.level === "intermediate")).toBe(false);
    expect(exportFileName(d, "csv")).toBe("2026-职称申报统计-haidian.csv");
  });

  it("exports the breakdown as CSV that Excel opens in Chinese", async () => {
    const d = await city();
    const csv = dashboardCsv(d);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "系列 (Series),级别 (Level),通道 (Track),状态 (State),数量 (Count),系列代码 (Series code),级别代码 (Level code),通道代码 (Track code),状态代码 (State code)",
    );
    expect(lines).toHaveLength(1 + d.rows.length);
    expect(lines).toContain("工程技术,中级,常规,已确认申报,2,engineering,intermediate,regular,confirmed");
    expect(lines).toContain(
      "工程技术,正高级,直通车,审核通过，待缴费,1,engineering,senior,through-train,approved",
    );
    const sum = lines.slice(1).reduce((s, line) => s + Number(line.split(",")[4]), 0);
    expect(sum).toBe(9);

    const response = await exportResponse(d, "csv");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="2026-title-applications.csv"; filename*=UTF-8''2026-${encodeURIComponent("职称申报统计")}.csv`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("exports a workbook with frozen headers, column widths and the same numbers", async () => {
    const d = await city();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await dashboardXlsx(d)) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      "分类统计 Breakdown",
      "申报漏斗 Funnel",
      "每日确认 Daily",
      "说明 About",
    ]);

    const breakdown = workbook.getWorksheet("分类统计 Breakdown")!;
    expect((breakdown.getRow(1).values as unknown[]).slice(1)).toEqual([...breakdownHeaders]);
    expect(breakdown.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(breakdown.getColumn(1).width).toBeGreaterThanOrEqual(20);
    expect(breakdown.rowCount).toBe(1 + d.rows.length);
    const rows = breakdown.getRows(2, d.rows.length)!.map((r) => (r.values as unknown[]).slice(1));
    expect(rows).toContainEqual([
      "工程技术",
      "中级",
      "常规",
      "已确认申报",
      2,
      "engineering",
      "intermediate",
      "regular",
      "confirmed",
    ]);

    const funnel = workbook.getWorksheet("申报漏斗 Funnel")!;
    expect(funnel.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(funnel.getRow(6).values).toEqual([undefined, "确认申报 (Confirmed)", 5, 5 / 8]);
    expect(funnel.getRow(8).getCell(2).value).toBe(1);

    const daily = workbook.getWorksheet("每日确认 Daily")!;
    expect((daily.getRow(1).values as unknown[]).slice(1)).toEqual([
      "日期 (Date)",
      "当日确认申报 (Confirmed that day)",
      "累计确认申报 (Cumulative)",
    ]);
    expect((daily.getRow(6).values as unknown[]).slice(1)).toEqual(["2026-11-24", 2, 2]);
    expect(daily.rowCount).toBe(1 + 8);

    const about = workbook.getWorksheet("说明 About")!;
    expect(about.getRow(3).getCell(2).value).toBe("2026-11-27 10:05");

    const response = await exportResponse(d, "xlsx");
    expect(response.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(response.headers.get("Content-Disposition")).toContain(
      `filename*=UTF-8''2026-${encodeURIComponent("职称申报统计")}.xlsx`,
    );
  });

  it("names files per RFC 5987 so any browser keeps the Chinese name", () => {
    expect(attachmentDisposition("2021-职称申报统计 (海淀).csv", "2021.csv")).toBe(
      `attachment; filename="2021.csv"; filename*=UTF-8''2021-%E8%81%8C%E7%A7%B0%E7%94%B3%E6%8A%A5%E7%BB%9F%E8%AE%A1%20%28%E6%B5%B7%E6%B7%80%29.csv`,
    );
  });

  it("refuses a round that does not exist", async () => {
    await expect(
      loadDashboard(handle.db, { roundYear: 1999, scope: { kind: "city" } }, now),
    ).rejects.toThrow();
  });
});
