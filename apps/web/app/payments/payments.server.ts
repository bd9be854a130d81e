import { createHash, randomInt } from "node:crypto";
import {
  type ApplicationRecord,
  appendAudit,
  applicationRepository,
  type Db,
  fileRepository,
  type PaymentOrderRecord,
  paymentRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import {
  type AccessActor,
  type ApplicationState,
  checkApplicationAccess,
  checkPaymentAmount,
  DomainError,
  feeOrderFor,
  formatYuan,
  type IsoDate,
  isApplicationState,
  isDomainError,
  type Level,
  levelLabels,
  paymentOverdue,
  type Series,
  seriesLabels,
  shanghaiDate,
} from "@titles/domain";
import { apply, type CommandResult, loadRules } from "~/services/applications.server";
import { type PaymentProvider, PaymentProviderError, type ProviderPayment } from "./provider.server";
import { renderPaymentReceipt } from "./receipt.server";

/** What the payment commands need; the running portal builds it in `context.server.ts`. */
export interface PaymentDeps {
  db: Db;
  files: FileStore;
  provider: PaymentProvider;
  /** The server's clock (the callback endpoint has no other). */
  now: () => Date;
  /** Where the gateway posts its notifications (the portal's callback endpoint). */
  notifyUrl: string;
}

/**
 * What became of a payment report (a callback, or a reconciliation's answer). Stored as
 * `payment_callbacks.outcome`.
 */
export type SettleOutcome =
  | "applied"
  | "duplicate"
  /** A second, different payment for an order already paid: recorded for a refund. */
  | "second-payment"
  | "amount-mismatch"
  | "unknown-order"
  /** The order is lapsed, or the application is no longer waiting for payment: recorded for a refund. */
  | "order-closed"
  /** Paid after the due day (Asia/Shanghai): refused, recorded for a refund. */
  | "late";

export type CallbackOutcome = SettleOutcome | "bad-signature" | "stale" | "malformed";

/** The status the gateway gets: 2xx it stops, 4xx it stops (retrying cannot help), 5xx it retries. */
export const callbackStatus: Record<CallbackOutcome, number> = {
  applied: 200,
  duplicate: 200,
  "second-payment": 409,
  "amount-mismatch": 422,
  "unknown-order": 404,
  "order-closed": 409,
  late: 409,
  "bad-signature": 401,
  stale: 401,
  malformed: 400,
};

const auditActions: Partial<Record<CallbackOutcome, string>> = {
  "bad-signature": "payment.callback-forged",
  stale: "payment.callback-replayed",
  malformed: "payment.callback-malformed",
  "amount-mismatch": "payment.amount-mismatch",
  "unknown-order": "payment.callback-unknown-order",
  "second-payment": "payment.refund-needed",
  "order-closed": "payment.refund-needed",
  late: "payment.refund-needed",
};

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// ---------------------------------------------------------------------------------------------------------
// The fee order

/** `ZC20210806` + 10 random digits: readable on the phone, unique by the database's constraint. */
export function newOrderNo(now: Date): string {
  const day = shanghaiDate(now).replaceAll("-", "");
  const random = Array.from({ length: 10 }, () => randomInt(10)).join("");
  return `ZC${day}${random}`;
}

/**
 * Opens the fee order of an application being approved, in the caller's transaction (the agency's
 * approve command, which also sends the `approved` SMS): the level's amount and the due date in
 * working days from the round's configuration and calendar. An order already live is returned as is.
 */
export async function openFeeOrder(
  tx: Db,
  app: ApplicationRecord,
  now: Date,
): Promise<{ orderNo: string; amountFen: number; dueDate: IsoDate }> {
  const live = await paymentRepository.findLiveForApplication(tx, app.id);
  if (live) return { orderNo: live.orderNo, amountFen: live.amountFen, dueDate: live.dueDate as IsoDate };
  const rules = await loadRules(tx, app.roundYear);
  const fee = feeOrderFor(rules.round, app.level as Level, now, rules.calendar);
  const order = await paymentRepository.insertOrder(tx, {
    applicationId: app.id,
    orderNo: newOrderNo(now),
    amountFen: fee.amountFen,
    dueDate: fee.dueBy,
    at: now,
  });
  await appendAudit(tx, {
    at: now,
    actorUserId: null,
    action: "payment.order-opened",
    objectType: "payment-order",
    objectId: order.orderNo,
    data: { applicationId: app.id, level: app.level, amountFen: fee.amountFen, dueDate: fee.dueBy },
  });
  return { orderNo: order.orderNo, amountFen: order.amountFen, dueDate: fee.dueBy };
}

// ---------------------------------------------------------------------------------------------------------
// What the applicant sees and does

export interface PaymentView {
  orderNo: string;
  amountFen: number;
  amountYuan: string;
  dueDate: string;
  status: "open" | "paid" | "lapsed";
  /** Open and the due day is over by the server's clock: the deadline job will end the application. */
  overdue: boolean;
  tradeNo: string | null;
  paidAt: string | null;
  hasReceipt: boolean;
}

function viewOf(order: PaymentOrderRecord, now: Date): PaymentView {
  const status = order.status as PaymentView["status"];
  return {
    orderNo: order.orderNo,
    amountFen: order.amountFen,
    amountYuan: formatYuan(order.amountFen),
    dueDate: order.dueDate,
    status,
    overdue: status === "open" && paymentOverdue({ dueBy: order.dueDate as IsoDate }, now),
    tradeNo: order.providerTradeNo,
    paidAt: order.paidAt?.toISOString() ?? null,
    hasReceipt: order.receiptSha256 !== null,
  };
}

async function ownApplication(db: Db, actor: AccessActor, applicationId: string) {
  const app = /^[0-9a-f-]{36}$/i.test(applicationId)
    ? await applicationRepository.findById(db, applicationId)
    : null;
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  // Only the applicant: not HR, not the agency (they see the state, not the order).
  const denied = checkApplicationAccess(actor, { ...app, state: app.state }, "applicant");
  if (denied) throw denied;
  return app;
}

/** The applicant's fee order (null before approval), for the payment page and the status card. */
export async function paymentViewFor(
  db: Db,
  actor: AccessActor,
  applicationId: string,
  now: Date,
): Promise<PaymentView | null> {
  const app = await ownApplication(db, actor, applicationId);
  const order = await paymentRepository.findLiveForApplication(db, app.id);
  return order ? viewOf(order, now) : null;
}

/**
 * "Pay": registers the order with the provider and gives the hosted pay URL to send the applicant
 * to. Nothing in the portal changes until the provider reports the payment.
 */
export async function startPayment(
  deps: PaymentDeps,
  actor: AccessActor,
  applicationId: string,
  input: { returnUrl: string },
  now: Date,
): Promise<CommandResult<{ payUrl: string }>> {
  try {
    const app = await ownApplication(deps.db, actor, applicationId);
    const order = await paymentRepository.findLiveForApplication(deps.db, app.id);
    if (order?.status !== "open" || app.state !== "approved") throw new DomainError("PAYMENT_NOT_OPEN");
    if (paymentOverdue({ dueBy: order.dueDate as IsoDate }, now)) {
      throw new DomainError("DEADLINE_PASSED", { deadline: order.dueDate });
    }
    try {
      const { payUrl } = await deps.provider.createPayment({
        orderNo: order.orderNo,
        amountFen: order.amountFen,
        subject: `${app.roundYear}年度职称评审费`,
        notifyUrl: deps.notifyUrl,
        returnUrl: input.returnUrl,
      });
      return { ok: true, value: { payUrl } };
    } catch (error) {
      if (error instanceof PaymentProviderError) throw new DomainError("PAYMENT_UNAVAILABLE");
      throw error;
    }
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}

/** The stored receipt of the applicant's paid order. */
export async function receiptFileFor(
  db: Db,
  actor: AccessActor,
  applicationId: string,
): Promise<{ sha256: string; applicantName: string }> {
  const app = await ownApplication(db, actor, applicationId);
  const order = await paymentRepository.findLiveForApplication(db, app.id);
  if (order?.status !== "paid" || !order.receiptSha256) throw new DomainError("NOT_FOUND");
  return { sha256: order.receiptSha256, applicantName: app.applicantName };
}

// ---------------------------------------------------------------------------------------------------------
// A payment reported by the provider: applied once, whatever the number and order of the reports

async function refuse(
  tx: Db,
  now: Date,
  outcome: CallbackOutcome,
  orderNo: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  const action = auditActions[outcome];
  if (!action) return;
  await appendAudit(tx, {
    at: now,
    actorUserId: null,
    action,
    objectType: "payment-order",
    objectId: orderNo,
    data: { outcome, ...data },
  });
}

/**
 * The one way an order becomes paid. Locks the application (as every command on it does), then the
 * order row, so concurrent reports of one payment run one after another and the second finds it paid.
 * Writes, in the caller's transaction: the order paid with the trade number and the receipt's hash, the
 * application completed through `apply` (timeline, audit, the `payment-received` SMS).
 */
async function settle(
  tx: Db,
  deps: Pick<PaymentDeps, "files">,
  payment: ProviderPayment,
  context: { now: Date; source: "callback" | "reconciliation" },
): Promise<{ outcome: SettleOutcome; applicationId: string | null }> {
  const { now } = context;
  const peek = await paymentRepository.findByOrderNo(tx, payment.orderNo);
  if (!peek) {
    await refuse(tx, now, "unknown-order", payment.orderNo, {
      tradeNo: payment.tradeNo,
      source: context.source,
    });
    return { outcome: "unknown-order", applicationId: null };
  }
  const app = await applicationRepository.findByIdForUpdate(tx, peek.applicationId);
  const order = await paymentRepository.findByOrderNoForUpdate(tx, payment.orderNo);
  if (!app || !order || !isApplicationState(app.state)) throw new Error("order without its application");
  const facts = {
    applicationId: app.id,
    tradeNo: payment.tradeNo,
    amountFen: payment.amountFen,
    source: context.source,
  };

  if (order.status === "paid") {
    if (order.providerTradeNo === payment.tradeNo) return { outcome: "duplicate", applicationId: app.id };
    await refuse(tx, now, "second-payment", order.orderNo, { ...facts, paidTradeNo: order.providerTradeNo });
    return { outcome: "second-payment", applicationId: app.id };
  }
  const mismatch = checkPaymentAmount({ amountFen: order.amountFen }, payment.amountFen);
  if (mismatch) {
    await refuse(tx, now, "amount-mismatch", order.orderNo, { ...facts, expectedFen: order.amountFen });
    return { outcome: "amount-mismatch", applicationId: app.id };
  }
  if (order.status !== "open" || app.state !== "approved") {
    await refuse(tx, now, "order-closed", order.orderNo, {
      ...facts,
      orderStatus: order.status,
      state: app.state,
    });
    return { outcome: "order-closed", applicationId: app.id };
  }

  const state = app.state as ApplicationState;
  let completed: ApplicationRecord;
  try {
    // The state machine decides (paid no later than the due day); it writes nothing when it refuses.
    completed = await apply(
      tx,
      { ...app, state },
      { type: "pay", at: payment.paidAt },
      {
        actor: null,
        now,
        facts: { feeDueBy: order.dueDate as IsoDate },
        data: { orderNo: order.orderNo, tradeNo: payment.tradeNo, amountFen: payment.amountFen },
        notices: [
          { to: "applicant", template: "payment-received", params: { amount: formatYuan(order.amountFen) } },
        ],
      },
    );
  } catch (error) {
    if (isDomainError(error) && error.code === "DEADLINE_PASSED") {
      await refuse(tx, now, "late", order.orderNo, { ...facts, dueDate: order.dueDate });
      return { outcome: "late", applicationId: app.id };
    }
    throw error;
  }

  const withPeople = await applicationRepository.findById(tx, app.id);
  const bytes = await renderPaymentReceipt({
    orderNo: order.orderNo,
    tradeNo: payment.tradeNo,
    roundYear: completed.roundYear,
    applicationId: completed.id,
    applicantName: withPeople?.applicantName ?? "",
    seriesLabel: seriesLabels[completed.series as Series]?.["zh-CN"] ?? completed.series,
    levelLabel: levelLabels[completed.level as Level]?.["zh-CN"] ?? completed.level,
    employerName: withPeople?.employerName ?? "",
    amountFen: order.amountFen,
    paidAt: payment.paidAt,
  });
  // Content-addressed: a rolled-back attempt leaves at most an unreferenced copy of the same bytes.
  const stored = await deps.files.putBuffer(bytes);
  await fileRepository.upsert(tx, {
    sha256: stored.sha256,
    size: stored.size,
    mime: "application/pdf",
    width: null,
    height: null,
    pages: 1,
  });
  const paid = await paymentRepository.markPaid(tx, order.id, {
    providerTradeNo: payment.tradeNo,
    paidAt: payment.paidAt,
    receiptSha256: stored.sha256,
  });
  if (!paid) throw new Error("the locked open order could not be marked paid");
  await appendAudit(tx, {
    at: now,
    actorUserId: null,
    action: "payment.received",
    objectType: "payment-order",
    objectId: order.orderNo,
    data: { ...facts, paidAt: payment.paidAt.toISOString(), receiptSha256: stored.sha256 },
  });
  return { outcome: "applied", applicationId: app.id };
}

/**
 * The callback endpoint's logic, over the raw bytes received: verified by the provider (signature,
 * age), then settled; every callback is recorded with its outcome, refused ones are audited.
 */
export async function receiveNotification(
  deps: PaymentDeps,
  input: { headers: Record<string, string | string[] | undefined>; rawBody: Buffer; from?: string },
): Promise<{ status: number; outcome: CallbackOutcome }> {
  const now = deps.now();
  const bodySha256 = sha256Hex(input.rawBody);
  const check = deps.provider.verifyNotification({ headers: input.headers, rawBody: input.rawBody, now });
  if (!check.ok) {
    const orderNo = check.claimedOrderNo;
    await deps.db.transaction(async (tx) => {
      await paymentRepository.recordCallback(tx, {
        receivedAt: now,
        orderNo,
        providerTradeNo: null,
        outcome: check.reason,
        bodySha256,
      });
      await refuse(tx, now, check.reason, orderNo, { bodySha256, from: input.from ?? null });
    });
    return { status: callbackStatus[check.reason], outcome: check.reason };
  }
  const { payment } = check;
  const outcome = await deps.db.transaction(async (tx) => {
    const settled = await settle(tx, deps, payment, { now, source: "callback" });
    await paymentRepository.recordCallback(tx, {
      receivedAt: now,
      orderNo: payment.orderNo,
      providerTradeNo: payment.tradeNo,
      outcome: settled.outcome,
      bodySha256,
    });
    return settled.outcome;
  });
  return { status: callbackStatus[outcome], outcome };
}

export type ReconcileOutcome = SettleOutcome | "not-paid";

/**
 * Asks the provider how an open order stands and, if it was paid, applies the payment exactly as a
 * callback would (the lost-callback case). Safe to run at any time, any number of times.
 */
export async function reconcilePayment(
  deps: Pick<PaymentDeps, "db" | "files" | "provider">,
  orderNo: string,
  now: Date,
): Promise<ReconcileOutcome> {
  const order = await paymentRepository.findByOrderNo(deps.db, orderNo);
  if (!order) return "unknown-order";
  if (order.status === "paid") return "duplicate";
  const status = await deps.provider.queryPayment(orderNo);
  if (!status.paid) return "not-paid";
  const { paid: _paid, ...payment } = status;
  if (payment.orderNo !== orderNo) throw new PaymentProviderError("the gateway answered about another order");
  return deps.db.transaction(
    async (tx) => (await settle(tx, deps, payment, { now, source: "reconciliation" })).outcome,
  );
}

/** For a scheduled job: reconciles every open order (oldest first); a failing one does not stop the rest. */
export async function reconcileOpenOrders(
  deps: Pick<PaymentDeps, "db" | "files" | "provider">,
  now: Date,
  limit = 200,
): Promise<{ checked: number; applied: number; failed: number }> {
  const open = await paymentRepository.findOpen(deps.db, limit);
  let applied = 0;
  let failed = 0;
  for (const order of open) {
    try {
      if ((await reconcilePayment(deps, order.orderNo, now)) === "applied") applied += 1;
    } catch (error) {
      failed += 1;
      console.error(
        `[payments] reconcile ${order.orderNo}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { checked: open.length, applied, failed };
}
