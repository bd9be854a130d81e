import { describe, expect, it } from "vitest";
import { Decoder, Encoder, PacketType } from "./socket-parser";

function roundTrip(packet: Parameters<Encoder["encode"]>[0]) {
  const frames = new Encoder().encode(packet);
  const decoder = new Decoder();
  const seen: unknown[] = [];
  decoder.on("decoded", (p) => seen.push(p));
  for (const frame of frames) decoder.add(frame);
  return { frames, seen };
}

function refused(frame: unknown) {
  const decoder = new Decoder();
  const seen: unknown[] = [];
  decoder.on("decoded", (p) => seen.push(p));
  expect(() => decoder.add(frame)).toThrow();
  expect(seen).toEqual([]);
}

describe("the panel's socket packet format", () => {
  it("sends a packet with a Yjs frame as one binary frame and gives back exactly its bytes", () => {
    // A view into a larger buffer, as lib0's decoders hand out: only the viewed bytes may travel.
    const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
    const update = backing.subarray(10, 20);
    const { frames, seen } = roundTrip({
      type: 5, // BINARY_EVENT, as socket.io marks a packet with bytes
      nsp: "/",
      data: ["doc:sync", { doc: "meeting:x", data: update }],
    });
    expect(frames).toHaveLength(1);
    expect(frames[0]).toBeInstanceOf(Uint8Array);
    const [packet] = seen as Array<{ type: number; data: [string, { doc: string; data: Uint8Array }] }>;
    expect(packet!.type).toBe(PacketType.EVENT);
    expect(packet!.data[0]).toBe("doc:sync");
    expect([...packet!.data[1].data]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("keeps acknowledgements and their ids, and leaves out undefined members as JSON would", () => {
    const { seen } = roundTrip({ type: 6, nsp: "/", id: 42, data: [{ ok: true, data: undefined }] });
    expect(seen).toEqual([{ type: PacketType.ACK, nsp: "/", id: 42, data: [{ ok: true }] }]);
  });

  it("refuses text frames, nonsense, reserved event names and malformed packets", () => {
    const encode = (value: unknown) => new Encoder().encode(value as never)[0];
    refused('42["doc:sync",{}]');
    refused(Uint8Array.of(0xc1));
    refused(encode({ type: 9, nsp: "/", data: [] }));
    refused(encode({ type: PacketType.EVENT, nsp: 7, data: ["x"] }));
    refused(encode({ type: PacketType.EVENT, nsp: "/", data: ["disconnect"] }));
    refused(encode({ type: PacketType.EVENT, nsp: "/", data: "not an array" }));
    refused(encode({ type: PacketType.ACK, nsp: "/", data: [] }));
    refused(encode({ type: PacketType.EVENT, nsp: "/", id: -1, data: ["x"] }));
    refused(encode({ type: PacketType.DISCONNECT, nsp: "/", data: { reason: "x" } }));
  });
});
