import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { notifications } from "../schema";

export type NotificationRecord = typeof notifications.$inferSelect;

export const notificationRepository = {
  async enqueue(
    db: Db,
    input: {
      userId: string | null;
      phone: string;
      template: string;
      params: Record<string, string | number>;
      body: string;
      applicationId?: string | null;
      at: Date;
    },
  ): Promise<string> {
    const [row] = await db
      .insert(notifications)
      .values({ ...input, createdAt: input.at, nextAttemptAt: input.at })
      .returning({ id: notifications.id });
    return row!.id;
  },

  /** Claims due messages so that two dispatchers never send the same one. */
  async claimDue(db: Db, now: Date, limit: number, leaseSeconds = 120): Promise<NotificationRecord[]> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(inArray(notifications.status, ["pending", "retrying"]), lte(notifications.nextAttemptAt, now)),
        )
        .orderBy(notifications.nextAttemptAt)
        .limit(limit)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(notifications)
        .set({
          status: "sending",
          attempts: sql`${notifications.attempts} + 1`,
          // The lease: a dispatcher that dies mid-send leaves the row to be requeued after this.
          nextAttemptAt: new Date(now.getTime() + leaseSeconds * 1000),
        })
        .where(
          inArray(
            notifications.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  },

  async markSent(db: Db, id: string, providerMessageId: string, at: Date): Promise<void> {
    await db
      .update(notifications)
      .set({ status: "sent", providerMessageId, sentAt: at, lastError: null })
      .where(eq(notifications.id, id));
  },

  async markRetry(db: Db, id: string, error: string, nextAttemptAt: Date, giveUp: boolean): Promise<void> {
    await db
      .update(notifications)
      .set({ status: giveUp ? "failed" : "retrying", lastError: error, nextAttemptAt })
      .where(eq(notifications.id, id));
  },

  /** A delivery receipt; repeating it changes nothing. */
  async markDelivered(
    db: Db,
    providerMessageId: string,
    delivered: boolean,
    at: Date,
    error?: string,
  ): Promise<boolean> {
    const rows = await db
      .update(notifications)
      .set(
        delivered
          ? { status: "delivered", deliveredAt: at }
          : { status: "undelivered", lastError: error ?? "undelivered" },
      )
      .where(and(eq(notifications.providerMessageId, providerMessageId), eq(notifications.status, "sent")))
      .returning({ id: notifications.id });
    return rows.length === 1;
  },

  /** Messages whose sending lease ran out (a crashed dispatcher) go back to the queue. */
  async requeueStuck(db: Db, now: Date): Promise<void> {
    await db
      .update(notifications)
      .set({ status: "retrying" })
      .where(and(eq(notifications.status, "sending"), lte(notifications.nextAttemptAt, now)));
  },

  async findRecent(db: Db, limit: number): Promise<NotificationRecord[]> {
    return db.select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
  },

  async findForUser(db: Db, userId: string, limit: number): Promise<NotificationRecord[]> {
    return db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt))
      .limit(limit);
  },
};
