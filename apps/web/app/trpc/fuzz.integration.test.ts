import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  lookupHash,
  newToken,
  notificationRepository,
  resolveSession,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createTestDb, type TestDb, tableFingerprints, testTargets } from "@titles/db/testing";
import { fuzzInput, hostileValue, looksLikeStack, rawBodies } from "@titles/domain/testing/zod-fuzz";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env.server";
import { readSessionCookie } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import type { Context } from "./init.server";
import { appRouter } from "./router.server";

/**
 * Issue 8: the portal's tRPC procedures, fed inputs generated from their schemas plus hostile values
 * over real HTTP, answer a 4xx with a clear message or a 200 — never a 500, a hang or a crash — and
 * write nothing. Procedures are read from the router, so a new one is fuzzed without touching this file.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const CALL_TIMEOUT_MS = 5000;
const REFUSED = new Set([400, 401, 403, 404, 405, 409, 413, 422, 429]);
const CJK = /[\u4e00-\u9fff]/;

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures,
);

/** Nothing, or something where nothing belongs: what a procedure without an input is sent. */
const noInput = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: hostileValue(), weight: 3 },
);

/**
 * Procedures without an `.input()` parser need an entry here; a procedure with neither fails the
 * coverage test, so nothing is skipped silently.
 */
const inputOverrides: Record<string, fc.Arbitrary<unknown>> = {
  "round.current": noInput,
  "me.get": noInput,
};

const totals = { procedures: new Set<string>(), inputs: 0, answers: {} as Record<string, number> };

