import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { notificationRepository } from "@titles/db";
import { maskPhone } from "@titles/domain";
import { type MessageKey, PageHeading, useI18n } from "@titles/ui";
import { useEffect } from "react";
import { env } from "~/env.server";
import { db } from "~/lib/db.server";

export const meta: MetaFunction = () => [{ title: "短信模拟器 · 北京市职称评审申报系统" }];

/**
 * Only with the simulator: the messages a real gateway would have delivered, so a person trying the
 * system can read their codes. Numbers are shown with their last four digits.
 */
export async function loader(_: LoaderFunctionArgs) {
  if (env().SMS_PROVIDER !== "simulator") throw new Response("Not Found", { status: 404 });
  const rows = await notificationRepository.findRecent(db(), 50);
  return {
    messages: rows.map((m) => ({
      id: m.id,
      to: maskPhone(m.phone),
      body: m.body,
      status: m.status,
      at: m.createdAt.toISOString(),
      attempts: m.attempts,
    })),
  };
}

export default function SmsSimulator() {
  const { messages } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const revalidator = useRevalidator();
  useEffect(() => {
    const id = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2000);
    return () => clearInterval(id);
  }, [revalidator]);
  return (
    <>
      <PageHeading title={t("sms.title")} lead={t("sms.intro")} />
      {messages.length === 0 ? (
        <p>{t("sms.empty")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("sms.time")}</th>
                <th scope="col">{t("sms.to")}</th>
                <th scope="col">{t("sms.body")}</th>
                <th scope="col">{t("sms.status")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} data-testid="sms-row">
                  <td>{new Date(m.at).toLocaleString(locale, { timeZone: "Asia/Shanghai" })}</td>
                  <td>{m.to}</td>
                  <td data-testid="sms-body">{m.body}</td>
                  <td>{t(`status.${m.status}` as MessageKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
