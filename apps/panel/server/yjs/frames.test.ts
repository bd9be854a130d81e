import { describe, expect, it } from "vitest";
import { mergeAwarenessFrames, readAwarenessFrame, writeAwarenessFrame } from "./frames";

describe("mergeAwarenessFrames", () => {
  it("keeps each client's newest entry, a removal included, in one frame", () => {
    const merged = mergeAwarenessFrames([
      writeAwarenessFrame([{ clientId: 1, clock: 3, state: { cursor: { page: 1 } } }]),
      writeAwarenessFrame([
        { clientId: 2, clock: 1, state: { cursor: { page: 7 } } },
        { clientId: 1, clock: 4, state: { cursor: { page: 2 } } },
      ]),
      writeAwarenessFrame([{ clientId: 1, clock: 2, state: { cursor: { page: 9 } } }]),
      writeAwarenessFrame([{ clientId: 3, clock: 5, state: null }]),
    ]);
    const entries = readAwarenessFrame(merged);
    expect(entries).toEqual([
      { clientId: 1, clock: 4, state: { cursor: { page: 2 } } },
      { clientId: 2, clock: 1, state: { cursor: { page: 7 } } },
      { clientId: 3, clock: 5, state: null },
    ]);
  });

  it("leaves out a frame it cannot read and keeps the others", () => {
    const good = writeAwarenessFrame([{ clientId: 8, clock: 1, state: { name: "专家" } }]);
    expect(readAwarenessFrame(mergeAwarenessFrames([Uint8Array.of(5, 1), good]))).toEqual([
      { clientId: 8, clock: 1, state: { name: "专家" } },
    ]);
  });
});
