import { randomBytes } from "node:crypto";
import {
  applicationRepository,
  type Db,
  DEMO_PASSWORD,
  demoRound,
  seedDemo,
  userRepository,
} from "@titles/db";
import { createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import type { Level, Series, Track } from "@titles/domain";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepDeadlines } from "./deadlines.server";

/** An instant given as Beijing wall time. */
const at = (isoShanghai: string) => new Date(`${isoShanghai}+08:00`);
// The demo round seeded on this day opens its windows on 2026-11-20: the general and the
// through-train windows close on 2026-12-10 (Thursday), the through-train files are due at the
// district by 2026-12-13.
const SEEDED = at("2026-11-27T09:00:00");
const round = demoRound(SEEDED);

describe.each(testTargets)("the deadline sweep on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let serial = 0;

  beforeEach(async () => {
    handle = await createTestDb(target);
    db = handle.db;
    await seedDemo(db, { hashPassword: async () => DEMO_PASSWORD, lookupKey: "k".repeat(32), now: SEEDED });
  });
  afterEach(() => handle.close());

  /** A fresh applicant with an application in `state` (one live application per applicant and round). */
  async function application(input: {
    state: string;
    track?: Track;
    series?: Series;
    level?: Level;
    correctionDeadline?: string;
    feeDue?: string;
  }) {
    serial += 1;
    const user = await userRepository.insert(db, {
      name: `申请人${serial}`,
      idType: "mainland",
      idNumber: `ID-${serial}`,
      idNumberHash: randomBytes(16).toString("hex"),
      phone: `1390000${String(serial).padStart(4, "0")}`,
      phoneHash: randomBytes(16).toString("hex"),
      passwordHash: "x",
      phoneVerifiedAt: SEEDED,
    });
    const track = input.track ?? "regular";
    const series = input.series ?? "engineering";
    const level = input.level ?? "deputy-senior";
    const window = round.windows.find(
      (w) => w.tracks.includes(track) && w.series.includes(series) && w.levels.includes(level),
    )!;
    let app = await applicationRepository.insert(db, {
      applicantId: user.id,
      roundYear: round.year,
      windowId: window.id,
      series,
      level,
      track,
      state: input.state,
      at: SEEDED,
    });
    if (input.correctionDeadline)
      app = await applicationRepository.update(db, app.id, {
        correctionDeadline: input.correctionDeadline,
        updatedAt: SEEDED,
      });
    if (input.feeDue)
      await queryRows(
        db,
        `insert into payment_orders (application_id, order_no, amount_fen, due_date)
         values ('${app.id}', 'T${serial}-${randomBytes(3).toString("hex")}', 30000, '${input.feeDue}')`,
      );
    return app;
  }

  const stateOf = async (id: string) => (await applicationRepository.findByIdForUpdate(db, id))!.state;
  const smsOf = async (id: string, template?: string) =>
    (
      await queryRows(
        db,
        `select template, body, params, user_id, status from notifications
         where application_id = '${id}' order by created_at`,
      )
    ).filter((m) => template === undefined || m.template === template);
  const lapsesOf = async (id: string) =>
    (await applicationRepository.findEvents(db, id)).filter((e) => e.event === "deadlinePassed");

  it("gives up an application whose correction deadline passed, with one SMS; a second pass changes nothing", async () => {
    const late = await application({ state: "correction_requested", correctionDeadline: "2026-12-01" });
    const republicity = await application({
      state: "republicity_required",
      correctionDeadline: "2026-12-01",
    });
    const dueToday = await application({ state: "correction_requested", correctionDeadline: "2026-12-02" });
    const now = at("2026-12-02T00:00:30");

    expect(await sweepDeadlines(db, now)).toEqual({ abandoned: 2, reminded: 1 });
    expect(await stateOf(late.id)).toBe("abandoned");
    expect(await stateOf(republicity.id)).toBe("abandoned");
    expect(await stateOf(dueToday.id)).toBe("correction_requested");

    const [event] = await lapsesOf(late.id);
    expect(event).toMatchObject({
      fromState: "correction_requested",
      toState: "abandoned",
      actorUserId: null,
      data: { kind: "correction", deadline: "2026-12-01" },
    });
    const sms = await smsOf(late.id, "given-up");
    expect(sms).toHaveLength(1);
    expect(sms[0]!.user_id).toBe(late.applicantId);
    expect(sms[0]!.body).toBe(
      "【北京市职称评审】您的职称申报因补正期限已逾期，视为放弃。如有疑问请联系评审机构。",
    );
    const audit = await queryRows(
      db,
      `select action, actor_user_id from audit_log where object_id = '${late.id}' order by seq`,
    );
    expect(audit.at(-1)).toEqual({ action: "application.deadlinePassed", actor_user_id: null });

    // Again, a minute later: nothing more happens and nothing is sent twice.
    expect(await sweepDeadlines(db, at("2026-12-02T00:01:30"))).toEqual({ abandoned: 0, reminded: 0 });
    expect(await lapsesOf(late.id)).toHaveLength(1);
    expect(await smsOf(late.id)).toHaveLength(1);
    expect(await smsOf(dueToday.id, "correction-deadline-near")).toHaveLength(1);
  });

  it("leaves the application alone on the deadline day itself, Beijing time, and gives it up just after", async () => {
    const app = await application({ state: "correction_requested", correctionDeadline: "2026-12-01" });
    // 23:59:59 in Beijing is already 12-02 in some time zones, never in Asia/Shanghai.
    const lastSecond = await sweepDeadlines(db, at("2026-12-01T23:59:59"));
    expect(lastSecond.abandoned).toBe(0);
    expect(await stateOf(app.id)).toBe("correction_requested");
    expect(await smsOf(app.id, "given-up")).toHaveLength(0);

    expect((await sweepDeadlines(db, at("2026-12-02T00:00:00"))).abandoned).toBe(1);
    expect(await stateOf(app.id)).toBe("abandoned");
  });

  it("gives up an unpaid application after the fee's due date and lapses its order", async () => {
    const unpaid = await application({ state: "approved", feeDue: "2026-12-01" });
    const notYet = await application({ state: "approved", feeDue: "2026-12-09" });
    const now = at("2026-12-02T08:00:00");

    expect(await sweepDeadlines(db, now)).toEqual({ abandoned: 1, reminded: 0 });
    expect(await stateOf(unpaid.id)).toBe("abandoned");
    expect(await stateOf(notYet.id)).toBe("approved");
    const orders = await queryRows(
      db,
      `select application_id, status from payment_orders where application_id in ('${unpaid.id}', '${notYet.id}')`,
    );
    expect(Object.fromEntries(orders.map((o) => [o.application_id, o.status]))).toEqual({
      [unpaid.id]: "lapsed",
      [notYet.id]: "open",
    });
    const [event] = await lapsesOf(unpaid.id);
    expect(event!.data).toMatchObject({ kind: "payment", deadline: "2026-12-01" });
    const sms = await smsOf(unpaid.id, "given-up");
    expect(sms.map((m) => m.body)).toEqual([
      "【北京市职称评审】您的职称申报因缴费期限已逾期，视为放弃。如有疑问请联系评审机构。",
    ]);

    expect(await sweepDeadlines(db, now)).toEqual({ abandoned: 0, reminded: 0 });
    expect(await smsOf(unpaid.id)).toHaveLength(1);
  });

  it("reminds once when a correction deadline or a fee due date is the next working day", async () => {
    // Monday 2026-12-07 is the next working day after Friday 12-04; Tuesday 12-08 is not.
    const correction = await application({ state: "correction_requested", correctionDeadline: "2026-12-07" });
    const fee = await application({ state: "approved", feeDue: "2026-12-07" });
    const later = await application({ state: "correction_requested", correctionDeadline: "2026-12-08" });

    expect(await sweepDeadlines(db, at("2026-12-03T09:00:00"))).toEqual({ abandoned: 0, reminded: 0 });
    expect(await sweepDeadlines(db, at("2026-12-04T09:00:00"))).toEqual({ abandoned: 0, reminded: 2 });
    expect(await sweepDeadlines(db, at("2026-12-04T09:01:00"))).toEqual({ abandoned: 0, reminded: 0 });
    // Over the weekend the same deadlines are still near; nothing is sent again.
    expect(await sweepDeadlines(db, at("2026-12-06T09:00:00"))).toEqual({ abandoned: 0, reminded: 0 });
    expect(await smsOf(later.id)).toHaveLength(0);
    // The agency moves one deadline to Tuesday: that new date gets its own reminder. On Monday,
    // Tuesday is the next working day.
    await applicationRepository.update(db, correction.id, {
      correctionDeadline: "2026-12-08",
      updatedAt: at("2026-12-06T10:00:00"),
    });
    expect(await sweepDeadlines(db, at("2026-12-07T09:00:00"))).toEqual({ abandoned: 0, reminded: 2 });

    expect((await smsOf(correction.id)).map((m) => [m.template, m.body])).toEqual([
      [
        "correction-deadline-near",
        "【北京市职称评审】提醒：您的职称申报补正截止日期为2026-12-07，尚未重新提交，逾期视为放弃申报。",
      ],
      [
        "correction-deadline-near",
        "【北京市职称评审】提醒：您的职称申报补正截止日期为2026-12-08，尚未重新提交，逾期视为放弃申报。",
      ],
    ]);
    expect((await smsOf(fee.id)).map((m) => [m.template, m.params])).toEqual([
      ["payment-due-near", { due: "2026-12-07" }],
    ]);
    expect((await smsOf(later.id)).map((m) => m.params)).toEqual([{ deadline: "2026-12-08" }]);
  });

  it("gives up applications still short of confirmation when their window closed, and through-train files not at the district in time", async () => {
    const draft = await application({ state: "draft" });
    const recommended = await application({ state: "recommended" });
    const confirmed = await application({ state: "confirmed" });
    const throughTrain = await application({ state: "confirmed", track: "through-train", level: "senior" });

    expect(await sweepDeadlines(db, at("2026-12-10T23:59:00"))).toEqual({ abandoned: 0, reminded: 0 });
    expect(await sweepDeadlines(db, at("2026-12-11T00:00:01"))).toEqual({ abandoned: 2, reminded: 0 });
    expect(await stateOf(draft.id)).toBe("abandoned");
    expect(await stateOf(recommended.id)).toBe("abandoned");
    expect(await stateOf(confirmed.id)).toBe("confirmed");
    expect(await stateOf(throughTrain.id)).toBe("confirmed");
    expect((await smsOf(draft.id, "given-up"))[0]!.body).toContain("因申报期限已逾期");

    // The district deadline (Sunday 12-13) is a day of its own.
    expect((await sweepDeadlines(db, at("2026-12-13T12:00:00"))).abandoned).toBe(0);
    expect((await sweepDeadlines(db, at("2026-12-14T00:00:01"))).abandoned).toBe(1);
    expect(await stateOf(throughTrain.id)).toBe("abandoned");
    expect(await stateOf(confirmed.id)).toBe("confirmed");
    expect((await lapsesOf(throughTrain.id))[0]!.data).toMatchObject({
      kind: "district",
      deadline: "2026-12-13",
    });
    expect((await smsOf(throughTrain.id, "given-up"))[0]!.body).toContain("因报送区人社局期限已逾期");
  });

  it("gives up each application once when two passes run at the same time", async () => {
    const apps = await Promise.all(
      Array.from({ length: 5 }, () =>
        application({ state: "correction_requested", correctionDeadline: "2026-12-01" }),
      ),
    );
    const now = at("2026-12-02T10:00:00");
    const [a, b] = await Promise.all([sweepDeadlines(db, now), sweepDeadlines(db, now)]);
    expect(a.abandoned + b.abandoned).toBe(5);
    for (const app of apps) {
      expect(await stateOf(app.id)).toBe("abandoned");
      expect(await lapsesOf(app.id)).toHaveLength(1);
      expect(await smsOf(app.id)).toHaveLength(1);
    }
  });
});
