import type { AddressInfo } from "node:net";
import { meetingRepository } from "@titles/db";
import { createTestDb, type TestDb, tableFingerprints, testTargets } from "@titles/db/testing";
import { fuzzInput, hostileValue, looksLikeStack, rawBodies } from "@titles/domain/testing/zod-fuzz";
import fc from "fast-check";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { z } from "zod";
import * as socketParser from "../shared/socket-parser";
import { createPanelServer, type PanelServer } from "./app";
import { committeeFixture } from "./committee/testing";
import { applicationOf, defenseMeeting, reviewGroup } from "./defense/testing";
import { docName } from "./meeting-access";
import { DOC_FRAME_LIMITS } from "./socket-codes";
import { appRouter } from "./trpc/router";
import { syncStep1, syncUpdate, writeAwarenessFrame } from "./yjs/frames";
import { meetingFixture, type PanelPerson, personWithSession, TEST_SECRET } from "./yjs/testing/fixtures";

/**
 * Issue 8: every tRPC procedure and every socket event, fed inputs generated from its schema plus
 * hostile values, answers a 4xx with a clear message (never a 500, a hang or a crash), and a refused
 * command writes nothing. Procedures and events are read from the router and the live socket, so a
 * new one is fuzzed without touching this file (or the suite fails until it has a generator).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
/** A call that takes longer than this is a hang. */
const CALL_TIMEOUT_MS = 5000;
const REFUSED = new Set([400, 401, 403, 404, 405, 409, 413, 422, 429]);
const CJK = /[\u4e00-\u9fff]/;

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures,
);

/**
 * Procedures without an `.input()` parser need an entry here saying what to send; there are none in
 * the panel today. A procedure with neither fails the coverage test below.
 */
const inputOverrides: Record<string, fc.Arbitrary<unknown>> = {};

/** Schemas of the socket events as the server reads them (socket.ts, yjs/documents.ts, committee/live.ts). */
const ZDoc = z.object({ doc: z.string().max(200) });
const ZMeeting = z.object({ meetingId: z.string().uuid() });

/** What the closing note of issue 8 quotes: how much was covered, and how the refusals were spread. */
const totals = {
  procedures: new Set<string>(),
  events: new Set<string>(),
  inputs: 0,
  answers: {} as Record<string, number>,
};

