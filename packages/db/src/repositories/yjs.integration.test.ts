import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testTargets } from "../testing";
import { type MergeFn, yjsRepository } from "./yjs";

// A stand-in merge that keeps every update as a length-prefixed piece, so a test can tell that each
// appended update ends up exactly once in the snapshot or the remaining rows.
const concat: MergeFn = (snapshot, updates) => {
  const parts = [...(snapshot ? split(snapshot) : []), ...updates];
  const out: number[] = [];
  for (const part of parts) out.push(part.length, ...part);
  return Uint8Array.from(out);
};

function split(state: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < state.length; ) {
    const n = state[i]!;
    parts.push(state.slice(i + 1, i + 1 + n));
    i += 1 + n;
  }
  return parts;
}

async function everything(db: TestDb["db"], doc: string): Promise<string[]> {
  const stored = await yjsRepository.loadDoc(db, doc);
  const parts = [...(stored.snapshot ? split(stored.snapshot) : []), ...stored.updates.map((u) => u.update)];
  return parts.map((p) => Buffer.from(p).toString()).sort();
}

describe.each(testTargets)("yjsRepository on %s", (target) => {
  let database: TestDb;
  beforeAll(async () => {
    database = await createTestDb(target);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("appends rows of several documents in one insert and loads each back in id order", async () => {
    const ids = await yjsRepository.appendUpdates(database.db, [
      { doc: "d1", update: Buffer.from("one"), userId: null },
      { doc: "d2", update: Buffer.from("other"), userId: null },
      { doc: "d1", update: Uint8Array.of(0, 255, 7), userId: null },
    ]);
    expect(ids).toHaveLength(3);
    expect(ids[0]! < ids[2]!).toBe(true);
    const d1 = await yjsRepository.loadDoc(database.db, "d1");
    expect(d1.snapshot).toBeNull();
    expect(d1.updates.map((u) => [...u.update])).toEqual([[...Buffer.from("one")], [0, 255, 7]]);
    expect(await yjsRepository.appendUpdates(database.db, [])).toEqual([]);
  });

  it("compacts into a snapshot, deletes only the merged rows, and loses nothing under concurrent appends", async () => {
    const doc = "meeting:compact";
    const written: string[] = [];
    const appends = Array.from({ length: 40 }, async (_, i) => {
      const text = `u${i}`;
      await yjsRepository.appendUpdates(database.db, [{ doc, update: Buffer.from(text), userId: null }]);
      written.push(text);
    });
    const compactions = Array.from({ length: 6 }, () =>
      yjsRepository.compact(database.db, doc, concat, new Date()),
    );
    await Promise.all([...appends, ...compactions]);
    await yjsRepository.compact(database.db, doc, concat, new Date());
    const stored = await yjsRepository.loadDoc(database.db, doc);
    expect(stored.updates).toHaveLength(0);
    expect(await everything(database.db, doc)).toEqual(written.sort());
    expect(await yjsRepository.compact(database.db, doc, concat, new Date())).toBe(0);
    expect((await yjsRepository.pendingCounts(database.db)).some((p) => p.doc === doc)).toBe(false);
  });
});
