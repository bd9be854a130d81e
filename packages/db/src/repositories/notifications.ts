import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { decryptField, encryptField } from "../field-crypto";
import { notifications } from "../schema";

/** A message with its phone number decrypted (it is stored encrypted, decision 0016). */
export type NotificationRecord = typeof notifications.$inferSelect;

/** A claimed message whose `phone` is still the stored ciphertext (open it with `openPhone`). */
export type SealedNotification = NotificationRecord;

function decrypted(row: NotificationRecord): NotificationRecord {
  return { ...row, phone: decryptField("notifications.phone", row.id, row.phone) };
}

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
    const { at, ...values } = input;
    // The id is chosen here: it is part of the phone's associated data.
    const id = randomUUID();
    const phone = encryptField("notifications.phone", id, input.phone);
    const [row] = await db
      .insert(notifications)
      .values({ ...values, id, phone, createdAt: at, nextAttemptAt: at })
      .returning({ id: notifications.id });
    return row!.id;
  },

  /**
   * Claims due messages so that two dispatchers never send the same one. Their `phone` is still sealed:
   * the dispatcher opens it with `openPhone` just before sending, one message at a time, so that one
   * unreadable row fails alone.
   */
  async claimDue(db: Db, now: Date, limit: number, leaseSeconds = 120): Promise<SealedNotification[]> {
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

  /** The phone number of a claimed message; throws FieldDecryptionError if it was altered or moved. */
  openPhone(message: SealedNotification): string {
    return decryptField("notifications.phone", message.id, message.phone);
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
    const rows = await db.select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
    return rows.map(decrypted);
  },

  async findForUser(db: Db, userId: string, limit: number): Promise<NotificationRecord[]> {
    const rows = await db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt))
      .limit(limit);
    return rows.map(decrypted);
  },
};