describe.each(testTargets)("fuzzing the panel's tRPC procedures and socket events on %s", (target) => {
  let database: TestDb;
  let server: PanelServer;
  let base: string;
  const sockets: Socket[] = [];
  const personas: Array<{ label: string; cookie: string | null }> = [];
  let reviewChair: PanelPerson;
  let doc: string;
  let ids: string[] = [];

  beforeAll(async () => {
    database = await createTestDb(target);
    server = await createPanelServer(
      {
        NODE_ENV: "test",
        SESSION_SECRET: TEST_SECRET,
        PORTAL_URL: "http://portal.test",
        PANEL_URL: "http://panel.test",
      },
      { db: database.db, documents: { accessCacheMs: 200, unloadGraceMs: 200, compactEveryMs: 0 } },
    );
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    const db = database.db;

    // Real meetings of every kind, so generated ids sometimes reach the services' deeper checks.
    const review = await meetingFixture(db);
    reviewChair = review.chair;
    doc = review.doc;
    const group = await reviewGroup(db, review.meetingId, "第一评议组", "土木工程", [
      review.chair.id,
      review.experts[0]!.id,
    ]);
    const committee = await committeeFixture(db, { experts: 0, applicants: 2 });
    const committeeChair = await personWithSession(db, "钱主任", ["chair", "expert"]);
    const committeeExperts = [
      await personWithSession(db, "周专家", ["expert"]),
      await personWithSession(db, "吴专家", ["expert"]),
    ];
    await meetingRepository.addMember(db, committee.meetingId, committeeChair.id, "chair");
    for (const e of committeeExperts)
      await meetingRepository.addMember(db, committee.meetingId, e.id, "expert");
    const defenseApp = await applicationOf(db, "赵申报");
    const defense = await defenseMeeting(db, { panelists: 3, applications: [defenseApp.id] });

    ids = [
      review.meetingId,
      review.applicationId,
      group,
      committee.meetingId,
      ...committee.applicationIds,
      committeeChair.id,
      ...committeeExperts.map((e) => e.id),
      defense.meetingId,
      defenseApp.id,
      ...defense.panel.map((p) => p.id),
      review.chair.id,
      review.experts[0]!.id,
    ];
    personas.push(
      { label: "committee chair", cookie: committeeChair.cookie },
      { label: "committee expert", cookie: committeeExperts[0]!.cookie },
      { label: "review chair", cookie: review.chair.cookie },
      { label: "defense expert", cookie: defense.panel[1]!.cookie },
      { label: "defense chair", cookie: defense.chair.cookie },
      { label: "anonymous", cookie: null },
    );
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.close();
  });

  const snapshot = () => tableFingerprints(database.db);

  async function call(
    path: string,
    type: string,
    input: { json: unknown } | { raw: string },
    cookie: string | null,
    lang: string,
  ): Promise<{ status: number; text: string; url: string }> {
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

  /** The refusal must be a 4xx with words in it; in Chinese unless the reader asked for English. */
  function expectClearRefusal(path: string, status: number, text: string, url: string, lang: string) {
    if (status === 431 || status === 414) {
      // Node refuses a request line above its 16 KB header limit before any code of ours runs.
      expect(url.length).toBeGreaterThan(8 * 1024);
      return;
    }
    expect(REFUSED.has(status), `${path} answered ${status}: ${text.slice(0, 300)}`).toBe(true);
    const body = JSON.parse(text) as { error?: { message?: unknown; data?: Record<string, unknown> } };
    const message = body.error?.message;
    expect(typeof message, `${path}: ${text.slice(0, 300)}`).toBe("string");
    expect((message as string).length).toBeGreaterThan(0);
    expect(looksLikeStack(message as string), `${path} leaked internals: ${message}`).toBe(false);
    expect(body.error?.data?.stack).toBeUndefined();
    const key = `${status} ${String(body.error?.data?.domainCode ?? body.error?.data?.code ?? "")}`;
    totals.answers[key] = (totals.answers[key] ?? 0) + 1;
    if (lang === "zh-CN") expect(message, `${path} answered without Chinese`).toMatch(CJK);
  }

  it("has an input parser or a generator for every procedure", () => {
    const bare = procedures.filter(([path, p]) => p._def.inputs.length === 0 && !inputOverrides[path]);
    expect(bare.map(([path]) => path)).toEqual([]);
    expect(procedures.length).toBeGreaterThanOrEqual(18);
  });

  it.each(procedures)(
    "%s: generated and hostile inputs get a clear 4xx or a 200, never a 500",
    async (path, p) => {
      const schema = p._def.inputs[0];
      const generated =
        inputOverrides[path] ??
        fuzzInput(schema, {
          ids,
          // A query carries its input in the URL; past 16 KB Node itself refuses the request line.
          longLength: p._def.type === "query" ? 4 * 1024 : undefined,
        });
      const input = fc.oneof(
        { arbitrary: generated.map((json) => ({ json })), weight: 9 },
        { arbitrary: fc.constantFrom(...rawBodies).map((raw) => ({ raw })), weight: 1 },
      );
      // Mostly signed in (the refusals worth finding are past the login), anonymous now and then.
      const anon = personas.length - 1;
      const persona = fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: anon - 1 }), weight: 12 },
        { arbitrary: fc.constant(anon), weight: 1 },
      );
      const lang = fc.constantFrom("zh-CN", "zh-CN", "en");
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(input, persona, lang, async (value, who, locale) => {
          runs += 1;
          const before = await snapshot();
          const { status, text, url } = await call(path, p._def.type, value, personas[who]!.cookie, locale);
          if (status === 200) {
            totals.answers["200"] = (totals.answers["200"] ?? 0) + 1;
            if (p._def.type === "query") expect(await snapshot()).toEqual(before);
            return;
          }
          expectClearRefusal(path, status, text, url, locale);
          // A refused command leaves no trace: every table has as many rows as before.
          expect(await snapshot(), `${path} wrote despite answering ${status}`).toEqual(before);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      totals.inputs += runs;
      totals.procedures.add(path);
      // The anonymous caller, once more explicitly: 401 with the Chinese message, nothing written.
      const before = await snapshot();
      const anonymous = await call(path, p._def.type, { json: fc.sample(generated, 1)[0] }, null, "zh-CN");
      expect(anonymous.status).toBe(401);
      expectClearRefusal(path, anonymous.status, anonymous.text, anonymous.url, "zh-CN");
      expect(await snapshot()).toEqual(before);
    },
  );

  // --- socket events ----------------------------------------------------------------------------

  async function connected(cookie: string): Promise<Socket> {
    const socket = connectSocket(base, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once("lobby:hello", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  }

  async function ping(socket: Socket) {
    const reply = await socket.timeout(CALL_TIMEOUT_MS).emitWithAck("lobby:ping", { nonce: "alive" });
    expect(reply).toMatchObject({ ok: true, data: { nonce: "alive" } });
  }

  /** A valid Yjs update (some text typed), so now and then a frame is genuinely accepted. */
  function realUpdate(): Uint8Array {
    const ydoc = new Y.Doc();
    ydoc.getText("notes").insert(0, "批注");
    return syncUpdate(Y.encodeStateAsUpdate(ydoc));
  }

  const bytes = fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 4 },
    { arbitrary: fc.constant(new Uint8Array(DOC_FRAME_LIMITS.sync + 1).fill(7)), weight: 1 },
    { arbitrary: fc.constant(new Uint8Array(DOC_FRAME_LIMITS.awareness + 1).fill(1)), weight: 1 },
    { arbitrary: fc.constant(syncStep1(new Y.Doc())), weight: 1 },
    { arbitrary: fc.constant(null).map(() => realUpdate()), weight: 1 },
    {
      arbitrary: fc
        .record({ clientId: fc.nat(), clock: fc.nat(), state: fc.oneof(fc.constant(null), fc.object()) })
        .map((e) => writeAwarenessFrame([e as never])),
      weight: 1,
    },
    { arbitrary: hostileValue({ longLength: 300 * 1024 }), weight: 2 },
  );
  const docNames = () =>
    fc.oneof(
      { arbitrary: fc.constant(doc), weight: 4 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...ids), fc.constantFrom(...ids), fc.integer({ min: -1, max: 3 }))
          .map(([meetingId, applicationId, version]) => docName({ meetingId, applicationId, version })),
        weight: 1,
      },
      { arbitrary: hostileValue({ longLength: 2000 }), weight: 1 },
    );
  const frame = () =>
    fc.oneof(
      { arbitrary: fc.record({ doc: docNames(), data: bytes }), weight: 6 },
      { arbitrary: hostileValue(), weight: 1 },
    );

  /** What each event is fed, and whether it answers with an ack. */
  const socketEvents = (): Record<string, { payload: fc.Arbitrary<unknown>; ack: boolean }> => ({
    "lobby:ping": { payload: fuzzInput(z.object({ nonce: z.string().max(100) })), ack: true },
    "doc:join": {
      payload: fc.oneof(
        docNames().map((d) => ({ doc: d })),
        fuzzInput(ZDoc),
      ),
      ack: true,
    },
    "doc:leave": {
      payload: fc.oneof(
        docNames().map((d) => ({ doc: d })),
        fuzzInput(ZDoc),
      ),
      ack: false,
    },
    "doc:sync": { payload: frame(), ack: true },
    "doc:awareness": { payload: frame(), ack: false },
    "committee:join": { payload: fuzzInput(ZMeeting, { ids }), ack: true },
    "committee:leave": { payload: fuzzInput(ZMeeting, { ids }), ack: false },
  });

  it("feeds every socket event generated and hostile payloads; refusals ack a code and write nothing", async () => {
    const probe = await connected(reviewChair.cookie);
    const serverSide = server.io.sockets.sockets.get(probe.id!);
    expect(serverSide).toBeDefined();
    const reserved = new Set(["error", "disconnect", "disconnecting", "newListener", "removeListener"]);
    const registered = serverSide!
      .eventNames()
      .map(String)
      .filter((e) => !reserved.has(e));
    const generators = socketEvents();
    // A new event without a generator fails here instead of going unfuzzed.
    expect(registered.filter((e) => !generators[e])).toEqual([]);

    for (const event of registered) {
      const { payload, ack } = generators[event]!;
      const joined = async () => {
        const socket = await connected(reviewChair.cookie);
        // Joined to the meeting's document, so frames get past "not joined" to the real checks.
        expect(await socket.timeout(CALL_TIMEOUT_MS).emitWithAck("doc:join", { doc })).toMatchObject({
          ok: true,
        });
        return socket;
      };
      let socket = await joined();
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(payload, async (value) => {
          runs += 1;
          const before = await snapshot();
          if (carriesProtoKey(value)) {
            // The packet parser refuses an own `__proto__` key before any handler sees it (decision
            // 0019): that one connection closes, as for a frame above the size limit.
            const closed = new Promise((resolve) => socket.once("disconnect", resolve));
            socket.emit(event, value);
            await closed;
            expect(await snapshot()).toEqual(before);
            socket = await joined();
            return;
          }
          if (!ack) {
            socket.emit(event, value);
            // The server read it (socket.io keeps order) and is still answering on the same socket.
            await ping(socket);
            expect(await snapshot()).toEqual(before);
            return;
          }
          const reply = (await socket.timeout(CALL_TIMEOUT_MS).emitWithAck(event, value)) as
            | { ok: true }
            | { ok: false; error: { code: unknown; message: unknown } };
          const outcome = reply.ok ? "ok" : String(reply.error.code);
          totals.answers[`${event} ${outcome}`] = (totals.answers[`${event} ${outcome}`] ?? 0) + 1;
          if (reply.ok) return;
          expect(reply).toMatchObject({ ok: false, error: { code: expect.any(String) } });
          expect(reply.error.code).not.toBe("INTERNAL");
          expect(String(reply.error.message)).toMatch(CJK);
          expect(await snapshot(), `${event} wrote despite ${String(reply.error.code)}`).toEqual(before);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      await ping(socket);
      totals.inputs += runs;
      totals.events.add(event);
    }

    // Just above DOC_FRAME_LIMITS: refused unread and counted, for the acked and the unacked event.
    const edge = await connected(reviewChair.cookie);
    expect(await edge.timeout(CALL_TIMEOUT_MS).emitWithAck("doc:join", { doc })).toMatchObject({ ok: true });
    const dropped = () => (server.documents.health().dropped as Record<string, number>).oversized ?? 0;
    const droppedBefore = dropped();
    const before = await snapshot();
    const oversized = await edge
      .timeout(CALL_TIMEOUT_MS)
      .emitWithAck("doc:sync", { doc, data: new Uint8Array(DOC_FRAME_LIMITS.sync + 1) });
    expect(oversized).toMatchObject({
      ok: false,
      error: { code: "BAD_MESSAGE", message: "消息格式不正确。" },
    });
    edge.emit("doc:awareness", { doc, data: new Uint8Array(DOC_FRAME_LIMITS.awareness + 1) });
    await ping(edge);
    expect(dropped()).toBe(droppedBefore + 2);
    expect(await snapshot()).toEqual(before);

    // A frame above socket.io's 1 MB buffer closes that one connection; the server goes on.
    const big = await connected(reviewChair.cookie);
    const closed = new Promise((resolve) => big.once("disconnect", resolve));
    big.emit("doc:sync", { doc, data: new Uint8Array(1_100_000) });
    await closed;
    const after = await connected(reviewChair.cookie);
    await ping(after);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

/** Whether a value holds an own `__proto__` key at any depth. */
function carriesProtoKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return false;
  if (Object.hasOwn(value, "__proto__")) return true;
  return Object.values(value).some(carriesProtoKey);
}

afterAll(() => {
  console.log(
    `[fuzz] panel: ${totals.procedures.size} tRPC procedures and ${totals.events.size} socket events covered ` +
      `(${testTargets.join(" + ")}), ${totals.inputs} inputs generated; answers ${JSON.stringify(totals.answers)}`,
  );
});
