import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { io, type Socket } from "socket.io-client";
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";
import * as socketParser from "../shared/socket-parser";
import type {
  ClientToServerEvents,
  DocFrame,
  DocJoined,
  DocSyncFrame,
  ServerToClientEvents,
  SocketAck,
  SocketErrorData,
} from "./socket-contract";

export type PanelSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ProviderStatus =
  | { kind: "connecting" }
  | { kind: "joined"; joined: DocJoined }
  /** The handshake was refused (session gone, not an expert): retrying would not help. */
  | { kind: "refused"; code: string; message: string }
  /** The join was refused (not a member, recused): final as well. */
  | { kind: "forbidden"; code: string; message: string };

export interface ProviderState {
  status: ProviderStatus;
  /** Local updates the server has not yet confirmed as committed. */
  unsaved: number;
}

/** Cursor moves are sent at most this often. */
export const CURSOR_THROTTLE_MS = 80;

/** Reconnect backoff: socket.io doubles the delay up to the maximum, each randomised by ±50 %. */
export const RECONNECT = { reconnectionDelay: 500, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 };

function bytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/**
 * One Y.Doc kept in sync with the panel server over socket.io (client side of the contract in
 * socket-contract.ts). On every (re)connect: join, answer the server's step 1, send our own step 1,
 * then resend every update the server has not acked. Updates are kept until their ack says committed.
 */
export class YjsSocketProvider {
  readonly awareness: Awareness;
  readonly socket: PanelSocket;
  private state: ProviderState = { status: { kind: "connecting" }, unsaved: 0 };
  private readonly listeners = new Set<(state: ProviderState) => void>();
  /** Unacked local updates, by a local sequence number. */
  private readonly pending = new Map<number, Uint8Array>();
  private seq = 0;
  private joined = false;
  private destroyed = false;
  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  private cursorNext: unknown = undefined;

  constructor(
    readonly doc: Y.Doc,
    readonly name: string,
    options: { socket?: PanelSocket } = {},
  ) {
    this.awareness = new Awareness(doc);
    this.socket =
      options.socket ??
      io({
        path: "/socket.io",
        transports: ["websocket"],
        parser: socketParser,
        withCredentials: true,
        ...RECONNECT,
      });

    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", this.onDisconnect);
    this.socket.on("connect_error", this.onConnectError);
    this.socket.on("doc:sync", this.onSync);
    this.socket.on("doc:awareness", this.onAwareness);
    doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    if (this.socket.connected) this.onConnect();
  }

  get current(): ProviderState {
    return this.state;
  }

  subscribe(listener: (state: ProviderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ProviderState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Page and other presence fields, sent now. */
  setPresence(field: string, value: unknown) {
    this.awareness.setLocalStateField(field, value);
  }

  /** The cursor, sent at most every CURSOR_THROTTLE_MS (the last position always goes out). */
  setCursor(cursor: unknown) {
    this.cursorNext = cursor;
    if (this.cursorTimer) return;
    this.awareness.setLocalStateField("cursor", cursor);
    this.cursorNext = undefined;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      if (this.cursorNext !== undefined) this.setCursor(this.cursorNext);
    }, CURSOR_THROTTLE_MS);
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    if (this.socket.connected) this.socket.emit("doc:leave", { doc: this.name });
    this.doc.off("update", this.onDocUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.awareness.destroy();
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("connect_error", this.onConnectError);
    this.socket.off("doc:sync", this.onSync);
    this.socket.off("doc:awareness", this.onAwareness);
    this.socket.disconnect();
    this.listeners.clear();
  }

  private onConnect = () => {
    this.joined = false;
    this.socket.emit("doc:join", { doc: this.name }, (reply: SocketAck<DocJoined>) => {
      if (this.destroyed) return;
      if (!reply.ok) {
        this.set({ status: { kind: "forbidden", code: reply.error.code, message: reply.error.message } });
        this.socket.disconnect();
        return;
      }
      this.joined = true;
      this.set({ status: { kind: "joined", joined: reply.data } });
      // Our state vector: the server answers with whatever we lack.
      const encoder = encoding.createEncoder();
      syncProtocol.writeSyncStep1(encoder, this.doc);
      this.socket.emit("doc:sync", { doc: this.name, data: encoding.toUint8Array(encoder) });
      for (const [id, update] of this.pending) this.sendUpdate(id, update);
      // Everyone else lost our presence when we dropped: announce it again.
      if (this.awareness.getLocalState() !== null) {
        this.socket.emit("doc:awareness", {
          doc: this.name,
          data: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]),
        });
      }
    });
  };

  private onDisconnect = () => {
    this.joined = false;
    if (this.destroyed) return;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    removeAwarenessStates(this.awareness, others, this);
    const status = this.state.status.kind;
    if (status !== "forbidden" && status !== "refused") this.set({ status: { kind: "connecting" } });
  };

  private onConnectError = (error: Error & { data?: SocketErrorData }) => {
    // A refusal by the handshake check is final; a network error is retried by socket.io with backoff.
    if (!this.socket.active && error.data) {
      this.set({ status: { kind: "refused", code: error.data.code, message: error.data.message } });
    }
  };

  private onSync = (frame: DocSyncFrame) => {
    if (frame?.doc !== this.name) return;
    const data = bytes(frame.data);
    if (!data) return;
    try {
      const encoder = encoding.createEncoder();
      const type = syncProtocol.readSyncMessage(decoding.createDecoder(data), encoder, this.doc, this);
      // A step 1 from the server: answer with what it lacks (persisted like any update, so acked).
      if (type === syncProtocol.messageYjsSyncStep1 && encoding.length(encoder) > 0) {
        const reply = encoding.toUint8Array(encoder);
        this.socket.emit("doc:sync", { doc: this.name, data: reply }, () => undefined);
      }
    } catch (error) {
      console.error("[panel] bad sync frame", error);
    }
    // Awareness changes sent with the update (one packet for both) apply after it.
    if (frame.awareness !== undefined) this.onAwareness({ doc: frame.doc, data: frame.awareness });
  };

  private onAwareness = (frame: DocFrame) => {
    if (frame?.doc !== this.name) return;
    const data = bytes(frame.data);
    if (!data) return;
    try {
      applyAwarenessUpdate(this.awareness, data, this);
    } catch (error) {
      console.error("[panel] bad awareness frame", error);
    }
  };

  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.destroyed) return;
    const id = ++this.seq;
    this.pending.set(id, update);
    this.set({ unsaved: this.pending.size });
    if (this.joined) this.sendUpdate(id, update);
  };

  private sendUpdate(id: number, update: Uint8Array) {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    // No answer (the connection dropped): the update stays pending and goes again after the reconnect.
    this.socket.emit(
      "doc:sync",
      { doc: this.name, data: encoding.toUint8Array(encoder) },
      (reply: SocketAck<{ persisted: boolean }>) => {
        if (!reply || typeof reply !== "object") return;
        // Committed, or dropped for good (read-only member, malformed): either way not resent.
        if (reply.ok || reply.error.code === "BAD_MESSAGE") {
          this.pending.delete(id);
          this.set({ unsaved: this.pending.size });
        }
        if (!reply.ok && reply.error.code === "DOC_FORBIDDEN") {
          this.set({ status: { kind: "forbidden", code: reply.error.code, message: reply.error.message } });
        }
      },
    );
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin === this || !this.joined) return;
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    this.socket.emit("doc:awareness", {
      doc: this.name,
      data: encodeAwarenessUpdate(this.awareness, changed),
    });
  };
}
