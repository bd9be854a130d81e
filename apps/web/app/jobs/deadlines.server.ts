import {
  type ApplicationRecord,
  applicationRepository,
  calendarRepository,
  type Db,
  type DeadlineCandidate,
  deadlineRepository,
  type OpenFeeOrder,
  userRepository,
} from "@titles/db";
import {
  type ApplicationState,
  addDays,
  addWorkingDays,
  applicationStates,
  createCalendar,
  type DeadlineKind,
  deadlineKindsFor,
  defaultCalendar,
  type IsoDate,
  isApplicationState,
  isDayOver,
  isDomainError,
  shanghaiDate,
  type Track,
  type TransitionContext,
  tracks,
  type WorkingCalendar,
} from "@titles/domain";
import { apply, loadRules, type Rules, windowOf } from "~/services/applications.server";
import { enqueueSms } from "~/services/notifications.server";

/**
 * The deadline jobs (notice §2.4, §2.6): a deadline that passes without the step it asked for ends
 * the application as given up (视为放弃), with an SMS; and the applicant is reminded once before a
 * correction or payment deadline. Each application is handled in its own transaction with its row
 * locked, and every decision is the domain's, taken again under that lock: a second run, or two
 * runners at once, changes nothing and sends nothing twice.
 */

export interface SweepResult {
  abandoned: number;
  reminded: number;
}

export interface SweepOptions {
  log?: (line: string) => void;
}

/**
 * The kinds the clock can lapse. `procedure` has no date of its own (the domain lets it lapse at
 * any time), so it stays a decision for staff, never for a job.
 */
const datedKinds = ["correction", "payment", "window", "district"] as const satisfies readonly DeadlineKind[];
type DatedKind = (typeof datedKinds)[number];

/** What the given-up SMS says lapsed: "您的职称申报因{what}已逾期，视为放弃。" */
const lapsedWhat: Record<DatedKind, string> = {
  correction: "补正期限",
  payment: "缴费期限",
  window: "申报期限",
  district: "报送区人社局期限",
};

/** The states in which the domain lets `kind` lapse, for one track. */
function statesWhere(kind: DeadlineKind, track: Track): ApplicationState[] {
  return applicationStates.filter((s) => deadlineKindsFor(s, { track }).includes(kind));
}

type Reminder = {
  kind: "correction" | "payment";
  template: "correction-deadline-near" | "payment-due-near";
  /** The template parameter holding the deadline; with the template it makes the reminder unique. */
  key: "deadline" | "due";
};

const reminders: readonly Reminder[] = [
  { kind: "correction", template: "correction-deadline-near", key: "deadline" },
  { kind: "payment", template: "payment-due-near", key: "due" },
];

/** The working-day calendar as the admin keeps it (the same tables `loadRules` reads). */
async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  const tables = await calendarRepository.findAll(db);
  return tables.length ? createCalendar(tables) : defaultCalendar;
}

/** Candidates whose `kind` deadline falls in [from, to]; a cheap narrowing, decided again under lock. */
async function findCandidates(
  db: Db,
  kind: DatedKind,
  track: Track,
  range: { from?: IsoDate; to: IsoDate; unless?: { template: string; key: string } },
  now: Date,
  /** The round's rules, or null when they cannot be read (recorded as a failure of the pass). */
  rulesOf: (year: number) => Promise<Rules | null>,
): Promise<DeadlineCandidate[]> {
  const states = statesWhere(kind, track);
  if (states.length === 0) return [];
  switch (kind) {
    case "correction":
      return deadlineRepository.findByCorrectionDeadline(db, { states, track, ...range });
    case "payment":
      return deadlineRepository.findByOpenOrderDue(db, { states, track, ...range });
    case "window":
    case "district": {
      const windows: Array<{ roundYear: number; windowId: string; deadline: IsoDate }> = [];
      for (const year of await deadlineRepository.findRoundYears(db, states)) {
        const rules = await rulesOf(year);
        for (const w of rules?.round.windows ?? []) {
          const deadline = kind === "window" ? w.closes : w.districtDeadline;
          if (deadline !== undefined && isDayOver(now, deadline))
            windows.push({ roundYear: year, windowId: w.id, deadline });
        }
      }
      return deadlineRepository.findInWindows(db, { states, track, windows });
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown deadline kind ${String(never)}`);
    }
  }
}

type Locked = ApplicationRecord & { state: ApplicationState };

async function lockApplication(tx: Db, id: string): Promise<Locked | null> {
  const row = await applicationRepository.findByIdForUpdate(tx, id);
  return row && isApplicationState(row.state) ? { ...row, state: row.state } : null;
}

/** The date the application's `kind` deadline falls on now, read under the lock (with the open order). */
async function currentDeadline(
  tx: Db,
  app: Locked,
  kind: DatedKind,
): Promise<{ deadline: IsoDate | undefined; order: OpenFeeOrder | null }> {
  switch (kind) {
    case "correction":
      return { deadline: app.correctionDeadline ?? undefined, order: null };
    case "payment": {
      const order = await deadlineRepository.findOpenOrderForUpdate(tx, app.id);
      return { deadline: order?.dueDate, order };
    }
    case "window":
    case "district": {
      const window = windowOf((await loadRules(tx, app.roundYear)).round, app.windowId);
      return { deadline: kind === "window" ? window.closes : window.districtDeadline, order: null };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown deadline kind ${String(never)}`);
    }
  }
}

/** Skips the rest of a transaction (rolling it back) when the application no longer qualifies. */
class NotDue extends Error {}

