import { type Db, meetingRepository, yjsRepository } from "@titles/db";
import type { Locale } from "@titles/ui";
import type { Server, Socket } from "socket.io";
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from "y-protocols/awareness";
import * as Y from "yjs";
import { z } from "zod";
import type { Actor } from "../access";
import {
  checkDocAccess,
  type DocAccess,
  type DocRef,
  membersDocAccess,
  parseDocName,
} from "../meeting-access";
import { type DocJoined, type DocSyncFrame, SocketErrorCode, SocketEvent } from "../socket-codes";
import { CommitBatcher } from "./batcher";
import {
  type AwarenessEntry,
  type DropReason,
  frameBytes,
  isEmptyUpdate,
  MAX_AWARENESS_FRAME_BYTES,
  MAX_CLIENT_IDS_PER_SOCKET,
  MAX_SYNC_FRAME_BYTES,
  mergeAwarenessFrames,
  readAwarenessFrame,
  readSyncFrame,
  syncStep1,
  syncStep2,
  syncUpdate,
  writeAwarenessFrame,
} from "./frames";

/** Events between panel processes (through the Redis adapter); clients never see them. */
export interface InterServerEvents {
  "yjs:update": (doc: string, update: Uint8Array) => void;
  "yjs:awareness": (doc: string, frame: Uint8Array, userId: string, socketId: string) => void;
  /** A process has a new member in `doc`: the others send the presence of their own members there. */
  "yjs:awareness-wanted": (doc: string) => void;
}

/** What the document service needs of a socket; socket.ts's typed socket satisfies it. */
interface DocSocketData {
  actor: Actor;
  locale: Locale;
}
type AnySocket = Socket<Record<string, never>, Record<string, never>, InterServerEvents, DocSocketData>;
type AnyServer = Server<Record<string, never>, Record<string, never>, InterServerEvents, DocSocketData>;

export interface DocumentOptions {
  /** How long an unused document stays in memory after its last member left. */
  unloadGraceMs?: number;
  /** How long a socket's access answer is reused before the next message checks again. */
  accessCacheMs?: number;
  /** The compaction timer; 0 turns it off. */
  compactEveryMs?: number;
  /** A document with more uncompacted updates than this is compacted at once. */
  compactAfterUpdates?: number;
  /** With Redis: how often every loaded document is re-read from PostgreSQL to repair lost fan-out. */
  resyncEveryMs?: number;
  /** Whether several processes share the rooms (a Redis adapter is installed). */
  clustered?: boolean;
  /** The shortest time between two fan-outs of one document to its members. */
  fanOutWindowMs?: number;
}

/** Annotation and cursor colours; an expert's is fixed by their place among the meeting's members. */
export const PALETTE = [
  "#d93f0b",
  "#1d76db",
  "#0e8a16",
  "#b60205",
  "#5319e7",
  "#fbca04",
  "#006b75",
  "#e99695",
  "#8a5a00",
  "#c2e0c6",
  "#0052cc",
  "#ff7619",
] as const;

interface Membership {
  readOnly: boolean;
  color: string;
  allowed: boolean;
  /** When the facts of the last answer were read. */
  checkedAt: number;
}

class LiveDoc {
  readonly ydoc = new Y.Doc();
  readonly awareness: Awareness;
  readonly members = new Set<string>();
  /** Which expert (and which of their sockets) speaks for each awareness client id. */
  readonly owners = new Map<number, { userId: string; socketId: string }>();
  loaded: Promise<void> | null = null;
  unloadTimer: NodeJS.Timeout | null = null;
  uncompacted = 0;
  /** What goes to the local members at the next flush: committed updates and awareness frames. */
  readonly outbox = {
    updates: [] as Uint8Array[],
    awareness: [] as Uint8Array[],
    /** The sockets whose own messages are in the outbox; one sender is skipped, several are not. */
    senders: new Set<string | null>(),
  };
  /** When the outbox last went out (performance.now()), and the timer of the next window. */
  lastFanOut = Number.NEGATIVE_INFINITY;
  /** Every member's access, read together (see `stillAllowed`). */
  readonly access: {
    judge: ((userId: string, locale: Locale) => DocAccess) | null;
    checkedAt: number;
    refreshing?: Promise<void> | undefined;
  } = { judge: null, checkedAt: 0 };
  fanOutTimer: NodeJS.Timeout | null = null;
  private snapshotCache: Y.Snapshot | null = null;

