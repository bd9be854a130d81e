import { type Db, notificationRepository } from "@titles/db";
import type { DeliveryReceipt, SmsProvider } from "~/services/sms-provider.server";

export const MAX_SMS_ATTEMPTS = 5;

/** Backoff between attempts: 2 s, 4 s, 8 s, 16 s. */
export function retryDelayMs(attempt: number): number {
  return 1000 * 2 ** Math.min(attempt, 10);
}

/** Sends what is due; safe to run in several processes at once (rows are claimed with SKIP LOCKED). */
export async function dispatchSmsOutbox(
  db: Db,
  provider: SmsProvider,
  now: Date,
  batch = 20,
): Promise<number> {
  await notificationRepository.requeueStuck(db, now);
  const claimed = await notificationRepository.claimDue(db, now, batch);
  for (const message of claimed) {
    let result: Awaited<ReturnType<SmsProvider["send"]>>;
    let phone: string;
    try {
      // Decrypted only now, and one message at a time: an altered row fails alone, for good.
      phone = notificationRepository.openPhone(message);
    } catch (error) {
      await notificationRepository.markRetry(
        db,
        message.id,
        error instanceof Error ? error.message : String(error),
        now,
        true,
      );
      continue;
    }
    try {
      result = await provider.send({ phone, body: message.body });
    } catch (error) {
      result = {
        ok: false,
        error: { message: error instanceof Error ? error.message : String(error), permanent: false },
      };
    }
    if (result.ok && result.providerMessageId) {
      await notificationRepository.markSent(db, message.id, result.providerMessageId, new Date());
    } else {
      const giveUp = result.error?.permanent === true || message.attempts >= MAX_SMS_ATTEMPTS;
      await notificationRepository.markRetry(
        db,
        message.id,
        result.error?.message ?? "unknown",
        new Date(now.getTime() + retryDelayMs(message.attempts)),
        giveUp,
      );
    }
  }
  return claimed.length;
}

export async function applyDeliveryReceipt(db: Db, receipt: DeliveryReceipt): Promise<void> {
  await notificationRepository.markDelivered(
    db,
    receipt.providerMessageId,
    receipt.delivered,
    receipt.at,
    receipt.error,
  );
}
