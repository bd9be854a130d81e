import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { io as connectSocket, type Socket } from "socket.io-client";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import * as socketParser from "../../../shared/socket-parser";
import type { DocJoined, SocketAck } from "../../socket-codes";

/**
 * A Node client of the panel documents, written against the socket contract the way the browser's
 * provider is: join, state vectors both ways on every (re)connect, updates kept until acked and sent
 * again after a reconnect, awareness.
 */
export class DocClient {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly socket: Socket;
  joined: SocketAck<DocJoined> | null = null;
  /** Acks received, in arrival order. */
  readonly acks: Array<SocketAck<{ persisted: boolean }>> = [];
  private readonly pending = new Map<number, Uint8Array>();
  private readonly waiters = new Map<number, (ack: SocketAck<{ persisted: boolean }>) => void>();
  private seq = 0;
  private ready = false;
  private joinWaiters: Array<(ack: SocketAck<DocJoined>) => void> = [];

  constructor(
    base: string,
    cookie: string,
    readonly name: string,
  ) {
    this.socket = connectSocket(base, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      extraHeaders: { cookie },
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    this.socket.on("connect", () => this.onConnect());
    this.socket.on("disconnect", () => {
      this.ready = false;
    });
    this.socket.on("doc:sync", (frame: { doc: string; data: Uint8Array; awareness?: Uint8Array }) => {
      this.onSync(frame);
      if (frame.doc === this.name && frame.awareness) {
        applyAwarenessUpdate(this.awareness, new Uint8Array(frame.awareness), "server");
      }
    });
    this.socket.on("doc:awareness", (frame: { doc: string; data: Uint8Array }) => {
      if (frame.doc === this.name) applyAwarenessUpdate(this.awareness, new Uint8Array(frame.data), "server");
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "server") return;
      const id = ++this.seq;
      this.pending.set(id, update);
      if (this.ready) this.send(id, update);
    });
    this.awareness.on(
      "update",
      ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin === "server" || !this.ready) return;
        const mine = [...added, ...updated].filter((id) => id === this.doc.clientID);
        if (mine.length)
          this.socket.emit("doc:awareness", {
            doc: this.name,
            data: encodeAwarenessUpdate(this.awareness, mine),
          });
      },
    );
  }

  /** The join's answer (the first one, or the next after a reconnect). */
  join(): Promise<SocketAck<DocJoined>> {
    if (this.joined && this.ready) return Promise.resolve(this.joined);
    return new Promise((resolve) => this.joinWaiters.push(resolve));
  }

  /** Makes an edit and resolves with its ack (after the server committed it). */
  edit(change: (doc: Y.Doc) => void): Promise<SocketAck<{ persisted: boolean }>> {
    const before = this.seq;
    this.doc.transact(() => change(this.doc), "local");
    const id = this.seq;
    if (id === before) return Promise.resolve({ ok: true, data: { persisted: true } });
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  get unacked(): number {
    return this.pending.size;
  }

  /** The annotations map the tests write to. */
  get notes(): Y.Map<unknown> {
    return this.doc.getMap("notes");
  }

  close() {
    this.awareness.destroy();
    this.socket.disconnect();
  }

  private onConnect() {
    this.socket.emit("doc:join", { doc: this.name }, (ack: SocketAck<DocJoined>) => {
      this.joined = ack;
      if (ack.ok) {
        this.ready = true;
        const encoder = encoding.createEncoder();
        syncProtocol.writeSyncStep1(encoder, this.doc);
        this.socket.emit("doc:sync", { doc: this.name, data: encoding.toUint8Array(encoder) });
        for (const [id, update] of this.pending) this.send(id, update);
        if (this.awareness.getLocalState() !== null) {
          this.socket.emit("doc:awareness", {
            doc: this.name,
            data: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]),
          });
        }
      }
      const waiting = this.joinWaiters;
      this.joinWaiters = [];
      for (const resolve of waiting) resolve(ack);
    });
  }

  private onSync(frame: { doc: string; data: Uint8Array }) {
    if (frame.doc !== this.name) return;
    const encoder = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(
      decoding.createDecoder(new Uint8Array(frame.data)),
      encoder,
      this.doc,
      "server",
    );
    if (type === syncProtocol.messageYjsSyncStep1 && encoding.length(encoder) > 0) {
      this.socket.emit("doc:sync", { doc: this.name, data: encoding.toUint8Array(encoder) }, () => {});
    }
  }

  private send(id: number, update: Uint8Array) {
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.socket
      .timeout(10_000)
      .emit(
        "doc:sync",
        { doc: this.name, data: encoding.toUint8Array(encoder) },
        (error: Error | null, ack?: SocketAck<{ persisted: boolean }>) => {
          if (error || !ack) return;
          this.acks.push(ack);
          if (ack.ok || ack.error.code === "BAD_MESSAGE") this.pending.delete(id);
          const waiter = this.waiters.get(id);
          this.waiters.delete(id);
          waiter?.(ack);
        },
      );
  }
}

/** Resolves once `check` holds, checking every 10 ms; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The notes map as a plain, sorted object, to compare two replicas. */
export function notesOf(client: DocClient): Record<string, unknown> {
  return Object.fromEntries([...client.notes.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