describe.each(testTargets)("fuzzing the portal's tRPC procedures on %s", (target) => {
  let database: TestDb;
  let server: Server;
  let base: string;
  const cookies: Array<string | null> = [];

  /**
   * The same context as createContext in init.server.ts, over the test database instead of the
   * process-wide pool (the session is resolved by the same `resolveSession`).
   */
  async function contextOf(request: Request): Promise<Context> {
    const now = new Date();
    const value = readSessionCookie(request);
    const session = value ? await resolveSession(database.db, value, env().SESSION_SECRET, now) : null;
    return {
      db: database.db,
      locale: localeOf(request),
      actor: session?.ok ? { sessionId: session.sessionId, user: session.user, roles: session.roles } : null,
      now,
    };
  }

  async function person(name: string, phone: string, idNumber: string): Promise<string> {
    const user = await userRepository.insert(database.db, {
      name,
      idType: "mainland",
      idNumber,
      idNumberHash: lookupHash("k", idNumber),
      phone,
      phoneHash: lookupHash("k", phone),
      passwordHash: "x",
      phoneVerifiedAt: new Date(),
    });
    await userRepository.grantRole(database.db, user.id, "applicant", null);
    await notificationRepository.enqueue(database.db, {
      userId: user.id,
      phone,
      template: "registered",
      params: {},
      body: `给${name}的短信`,
      at: new Date(),
    });
    const token = newToken();
    await sessionRepository.insert(database.db, {
      userId: user.id,
      tokenHash: sha256(token),
      userAgent: null,
      at: new Date(),
    });
    return `${SESSION_COOKIE}=${signToken(token, env().SESSION_SECRET)}`;
  }

  beforeAll(async () => {
    database = await createTestDb(target);
    // The route (routes/api.trpc.$.ts) is this handler behind Remix; here it sits behind node's http.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: request,
        router: appRouter,
        createContext: () => contextOf(request),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cookies.push(
      await person("甲", "13800000101", "110108198503120011"),
      await person("乙", "13800000102", "110105199001010029"),
      null,
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await database?.close();
  });

  const snapshot = () => tableFingerprints(database.db);

  async function call(
    path: string,
    type: string,
    input: { json: unknown } | { raw: string },
    cookie: string | null,
    lang: string,
  ) {
    const headers: Record<string, string> = { cookie: `${cookie ? `${cookie}; ` : ""}lang=${lang}` };
    const body = "raw" in input ? input.raw : JSON.stringify(input.json);
    let url = `${base}/api/trpc/${path}`;
    let init: RequestInit;
    if (type === "query") {
      if (body !== undefined) url += `?input=${encodeURIComponent(body)}`;
      init = { method: "GET", headers };
    } else {
      init = { method: "POST", headers: { ...headers, "content-type": "application/json" }, body };
    }
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    return { status: response.status, text: await response.text(), url };
  }

  it("has an input parser or a generator for every procedure", () => {
    const bare = procedures.filter(([path, p]) => p._def.inputs.length === 0 && !inputOverrides[path]);
    expect(bare.map(([path]) => path)).toEqual([]);
    expect(procedures.length).toBeGreaterThanOrEqual(3);
  });

  it.each(procedures)(
    "%s: generated and hostile inputs get a clear 4xx or a 200, never a 500",
    async (path, p) => {
      const generated =
        inputOverrides[path] ??
        fuzzInput(p._def.inputs[0], { longLength: p._def.type === "query" ? 4 * 1024 : undefined });
      const input = fc.oneof(
        { arbitrary: generated.map((json) => ({ json })), weight: 9 },
        { arbitrary: fc.constantFrom(...rawBodies).map((raw) => ({ raw })), weight: 1 },
      );
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          input,
          fc.constantFrom(...cookies),
          fc.constantFrom("zh-CN", "zh-CN", "en"),
          async (value, cookie, lang) => {
            runs += 1;
            const before = await snapshot();
            const { status, text, url } = await call(path, p._def.type, value, cookie, lang);
            // Reads only: whatever the answer, no table changed.
            expect(await snapshot(), `${path} wrote on ${status}`).toEqual(before);
            if (status === 200) {
              totals.answers["200"] = (totals.answers["200"] ?? 0) + 1;
              return;
            }
            if (status === 431 || status === 414) {
              // Node refuses a request line above its 16 KB header limit before any code of ours runs.
              expect(url.length).toBeGreaterThan(8 * 1024);
              return;
            }
            expect(REFUSED.has(status), `${path} answered ${status}: ${text.slice(0, 300)}`).toBe(true);
            const body = JSON.parse(text) as {
              error?: { message?: unknown; data?: Record<string, unknown> };
            };
            const message = String(body.error?.message ?? "");
            expect(message.length, text.slice(0, 300)).toBeGreaterThan(0);
            expect(looksLikeStack(message), `${path} leaked internals: ${message}`).toBe(false);
            expect(body.error?.data?.stack).toBeUndefined();
            if (lang === "zh-CN") expect(message, `${path} answered without Chinese`).toMatch(CJK);
            const key = `${status} ${String(body.error?.data?.domainCode ?? body.error?.data?.code ?? "")}`;
            totals.answers[key] = (totals.answers[key] ?? 0) + 1;
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
      totals.inputs += runs;
      totals.procedures.add(path);
    },
  );

  it("answers a signed-in caller's own messages, so the server under fuzz is the real one", async () => {
    const { status, text } = await call("me.messages", "query", { json: { limit: 5 } }, cookies[0]!, "zh-CN");
    expect(status).toBe(200);
    expect(JSON.parse(text).result.data.map((m: { body: string }) => m.body)).toEqual(["给甲的短信"]);
    const refused = await call("me.messages", "query", { json: { limit: 1000 } }, cookies[0]!, "zh-CN");
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).error.message).toBe("请求参数不正确：limit。");
    const english = await call("me.messages", "query", { json: { limit: "x" } }, cookies[0]!, "en");
    expect(JSON.parse(english.text).error.message).toBe("The request is not valid: check limit.");
    const anonymous = await call("me.get", "query", { json: undefined }, null, "zh-CN");
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text).error.message).toBe("请先登录。");
  });
});

afterAll(() => {
  console.log(
    `[fuzz] web: ${totals.procedures.size} tRPC procedures covered (${testTargets.join(" + ")}), ` +
      `${totals.inputs} inputs generated; answers ${JSON.stringify(totals.answers)}`,
  );
});
