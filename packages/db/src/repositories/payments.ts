import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "../client";
import { paymentCallbacks, paymentOrders } from "../schema";

export type PaymentOrderRecord = typeof paymentOrders.$inferSelect;
export type PaymentCallbackRecord = typeof paymentCallbacks.$inferSelect;

export const paymentRepository = {
  async insertOrder(
    db: Db,
    input: { applicationId: string; orderNo: string; amountFen: number; dueDate: string; at: Date },
  ): Promise<PaymentOrderRecord> {
    const { at, ...values } = input;
    const [row] = await db
      .insert(paymentOrders)
      .values({ ...values, status: "open", createdAt: at })
      .returning();
    return row!;
  },

  async findByOrderNo(db: Db, orderNo: string): Promise<PaymentOrderRecord | null> {
    const [row] = await db.select().from(paymentOrders).where(eq(paymentOrders.orderNo, orderNo));
    return row ?? null;
  },

  /** Locks the order for the rest of the transaction: one payment result is applied at a time. */
  async findByOrderNoForUpdate(db: Db, orderNo: string): Promise<PaymentOrderRecord | null> {
    const [row] = await db
      .select()
      .from(paymentOrders)
      .where(eq(paymentOrders.orderNo, orderNo))
      .for("update");
    return row ?? null;
  },

  /** The application's order that is open or paid (a lapsed one is history). */
  async findLiveForApplication(db: Db, applicationId: string): Promise<PaymentOrderRecord | null> {
    const [row] = await db
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.applicationId, applicationId), ne(paymentOrders.status, "lapsed")));
    return row ?? null;
  },

  async findOpen(db: Db, limit: number): Promise<PaymentOrderRecord[]> {
    return db
      .select()
      .from(paymentOrders)
      .where(eq(paymentOrders.status, "open"))
      .orderBy(asc(paymentOrders.createdAt))
      .limit(limit);
  },

  /** Only an open order becomes paid; null when it was not open any more. */
  async markPaid(
    db: Db,
    id: string,
    paid: { providerTradeNo: string; paidAt: Date; receiptSha256: string },
  ): Promise<PaymentOrderRecord | null> {
    const [row] = await db
      .update(paymentOrders)
      .set({ ...paid, status: "paid" })
      .where(and(eq(paymentOrders.id, id), eq(paymentOrders.status, "open")))
      .returning();
    return row ?? null;
  },

  async recordCallback(
    db: Db,
    input: {
      receivedAt: Date;
      orderNo: string | null;
      providerTradeNo: string | null;
      outcome: string;
      bodySha256: string;
    },
  ): Promise<void> {
    await db.insert(paymentCallbacks).values(input);
  },

  async findCallbacks(db: Db, orderNo: string): Promise<PaymentCallbackRecord[]> {
    return db
      .select()
      .from(paymentCallbacks)
      .where(eq(paymentCallbacks.orderNo, orderNo))
      .orderBy(asc(paymentCallbacks.id));
  },
};
