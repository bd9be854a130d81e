import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { DOC_FRAME_LIMITS } from "../socket-codes";

/** Why a frame was dropped; each reason has its own counter. */
export type DropReason =
  | "not-bytes"
  | "oversized"
  | "not-joined"
  | "malformed-sync"
  | "malformed-update"
  | "malformed-awareness"
  | "foreign-awareness"
  | "forbidden"
  | "read-only";

/** The largest frame the server reads; a bigger one is dropped unread (the socket allows up to 1 MB). */
export const MAX_SYNC_FRAME_BYTES = DOC_FRAME_LIMITS.sync;
export const MAX_AWARENESS_FRAME_BYTES = DOC_FRAME_LIMITS.awareness;
/** A socket may speak for this many Yjs client ids per document (tabs of one doc share a socket). */
export const MAX_CLIENT_IDS_PER_SOCKET = 8;

/** socket.io hands binary over as a Buffer; anything else is not a frame. */
export function frameBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

export type SyncFrame =
  | { kind: "step1"; stateVector: Uint8Array }
  | { kind: "update"; update: Uint8Array; step2: boolean };

/**
 * Reads one y-protocols sync message without touching any document. The update is checked by
 * applying it to a scratch document, so a frame that would throw half-way through the real
 * document is refused before it is stored.
 */
export function readSyncFrame(data: Uint8Array): SyncFrame | null {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) return null;
    if (type === syncProtocol.messageYjsSyncStep1) {
      Y.decodeStateVector(payload);
      return { kind: "step1", stateVector: payload };
    }
    if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return null;
    const scratch = new Y.Doc({ gc: false, guid: "scratch" });
    try {
      Y.applyUpdate(scratch, payload);
    } finally {
      scratch.destroy();
    }
    return { kind: "update", update: payload, step2: type === syncProtocol.messageYjsSyncStep2 };
  } catch {
    return null;
  }
}

/** An update that carries no structs and no deletions (an empty step 2). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  // Two zero varUints: no struct groups, no delete-set clients.
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function syncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function syncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null when the client removes its state. */
  state: Record<string, unknown> | null;
}

/** Reads an awareness update (y-protocols/awareness wire format) into its entries, or null. */
export function readAwarenessFrame(data: Uint8Array): AwarenessEntry[] | null {
  try {
    const decoder = decoding.createDecoder(data);
    const count = decoding.readVarUint(decoder);
    if (count > 64) return null;
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state !== null && (typeof state !== "object" || Array.isArray(state))) return null;
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) return null;
    return entries;
  } catch {
    return null;
  }
}

export function writeAwarenessFrame(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Several awareness frames as one: every client's entry with the highest clock (a removal counts
 * like any state). The states are copied as bytes, not parsed again. A frame that cannot be read is
 * left out; the ones given here were written or checked by the server. One frame is returned as it is.
 */
export function mergeAwarenessFrames(frames: Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  const latest = new Map<number, { clock: number; state: Uint8Array }>();
  for (const frame of frames) {
    try {
      const decoder = decoding.createDecoder(frame);
      const count = decoding.readVarUint(decoder);
      const entries: Array<[number, number, Uint8Array]> = [];
      for (let i = 0; i < count; i++) {
        entries.push([
          decoding.readVarUint(decoder),
          decoding.readVarUint(decoder),
          decoding.readVarUint8Array(decoder),
        ]);
      }
      for (const [clientId, clock, state] of entries) {
        const known = latest.get(clientId);
        if (!known || known.clock <= clock) latest.set(clientId, { clock, state });
      }
    } catch {
      // Not readable: nothing of it is sent.
    }
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, latest.size);
  for (const [clientId, { clock, state }] of latest) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint8Array(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}
