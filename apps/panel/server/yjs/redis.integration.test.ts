// Two panel processes sharing documents through a Redis of their own (redis-server started here).
import { testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocClient, notesOf, until } from "./testing/doc-client";
import { type MeetingFixture, meetingFixture } from "./testing/fixtures";
import {
  type PanelProcess,
  type RedisProcess,
  redisAvailable,
  type SharedDatabase,
  sharedDatabase,
  startPanel,
  startRedis,
} from "./testing/processes";

// The real server when there is one: the embedded PGlite serves one connection at a time.
const target = testTargets.includes("postgres") ? "postgres" : "pglite";

describe.runIf(redisAvailable)(`two panel processes with Redis on ${target}`, () => {
  let database: SharedDatabase;
  let redis: RedisProcess;
  let first: PanelProcess;
  let second: PanelProcess;
  let m: MeetingFixture;
  const clients: DocClient[] = [];
  const client = (panel: PanelProcess, cookie: string) => {
    const c = new DocClient(panel.url, cookie, m.doc);
    clients.push(c);
    return c;
  };
  const same = (x: DocClient, y: DocClient) => JSON.stringify(notesOf(x)) === JSON.stringify(notesOf(y));

  beforeAll(async () => {
    database = await sharedDatabase(target);
    m = await meetingFixture(database.handle.db);
    redis = await startRedis();
    [first, second] = await Promise.all([
      startPanel({ databaseUrl: database.url, redisUrl: redis.url }),
      startPanel({ databaseUrl: database.url, redisUrl: redis.url }),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([first?.stop(), second?.stop()]);
    await redis?.stop();
    await database?.close();
  });

  it("clients on different processes converge, presence included", async () => {
    const a = client(first, m.experts[0]!.cookie);
    const b = client(second, m.experts[1]!.cookie);
    await Promise.all([a.join(), b.join()]);
    await a.edit((d) => d.getMap("notes").set("from-first", { page: 1 }));
    await until(() => b.notes.has("from-first"), "b (second process) sees a's note");
    await b.edit((d) => d.getMap("notes").set("from-second", { page: 2 }));
    await until(() => a.notes.has("from-second"), "a (first process) sees b's note");
    expect(same(a, b)).toBe(true);

    a.awareness.setLocalState({ page: 7, user: { name: "冒充的名字" } });
    await until(
      () => (b.awareness.getStates().get(a.doc.clientID) as { page?: number } | undefined)?.page === 7,
      "b sees a's presence across processes",
    );
    const seen = b.awareness.getStates().get(a.doc.clientID) as { user: { id: string; name: string } };
    expect(seen.user).toMatchObject({ id: m.experts[0]!.id, name: "周专家" });
  }, 30_000);

  it("a member joining on another process sees at once who is already there", async () => {
    // A fresh meeting: its document is loaded on the first process only when 周 arrives.
    const n = await meetingFixture(database.handle.db);
    const a = new DocClient(first.url, n.experts[0]!.cookie, n.doc);
    clients.push(a);
    await a.join();
    a.awareness.setLocalState({ page: 3 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const b = new DocClient(second.url, n.experts[1]!.cookie, n.doc);
    clients.push(b);
    await b.join();
    // Well before a's client renews its presence by itself (every 15 s).
    await until(
      () => (b.awareness.getStates().get(a.doc.clientID) as { page?: number } | undefined)?.page === 3,
      "b sees a's presence, which the second process never received",
      2_000,
    );
  }, 30_000);

  it("converges again after Redis restarts mid-session", async () => {
    const a = client(first, m.chair.cookie);
    const b = client(second, m.experts[2]!.cookie);
    await Promise.all([a.join(), b.join()]);
    await redis.stop();
    // While Redis is away each side's updates are still committed and acked.
    for (let i = 0; i < 5; i++) {
      const [ackA, ackB] = await Promise.all([
        a.edit((d) => d.getMap("notes").set(`outage-a-${i}`, i)),
        b.edit((d) => d.getMap("notes").set(`outage-b-${i}`, i)),
      ]);
      expect(ackA.ok && ackB.ok).toBe(true);
    }
    await redis.restart();
    await until(
      () => a.notes.has("outage-b-4") && b.notes.has("outage-a-4"),
      "resync after Redis is back",
      20_000,
    );
    await until(() => same(a, b), "a and b hold the same notes");
    // And fan-out works again in both directions.
    await a.edit((d) => d.getMap("notes").set("after-restart", 1));
    await until(() => b.notes.has("after-restart"), "live fan-out is back", 15_000);
    const late = client(second, m.experts[0]!.cookie);
    await late.join();
    await until(() => same(late, a), "a late joiner on the second process has it all");
  }, 60_000);
});