  constructor(
    readonly name: string,
    readonly ref: DocRef,
  ) {
    this.awareness = new Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    this.ydoc.on("update", () => {
      this.snapshotCache = null;
    });
    this.awareness.on("update", ({ removed }: { removed: number[] }) => {
      for (const id of removed) this.owners.delete(id);
    });
  }

  get room() {
    return `doc:${this.name}`;
  }

  /** Whether everything in the update is already in the document (so already durable). */
  contains(update: Uint8Array): boolean {
    const sv = this.ydoc.store;
    const { to } = Y.parseUpdateMeta(update);
    for (const [client, clock] of to) if (Y.getState(sv, client) < clock) return false;
    this.snapshotCache ??= Y.snapshot(this.ydoc);
    return Y.snapshotContainsUpdate(this.snapshotCache, update);
  }

  destroy() {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    if (this.fanOutTimer) clearTimeout(this.fanOutTimer);
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

const ZJoin = z.object({ doc: z.string().max(200) });

/**
 * The panel's live documents: one Y.Doc per document name in memory, loaded from PostgreSQL on the
 * first join and unloaded after the last member left; every update committed before it is acked
 * or broadcast; access checked on join and on every message; awareness rewritten so nobody poses as
 * another expert. Several processes share documents through PostgreSQL (truth) and the adapter's
 * server-side events (fan-out).
 */
export class DocumentService {
  private io: AnyServer | null = null;
  private readonly docs = new Map<string, LiveDoc>();
  private readonly sockets = new WeakMap<AnySocket, Map<string, Membership>>();
  private readonly batcher: CommitBatcher;
  private readonly drops = new Map<DropReason, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly compacting = new Set<string>();
  /** The compaction running or last run; the next one waits for it. */
  private compactions: Promise<unknown> = Promise.resolve();
  /** Documents with something in their outbox; flushed together once the current I/O is handled. */
  private readonly dirty = new Set<LiveDoc>();
  private flushScheduled = false;
  private readonly options: Required<DocumentOptions>;
  private closed = false;
  private lastDropLog = 0;

  /**
   * @param commitDb where the update batches are appended; a pool of their own in production, so
   *   appends never queue behind reads and compactions (decision 0019). Defaults to `db`.
   */
  constructor(
    private readonly db: Db,
    options: DocumentOptions = {},
    commitDb: Db = db,
  ) {
    this.options = {
      unloadGraceMs: 30_000,
      accessCacheMs: 3_000,
      compactEveryMs: 60_000,
      compactAfterUpdates: 500,
      resyncEveryMs: 15_000,
      clustered: false,
      fanOutWindowMs: 30,
      ...options,
    };
    this.batcher = new CommitBatcher(commitDb);
  }

  /** Installs the server-side listeners and timers; called once with the socket.io server. */
  bind(io: Server) {
    const server = io as unknown as AnyServer;
    this.io = server;
    server.on("yjs:update", (doc, update) => this.onRemoteUpdate(doc, update));
    server.on("yjs:awareness", (doc, frame, userId, socketId) =>
      this.onRemoteAwareness(doc, frame, userId, socketId),
    );
    server.on("yjs:awareness-wanted", (doc) => this.onAwarenessWanted(doc));
    if (this.options.compactEveryMs > 0) {
      this.timers.push(setInterval(() => void this.compactAll(), this.options.compactEveryMs).unref());
    }
    if (this.options.clustered && this.options.resyncEveryMs > 0) {
      this.timers.push(setInterval(() => void this.resyncAll(), this.options.resyncEveryMs).unref());
    }
  }

  /** Registers the document events on a connected, authenticated socket. */
  attach(socket: Socket) {
    const s = socket as unknown as AnySocket;
    this.sockets.set(s, new Map());
    const on = s as unknown as {
      on(event: string, listener: (...args: unknown[]) => void): void;
    };
    on.on(SocketEvent.DOC_JOIN, (...args) => void this.guard("join", () => this.onJoin(s, args)));
    on.on(SocketEvent.DOC_LEAVE, (...args) => void this.guard("leave", () => this.onLeave(s, args)));
    on.on(SocketEvent.DOC_SYNC, (...args) => void this.guard("sync", () => this.onSync(s, args)));
    on.on(
      SocketEvent.DOC_AWARENESS,
      (...args) => void this.guard("awareness", () => this.onAwareness(s, args)),
    );
    s.on("disconnect", () => {
      for (const name of [...(this.sockets.get(s)?.keys() ?? [])]) this.leave(s, name);
    });
  }

  /** Counters of dropped frames by reason, and what is loaded. */
  health() {
    return {
      documents: this.docs.size,
      dropped: Object.fromEntries(this.drops),
      commits: { ...this.batcher.stats },
    };
  }

  /** Stops the timers and waits for the commits in flight (acks of committed updates still go out). */
  async close() {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.batcher.drain();
    for (const live of this.docs.values()) live.destroy();
    this.docs.clear();
  }

  /** Re-reads every loaded document from PostgreSQL and sends local members what they missed. */
  async resyncAll() {
    for (const live of [...this.docs.values()]) {
      try {
        await this.resync(live);
      } catch (error) {
        console.error(`[panel] resync of a document failed: ${(error as Error).message}`);
      }
    }
  }

  /** Compacts every document with uncompacted updates (the minute timer). */
  async compactAll() {
    if (this.closed) return;
    try {
      const pending = await yjsRepository.pendingCounts(this.db, 1);
      for (const { doc } of pending) await this.compact(doc);
    } catch (error) {
      console.error(`[panel] compaction pass failed: ${(error as Error).message}`);
    }
  }

  /**
   * Compacts one document's updates into its snapshot. One compaction at a time in this process:
   * documents of a busy meeting day reach the threshold together, and forty at once would hold every
   * connection of the pool and the event loop while the appends wait.
   */
  async compact(doc: string): Promise<number> {
    if (this.compacting.has(doc)) return 0;
    this.compacting.add(doc);
    const run = this.compactions.then(async () => {
      try {
        const merged = await yjsRepository.compact(this.db, doc, mergeUpdates, new Date());
        const live = this.docs.get(doc);
        if (live) live.uncompacted = Math.max(0, live.uncompacted - merged);
        return merged;
      } finally {
        this.compacting.delete(doc);
      }
    });
    this.compactions = run.catch(() => 0);
    return run;
  }

  // --- handlers ---------------------------------------------------------------------------------

  private async guard(what: string, run: () => Promise<void>) {
    try {
      await run();
    } catch (error) {
      console.error(`[panel] doc ${what} failed: ${(error as Error).message}`);
    }
  }

  private async onJoin(socket: AnySocket, args: unknown[]) {
    const reply = ackOf(args);
    const { locale, actor } = socket.data;
    const parsed = ZJoin.safeParse(args[0]);
    const ref = parsed.success ? parseDocName(parsed.data.doc) : null;
    if (!parsed.success || !ref) {
      this.drop("not-joined");
      return reply({ ok: false, error: { code: SocketErrorCode.BAD_MESSAGE, message: badMessage(locale) } });
    }
    const name = parsed.data.doc;
    const access = await checkDocAccess(this.db, actor, ref, locale);
    if (!access.ok) {
      return reply({ ok: false, error: { code: SocketErrorCode.DOC_FORBIDDEN, message: access.message } });
    }
    const color = await this.colorOf(ref.meetingId, actor.user.id);
    const live = this.acquire(name, ref);
    live.members.add(socket.id);
    try {
      await live.loaded;
    } catch (error) {
      this.release(live, socket.id);
      console.error(`[panel] loading a document failed: ${(error as Error).message}`);
      return reply({
        ok: false,
        error: { code: SocketErrorCode.INTERNAL, message: internalMessage(locale) },
      });
    }
    if (!socket.connected) return this.release(live, socket.id);
    this.sockets
      .get(socket)
      ?.set(name, { readOnly: access.readOnly, color, allowed: true, checkedAt: Date.now() });
    await socket.join(live.room);
    const joined: DocJoined = {
      doc: name,
      readOnly: access.readOnly,
      color,
      name: actor.user.name,
      userId: actor.user.id,
    };
    reply({ ok: true, data: joined });
    const emit = socket as unknown as { emit(event: string, payload: unknown): void };
    emit.emit(SocketEvent.DOC_SYNC, { doc: name, data: syncStep1(live.ydoc) });
    emit.emit(SocketEvent.DOC_SYNC, { doc: name, data: syncStep2(live.ydoc) });
    const present = [...live.awareness.getStates().keys()];
    if (present.length > 0) {
      emit.emit(SocketEvent.DOC_AWARENESS, {
        doc: name,
        data: encodeAwarenessUpdate(live.awareness, present),
      });
    }
    // Members on other processes are known here only if this process held the document when they
    // arrived: ask them for their presence, which comes back through onRemoteAwareness.
    if (this.options.clustered) this.io?.serverSideEmit("yjs:awareness-wanted", live.name);
  }

  private async onLeave(socket: AnySocket, args: unknown[]) {
    const parsed = ZJoin.safeParse(args[0]);
    if (parsed.success) this.leave(socket, parsed.data.doc);
  }

  private async onSync(socket: AnySocket, args: unknown[]) {
    const reply = ackOf(args);
    const { locale, actor } = socket.data;
    const frame = this.frame(socket, args[0], MAX_SYNC_FRAME_BYTES);
    if (!frame.ok) {
      return reply({ ok: false, error: { code: SocketErrorCode.BAD_MESSAGE, message: badMessage(locale) } });
    }
    const { live, data, membership } = frame;
    const message = readSyncFrame(data);
    if (!message) {
      this.drop("malformed-sync");
      return reply({ ok: false, error: { code: SocketErrorCode.BAD_MESSAGE, message: badMessage(locale) } });
    }
    if (!(await this.stillAllowed(socket, live, membership))) {
      this.drop("forbidden");
      return reply({ ok: false, error: { code: SocketErrorCode.DOC_FORBIDDEN, message: forbidden(locale) } });
    }
    if (message.kind === "step1") {
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit(SocketEvent.DOC_SYNC, {
        doc: live.name,
        data: syncStep2(live.ydoc, message.stateVector),
      });
      return reply({ ok: true, data: { persisted: false } });
    }
    if (membership.readOnly) {
      this.drop("read-only");
      return reply({ ok: true, data: { persisted: false } });
    }
    // Nothing new (an empty step 2, or a resend of what is already stored): durable already.
    if (isEmptyUpdate(message.update) || live.contains(message.update)) {
      return reply({ ok: true, data: { persisted: true } });
    }
    try {
      await this.batcher.commit({ doc: live.name, update: message.update, userId: actor.user.id });
    } catch (error) {
      console.error(`[panel] committing an update failed: ${(error as Error).message}`);
      return reply({
        ok: false,
        error: { code: SocketErrorCode.INTERNAL, message: internalMessage(locale) },
      });
    }
    this.applyCommitted(live, message.update, socket.id);
    if (this.options.clustered) this.io?.serverSideEmit("yjs:update", live.name, message.update);
    reply({ ok: true, data: { persisted: true } });
  }

  private async onAwareness(socket: AnySocket, args: unknown[]) {
    const { actor } = socket.data;
    const frame = this.frame(socket, args[0], MAX_AWARENESS_FRAME_BYTES);
    if (!frame.ok) return;
    const { live, data, membership } = frame;
    const entries = readAwarenessFrame(data);
    if (!entries) return this.drop("malformed-awareness");
    if (!(await this.stillAllowed(socket, live, membership))) return this.drop("forbidden");
    const mine = [...live.owners.values()].filter((o) => o.socketId === socket.id).length;
    let claimed = mine;
    const kept: AwarenessEntry[] = [];
    for (const entry of entries) {
      const owner = live.owners.get(entry.clientId);
      if (owner && owner.userId !== actor.user.id) {
        this.drop("foreign-awareness");
        continue;
      }
      if (!owner || owner.socketId !== socket.id) {
        if (claimed >= MAX_CLIENT_IDS_PER_SOCKET) {
          this.drop("foreign-awareness");
          continue;
        }
        claimed++;
      }
      live.owners.set(entry.clientId, { userId: actor.user.id, socketId: socket.id });
      const state =
        entry.state === null
          ? null
          : {
              ...entry.state,
              user: { id: actor.user.id, name: actor.user.name, color: membership.color },
            };
      kept.push({ ...entry, state });
    }
    if (kept.length === 0) return;
    const rewritten = writeAwarenessFrame(kept);
    applyAwarenessUpdate(live.awareness, rewritten, socket.id);
    this.enqueue(live, "awareness", rewritten, socket.id);
    if (this.options.clustered) {
      this.io?.serverSideEmit("yjs:awareness", live.name, rewritten, actor.user.id, socket.id);
    }
  }

  // --- remote (other panel processes) -----------------------------------------------------------

  private onRemoteUpdate(doc: unknown, update: unknown) {
    const live = typeof doc === "string" ? this.docs.get(doc) : undefined;
    const bytes = frameBytes(update);
    if (!live || !bytes) return;
    this.applyCommitted(live, bytes, null);
  }

  private onRemoteAwareness(doc: unknown, frame: unknown, userId: unknown, socketId: unknown) {
    const live = typeof doc === "string" ? this.docs.get(doc) : undefined;
    const bytes = frameBytes(frame);
    if (!live || !bytes || typeof userId !== "string" || typeof socketId !== "string") return;
    const entries = readAwarenessFrame(bytes);
    if (!entries) return;
    for (const entry of entries) {
      if (entry.state === null) live.owners.delete(entry.clientId);
      else live.owners.set(entry.clientId, { userId, socketId });
    }
    try {
      applyAwarenessUpdate(live.awareness, bytes, "remote");
    } catch {
      return;
    }
    this.enqueue(live, "awareness", bytes, null);
  }

  /** Another process has a new member in `doc`: send it the presence of this process's own members. */
  private onAwarenessWanted(doc: unknown) {
    const live = typeof doc === "string" ? this.docs.get(doc) : undefined;
    if (!live) return;
    const bySocket = new Map<string, { userId: string; ids: number[] }>();
    for (const [id, owner] of live.owners) {
      if (!live.members.has(owner.socketId) || !live.awareness.getStates().has(id)) continue;
      const entry = bySocket.get(owner.socketId) ?? { userId: owner.userId, ids: [] };
      entry.ids.push(id);
      bySocket.set(owner.socketId, entry);
    }
    for (const [socketId, { userId, ids }] of bySocket) {
      const frame = encodeAwarenessUpdate(live.awareness, ids);
      this.io?.serverSideEmit("yjs:awareness", live.name, frame, userId, socketId);
    }
  }

  // --- internals --------------------------------------------------------------------------------

  /** Applies a committed update to the in-memory document and sends it to this process's members. */
  private applyCommitted(live: LiveDoc, update: Uint8Array, except: string | null) {
    if (this.docs.get(live.name) !== live) return;
    try {
      Y.applyUpdate(live.ydoc, update, "committed");
    } catch (error) {
      console.error(`[panel] applying a committed update failed: ${(error as Error).message}`);
    }
    this.enqueue(live, "updates", update, except);
    live.uncompacted++;
    if (live.uncompacted > this.options.compactAfterUpdates && !this.compacting.has(live.name)) {
      void this.compact(live.name).catch((error: unknown) =>
        console.error(`[panel] compaction failed: ${(error as Error).message}`),
      );
    }
  }

  /**
   * Queues a committed update or an awareness frame for the document's local members. What a
   * document gathers goes out as one message per kind: one merged update, one awareness frame with
   * every changed entry. The first message after a quiet spell goes out right after the current I/O
   * callbacks; messages within `fanOutWindowMs` of the last fan-out wait for the end of that window.
   * A busy room thus costs each member a few messages a window instead of one per change and
   * cursor move (decision 0019), for a delay no one in a meeting notices.
   */
  private enqueue(live: LiveDoc, kind: "updates" | "awareness", data: Uint8Array, sender: string | null) {
    live.outbox[kind].push(data);
    live.outbox.senders.add(sender);
    if (live.fanOutTimer || this.dirty.has(live)) return;
    const wait = live.lastFanOut + this.options.fanOutWindowMs - performance.now();
    if (wait > 0) {
      live.fanOutTimer = setTimeout(() => {
        live.fanOutTimer = null;
        this.fanOut(live);
      }, wait);
      return;
    }
    this.dirty.add(live);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush() {
    this.flushScheduled = false;
    const docs = [...this.dirty];
    this.dirty.clear();
    for (const live of docs) this.fanOut(live);
  }

  private fanOut(live: LiveDoc) {
    const { updates, awareness, senders } = live.outbox;
    // A sender gets its own update or state back only when others' are merged with it: applying
    // what one already has changes nothing (Yjs skips known items; an awareness clock not newer is
    // ignored).
    const except = senders.size === 1 ? [...senders][0]! : null;
    live.outbox.updates = [];
    live.outbox.awareness = [];
    live.outbox.senders = new Set();
    live.lastFanOut = performance.now();
    if (this.docs.get(live.name) !== live) return;
    const presence = awareness.length > 0 ? mergeAwarenessFrames(awareness) : undefined;
    if (updates.length > 0) {
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      // Both kinds of the window travel in one packet: a member's socket writes and decodes one
      // message instead of two (the socket contract's `awareness` field of `doc:sync`).
      this.toLocalRoom(live, SocketEvent.DOC_SYNC, syncUpdate(update), except, presence);
    } else if (presence) {
      this.toLocalRoom(live, SocketEvent.DOC_AWARENESS, presence, except);
    }
  }

  private toLocalRoom(
    live: LiveDoc,
    event: string,
    data: Uint8Array,
    except: string | null,
    awareness?: Uint8Array,
  ) {
    const io = this.io as unknown as Server | null;
    if (!io) return;
    const target = except ? io.local.to(live.room).except(except) : io.local.to(live.room);
    const frame: DocSyncFrame = awareness ? { doc: live.name, data, awareness } : { doc: live.name, data };
    target.emit(event, frame);
  }

  private frame(
    socket: AnySocket,
    payload: unknown,
    limit: number,
  ): { ok: true; live: LiveDoc; data: Uint8Array; membership: Membership } | { ok: false } {
    const object =
      typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {};
    const data = frameBytes(object.data);
    if (typeof object.doc !== "string" || !data) {
      this.drop("not-bytes");
      return { ok: false };
    }
    if (data.byteLength > limit) {
      this.drop("oversized");
      return { ok: false };
    }
    const membership = this.sockets.get(socket)?.get(object.doc);
    const live = this.docs.get(object.doc);
    if (!membership || !live) {
      this.drop("not-joined");
      return { ok: false };
    }
    return { ok: true, live, data, membership };
  }

  /**
   * The access check per message. A socket's answer is reused for `accessCacheMs`; after that it is
   * judged again from the document's facts for all its members, read in one query at most once per
   * `accessCacheMs` whoever asks (a thousand experts do not mean a thousand queries every few
   * seconds, all expiring together). A refusal evicts the socket.
   */
  private async stillAllowed(socket: AnySocket, live: LiveDoc, membership: Membership): Promise<boolean> {
    const ttl = this.options.accessCacheMs;
    if (Date.now() - membership.checkedAt >= ttl) {
      if (Date.now() - live.access.checkedAt >= ttl) {
        live.access.refreshing ??= (async () => {
          const readAt = Date.now();
          const judge = await membersDocAccess(this.db, live.ref);
          live.access.judge = judge;
          live.access.checkedAt = readAt;
        })().finally(() => {
          live.access.refreshing = undefined;
        });
        await live.access.refreshing;
      }
      const { judge, checkedAt } = live.access;
      if (judge) {
        const access = judge(socket.data.actor.user.id, socket.data.locale);
        membership.allowed = access.ok;
        if (access.ok) membership.readOnly = access.readOnly;
        membership.checkedAt = checkedAt;
      }
    }
    if (!membership.allowed) this.leave(socket, live.name);
    return membership.allowed;
  }

  private acquire(name: string, ref: DocRef): LiveDoc {
    let live = this.docs.get(name);
    if (!live) {
      live = new LiveDoc(name, ref);
      this.docs.set(name, live);
      live.loaded = this.load(live);
      // Nobody may be waiting on it yet when it fails; the joiner sees the failure itself.
      live.loaded.catch(() => this.docs.get(name) === live && this.unload(live!));
    }
    if (live.unloadTimer) {
      clearTimeout(live.unloadTimer);
      live.unloadTimer = null;
    }
    return live;
  }

  private async load(live: LiveDoc) {
    const stored = await yjsRepository.loadDoc(this.db, live.name);
    Y.transact(
      live.ydoc,
      () => {
        if (stored.snapshot) tryApply(live.ydoc, stored.snapshot);
        for (const row of stored.updates) tryApply(live.ydoc, row.update);
      },
      "stored",
    );
    live.uncompacted = stored.updates.length;
  }

  private async resync(live: LiveDoc) {
    await live.loaded;
    const before = Y.snapshot(live.ydoc);
    const sv = Y.encodeStateVector(live.ydoc);
    const stored = await yjsRepository.loadDoc(this.db, live.name);
    if (this.docs.get(live.name) !== live) return;
    if (stored.snapshot) tryApply(live.ydoc, stored.snapshot);
    for (const row of stored.updates) tryApply(live.ydoc, row.update);
    if (Y.equalSnapshots(before, Y.snapshot(live.ydoc))) return;
    this.toLocalRoom(live, SocketEvent.DOC_SYNC, syncUpdate(Y.encodeStateAsUpdate(live.ydoc, sv)), null);
  }

  private leave(socket: AnySocket, name: string) {
    const memberships = this.sockets.get(socket);
    if (!memberships?.delete(name)) return;
    const live = this.docs.get(name);
    if (!live) return;
    void socket.leave(live.room);
    const ids = [...live.owners].filter(([, o]) => o.socketId === socket.id).map(([id]) => id);
    for (const id of ids) live.owners.delete(id);
    // An id whose only state was ignored (clock 0) has nothing to remove or encode.
    const known = ids.filter((id) => live.awareness.meta.has(id));
    if (known.length > 0) {
      removeAwarenessStates(live.awareness, known, "left");
      const frame = encodeAwarenessUpdate(live.awareness, known);
      this.enqueue(live, "awareness", frame, socket.id);
      if (this.options.clustered) {
        this.io?.serverSideEmit("yjs:awareness", live.name, frame, socket.data.actor.user.id, socket.id);
      }
    }
    this.release(live, socket.id);
  }

  private release(live: LiveDoc, socketId: string) {
    live.members.delete(socketId);
    if (live.members.size > 0 || live.unloadTimer || this.closed) return;
    live.unloadTimer = setTimeout(() => {
      live.unloadTimer = null;
      if (live.members.size === 0) this.unload(live);
    }, this.options.unloadGraceMs);
    live.unloadTimer.unref();
  }

  private unload(live: LiveDoc) {
    if (this.docs.get(live.name) === live) this.docs.delete(live.name);
    live.destroy();
  }

  private async colorOf(meetingId: string, userId: string): Promise<string> {
    const members = await meetingRepository.members(this.db, meetingId);
    const ids = members.map((m) => m.userId).sort();
    const index = Math.max(0, ids.indexOf(userId));
    return PALETTE[index % PALETTE.length]!;
  }

  private drop(reason: DropReason) {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
    const now = Date.now();
    if (now - this.lastDropLog > 10_000) {
      this.lastDropLog = now;
      console.warn(`[panel] dropped frames so far: ${JSON.stringify(Object.fromEntries(this.drops))}`);
    }
  }
}

/** Merges stored state for compaction: a fresh document, so deleted content is garbage-collected. */
export function mergeUpdates(snapshot: Uint8Array | null, updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => {
      if (snapshot) tryApply(doc, snapshot);
      for (const update of updates) tryApply(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

function tryApply(doc: Y.Doc, update: Uint8Array) {
  try {
    Y.applyUpdate(doc, update, "stored");
  } catch (error) {
    console.error(`[panel] a stored update could not be applied: ${(error as Error).message}`);
  }
}

type Ack = (reply: unknown) => void;

function ackOf(args: unknown[]): Ack {
  const last = args.at(-1);
  const ack = typeof last === "function" ? (last as Ack) : null;
  return (reply) => {
    try {
      ack?.(reply);
    } catch {
      // A client's broken ack must not take the handler down.
    }
  };
}

function badMessage(locale: Locale) {
  return locale === "en" ? "The message was not understood." : "消息格式不正确。";
}

function forbidden(locale: Locale) {
  return locale === "en" ? "You may no longer annotate this dossier." : "您已无权批注该材料。";
}

function internalMessage(locale: Locale) {
  return locale === "en"
    ? "Something went wrong on the server; please try again."
    : "服务器出错，请稍后重试。";
}
