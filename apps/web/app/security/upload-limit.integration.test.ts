// Upload budgets over real HTTP: the real tus handler behind the limiter, as server.ts mounts them.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { testTargets } from "@titles/db/testing";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUploadTestEnv,
  filesUnder,
  type Person,
  rawRequest,
  tusMetadata,
  type UploadTestEnv,
} from "~/uploads/testing.server";
import { createRateLimits } from "./rate-limit.server";
import { uploadLimit } from "./upload-limit.server";

const PATH = "/api/uploads";

describe.each(testTargets)("upload rate limits on %s", (target) => {
  let env: UploadTestEnv;
  let server: Server;
  let port: number;
  let reachedMaterials = 0;

  beforeAll(async () => {
    env = await createUploadTestEnv(target, PATH);
    // Three upload requests a session, six an address, in a minute.
    const limits = createRateLimits({
      login: { perIp: { points: 1, seconds: 60 }, perKey: { points: 1, seconds: 60 } },
      sms: { perIp: { points: 1, seconds: 60 }, perKey: { points: 1, seconds: 60 } },
      smsVerify: { perIp: { points: 1, seconds: 60 }, perKey: { points: 1, seconds: 60 } },
      upload: { perIp: { points: 6, seconds: 60 }, perKey: { points: 3, seconds: 60 } },
      allowIps: [],
    });
    const app = express();
    app.use(
      [PATH, "/api/materials"],
      uploadLimit(async () => limits),
    );
    app.all([PATH, `${PATH}/*`], env.server.tus.handle);
    // The material commands' route is Remix's; here only whether the limiter let the request through.
    app.post("/api/materials", (_req, res) => {
      reachedMaterials++;
      res.status(204).end();
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await env?.close();
  });

  const create = (person: Person) =>
    rawRequest(port, "POST", PATH, {
      "Tus-Resumable": "1.0.0",
      Cookie: person.cookie,
      "Upload-Length": "1000",
      "Upload-Metadata": tusMetadata({
        filename: "论文.pdf",
        applicationId: person.applicationId,
        kind: "achievement",
      }),
    });

  it("answers 429 with Retry-After and a bilingual message once a session has spent its budget", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await create(env.alice)).status);
    expect(statuses).toEqual([201, 201, 201]);
    const staged = await filesUnder(join(env.root, "uploads"));

    const refused = await create(env.alice);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatch(/操作过于频繁，请\d+秒后再试。/);
    expect(refused.body).toMatch(/Too many requests; try again in \d+ seconds\./);
    // Nothing was staged for the refused request.
    expect(await filesUnder(join(env.root, "uploads"))).toEqual(staged);

    // The material commands share the budget and answer JSON.
    const command = await rawRequest(
      port,
      "POST",
      "/api/materials",
      { Cookie: env.alice.cookie, "Content-Type": "application/json", "Accept-Language": "en" },
      Buffer.from(JSON.stringify({ intent: "delete", materialId: crypto.randomUUID() })),
    );
    expect(command.status).toBe(429);
    expect(Number(command.headers["retry-after"])).toBeGreaterThan(0);
    const body = JSON.parse(command.body);
    expect(body).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(body.message).toMatch(/^Too many requests/);
    expect(reachedMaterials).toBe(0);
  });

  it("another session from the same address goes on until the address's budget is spent", async () => {
    // Alice's five requests above spent five of the address's six: Bob has one left, then 429.
    expect((await create(env.bob)).status).toBe(201);
    const refused = await create(env.bob);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  });
});
