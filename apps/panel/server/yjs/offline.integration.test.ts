// A client offline for a minute while another edits: on reconnect both sides get what they lacked.
import { yjsRepository } from "@titles/db";
import { testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DocClient, notesOf, until } from "./testing/doc-client";
import { type MeetingFixture, meetingFixture } from "./testing/fixtures";
import { type PanelProcess, type SharedDatabase, sharedDatabase, startPanel } from "./testing/processes";

const target = testTargets.includes("postgres") ? "postgres" : "pglite";
const OFFLINE_MS = 60_000;

describe(`a client offline for a minute on ${target}`, () => {
  let database: SharedDatabase;
  let panel: PanelProcess;
  let m: MeetingFixture;
  let a: DocClient;
  let b: DocClient;

  beforeAll(async () => {
    database = await sharedDatabase(target);
    m = await meetingFixture(database.handle.db);
    panel = await startPanel({ databaseUrl: database.url });
  }, 60_000);

  afterAll(async () => {
    a?.close();
    b?.close();
    await panel?.stop();
    await database?.close();
  });

  it("reconnects and converges both ways, keeping its own offline edits", async () => {
    a = new DocClient(panel.url, m.experts[0]!.cookie, m.doc);
    b = new DocClient(panel.url, m.experts[1]!.cookie, m.doc);
    await Promise.all([a.join(), b.join()]);
    await a.edit((d) => d.getMap("notes").set("shared", { page: 1, text: "离线前" }));
    await until(() => b.notes.has("shared"), "b has the note before a goes offline");

    a.socket.disconnect();
    const started = Date.now();
    let round = 0;
    while (Date.now() - started < OFFLINE_MS) {
      round++;
      const ack = await b.edit((d) => d.getMap("notes").set(`online-${round}`, { page: round }));
      expect(ack.ok).toBe(true);
      // a edits offline too: kept locally, unacked.
      if (round % 3 === 0) a.notes.set(`offline-${round}`, { page: round, text: "离线批注" });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    // Both edit the same key while apart: the CRDT picks one value for everyone.
    a.notes.set("contested", "a");
    b.notes.set("contested", "b");
    expect(a.unacked).toBeGreaterThan(0);
    expect(a.notes.has(`online-${round}`)).toBe(false);

    a.socket.connect();
    await a.join();
    await until(() => b.notes.has(`offline-${round - (round % 3)}`), "b receives a's offline edits");
    await until(() => a.notes.has(`online-${round}`), "a receives what b wrote meanwhile");
    await until(() => a.unacked === 0, "a's offline edits are acked (committed)");
    await until(() => JSON.stringify(notesOf(a)) === JSON.stringify(notesOf(b)), "a and b converge");

    // And PostgreSQL holds the offline edits.
    const stored = await yjsRepository.loadDoc(database.handle.db, m.doc);
    const replica = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(replica, stored.snapshot);
    for (const row of stored.updates) Y.applyUpdate(replica, row.update);
    expect(replica.getMap("notes").toJSON()).toEqual(a.notes.toJSON());
  }, 120_000);
});
