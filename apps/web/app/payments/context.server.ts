import { createHmac } from "node:crypto";
import { env } from "~/env.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { fileStore } from "~/uploads/context.server";
import { PAYMENT_GATEWAY_PATH, PAYMENT_NOTIFY_PATH } from "./http.server";
import type { PaymentDeps } from "./payments.server";
import { createSimulatorProvider, type PaymentProvider } from "./provider.server";
import { createGatewaySimulator, type GatewaySimulator } from "./simulator.server";

/** The secret shared with the gateway; without PAYMENT_SECRET, a key derived from SESSION_SECRET. */
export function paymentSecret(): string {
  const config = env();
  return (
    config.PAYMENT_SECRET ??
    createHmac("sha256", config.SESSION_SECRET).update("payment-gateway-simulator").digest("base64url")
  );
}

/** This process, as the gateway and the portal reach each other (the simulator runs in every web process). */
const selfUrl = () => `http://127.0.0.1:${env().PORT}`;

/**
 * The simulator's API root, also read by the hosted pay page: this process's own simulator, or the one
 * PAYMENT_GATEWAY_URL names when several web processes must share one gateway's orders.
 */
export const gatewayUrl = () =>
  env().PAYMENT_GATEWAY_URL?.replace(/\/+$/, "") ?? `${selfUrl()}${PAYMENT_GATEWAY_PATH}`;

let provider: PaymentProvider | null = null;

export function paymentProvider(): PaymentProvider {
  provider ??= createSimulatorProvider({ baseUrl: gatewayUrl(), secret: paymentSecret(), now });
  return provider;
}

/** What the payment commands need in the running portal. */
export function paymentDeps(): PaymentDeps {
  return {
    db: db(),
    files: fileStore(),
    provider: paymentProvider(),
    now,
    notifyUrl: `${selfUrl()}${PAYMENT_NOTIFY_PATH}`,
  };
}

/** The built-in gateway, mounted by server.ts when PAYMENT_PROVIDER is the simulator. */
export function createPortalGatewaySimulator(): GatewaySimulator | null {
  if (env().PAYMENT_PROVIDER !== "simulator") return null;
  return createGatewaySimulator({
    secret: paymentSecret(),
    now,
    log: (line) => console.log(`[payments-sim] ${line}`),
  });
}
