import type { AddressInfo } from "node:net";
import { meetingRepository, yjsRepository } from "@titles/db";
import { createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { createPanelServer, type PanelServer } from "../app";
import { DocClient, notesOf, until } from "./testing/doc-client";
import { type MeetingFixture, meetingFixture, startTestPanel, TEST_SECRET } from "./testing/fixtures";

describe.each(testTargets)("panel documents on %s", (target) => {
  let database: TestDb;
  let server: PanelServer;
  let base: string;
  let m: MeetingFixture;
  const clients: DocClient[] = [];

  function client(cookie: string, doc = m.doc) {
    const c = new DocClient(base, cookie, doc);
    clients.push(c);
    return c;
  }

  async function storedCount(doc = m.doc) {
    const [row] = await queryRows(
      database.db,
      `select count(*)::int as n from yjs_updates where doc = '${doc.replace(/'/g, "")}'`,
    );
    return Number(row!.n);
  }

  beforeAll(async () => {
    ({ database, server, base, m } = await startTestPanel(target));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
    await database?.close();
  });

  it("two experts converge, and an update is in PostgreSQL when its ack arrives", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    const [joinA, joinB] = await Promise.all([a.join(), b.join()]);
    expect(joinA).toMatchObject({ ok: true, data: { doc: m.doc, readOnly: false, name: "周专家" } });
    expect(joinB.ok && joinA.ok && joinB.data.color !== joinA.data.color).toBe(true);

    const before = await storedCount();
    const ack = await a.edit((d) => d.getMap("notes").set("n1", { page: 3, text: "论文引用不规范" }));
    expect(ack).toEqual({ ok: true, data: { persisted: true } });
    // Read right after the ack, on another connection: the row is committed.
    expect(await storedCount()).toBe(before + 1);
    await until(() => b.notes.has("n1"), "b sees a's note");

    await b.edit((d) => d.getMap("notes").set("n2", { page: 5, text: "同意" }));
    await until(() => a.notes.has("n2"), "a sees b's note");
    expect(notesOf(a)).toEqual(notesOf(b));

    // A third expert joining later gets everything from the server.
    const c = client(m.experts[2]!.cookie);
    await c.join();
    await until(() => c.notes.size === 2, "the late joiner has both notes");
  });

  it("batches the updates of one tick into one insert", async () => {
    const a = client(m.chair.cookie);
    await a.join();
    const batches = server.documents.health().commits.batches;
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) => a.edit((d) => d.getMap("notes").set(`batch-${i}`, i))),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    const used = server.documents.health().commits.batches - batches;
    expect(used).toBeLessThan(20);
    expect(server.documents.health().commits.largestBatch).toBeGreaterThan(1);
  });

  it("sends a busy moment's changes to the other members merged, fewer messages than changes", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    await until(() => JSON.stringify(notesOf(a)) === JSON.stringify(notesOf(b)), "both start alike");
    let messages = 0;
    b.socket.on("doc:sync", () => {
      messages += 1;
    });
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) => a.edit((d) => d.getMap("notes").set(`busy-${i}`, i))),
    );
    expect(acks.every((x) => x.ok && x.data.persisted)).toBe(true);
    await until(
      () => Array.from({ length: 30 }, (_, i) => b.notes.has(`busy-${i}`)).every(Boolean),
      "b has all 30",
    );
    expect(messages).toBeGreaterThan(0);
    expect(messages).toBeLessThan(30);
    expect(notesOf(b)).toEqual(notesOf(a));
  });

  it("sends a change and the presence of the same moment to the others as one message", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    await until(() => JSON.stringify(notesOf(a)) === JSON.stringify(notesOf(b)), "both start alike");
    const seen: string[] = [];
    b.socket.on("doc:sync", (frame: { awareness?: unknown }) => {
      seen.push(frame.awareness ? "change+presence" : "change");
    });
    b.socket.on("doc:awareness", () => seen.push("presence"));
    // An expert drawing: a cursor move and an annotation every few milliseconds.
    const acks: Array<Promise<unknown>> = [];
    for (let i = 0; i < 12; i++) {
      a.awareness.setLocalStateField("cursor", { page: i });
      acks.push(a.edit((d) => d.getMap("notes").set(`drawn-${i}`, i)));
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    await Promise.all(acks);
    const cursorOf = (c: DocClient) =>
      (b.awareness.getStates().get(c.doc.clientID) as { cursor?: { page?: number } } | undefined)?.cursor
        ?.page;
    await until(() => b.notes.has("drawn-11") && cursorOf(a) === 11, "b has the last note and cursor");
    expect(seen).toContain("change+presence");
    expect(seen.length).toBeLessThan(24);
  });

  it("refuses a recused expert's and an outsider's join with DOC_FORBIDDEN", async () => {
    const recused = await client(m.recused.cookie).join();
    expect(recused).toMatchObject({ ok: false, error: { code: "DOC_FORBIDDEN" } });
    expect(recused.ok ? "" : recused.error.message).toContain("回避");
    const outsider = await client(m.outsider.cookie).join();
    expect(outsider).toMatchObject({ ok: false, error: { code: "DOC_FORBIDDEN" } });
    const bogus = await client(m.experts[0]!.cookie, "meeting:x:application:y:v1").join();
    expect(bogus).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
  });

  it("drops an observer's writes (persisted: false) but lets them read", async () => {
    const writer = client(m.experts[0]!.cookie);
    const observer = client(m.observer.cookie);
    const joined = await observer.join();
    expect(joined).toMatchObject({ ok: true, data: { readOnly: true } });
    await writer.join();
    const before = await storedCount();
    const ack = await observer.edit((d) => d.getMap("notes").set("observer-note", "x"));
    expect(ack).toEqual({ ok: true, data: { persisted: false } });
    expect(await storedCount()).toBe(before);
    await writer.edit((d) => d.getMap("notes").set("seen-by-observer", 1));
    await until(() => observer.notes.has("seen-by-observer"), "the observer reads");
    expect(writer.notes.has("observer-note")).toBe(false);
  });

  it("stops an expert's writes within the cache time once they are recused mid-session", async () => {
    const expert = client(m.experts[2]!.cookie);
    await expert.join();
    const ok = await expert.edit((d) => d.getMap("notes").set("before-recusal", 1));
    expect(ok.ok).toBe(true);
    await meetingRepository.recuse(database.db, {
      meetingId: m.meetingId,
      applicationId: m.applicationId,
      expertId: m.experts[2]!.id,
      source: "ordered",
      reason: "临时回避",
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const before = await storedCount();
    const refused = await expert.edit((d) => d.getMap("notes").set("after-recusal", 1));
    expect(refused).toMatchObject({ ok: false, error: { code: "DOC_FORBIDDEN" } });
    expect(await storedCount()).toBe(before);
  });

  it("rewrites awareness so nobody can pose as another expert or take over their presence", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    a.awareness.setLocalState({ user: { id: m.chair.id, name: "钱主任", color: "#000000" }, page: 4 });
    await until(
      () => (b.awareness.getStates().get(a.doc.clientID) as { page?: number } | undefined)?.page === 4,
      "b sees a's presence",
    );
    const seen = b.awareness.getStates().get(a.doc.clientID) as {
      user: { id: string; name: string; color: string };
    };
    expect(seen.user.id).toBe(m.experts[0]!.id);
    expect(seen.user.name).toBe("周专家");
    expect(a.joined?.ok && seen.user.color).toBe(a.joined?.ok ? a.joined.data.color : null);

    // b forges a frame for a's client id: dropped, a's state stays.
    const forged = new Awareness(new Y.Doc());
    forged.clientID = a.doc.clientID;
    forged.setLocalState({ page: 99 });
    const droppedBefore = server.documents.health().dropped["foreign-awareness"] ?? 0;
    b.socket.emit("doc:awareness", { doc: m.doc, data: encodeAwarenessUpdate(forged, [a.doc.clientID]) });
    await until(
      () => (server.documents.health().dropped["foreign-awareness"] ?? 0) > droppedBefore,
      "the forged frame is counted",
    );
    forged.destroy();
    const c = client(m.experts[1]!.cookie);
    await c.join();
    await until(() => c.awareness.getStates().has(a.doc.clientID), "c receives the present states");
    expect((c.awareness.getStates().get(a.doc.clientID) as { page: number }).page).toBe(4);

    // Presence goes away when the socket does.
    a.close();
    await until(() => !b.awareness.getStates().has(a.doc.clientID), "a's presence is removed");
  });

  it("drops and counts malformed and oversized frames, and keeps serving", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    const raw = a.socket as Socket;
    const bad = await raw
      .timeout(5000)
      .emitWithAck("doc:sync", { doc: m.doc, data: new Uint8Array([2, 9, 1]) });
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
    const big = await raw
      .timeout(5000)
      .emitWithAck("doc:sync", { doc: m.doc, data: new Uint8Array(300 * 1024) });
    expect(big).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
    const text = await raw.timeout(5000).emitWithAck("doc:sync", { doc: m.doc, data: "hello" });
    expect(text).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
    const health = await (await fetch(`${base}/healthz/documents`)).json();
    expect(health.dropped).toMatchObject({
      "malformed-sync": expect.any(Number),
      oversized: expect.any(Number),
    });
    await a.edit((d) => d.getMap("notes").set("after-garbage", 1));
    await until(() => b.notes.has("after-garbage"), "b still syncs");
  });

  it("compacts a document into a snapshot and loads it back whole", async () => {
    const a = client(m.experts[0]!.cookie);
    await a.join();
    await a.edit((d) => d.getMap("notes").set("before-compaction", 1));
    const merged = await server.documents.compact(m.doc);
    expect(merged).toBeGreaterThan(0);
    expect(await storedCount()).toBe(0);
    await a.edit((d) => d.getMap("notes").delete("before-compaction"));
    const fresh = new Y.Doc();
    const stored = await yjsRepository.loadDoc(database.db, m.doc);
    expect(stored.snapshot).not.toBeNull();
    Y.applyUpdate(fresh, stored.snapshot!);
    for (const row of stored.updates) Y.applyUpdate(fresh, row.update);
    expect(fresh.getMap("notes").toJSON()).toEqual(a.notes.toJSON());
    expect(fresh.getMap("notes").has("before-compaction")).toBe(false);
  });
});

