import { queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { io as connectSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addAnnotation,
  addComment,
  deleteAnnotation,
  deleteComment,
  editComment,
  readAnnotations,
} from "../client/annotations";
import { type PanelSocket, RECONNECT, YjsSocketProvider } from "../client/yjs-socket-provider";
import * as socketParser from "../shared/socket-parser";
import type { PanelServer } from "./app";
import { type MeetingFixture, startTestPanel } from "./yjs/testing/fixtures";

/** Waits for a condition the way a user waits for the screen to change; fails with what it waited for. */
async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(testTargets)("the client's Yjs provider against the panel server on %s", (target) => {
  let database: TestDb;
  let server: PanelServer;
  let base: string;
  let m: MeetingFixture;
  const providers: YjsSocketProvider[] = [];

  function open(cookie: string, doc = m.doc) {
    const socket: PanelSocket = connectSocket(base, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      extraHeaders: { cookie },
      ...RECONNECT,
    });
    const provider = new YjsSocketProvider(new Y.Doc(), doc, { socket });
    providers.push(provider);
    return provider;
  }

  function author(p: YjsSocketProvider) {
    const s = p.current.status;
    if (s.kind !== "joined") throw new Error(`not joined: ${s.kind}`);
    return { userId: s.joined.userId, name: s.joined.name, color: s.joined.color };
  }

  const joined = (p: YjsSocketProvider) => until(() => p.current.status.kind === "joined", "joined");

  beforeAll(async () => {
    ({ database, server, base, m } = await startTestPanel(target));
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server?.close();
    await database?.close();
  });

  it("two experts' annotations and comments reach each other, and are committed once acked", async () => {
    const a = open(m.experts[0]!.cookie);
    const b = open(m.experts[1]!.cookie);
    await Promise.all([joined(a), joined(b)]);
    expect(author(a).name).toBe("周专家");
    expect(author(a).color).not.toBe(author(b).color);

    const id = addAnnotation(a.doc, author(a), {
      kind: "highlight",
      page: 0,
      rects: [[72, 700, 200, 714]],
      quote: "林峰",
      comment: "核对发表时间",
    });
    expect(a.current.unsaved).toBeGreaterThan(0);
    await until(() => a.current.unsaved === 0, "a's update is acked");
    const [row] = await queryRows(
      database.db,
      `select count(*)::int as n from yjs_updates where doc = '${m.doc.replace(/'/g, "")}'`,
    );
    expect(Number(row!.n)).toBeGreaterThan(0);

    await until(() => readAnnotations(b.doc).some((x) => x.id === id), "b sees a's highlight");
    const seen = readAnnotations(b.doc).find((x) => x.id === id)!;
    expect(seen).toMatchObject({ kind: "highlight", page: 0, quote: "林峰", authorName: "周专家" });
    expect(seen.thread.map((c) => c.text)).toEqual(["核对发表时间"]);

    addComment(b.doc, author(b), id, "同意", seen.thread[0]!.id);
    await until(
      () => readAnnotations(a.doc).find((x) => x.id === id)?.thread.length === 2,
      "a sees b's reply",
    );
  });

  it("shows who is here and on which page, with the name and colour the server gives", async () => {
    const a = open(m.experts[0]!.cookie);
    const b = open(m.experts[2]!.cookie);
    await Promise.all([joined(a), joined(b)]);
    a.setPresence("page", 4);
    const seenFromB = () =>
      [...b.awareness.getStates().values()].find(
        (s) =>
          (s as { user?: { name?: string } }).user?.name === "周专家" && (s as { page?: number }).page === 4,
      ) as { user: { color: string } } | undefined;
    await until(() => seenFromB() !== undefined, "b sees a on page 4");
    expect(seenFromB()!.user.color).toBe(author(a).color);
  });

  it("keeps edits made while offline and sends them after the reconnect; both sides converge", async () => {
    const a = open(m.experts[0]!.cookie);
    const b = open(m.experts[1]!.cookie);
    await Promise.all([joined(a), joined(b)]);
    const me = author(a);
    a.socket.disconnect();
    await until(() => a.current.status.kind === "connecting", "a is offline");

    const offline = addAnnotation(a.doc, me, {
      kind: "pin",
      page: 2,
      rects: [[10, 10, 22, 22]],
      comment: "离线时添加",
    });
    const online = addAnnotation(b.doc, author(b), { kind: "rect", page: 1, rects: [[1, 1, 50, 50]] });
    expect(a.current.unsaved).toBe(1);
    await until(() => b.current.unsaved === 0, "b's edit is acked");

    a.socket.connect();
    await joined(a);
    await until(() => a.current.unsaved === 0, "a's offline edit is acked after the reconnect");
    await until(() => readAnnotations(b.doc).some((x) => x.id === offline), "b gets a's offline edit");
    await until(() => readAnnotations(a.doc).some((x) => x.id === online), "a gets b's edit made meanwhile");

    // A newcomer loads everything from the server.
    const c = open(m.experts[2]!.cookie);
    await joined(c);
    await until(
      () => [offline, online].every((id) => readAnnotations(c.doc).some((x) => x.id === id)),
      "a newcomer sees both",
    );
  });

  it("is refused for a recused expert, with DOC_FORBIDDEN", async () => {
    const r = open(m.recused.cookie);
    await until(() => r.current.status.kind === "forbidden", "refused");
    expect(r.current.status).toMatchObject({ kind: "forbidden", code: "DOC_FORBIDDEN" });
  });
});

describe("the annotation model", () => {
  const zhou = { userId: "u-zhou", name: "周明", color: "#c2410c" };
  const wu = { userId: "u-wu", name: "吴刚", color: "#1d4ed8" };

  it("lets only the author edit or delete an annotation or a comment", () => {
    const doc = new Y.Doc();
    const id = addAnnotation(doc, zhou, { kind: "rect", page: 1, rects: [[0, 0, 10, 10]], comment: "原文" });
    const commentId = readAnnotations(doc)[0]!.thread[0]!.id;
    addComment(doc, wu, id, "回复", commentId);

    editComment(doc, wu, id, commentId, "被他人改写");
    deleteComment(doc, wu, id, commentId);
    deleteAnnotation(doc, wu, id);
    const [kept] = readAnnotations(doc);
    expect(kept!.thread.map((c) => [c.authorName, c.text, c.replyTo])).toEqual([
      ["周明", "原文", null],
      ["吴刚", "回复", commentId],
    ]);

    editComment(doc, zhou, id, commentId, "改后");
    expect(readAnnotations(doc)[0]!.thread[0]).toMatchObject({ text: "改后", edited: true });
    deleteAnnotation(doc, zhou, id);
    expect(readAnnotations(doc)).toEqual([]);
  });

  it("skips malformed entries another client may have written", () => {
    const doc = new Y.Doc();
    addAnnotation(doc, zhou, { kind: "pin", page: 0, rects: [[1, 1, 2, 2]] });
    const bad = new Y.Map<unknown>();
    bad.set("kind", "scribble");
    doc.getMap("annotations").set("bad", bad);
    doc.getMap("annotations").set("worse", "not a map" as never);
    expect(readAnnotations(doc).map((a) => a.kind)).toEqual(["pin"]);
  });
});
