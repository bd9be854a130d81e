import { readFile } from "node:fs/promises";
import { verifyAuditChain } from "@titles/db";
import { queryRows, testTargets } from "@titles/db/testing";
import { defaultCalendar, feeFor, paymentDueDate, ZRoundConfig } from "@titles/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  paymentViewFor,
  receiptFileFor,
  reconcileOpenOrders,
  reconcilePayment,
  startPayment,
} from "./payments.server";
import { signature, unixSeconds } from "./protocol.server";
import {
  auditActionsFor,
  completionFacts,
  createPaymentTestEnv,
  type Payer,
  type PaymentTestEnv,
  TEST_PAYMENT_SECRET,
} from "./testing.server";

const MINUTE = 60_000;

describe.each(testTargets)("payments against the gateway simulator on %s", (target) => {
  let env: PaymentTestEnv;

  beforeAll(async () => {
    env = await createPaymentTestEnv(target);
  });
  afterAll(() => env?.close());

  /** The applicant presses "Pay" and is sent to the hosted page. */
  async function payUrlFor(payer: Payer): Promise<string> {
    const started = await startPayment(
      env.deps,
      payer.person.actor,
      payer.person.applicationId,
      { returnUrl: `/applications/${payer.person.applicationId}/payment` },
      env.clock.now(),
    );
    if (!started.ok) throw started.error;
    return started.value.payUrl;
  }

  /** Pays at the gateway with the merchant never hearing of it (the callback is lost). */
  async function paySilently(payer: Payer) {
    env.simulator.loseCallbacks(payer.order.orderNo);
    await env.checkout(await payUrlFor(payer), "pay");
    await env.simulator.settled();
    return env.simulator.notificationBody(payer.order.orderNo)!;
  }

  async function expectExactlyOneCompletion(payer: Payer) {
    const facts = await completionFacts(env, payer);
    expect(facts).toMatchObject({
      state: "complete",
      payEvents: 1,
      stateChanges: 1,
      paidOrders: 1,
      orderStatus: "paid",
      receivedSms: 1,
      receivedAudits: 1,
    });
    expect(facts.tradeNo).toMatch(/^SIM/);
    expect(facts.receiptSha256).toMatch(/^[0-9a-f]{64}$/);
    const receipt = await readFile(env.files.path(facts.receiptSha256!));
    expect(receipt.subarray(0, 5).toString()).toBe("%PDF-");
    return facts;
  }

  async function expectNothingChanged(payer: Payer) {
    const facts = await completionFacts(env, payer);
    expect(facts).toMatchObject({
      state: "approved",
      payEvents: 0,
      paidOrders: 0,
      orderStatus: "open",
      tradeNo: null,
      receiptSha256: null,
      receivedSms: 0,
    });
  }

  it("opens the fee order on approval: the level's amount, due in working days, audited, once", async () => {
    const payer = await env.approvedApplicant("付清");
    const [round] = await queryRows(env.handle.db, "select config from rounds where active");
    const config = ZRoundConfig.parse(round!.config);
    expect(payer.order.amountFen).toBe(feeFor(config, "intermediate"));
    expect(payer.order.dueDate).toBe(paymentDueDate(env.clock.now(), config, defaultCalendar));
    expect(payer.order.orderNo).toMatch(/^ZC\d{18}$/);
    expect(await auditActionsFor(env, payer.order.orderNo)).toEqual(["payment.order-opened"]);

    const view = await paymentViewFor(
      env.handle.db,
      payer.person.actor,
      payer.person.applicationId,
      env.clock.now(),
    );
    expect(view).toMatchObject({ status: "open", amountFen: payer.order.amountFen, overdue: false });
    expect(view!.amountYuan).toBe((payer.order.amountFen / 100).toFixed(2));
  });

  it("a payment completes the application once: order paid, receipt stored, SMS sent", async () => {
    const payer = await env.approvedApplicant("张付");
    const payUrl = await payUrlFor(payer);
    expect(payUrl).toMatch(/^\/pay\/sim\/[A-Za-z0-9_-]{32}$/);
    // Pressing "Pay" twice gives the same checkout.
    expect(await payUrlFor(payer)).toBe(payUrl);
    await expectNothingChanged(payer);

    const paid = await env.checkout(payUrl, "pay");
    expect(paid.status).toBe("paid");
    await env.simulator.settled();

    const facts = await expectExactlyOneCompletion(payer);
    expect(facts.callbacks).toEqual({ applied: 1 });
    expect(env.simulator.deliveries(payer.order.orderNo).map((d) => d.status)).toEqual([200]);
    const [sms] = await queryRows(
      env.handle.db,
      `select body from notifications where application_id = '${payer.person.applicationId}' and template = 'payment-received'`,
    );
    expect(sms!.body).toContain(`${(payer.order.amountFen / 100).toFixed(2)}元`);

    const view = await paymentViewFor(
      env.handle.db,
      payer.person.actor,
      payer.person.applicationId,
      env.clock.now(),
    );
    expect(view).toMatchObject({ status: "paid", tradeNo: facts.tradeNo, hasReceipt: true });
    const receipt = await receiptFileFor(env.handle.db, payer.person.actor, payer.person.applicationId);
    expect(receipt.sha256).toBe(facts.receiptSha256);
    expect((await verifyAuditChain(env.handle.db)).ok).toBe(true);

    // Nothing left to pay.
    const again = await startPayment(
      env.deps,
      payer.person.actor,
      payer.person.applicationId,
      { returnUrl: "/" },
      env.clock.now(),
    );
    expect(again.ok || again.error.code).toBe("PAYMENT_NOT_OPEN");
  });

  it("only the applicant sees the order, pays it and downloads the receipt", async () => {
    const alice = await env.approvedApplicant("李付");
    const bob = await env.approvedApplicant("王付");
    await expect(
      paymentViewFor(env.handle.db, bob.person.actor, alice.person.applicationId, env.clock.now()),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      receiptFileFor(env.handle.db, bob.person.actor, alice.person.applicationId),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const started = await startPayment(
      env.deps,
      bob.person.actor,
      alice.person.applicationId,
      { returnUrl: "/" },
      env.clock.now(),
    );
    expect(started.ok || started.error.code).toBe("FORBIDDEN");
    // Before payment there is no receipt, even for the applicant.
    await expect(
      receiptFileFor(env.handle.db, alice.person.actor, alice.person.applicationId),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("a duplicate callback changes nothing and is answered OK", async () => {
    const payer = await env.approvedApplicant("重复");
    await env.checkout(await payUrlFor(payer), "pay");
    await env.simulator.settled();
    const first = await expectExactlyOneCompletion(payer);

    // The very bytes sent, again (within five minutes), and a fresh signing of the same notification.
    const sent = env.simulator.lastSent(payer.order.orderNo)!;
    const replay = await env.simulator.sendCallback(sent);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ result: "SUCCESS", outcome: "duplicate" });
    const resent = await env.simulator.sendCallback({ url: sent.url, body: sent.body });
    expect(resent.status).toBe(200);

    const facts = await expectExactlyOneCompletion(payer);
    expect(facts.tradeNo).toBe(first.tradeNo);
    expect(facts.receiptSha256).toBe(first.receiptSha256);
    expect(facts.callbacks).toEqual({ applied: 1, duplicate: 2 });
  });

  it("a forged callback is refused and audited; nothing changes", async () => {
    const payer = await env.approvedApplicant("伪造");
    const forged = JSON.stringify({
      notifyId: "forged-1",
      event: "payment.succeeded",
      orderNo: payer.order.orderNo,
      tradeNo: "SIMFORGED0000001",
      amountFen: payer.order.amountFen,
      paidAt: env.clock.now().toISOString(),
    });
    const wrongMac = await env.simulator.sendCallback({
      url: env.notifyUrl,
      body: forged,
      signature: `v1=${"0".repeat(64)}`,
    });
    expect(wrongMac.status).toBe(401);
    expect(JSON.parse(wrongMac.body)).toMatchObject({ result: "FAIL", outcome: "bad-signature" });
    // Signed by someone who does not know the secret.
    const otherKey = await fetch(env.notifyUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-gateway-timestamp": String(unixSeconds(env.clock.now())),
        "x-gateway-signature": `v1=${"ab".repeat(32)}`,
      },
      body: forged,
    });
    expect(otherKey.status).toBe(401);
    const unsigned = await fetch(env.notifyUrl, { method: "POST", body: forged });
    expect(unsigned.status).toBe(401);
    // A body changed after signing no longer matches its signature.
    const genuine = await paySilently(payer);
    const timestamp = unixSeconds(env.clock.now());
    const tampered = await env.simulator.sendCallback({
      url: env.notifyUrl,
      body: genuine.replace(`"amountFen":${payer.order.amountFen}`, `"amountFen":1`),
      timestamp,
      signature: signature(TEST_PAYMENT_SECRET, timestamp, genuine),
    });
    expect(tampered.status).toBe(401);

    await expectNothingChanged(payer);
    const facts = await completionFacts(env, payer);
    expect(facts.callbacks).toEqual({ "bad-signature": 4 });
    expect(await auditActionsFor(env, payer.order.orderNo)).toEqual([
      "payment.order-opened",
      ...Array(4).fill("payment.callback-forged"),
    ]);

    // The genuine payment still goes through, once.
    const real = await env.simulator.sendCallback({ url: env.notifyUrl, body: genuine });
    expect(real.status).toBe(200);
    await expectExactlyOneCompletion(payer);
  });

  it("a replayed callback older than five minutes is refused and audited", async () => {
    const payer = await env.approvedApplicant("重放");
    await env.checkout(await payUrlFor(payer), "pay");
    await env.simulator.settled();
    await expectExactlyOneCompletion(payer);
    const captured = env.simulator.lastSent(payer.order.orderNo)!;

    env.clock.advance(5 * MINUTE + 1_000);
    const replayed = await env.simulator.sendCallback(captured);
    expect(replayed.status).toBe(401);
    expect(JSON.parse(replayed.body)).toMatchObject({ outcome: "stale" });
    const facts = await expectExactlyOneCompletion(payer);
    expect(facts.callbacks).toEqual({ applied: 1, stale: 1 });
    expect(await auditActionsFor(env, payer.order.orderNo)).toContain("payment.callback-replayed");

    // A stale one for an order not paid yet changes nothing either; nor does one from the future.
    const open = await env.approvedApplicant("未付");
    const body = await paySilently(open);
    const old = await env.simulator.sendCallback({
      url: env.notifyUrl,
      body,
      timestamp: unixSeconds(env.clock.now()) - 301,
    });
    expect(old.status).toBe(401);
    const ahead = await env.simulator.sendCallback({
      url: env.notifyUrl,
      body,
      timestamp: unixSeconds(env.clock.now()) + 120,
    });
    expect(ahead.status).toBe(401);
    await expectNothingChanged(open);
    expect((await completionFacts(env, open)).callbacks).toEqual({ stale: 2 });
  });

  it("an amount that differs from the order is refused and audited; nothing changes", async () => {
    const payer = await env.approvedApplicant("金额");
    const body = await paySilently(payer);
    const cheaper = body.replace(
      `"amountFen":${payer.order.amountFen}`,
      `"amountFen":${payer.order.amountFen - 1}`,
    );
    expect(cheaper).not.toBe(body);
    const refused = await env.simulator.sendCallback({ url: env.notifyUrl, body: cheaper });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.body)).toMatchObject({ outcome: "amount-mismatch" });
    await expectNothingChanged(payer);
    expect((await completionFacts(env, payer)).callbacks).toEqual({ "amount-mismatch": 1 });
    expect(await auditActionsFor(env, payer.order.orderNo)).toContain("payment.amount-mismatch");
  });

  it("a lost callback is recovered by reconciliation, exactly once", async () => {
    const payer = await env.approvedApplicant("对账");
    const body = await paySilently(payer);
    expect(env.simulator.deliveries(payer.order.orderNo).map((d) => d.status)).toEqual(["lost"]);
    await expectNothingChanged(payer);

    // The sweep a job runs also picks up the earlier tests' orders paid at the gateway but never heard of.
    const summary = await reconcileOpenOrders(env.deps, env.clock.now());
    expect(summary.applied).toBeGreaterThanOrEqual(1);
    expect(summary.failed).toBe(0);
    await expectExactlyOneCompletion(payer);

    // Again, by order, by sweep, and the late callback after all: nothing more.
    expect(await reconcilePayment(env.deps, payer.order.orderNo, env.clock.now())).toBe("duplicate");
    expect((await reconcileOpenOrders(env.deps, env.clock.now())).applied).toBe(0);
    const late = await env.simulator.sendCallback({ url: env.notifyUrl, body });
    expect(late.status).toBe(200);
    const facts = await expectExactlyOneCompletion(payer);
    expect(facts.callbacks).toEqual({ duplicate: 1 });
    expect(await auditActionsFor(env, payer.order.orderNo)).toEqual([
      "payment.order-opened",
      "payment.received",
    ]);

    // An order nobody paid stays open.
    const unpaid = await env.approvedApplicant("未缴");
    await payUrlFor(unpaid);
    expect(await reconcilePayment(env.deps, unpaid.order.orderNo, env.clock.now())).toBe("not-paid");
    await expectNothingChanged(unpaid);
  });

  it("the gateway retries while the portal is down, and the payment is applied once", async () => {
    const payer = await env.approvedApplicant("重试");
    const payUrl = await payUrlFor(payer);
    await env.portal.close();
    await env.checkout(payUrl, "pay");
    await env.simulator.attempted(payer.order.orderNo, 1);
    await env.portal.reopen();
    await env.simulator.settled();
    const attempts = env.simulator.deliveries(payer.order.orderNo).map((d) => d.status);
    expect(attempts[0]).toBe(0);
    expect(attempts.at(-1)).toBe(200);
    await expectExactlyOneCompletion(payer);
  });

  it("a failed attempt at the gateway leaves the order open to pay again", async () => {
    const payer = await env.approvedApplicant("失败");
    const payUrl = await payUrlFor(payer);
    expect((await env.checkout(payUrl, "fail")).status).toBe("failed");
    await env.simulator.settled();
    await expectNothingChanged(payer);
    expect(await reconcilePayment(env.deps, payer.order.orderNo, env.clock.now())).toBe("not-paid");
    expect((await env.checkout(payUrl, "pay")).status).toBe("paid");
    await env.simulator.settled();
    await expectExactlyOneCompletion(payer);
  });

  it("50 identical callbacks at once make one payment and one state change", async () => {
    const payer = await env.approvedApplicant("并发");
    const body = await paySilently(payer);
    const timestamp = unixSeconds(env.clock.now());
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => env.simulator.sendCallback({ url: env.notifyUrl, body, timestamp })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const outcomes = answers.map((a) => (JSON.parse(a.body) as { outcome: string }).outcome);
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    const facts = await expectExactlyOneCompletion(payer);
    expect(facts.callbacks).toEqual({ applied: 1, duplicate: 49 });
    expect((await verifyAuditChain(env.handle.db)).ok).toBe(true);
  });

  it("after the due day the applicant cannot start paying, and a late payment is refused for a refund", async () => {
    const payer = await env.approvedApplicant("逾期");
    const payUrl = await payUrlFor(payer);
    env.simulator.loseCallbacks(payer.order.orderNo);
    // Ten days later (past the five working days), by both clocks.
    env.clock.advance(10 * 24 * 60 * MINUTE);
    const started = await startPayment(
      env.deps,
      payer.person.actor,
      payer.person.applicationId,
      { returnUrl: "/" },
      env.clock.now(),
    );
    expect(started.ok || started.error.code).toBe("DEADLINE_PASSED");
    const view = await paymentViewFor(
      env.handle.db,
      payer.person.actor,
      payer.person.applicationId,
      env.clock.now(),
    );
    expect(view?.overdue).toBe(true);

    // Paid at the gateway anyway (the page was still open): refused, recorded for a refund.
    await env.checkout(payUrl, "pay");
    await env.simulator.settled();
    const body = env.simulator.notificationBody(payer.order.orderNo)!;
    const late = await env.simulator.sendCallback({ url: env.notifyUrl, body });
    expect(late.status).toBe(409);
    expect(JSON.parse(late.body)).toMatchObject({ outcome: "late" });
    await expectNothingChanged(payer);
    expect(await auditActionsFor(env, payer.order.orderNo)).toContain("payment.refund-needed");
    env.clock.advance(-10 * 24 * 60 * MINUTE);
  });
});
