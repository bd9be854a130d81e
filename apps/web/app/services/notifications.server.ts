import { type Db, notificationRepository } from "@titles/db";

/** SMS texts; the signature 【…】 is required by Chinese SMS gateways. */
const templates = {
  "register-code": "【北京市职称评审】您的注册验证码为 {code}，5 分钟内有效。请勿将验证码告诉他人。",
  "login-code": "【北京市职称评审】您的登录验证码为 {code}，5 分钟内有效。",
  registered: "【北京市职称评审】{name}，您已完成实名注册。请在申报时间内登录系统填报职称申报信息。",
} as const;

export type SmsTemplate = keyof typeof templates;

export function renderSms(template: SmsTemplate, params: Record<string, string | number>): string {
  return templates[template].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
}

/** Every message is an outbox row first, written in the caller's transaction. */
export async function enqueueSms(
  tx: Db,
  input: {
    userId: string | null;
    phone: string;
    template: SmsTemplate;
    params: Record<string, string | number>;
    at: Date;
  },
): Promise<void> {
  // The code itself is only in the body (which the simulator page shows); params keep no secret.
  const { code: _code, ...params } = input.params;
  await notificationRepository.enqueue(tx, {
    userId: input.userId,
    phone: input.phone,
    template: input.template,
    params,
    body: renderSms(input.template, input.params),
    at: input.at,
  });
}
