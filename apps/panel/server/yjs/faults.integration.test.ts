// Fault and fuzz tests against real panel processes (apps/panel/server/main.ts started with Node).
import { yjsRepository } from "@titles/db";
import { testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Awareness, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { syncStep1, syncUpdate } from "./frames";
import { DocClient, notesOf, until } from "./testing/doc-client";
import { type MeetingFixture, meetingFixture } from "./testing/fixtures";
import { type PanelProcess, type SharedDatabase, sharedDatabase, startPanel } from "./testing/processes";

/** A small seeded generator, so a failing fuzz run can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testTargets)("a panel process on %s", (target) => {
  let database: SharedDatabase;
  let panel: PanelProcess;
  let m: MeetingFixture;
  const clients: DocClient[] = [];
  const client = (cookie: string) => {
    const c = new DocClient(panel.url, cookie, m.doc);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    database = await sharedDatabase(target);
    m = await meetingFixture(database.handle.db);
    panel = await startPanel({ databaseUrl: database.url });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await panel?.stop();
    await database?.close();
  });

  it("keeps every acknowledged update through kill -9 and a restart", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [ackA, ackB] = await Promise.all([
        a.edit((d) => d.getMap("notes").set(`a-${i}`, { page: i, text: `批注 ${i}` })),
        b.edit((d) => d.getMap("notes").set(`b-${i}`, { page: i, text: `意见 ${i}` })),
      ]);
      if (ackA.ok && ackA.data.persisted) acked.push(`a-${i}`);
      if (ackB.ok && ackB.data.persisted) acked.push(`b-${i}`);
    }
    expect(acked).toHaveLength(40);
    // More edits right before the kill: their acks may never come; the clients keep and resend them.
    a.edit((d) => d.getMap("notes").set("in-flight-a", 1));
    b.edit((d) => d.getMap("notes").set("in-flight-b", 1));
    await panel.crash();

    // What PostgreSQL holds right after the crash has every acknowledged update.
    const stored = await yjsRepository.loadDoc(database.handle.db, m.doc);
    const replica = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(replica, stored.snapshot);
    for (const row of stored.updates) Y.applyUpdate(replica, row.update);
    for (const key of acked) expect(replica.getMap("notes").has(key), key).toBe(true);

    await panel.restart();
    await Promise.all([a.join(), b.join()]);
    const fresh = client(m.experts[2]!.cookie);
    await fresh.join();
    await until(
      () => [...acked, "in-flight-a", "in-flight-b"].every((k) => fresh.notes.has(k)),
      "a fresh client sees every acked update and the resent ones",
    );
    await until(() => a.unacked === 0 && b.unacked === 0, "nothing left unacked");
    await until(() => JSON.stringify(notesOf(a)) === JSON.stringify(notesOf(b)), "a and b converge");
  }, 60_000);

  it("survives thousands of random and truncated frames while others keep syncing", async () => {
    const a = client(m.experts[0]!.cookie);
    const b = client(m.experts[1]!.cookie);
    const attacker = client(m.chair.cookie);
    await Promise.all([a.join(), b.join(), attacker.join()]);
    const random = prng(20211120);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));

    // Real frames to cut and flip.
    const source = new Y.Doc();
    source.getMap("notes").set("x", { page: 1, text: "原始" });
    source.getArray("list").insert(0, ["a", "b", "c"]);
    const update = syncUpdate(Y.encodeStateAsUpdate(source));
    const step1 = syncStep1(source);
    const aw = new Awareness(source);
    aw.setLocalState({ page: 2, cursor: { x: 1, y: 2 } });
    const awareness = encodeAwarenessUpdate(aw, [source.clientID]);
    aw.destroy();
    const samples = [update, step1, awareness];

    const raw = attacker.socket;
    let sent = 0;
    for (let round = 0; round < 3000; round++) {
      const kind = round % 6;
      let data: unknown;
      if (kind === 0) data = bytes(Math.floor(random() * 64));
      else if (kind === 1) {
        const sample = samples[Math.floor(random() * samples.length)]!;
        data = sample.slice(0, Math.floor(random() * sample.length));
      } else if (kind === 2) {
        const flipped = Uint8Array.from(samples[Math.floor(random() * samples.length)]!);
        const at = Math.floor(random() * flipped.length);
        flipped[at] = (flipped[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        data = flipped;
      } else if (kind === 3) data = Uint8Array.of(Math.floor(random() * 4), ...bytes(8));
      else if (kind === 4) data = ["not", "bytes", round];
      else data = bytes(Math.floor(random() * 2048));
      const event = random() < 0.6 ? "doc:sync" : "doc:awareness";
      const doc = random() < 0.95 ? m.doc : `meeting:${round}`;
      raw.emit(event, { doc, data });
      sent++;
      if (round % 500 === 499) {
        // Interleaved real work from the others, mid-fuzz.
        await a.edit((d) => d.getMap("notes").set(`during-${round}`, round));
      }
    }
    expect(sent).toBe(3000);
    const ack = await a.edit((d) => d.getMap("notes").set("after-fuzz", "仍然同步"));
    expect(ack).toEqual({ ok: true, data: { persisted: true } });
    await until(() => b.notes.get("after-fuzz") === "仍然同步", "b still receives a's edits");
    for (const round of [499, 999, 1499, 1999, 2499, 2999])
      expect(b.notes.get(`during-${round}`)).toBe(round);
    const health = await (await fetch(`${panel.url}/healthz/documents`)).json();
    const dropped = Object.values(health.dropped as Record<string, number>).reduce((s, n) => s + n, 0);
    expect(dropped).toBeGreaterThan(1000);
    expect((await fetch(`${panel.url}/healthz`)).status).toBe(200);
    expect(panel.output()).not.toMatch(/uncaught|unhandled/i);
  }, 60_000);
});
