/**
 * The panel's socket.io packet format, used by the server and by every client: each packet is one
 * MessagePack binary frame (decision 0019). socket.io's default format sends a packet with binary
 * data as two websocket frames (a JSON header, then the bytes), and nearly every panel packet
 * carries a Yjs or awareness frame: one frame instead of two halves the writes of every fan-out.
 *
 * A socket.io parser is a module with `protocol`, `Encoder` and `Decoder`; the decoder checks each
 * packet against a zod schema of what socket.io's default decoder accepts, so a malformed packet is
 * refused the same way (the connection is closed).
 */

import { Decoder as MessagePackDecoder, Encoder as MessagePackEncoder } from "@msgpack/msgpack";
import { Emitter } from "@socket.io/component-emitter";
import { z } from "zod";

export const protocol = 5;

export enum PacketType {
  CONNECT = 0,
  DISCONNECT = 1,
  EVENT = 2,
  ACK = 3,
  CONNECT_ERROR = 4,
}

interface Packet {
  /** socket.io also hands the encoder BINARY_EVENT (5) and BINARY_ACK (6). */
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
}

/** Event names socket.io keeps for itself; a peer may not send them. */
const RESERVED_EVENTS = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);

/** Above socket.io's own frame limit (1 MB on the panel), so only nonsense is refused here. */
const LIMITS = {
  maxStrLength: 1_048_576,
  maxBinLength: 1_048_576,
  maxArrayLength: 10_000,
  maxMapLength: 10_000,
  maxExtLength: 0,
};

export class Encoder {
  private readonly encoder = new MessagePackEncoder({ ignoreUndefined: true });

  /** One frame a packet; `undefined` members are left out, as JSON would. */
  encode(packet: Packet): Uint8Array[] {
    const { type, nsp, data, id } = packet;
    // socket.io marks packets with binary as BINARY_EVENT / BINARY_ACK; here binary travels inline.
    const plain = type === 5 ? PacketType.EVENT : type === 6 ? PacketType.ACK : type;
    return [
      this.encoder.encode(id === undefined ? { type: plain, nsp, data } : { type: plain, nsp, data, id }),
    ];
  }
}

type DecoderEvents = { decoded: (packet: Packet) => void };

export class Decoder extends Emitter<Record<string, never>, Record<string, never>, DecoderEvents> {
  private readonly decoder = new MessagePackDecoder(LIMITS);

  /** Decodes one frame and emits the packet; throws on anything that is not a valid packet. */
  add(chunk: unknown): void {
    if (typeof chunk === "string") throw new Error("text frames are not packets here");
    if (!(chunk instanceof Uint8Array) && !(chunk instanceof ArrayBuffer)) throw new Error("not a frame");
    const packet = this.decoder.decode(chunk);
    if (!ZPacket.safeParse(packet).success) throw new Error("invalid packet");
    // The checked value itself, not zod's copy: data passes through as it came.
    this.emitReserved("decoded", packet as Packet);
  }

  destroy(): void {
    this.off();
  }
}

const ZId = z.number().int().nonnegative();
const ZObject = z.record(z.string(), z.unknown());
/** An event: its name first (a number, or a name socket.io does not keep for itself), then arguments. */
const ZEventData = z
  .array(z.unknown())
  .refine(
    ([name]) => typeof name === "number" || (typeof name === "string" && !RESERVED_EVENTS.has(name)),
    "event name",
  );

/** A packet as socket.io's default decoder accepts it: type, namespace, ack id, data by type. */
const ZPacket = z.discriminatedUnion("type", [
  z.object({
    type: z.literal(PacketType.CONNECT),
    nsp: z.string(),
    id: ZId.optional(),
    data: ZObject.optional(),
  }),
  z.object({
    type: z.literal(PacketType.DISCONNECT),
    nsp: z.string(),
    id: ZId.optional(),
    data: z.undefined().optional(),
  }),
  z.object({ type: z.literal(PacketType.EVENT), nsp: z.string(), id: ZId.optional(), data: ZEventData }),
  z.object({ type: z.literal(PacketType.ACK), nsp: z.string(), id: ZId, data: z.array(z.unknown()) }),
  z.object({
    type: z.literal(PacketType.CONNECT_ERROR),
    nsp: z.string(),
    id: ZId.optional(),
    data: z.union([z.string(), ZObject]),
  }),
]);
