import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { formatYuan } from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { z } from "zod";
import { env } from "~/env.server";
import { gatewayUrl } from "~/payments/context.server";
import { type CheckoutView, ZCheckoutAction, ZCheckoutView } from "~/payments/protocol.server";

export const meta: MetaFunction = () => [{ title: "模拟支付 · 支付网关模拟器" }];

/**
 * The hosted pay page of the built-in gateway simulator. It belongs to the gateway, not the portal:
 * no login, the unguessable token in the URL is the only key, and it talks to the gateway's checkout
 * API as a payer's browser would talk to a real gateway.
 */
const ZToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

function checkoutUrl(token: string) {
  return `${gatewayUrl()}/checkout/${token}`;
}

function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

async function readCheckout(response: Response): Promise<CheckoutView> {
  if (response.status === 404) notFound();
  if (!response.ok) throw new Response("Bad Gateway", { status: 502 });
  return ZCheckoutView.parse(await response.json());
}

/** Back to the merchant, but only to a path of this site (never an open redirect). */
function safeReturn(url: string): string {
  return url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

export async function loader({ params }: LoaderFunctionArgs) {
  if (env().PAYMENT_PROVIDER !== "simulator") notFound();
  const token = ZToken.safeParse(params.token);
  if (!token.success) notFound();
  const checkout = await readCheckout(await fetch(checkoutUrl(token.data)));
  return { checkout, amountYuan: formatYuan(checkout.amountFen), returnUrl: safeReturn(checkout.returnUrl) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (env().PAYMENT_PROVIDER !== "simulator") notFound();
  const token = ZToken.safeParse(params.token);
  if (!token.success) notFound();
  const input = ZCheckoutAction.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success) throw new Response("Bad Request", { status: 400 });
  const checkout = await readCheckout(
    await fetch(checkoutUrl(token.data), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input.data),
    }),
  );
  // Paid: back to the merchant, which confirms the result; a failure stays here to try again.
  if (checkout.status === "paid") throw redirect(safeReturn(checkout.returnUrl));
  return null;
}

export default function SimulatedCheckout() {
  const { checkout, amountYuan, returnUrl } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Payment gateway simulator" : "支付网关模拟器"}
        lead={
          en
            ? "The built-in stand-in for a payment platform: no real money moves."
            : "这是系统内置的支付平台模拟器，不会产生真实扣款。"
        }
      />
      {checkout.status === "failed" ? (
        <Alert tone="error" title={en ? "Payment failed" : "支付失败"}>
          <p data-testid="checkout-failed">
            {en ? "The simulated payment failed. You can try again." : "模拟支付失败，您可以重新支付。"}
          </p>
        </Alert>
      ) : null}
      {checkout.status === "paid" ? (
        <Alert tone="success" title={en ? "Paid" : "支付成功"}>
          <p>
            <a href={returnUrl}>{en ? "Back to the portal" : "返回申报系统"}</a>
          </p>
        </Alert>
      ) : null}
      <Card title={checkout.subject}>
        <dl className="dates">
          <dt>{en ? "Merchant order number" : "商户订单号"}</dt>
          <dd>{checkout.orderNo}</dd>
          <dt>{en ? "Amount" : "支付金额"}</dt>
          <dd data-testid="checkout-amount">{en ? `¥${amountYuan}` : `${amountYuan} 元`}</dd>
        </dl>
        {checkout.status !== "paid" ? (
          <Form method="post" className="button-row">
            <Button name="action" value="pay" disabled={busy}>
              {en ? `Pay ¥${amountYuan}` : `确认支付 ${amountYuan} 元`}
            </Button>
            <Button name="action" value="fail" variant="secondary" disabled={busy}>
              {en ? "Simulate a failure" : "模拟支付失败"}
            </Button>
          </Form>
        ) : null}
        <p>
          <a href={returnUrl}>{en ? "Cancel and return to the portal" : "取消并返回申报系统"}</a>
        </p>
      </Card>
    </>
  );
}