describe("compaction by count", () => {
  it("compacts a document as soon as it has more uncompacted updates than the threshold", async () => {
    const database = await createTestDb("pglite");
    const server = await createPanelServer(
      {
        NODE_ENV: "test",
        SESSION_SECRET: TEST_SECRET,
        PORTAL_URL: "http://portal.test",
        PANEL_URL: "http://panel.test",
      },
      { db: database.db, documents: { compactAfterUpdates: 10, compactEveryMs: 0, unloadGraceMs: 100 } },
    );
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
    const m = await meetingFixture(database.db);
    const a = new DocClient(base, m.experts[0]!.cookie, m.doc);
    try {
      await a.join();
      for (let i = 0; i < 12; i++) await a.edit((d) => d.getMap("notes").set(`k${i}`, i));
      let stored = await yjsRepository.loadDoc(database.db, m.doc);
      for (let tries = 0; stored.snapshot === null && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        stored = await yjsRepository.loadDoc(database.db, m.doc);
      }
      expect(stored.snapshot).not.toBeNull();
      expect(stored.updates.length).toBeLessThan(12);
      const replica = new Y.Doc();
      Y.applyUpdate(replica, stored.snapshot!);
      for (const row of stored.updates) Y.applyUpdate(replica, row.update);
      expect(replica.getMap("notes").toJSON()).toEqual(a.notes.toJSON());

      // The minute timer's pass compacts whatever is left, then the last member leaves and the
      // document is unloaded after the grace period.
      await a.edit((d) => d.getMap("notes").set("last", true));
      await server.documents.compactAll();
      expect((await yjsRepository.loadDoc(database.db, m.doc)).updates).toHaveLength(0);
      a.close();
      await until(() => server.documents.health().documents === 0, "the document is unloaded", 5_000);
      const again = new DocClient(base, m.experts[1]!.cookie, m.doc);
      await again.join();
      await until(() => again.notes.get("last") === true, "it loads back from the snapshot");
      again.close();
    } finally {
      a.close();
      await server.close();
      await database.close();
    }
  });
});