/**
 * Ends one application whose `kind` deadline lapsed; false when, under the lock, the domain says it
 * has not (the state moved on, the date changed or has not passed) and nothing was written.
 */
async function lapse(db: Db, id: string, kind: DatedKind, now: Date, log?: (line: string) => void) {
  try {
    return await db.transaction(async (tx) => {
      const app = await lockApplication(tx, id);
      if (!app || !deadlineKindsFor(app.state, { track: app.track as Track }).includes(kind))
        throw new NotDue();
      const { deadline, order } = await currentDeadline(tx, app, kind);
      // Without its date a deadline cannot pass by the clock (the domain would let it lapse at once).
      if (deadline === undefined) throw new NotDue();
      const facts: Partial<TransitionContext> = kind === "payment" ? { feeDueBy: deadline } : {};
      await apply(
        tx,
        app,
        { type: "deadlinePassed", kind },
        {
          actor: null,
          now,
          facts,
          data: { kind, deadline, ...(order ? { orderNo: order.orderNo } : {}) },
          notices: [{ to: "applicant", template: "given-up", params: { what: lapsedWhat[kind] } }],
        },
      );
      if (order) await deadlineRepository.lapseOrder(tx, order.id);
      return true;
    });
  } catch (error) {
    if (error instanceof NotDue) return false;
    if (isDomainError(error)) {
      // DEADLINE_NOT_REACHED / INVALID_TRANSITION are the expected "not yet"; anything else is worth a look.
      if (error.code !== "DEADLINE_NOT_REACHED" && error.code !== "INVALID_TRANSITION")
        log?.(`[jobs] ${kind} deadline of application ${id} not applied: ${error.code}`);
      return false;
    }
    throw error;
  }
}

/** Sends one reminder unless this application already has one for this deadline. */
async function remind(db: Db, id: string, reminder: Reminder, deadline: IsoDate, now: Date) {
  try {
    return await db.transaction(async (tx) => {
      const app = await lockApplication(tx, id);
      if (!app || !deadlineKindsFor(app.state, { track: app.track as Track }).includes(reminder.kind))
        throw new NotDue();
      // The deadline may have moved (a new notice, a new order) or passed since the candidates were read.
      const current = (await currentDeadline(tx, app, reminder.kind)).deadline;
      if (current !== deadline || isDayOver(now, deadline)) throw new NotDue();
      if (await deadlineRepository.hasNotice(tx, id, reminder.template, reminder.key, deadline))
        throw new NotDue();
      const phone = await userRepository.findPhoneById(tx, app.applicantId);
      if (!phone) throw new NotDue();
      await enqueueSms(tx, {
        userId: app.applicantId,
        phone,
        template: reminder.template,
        params: { [reminder.key]: deadline },
        applicationId: id,
        at: now,
      });
      return true;
    });
  } catch (error) {
    if (error instanceof NotDue) return false;
    throw error;
  }
}

/**
 * One pass over every live application's dated deadlines at `now` (the server's clock, judged in
 * Asia/Shanghai): lapsed ones are given up first, then reminders go out for correction deadlines
 * and fee due dates that fall today or on the next working day. Safe to repeat and to run twice at
 * once. An application that fails unexpectedly does not stop the others; the pass then throws, so
 * the job runner retries it.
 */
export async function sweepDeadlines(db: Db, now: Date, options: SweepOptions = {}): Promise<SweepResult> {
  const result: SweepResult = { abandoned: 0, reminded: 0 };
  const failures: string[] = [];
  const rules = new Map<number, Promise<Rules | null>>();
  const rulesOf = (year: number) => {
    let found = rules.get(year);
    if (!found) {
      // A round whose configuration cannot be read must not stop the other rounds' deadlines.
      found = loadRules(db, year).catch((error) => {
        failures.push(`round ${year}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      rules.set(year, found);
    }
    return found;
  };
  const today = shanghaiDate(now);
  const guarded = async (what: string, body: () => Promise<boolean>) => {
    try {
      return await body();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };

  for (const kind of datedKinds) {
    for (const track of tracks) {
      const lapsed = await findCandidates(db, kind, track, { to: addDays(today, -1) }, now, rulesOf);
      for (const candidate of lapsed) {
        if (await guarded(`${kind} ${candidate.id}`, () => lapse(db, candidate.id, kind, now, options.log)))
          result.abandoned += 1;
      }
    }
  }

  const calendar = await loadCalendar(db);
  const range = { from: today, to: addWorkingDays(today, 1, calendar) };
  for (const reminder of reminders) {
    for (const track of tracks) {
      // Those already reminded of this date are left out here, and checked again under the lock.
      const near = await findCandidates(
        db,
        reminder.kind,
        track,
        { ...range, unless: { template: reminder.template, key: reminder.key } },
        now,
        rulesOf,
      );
      for (const candidate of near) {
        if (
          await guarded(`${reminder.template} ${candidate.id}`, () =>
            remind(db, candidate.id, reminder, candidate.deadline, now),
          )
        )
          result.reminded += 1;
      }
    }
  }

  if (result.abandoned + result.reminded > 0)
    options.log?.(
      `[jobs] 期限检查 / deadline sweep: ${result.abandoned} 视为放弃 given up, ${result.reminded} 提醒 reminded`,
    );
  if (failures.length > 0) {
    throw new Error(`deadline sweep: ${failures.length} part(s) failed (${failures.slice(0, 3).join("; ")})`);
  }
  return result;
}
