import { randomUUID } from "node:crypto";

export interface SmsSendResult {
  ok: boolean;
  providerMessageId?: string;
  /** A transient failure is retried; a permanent one is not. */
  error?: { message: string; permanent: boolean };
}

export interface DeliveryReceipt {
  providerMessageId: string;
  delivered: boolean;
  at: Date;
  error?: string;
}

/** What any SMS gateway adapter provides; the simulator is the default. */
export interface SmsProvider {
  send(message: { phone: string; body: string }): Promise<SmsSendResult>;
}

/**
 * Behaves like a gateway: accepts, then reports delivery asynchronously. Test numbers steer it:
 * ending in 0000 fails transiently twice before going through; ending in 9999 is accepted but never
 * delivered; starting with 170 is refused permanently (a virtual-operator number the gateway rejects).
 */
export function createSmsSimulator(
  onReceipt: (receipt: DeliveryReceipt) => void,
  receiptDelayMs = 150,
): SmsProvider {
  const transientFailures = new Map<string, number>();
  return {
    async send({ phone }) {
      if (phone.startsWith("170"))
        return { ok: false, error: { message: "号码不支持 / number not supported", permanent: true } };
      if (phone.endsWith("0000")) {
        const seen = transientFailures.get(phone) ?? 0;
        if (seen < 2) {
          transientFailures.set(phone, seen + 1);
          return { ok: false, error: { message: "网关繁忙 / gateway busy", permanent: false } };
        }
        transientFailures.delete(phone);
      }
      const providerMessageId = `sim-${randomUUID()}`;
      const delivered = !phone.endsWith("9999");
      setTimeout(
        () =>
          onReceipt({
            providerMessageId,
            delivered,
            at: new Date(),
            error: delivered ? undefined : "用户关机 / handset off",
          }),
        receiptDelayMs,
      ).unref?.();
      return { ok: true, providerMessageId };
    },
  };
}
