import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { messageFor } from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ApplicationHeader } from "~/components/application-header";
import { summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { paymentDeps } from "~/payments/context.server";
import { paymentViewFor, reconcilePayment, startPayment } from "~/payments/payments.server";

export const meta: MetaFunction = () => [{ title: "缴纳评审费 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  // Only the applicant: 403 for anyone else (HR and the agency see the state on the status page).
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  let view = await paymentViewFor(db(), accessActor(actor), app.id, now());
  const returned = new URL(request.url).searchParams.get("from") === "gateway";
  if (returned && view?.status === "open") {
    // Back from the gateway before its notification arrived: ask it (the notification stays idempotent).
    try {
      await reconcilePayment(paymentDeps(), view.orderNo, now());
      view = await paymentViewFor(db(), accessActor(actor), app.id, now());
    } catch (error) {
      console.error(`[payments] query on return: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { app: summarise(app, locale), state: app.state, order: view, returned };
}

const ZIntent = z.object({ intent: z.enum(["pay", "check"]) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const parsed = ZIntent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: messageFor("VALIDATION", locale, { details: "intent" }) };
  const here = `/applications/${app.id}/payment`;
  if (parsed.data.intent === "check") throw redirect(`${here}?from=gateway`);
  const result = await startPayment(
    paymentDeps(),
    accessActor(actor),
    app.id,
    { returnUrl: `${here}?from=gateway` },
    now(),
  );
  if (!result.ok) return { error: messageFor(result.error, locale) };
  throw redirect(result.value.payUrl);
}

function time(iso: string, locale: string) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
}

export default function Payment() {
  const { app, state, order, returned } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const { locale } = useI18n();
  const en = locale === "en";
  const waiting = returned && order?.status === "open" && !order.overdue;
  const [polls, setPolls] = useState(0);
  // Back from the gateway and not confirmed yet: look again a few times while its notification travels.
  useEffect(() => {
    if (!waiting || polls >= 10) return;
    const id = setTimeout(() => {
      setPolls((n) => n + 1);
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearTimeout(id);
  }, [waiting, polls, revalidator]);

  return (
    <>
      <PageHeading
        title={en ? "Pay the evaluation fee" : "缴纳评审费"}
        lead={
          en
            ? "The agency approved your application. Pay the fee online by the due date: payment completes the application; not paying in time counts as giving up."
            : "评审机构已审核通过您的申报。请在缴费截止日期前在线缴纳评审费，缴费成功即申报完成，逾期未缴视为放弃。"
        }
      >
        <ApplicationHeader app={app} current={en ? "Fee" : "缴费"} />
      </PageHeading>
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      {!order ? (
        <Alert tone="info">
          <p data-testid="payment-none">
            {en
              ? "There is no fee to pay yet: the fee order is issued when the agency approves the application."
              : "暂无需缴费：评审机构审核通过后将生成缴费订单。"}
          </p>
        </Alert>
      ) : (
        <>
          {order.status === "paid" ? (
            <Alert tone="success" title={en ? "Paid" : "缴费成功"}>
              <p data-testid="payment-paid">
                {en
                  ? "The fee is paid and your application is complete. The evaluation schedule will be announced in the system and by SMS."
                  : "评审费已缴纳，申报完成。评审安排将通过系统和短信通知。"}
              </p>
            </Alert>
          ) : order.status === "lapsed" || order.overdue ? (
            <Alert tone="error" title={en ? "Past the due date" : "已过缴费截止日期"}>
              <p data-testid="payment-overdue">
                {en
                  ? `The fee was due by ${order.dueDate}; an application not paid in time counts as given up.`
                  : `缴费截止日期为 ${order.dueDate}，逾期未缴费视为放弃申报。`}
              </p>
            </Alert>
          ) : waiting ? (
            <Alert tone="info" title={en ? "Confirming the payment" : "支付结果确认中"}>
              <p data-testid="payment-confirming">
                {en
                  ? "If you paid, the result arrives from the payment platform in a moment. If you did not finish paying, press Pay again."
                  : "如您已完成支付，支付平台的结果将很快到达；如未完成支付，请重新点击“去支付”。"}
              </p>
            </Alert>
          ) : null}
          <Card title={en ? "Fee order" : "缴费订单"}>
            <dl className="dates" data-testid="payment-order">
              <dt>{en ? "Order number" : "订单号"}</dt>
              <dd>{order.orderNo}</dd>
              <dt>{en ? "Amount" : "应缴金额"}</dt>
              <dd data-testid="payment-amount">{en ? `¥${order.amountYuan}` : `${order.amountYuan} 元`}</dd>
              <dt>{en ? "Pay by" : "缴费截止"}</dt>
              <dd data-testid="payment-due">
                {order.dueDate} {en ? "(end of day, Beijing time)" : "24:00（北京时间）"}
              </dd>
              <dt>{en ? "Status" : "状态"}</dt>
              <dd data-testid="payment-status">
                {order.status === "paid"
                  ? en
                    ? "Paid"
                    : "已缴费"
                  : order.status === "lapsed" || order.overdue
                    ? en
                      ? "Overdue"
                      : "已逾期"
                    : en
                      ? "Awaiting payment"
                      : "待缴费"}
              </dd>
              {order.paidAt ? (
                <>
                  <dt>{en ? "Paid at" : "支付时间"}</dt>
                  <dd>{time(order.paidAt, locale)}</dd>
                  <dt>{en ? "Transaction number" : "支付平台交易号"}</dt>
                  <dd>{order.tradeNo}</dd>
                </>
              ) : null}
            </dl>
            {order.status === "open" && !order.overdue && state === "approved" ? (
              <Form method="post" className="button-row">
                <Button name="intent" value="pay" disabled={busy}>
                  {en ? `Pay ¥${order.amountYuan}` : `去支付（${order.amountYuan} 元）`}
                </Button>
                {returned ? (
                  <Button name="intent" value="check" variant="secondary" disabled={busy}>
                    {en ? "Check the payment result" : "查询支付结果"}
                  </Button>
                ) : null}
              </Form>
            ) : null}
            {order.hasReceipt ? (
              <p className="button-row">
                <a
                  className="button button--secondary"
                  href={`/applications/${app.id}/payment-receipt.pdf`}
                  data-testid="payment-receipt"
                >
                  {en ? "Download the electronic receipt (PDF)" : "下载缴费电子票据（PDF）"}
                </a>
              </p>
            ) : null}
          </Card>
        </>
      )}
    </>
  );
}
