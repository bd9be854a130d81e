// Test helpers for the payment suites: a database, a file store, the gateway simulator and the portal's
// callback endpoint, each on its own port, sharing a clock the test can move.
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applicationRepository } from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { createTestDb, queryRows, type TestDb } from "@titles/db/testing";
import express from "express";
import { createApplicant, type Person } from "~/uploads/testing.server";
import { createPaymentCallbackHandler, PAYMENT_GATEWAY_PATH, PAYMENT_NOTIFY_PATH } from "./http.server";
import { openFeeOrder, type PaymentDeps } from "./payments.server";
import { type CheckoutView, ZCheckoutView } from "./protocol.server";
import { createSimulatorProvider } from "./provider.server";
import { createGatewaySimulator, type GatewaySimulator } from "./simulator.server";

export const TEST_PAYMENT_SECRET = "test-payment-secret-0123456789abcdefghij";

export interface Listening {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
  /** Listens again on the same port (after `close`). */
  reopen(): Promise<void>;
}

async function listen(app: express.Express, port = 0): Promise<Listening> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const actual = (server.address() as AddressInfo).port;
  const handle: Listening = {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    server,
    close: () =>
      new Promise((resolve) => {
        handle.server.closeAllConnections();
        handle.server.close(() => resolve());
      }),
    reopen: async () => {
      handle.server = (await listen(app, actual)).server;
    },
  };
  return handle;
}

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface Payer {
  person: Person;
  order: { orderNo: string; amountFen: number; dueDate: string };
}

export interface PaymentTestEnv {
  handle: TestDb;
  files: FileStore;
  clock: TestClock;
  simulator: GatewaySimulator;
  gateway: Listening;
  portal: Listening;
  deps: PaymentDeps;
  notifyUrl: string;
  /** An applicant whose application the agency approved just now, with its fee order open. */
  approvedApplicant(name: string): Promise<Payer>;
  /** The payer's side: opens the hosted checkout of a pay URL and pays (or fails) over HTTP. */
  checkout(payUrl: string, action: "pay" | "fail"): Promise<CheckoutView>;
  close(): Promise<void>;
}

export async function createPaymentTestEnv(
  target: "pglite" | "postgres",
  options: { retryDelaysMs?: number[] } = {},
): Promise<PaymentTestEnv> {
  const handle = await createTestDb(target);
  const root = await mkdtemp(join(tmpdir(), "titles-payments-"));
  const files = createLocalFileStore(join(root, "files"));
  let offset = 0;
  const clock: TestClock = {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };

  const simulator = createGatewaySimulator({
    secret: TEST_PAYMENT_SECRET,
    now: clock.now,
    retryDelaysMs: options.retryDelaysMs ?? [50, 100, 200],
    notifyTimeoutMs: 20_000,
  });
  const gatewayApp = express();
  gatewayApp.use(PAYMENT_GATEWAY_PATH, simulator.handle);
  const gateway = await listen(gatewayApp);

  const portalApp = express();
  const portalPort: { url: string } = { url: "" };
  const deps: PaymentDeps = {
    db: handle.db,
    files,
    provider: createSimulatorProvider({
      baseUrl: `${gateway.url}${PAYMENT_GATEWAY_PATH}`,
      secret: TEST_PAYMENT_SECRET,
      now: clock.now,
    }),
    now: clock.now,
    get notifyUrl() {
      return `${portalPort.url}${PAYMENT_NOTIFY_PATH}`;
    },
  };
  portalApp.post(PAYMENT_NOTIFY_PATH, createPaymentCallbackHandler(deps));
  const portal = await listen(portalApp);
  portalPort.url = portal.url;

  return {
    handle,
    files,
    clock,
    simulator,
    gateway,
    portal,
    deps,
    notifyUrl: deps.notifyUrl,
    async approvedApplicant(name) {
      const person = await createApplicant(handle.db, name, "approved");
      const order = await handle.db.transaction(async (tx) => {
        const app = await applicationRepository.findByIdForUpdate(tx, person.applicationId);
        return openFeeOrder(tx, app!, clock.now());
      });
      return { person, order };
    },
    async checkout(payUrl, action) {
      const token = payUrl.split("/").pop()!;
      const url = `${gateway.url}${PAYMENT_GATEWAY_PATH}/checkout/${token}`;
      const seen = await fetch(url);
      if (!seen.ok) throw new Error(`checkout page answered ${seen.status}`);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action }),
      });
      if (!response.ok) throw new Error(`checkout answered ${response.status}`);
      return ZCheckoutView.parse(await response.json());
    },
    async close() {
      simulator.close();
      await portal.close();
      await gateway.close();
      await handle.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** What "exactly one completion" means, read from the database. */
export async function completionFacts(env: PaymentTestEnv, payer: Payer) {
  const db = env.handle.db;
  const id = payer.person.applicationId;
  const orderNo = payer.order.orderNo;
  const count = async (sql: string) => Number((await queryRows(db, sql))[0]!.n);
  const [app] = await queryRows(db, `select state from applications where id = '${id}'`);
  const [order] = await queryRows(
    db,
    `select status, provider_trade_no, receipt_sha256, paid_at from payment_orders where order_no = '${orderNo}'`,
  );
  const callbacks = await queryRows(
    db,
    `select outcome, count(*)::int as n from payment_callbacks where order_no = '${orderNo}' group by outcome`,
  );
  return {
    state: app!.state as string,
    payEvents: await count(
      `select count(*)::int as n from application_events where application_id = '${id}' and event = 'pay'`,
    ),
    stateChanges: await count(
      `select count(*)::int as n from application_events where application_id = '${id}' and to_state = 'complete'`,
    ),
    paidOrders: await count(
      `select count(*)::int as n from payment_orders where application_id = '${id}' and status = 'paid'`,
    ),
    orderStatus: order!.status as string,
    tradeNo: (order!.provider_trade_no as string | null) ?? null,
    receiptSha256: (order!.receipt_sha256 as string | null) ?? null,
    receivedSms: await count(
      `select count(*)::int as n from notifications where application_id = '${id}' and template = 'payment-received'`,
    ),
    receivedAudits: await count(
      `select count(*)::int as n from audit_log where action = 'payment.received' and object_id = '${orderNo}'`,
    ),
    callbacks: Object.fromEntries(callbacks.map((c) => [c.outcome as string, Number(c.n)])) as Record<
      string,
      number
    >,
  };
}

export async function auditActionsFor(env: PaymentTestEnv, orderNo: string): Promise<string[]> {
  const rows = await queryRows(
    env.handle.db,
    `select action from audit_log where object_type = 'payment-order' and object_id = '${orderNo}' order by seq`,
  );
  return rows.map((r) => r.action as string);
}
