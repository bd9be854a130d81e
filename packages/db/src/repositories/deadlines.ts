import { and, eq, gte, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { applications, notifications, paymentOrders } from "../schema";

/** An application a deadline job looks at, with the date that may have lapsed. */
export interface DeadlineCandidate {
  id: string;
  /** The deadline (YYYY-MM-DD, Asia/Shanghai) the query matched on. */
  deadline: string;
}

/** The open fee order of an application. */
export interface OpenFeeOrder {
  id: string;
  orderNo: string;
  amountFen: number;
  dueDate: string;
}

/** Filters out applications whose outbox already holds a `template` message with `params[key]` = the date. */
type UnlessNotice = { template: string; key: string };

function noNotice(
  unless: UnlessNotice | undefined,
  date: typeof applications.correctionDeadline | typeof paymentOrders.dueDate,
) {
  if (!unless) return undefined;
  return sql`not exists (select 1 from ${notifications} n where n.application_id = ${applications.id}
    and n.template = ${unless.template} and n.params ->> ${unless.key} = ${date})`;
}

/**
 * Queries for the deadline jobs. They only narrow the search (ISO dates compare as text); whether a
 * deadline really lapsed is the domain's decision, taken again with the row locked.
 */
export const deadlineRepository = {
  /** Round years that have applications in one of `states`. */
  async findRoundYears(db: Db, states: readonly string[]): Promise<number[]> {
    if (states.length === 0) return [];
    const rows = await db
      .selectDistinct({ year: applications.roundYear })
      .from(applications)
      .where(inArray(applications.state, [...states]));
    return rows.map((r) => r.year).sort((a, b) => a - b);
  },

  /**
   * Applications of `track` in `states` whose correction deadline lies in [from, to] (either
   * optional), and without an `unless` message for that date.
   */
  async findByCorrectionDeadline(
    db: Db,
    filter: { states: readonly string[]; track: string; from?: string; to?: string; unless?: UnlessNotice },
  ): Promise<DeadlineCandidate[]> {
    if (filter.states.length === 0) return [];
    const rows = await db
      .select({ id: applications.id, deadline: applications.correctionDeadline })
      .from(applications)
      .where(
        and(
          inArray(applications.state, [...filter.states]),
          eq(applications.track, filter.track),
          isNotNull(applications.correctionDeadline),
          filter.from === undefined ? undefined : gte(applications.correctionDeadline, filter.from),
          filter.to === undefined ? undefined : lte(applications.correctionDeadline, filter.to),
          noNotice(filter.unless, applications.correctionDeadline),
        ),
      )
      .orderBy(applications.correctionDeadline, applications.id);
    return rows.map((r) => ({ id: r.id, deadline: r.deadline! }));
  },

  /**
   * Applications of `track` in `states` with an open fee order due in [from, to] (either optional),
   * and without an `unless` message for that date.
   */
  async findByOpenOrderDue(
    db: Db,
    filter: { states: readonly string[]; track: string; from?: string; to?: string; unless?: UnlessNotice },
  ): Promise<DeadlineCandidate[]> {
    if (filter.states.length === 0) return [];
    const rows = await db
      .select({ id: applications.id, deadline: paymentOrders.dueDate })
      .from(applications)
      .innerJoin(paymentOrders, eq(paymentOrders.applicationId, applications.id))
      .where(
        and(
          inArray(applications.state, [...filter.states]),
          eq(applications.track, filter.track),
          eq(paymentOrders.status, "open"),
          filter.from === undefined ? undefined : gte(paymentOrders.dueDate, filter.from),
          filter.to === undefined ? undefined : lte(paymentOrders.dueDate, filter.to),
          noNotice(filter.unless, paymentOrders.dueDate),
        ),
      )
      .orderBy(paymentOrders.dueDate, applications.id);
    return rows;
  },

  /** Applications of `track` in `states` that belong to one of the given round windows. */
  async findInWindows(
    db: Db,
    filter: {
      states: readonly string[];
      track: string;
      windows: ReadonlyArray<{ roundYear: number; windowId: string; deadline: string }>;
    },
  ): Promise<DeadlineCandidate[]> {
    if (filter.states.length === 0 || filter.windows.length === 0) return [];
    const rows = await db
      .select({ id: applications.id, roundYear: applications.roundYear, windowId: applications.windowId })
      .from(applications)
      .where(
        and(
          inArray(applications.state, [...filter.states]),
          eq(applications.track, filter.track),
          or(
            ...filter.windows.map((w) =>
              and(eq(applications.roundYear, w.roundYear), eq(applications.windowId, w.windowId)),
            ),
          ),
        ),
      )
      .orderBy(applications.createdAt, applications.id);
    return rows.map((r) => ({
      id: r.id,
      deadline: filter.windows.find((w) => w.roundYear === r.roundYear && w.windowId === r.windowId)!
        .deadline,
    }));
  },

  /** The application's open fee order, locked for the rest of the transaction. */
  async findOpenOrderForUpdate(db: Db, applicationId: string): Promise<OpenFeeOrder | null> {
    const [row] = await db
      .select({
        id: paymentOrders.id,
        orderNo: paymentOrders.orderNo,
        amountFen: paymentOrders.amountFen,
        dueDate: paymentOrders.dueDate,
      })
      .from(paymentOrders)
      .where(and(eq(paymentOrders.applicationId, applicationId), eq(paymentOrders.status, "open")))
      .for("update");
    return row ?? null;
  },

  /** An open order whose due date passed unpaid; true when it was still open. */
  async lapseOrder(db: Db, orderId: string): Promise<boolean> {
    const rows = await db
      .update(paymentOrders)
      .set({ status: "lapsed" })
      .where(and(eq(paymentOrders.id, orderId), eq(paymentOrders.status, "open")))
      .returning({ id: paymentOrders.id });
    return rows.length === 1;
  },

  /** Whether the outbox already holds a `template` message about the application with `params[key] = value`. */
  async hasNotice(
    db: Db,
    applicationId: string,
    template: string,
    key: string,
    value: string,
  ): Promise<boolean> {
    const [row] = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.applicationId, applicationId),
          eq(notifications.template, template),
          sql`${notifications.params} ->> ${key} = ${value}`,
        ),
      )
      .limit(1);
    return row !== undefined;
  },
};
