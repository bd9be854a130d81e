// A load-generator process of bench:panel: many experts' clients, each a real Y.Doc with awareness
// on its own websocket, against one of the three systems. Started by bench/panel.ts with the path of
// its plan; prints `ready` when every client has joined and synced, waits for `go <ms>` on
// stdin, runs the warm-up and the measured window, waits for the deliveries, writes its result and
// prints `done`. All clients of a room live in the same generator, so one clock stamps and reads.
import { readFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { io, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import * as socketParser from "../../apps/panel/shared/socket-parser";
import { percentile } from "../lib/stats";
import type { GeneratorPlan, GeneratorResult, RoomPlan } from "./plan";

const plan = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as GeneratorPlan;

/** One clock for stamping and reading, inside this process (its members' rooms are all here). */
const clock = () => performance.timeOrigin + performance.now();
const REMOTE = Symbol("remote");
const ACK_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 30_000;

/** An annotation as the panel client stores it: a rectangle with a comment, stamped when made. */
interface Annotation {
  kind: "rect";
  page: number;
  rect: [number, number, number, number];
  comment: string;
  author: string;
  sentAt: number;
}

interface Room {
  plan: RoomPlan;
  sent: number;
}

let measureStart = Number.POSITIVE_INFINITY;
let measureEnd = Number.POSITIVE_INFINITY;
const inWindow = (t: number) => t >= measureStart && t < measureEnd;

const samples: number[] = [];
const awarenessSamples: number[] = [];
const ackSamples: number[] = [];
/** How late each change of the window went out against its schedule (a busy generator lags). */
const sendLate: number[] = [];
const errors: string[] = [];
const counts = {
  sentInWindow: 0,
  sentTotal: 0,
  expectedDeliveries: 0,
  awarenessSentInWindow: 0,
  expectedAwarenessDeliveries: 0,
  acked: 0,
  ackFailures: 0,
  disconnects: 0,
};
const disconnectReasons: Record<string, number> = {};
function disconnected(reason: string) {
  counts.disconnects += 1;
  disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
}
function fail(what: string) {
  if (errors.length < 50) errors.push(what);
}

/** What every client does whatever the system: record deliveries of changes and of cursors. */
abstract class BenchClient {
  readonly doc = new Y.Doc();
  readonly annotations = this.doc.getMap<Annotation>("annotations");
  abstract readonly awareness: Awareness;
  private seq = 0;

  constructor(
    readonly room: Room,
    readonly name: string,
  ) {
    this.annotations.observe((event) => {
      if (event.transaction.local) return;
      const now = clock();
      for (const [key, change] of event.changes.keys) {
        if (change.action !== "add") continue;
        const sentAt = this.annotations.get(key)?.sentAt;
        if (typeof sentAt === "number" && inWindow(sentAt)) samples.push(now - sentAt);
      }
    });
  }

  /** Called by subclasses once their awareness exists. */
  protected watchAwareness(): void {
    this.awareness.on("update", (changes: { added: number[]; updated: number[] }, origin: unknown) => {
      if (origin === "local") return;
      const now = clock();
      for (const id of [...changes.added, ...changes.updated]) {
        if (id === this.awareness.clientID) continue;
        const sentAt = (this.awareness.getStates().get(id) as { cursor?: { sentAt?: number } } | undefined)
          ?.cursor?.sentAt;
        if (typeof sentAt === "number" && inWindow(sentAt)) awarenessSamples.push(now - sentAt);
      }
    });
  }

  abstract connect(): Promise<void>;
  abstract close(): void;

  /** One annotation change: a new rectangle with a comment on some page. */
  change(): void {
    this.seq += 1;
    const sentAt = clock();
    const value: Annotation = {
      kind: "rect",
      page: 1 + (this.seq % 40),
      rect: [72 + (this.seq % 300), 100 + ((this.seq * 7) % 500), 120, 40],
      comment: `${this.name} 第 ${this.seq} 条意见：论文与业绩材料一致，数据需核对。`,
      author: this.name,
      sentAt,
    };
    this.room.sent += 1;
    counts.sentTotal += 1;
    if (inWindow(sentAt)) {
      counts.sentInWindow += 1;
      counts.expectedDeliveries += this.room.plan.members.length - 1;
    }
    this.annotations.set(`${this.name}:${this.seq}`, value);
  }

  /** The cursor moves (awareness), stamped like a change. */
  moveCursor(): void {
    const sentAt = clock();
    if (inWindow(sentAt)) {
      counts.awarenessSentInWindow += 1;
      counts.expectedAwarenessDeliveries += this.room.plan.members.length - 1;
    }
    this.awareness.setLocalStateField("cursor", {
      page: 1 + (this.seq % 40),
      x: Math.round(Math.random() * 600),
      y: Math.round(Math.random() * 800),
      sentAt,
    });
  }
}

/**
 * The changed awareness entries this client speaks for: its own state only. Remote states that time
 * out locally also raise `update`, and sending those would claim other experts' client ids.
 */
function own(awareness: Awareness, c: { added: number[]; updated: number[]; removed: number[] }): number[] {
  const id = awareness.clientID;
  return [...c.added, ...c.updated, ...c.removed].filter((changed) => changed === id);
}

function bytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** (b) The floor: Yjs updates and awareness updates relayed as they are by a bare socket.io room. */
class BareClient extends BenchClient {
  readonly awareness = new Awareness(this.doc);
  private socket: Socket | null = null;

  async connect(): Promise<void> {
    this.watchAwareness();
    const socket = io(plan.url, {
      transports: ["websocket"],
      parser: socketParser,
      forceNew: true,
      reconnection: false,
    });
    this.socket = socket;
    socket.on("disconnect", (reason: string) => disconnected(reason));
    socket.on("u", (data: unknown) => {
      const update = bytes(data);
      if (update) Y.applyUpdate(this.doc, update, REMOTE);
    });
    socket.on("a", (data: unknown) => {
      const update = bytes(data);
      if (update) applyAwarenessUpdate(this.awareness, update, REMOTE);
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) socket.emit("u", update);
    });
    this.awareness.on(
      "update",
      (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const mine = own(this.awareness, c);
        if (origin === REMOTE || mine.length === 0) return;
        socket.emit("a", encodeAwarenessUpdate(this.awareness, mine));
      },
    );
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once("connect_error", reject);
        socket.once("connect", () => socket.emit("join", this.room.plan.doc, () => resolve()));
      }),
      JOIN_TIMEOUT_MS,
      "bare join",
    );
  }

  close(): void {
    this.socket?.close();
    this.awareness.destroy();
  }
}

/** (a) Hocuspocus: its own provider over `ws`, one websocket a client. */
class HocuspocusClient extends BenchClient {
  readonly awareness = new Awareness(this.doc);
  private provider: HocuspocusProvider | null = null;
  private socket: HocuspocusProviderWebsocket | null = null;

  async connect(): Promise<void> {
    this.watchAwareness();
    const socket = new HocuspocusProviderWebsocket({
      url: plan.url,
      WebSocketPolyfill: WebSocket,
      maxAttempts: 1,
    });
    this.socket = socket;
    await withTimeout(
      new Promise<void>((resolve) => {
        const provider = new HocuspocusProvider({
          websocketProvider: socket,
          name: this.room.plan.doc,
          document: this.doc,
          awareness: this.awareness,
          onSynced: () => resolve(),
          onDisconnect: () => disconnected("hocuspocus disconnect"),
        });
        this.provider = provider;
        provider.attach();
      }),
      JOIN_TIMEOUT_MS,
      "hocuspocus sync",
    );
  }

  close(): void {
    this.provider?.destroy();
    this.socket?.destroy();
  }
}

/**
 * (c) The panel, by its socket contract (apps/panel/server/socket-codes.ts): the portal's session
 * cookie at the handshake, `doc:join` with an ack, y-protocols sync messages as `doc:sync` (each
 * update acked once committed to PostgreSQL), awareness as `doc:awareness`.
 */
class PanelClient extends BenchClient {
  readonly awareness = new Awareness(this.doc);
  private socket: Socket | null = null;

  constructor(
    room: Room,
    name: string,
    readonly cookie: string,
  ) {
    super(room, name);
  }

  async connect(): Promise<void> {
    this.watchAwareness();
    const doc = this.room.plan.doc;
    const socket = io(plan.url, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      forceNew: true,
      reconnection: false,
      extraHeaders: { Cookie: this.cookie },
    });
    this.socket = socket;
    let synced: () => void = () => {};
    const serverStep2 = new Promise<void>((resolve) => {
      synced = resolve;
    });
    socket.on("disconnect", (reason: string) => disconnected(reason));
    socket.on("doc:sync", (frame: { doc?: unknown; data?: unknown; awareness?: unknown }) => {
      const data = bytes(frame?.data);
      if (frame?.doc !== doc || !data) return;
      const encoder = encoding.createEncoder();
      const type = syncProtocol.readSyncMessage(decoding.createDecoder(data), encoder, this.doc, REMOTE);
      if (encoding.length(encoder) > 0)
        socket.emit("doc:sync", { doc, data: encoding.toUint8Array(encoder) });
      if (type === syncProtocol.messageYjsSyncStep2) synced();
      // The awareness changes of the same moment ride along (the socket contract's `awareness`).
      const presence = bytes(frame.awareness);
      if (presence) applyAwarenessUpdate(this.awareness, presence, REMOTE);
    });
    socket.on("doc:awareness", (frame: { doc?: unknown; data?: unknown }) => {
      const data = bytes(frame?.data);
      if (frame?.doc === doc && data) applyAwarenessUpdate(this.awareness, data, REMOTE);
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      const encoder = encoding.createEncoder();
      syncProtocol.writeUpdate(encoder, update);
      const sentAt = clock();
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit(
          "doc:sync",
          { doc, data: encoding.toUint8Array(encoder) },
          (error: Error | null, reply?: { ok: boolean; data?: { persisted?: boolean } }) => {
            if (!error && reply?.ok && reply.data?.persisted) {
              counts.acked += 1;
              if (inWindow(sentAt)) ackSamples.push(clock() - sentAt);
            } else {
              counts.ackFailures += 1;
              fail(`update not acked: ${error ? error.message : JSON.stringify(reply)}`);
            }
          },
        );
    });
    this.awareness.on(
      "update",
      (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const mine = own(this.awareness, c);
        if (origin === REMOTE || mine.length === 0) return;
        socket.emit("doc:awareness", { doc, data: encodeAwarenessUpdate(this.awareness, mine) });
      },
    );
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once("connect_error", (error: Error & { data?: unknown }) =>
          reject(new Error(`panel handshake refused: ${error.message} ${JSON.stringify(error.data ?? "")}`)),
        );
        socket.once("connect", () => {
          socket.emit(
            "doc:join",
            { doc },
            (reply: { ok: boolean; error?: { code: string; message: string } }) => {
              if (!reply?.ok) {
                reject(new Error(`doc:join refused: ${reply?.error?.code} ${reply?.error?.message}`));
                return;
              }
              const encoder = encoding.createEncoder();
              syncProtocol.writeSyncStep1(encoder, this.doc);
              socket.emit("doc:sync", { doc, data: encoding.toUint8Array(encoder) });
              resolve();
            },
          );
        });
      }),
      JOIN_TIMEOUT_MS,
      "panel join",
    );
    await withTimeout(serverStep2, JOIN_TIMEOUT_MS, "panel sync step 2");
  }

  close(): void {
    this.socket?.close();
    this.awareness.destroy();
  }
}

function makeClient(room: Room, member: RoomPlan["members"][number]): BenchClient {
  switch (plan.system) {
    case "bare":
      return new BareClient(room, member.name);
    case "hocuspocus":
      return new HocuspocusClient(room, member.name);
    case "panel":
      if (!member.cookie) throw new Error("a panel client needs a session cookie");
      return new PanelClient(room, member.name, member.cookie);
    default: {
      const never: never = plan.system;
      throw new Error(`unknown system ${never}`);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const rooms: Room[] = plan.rooms.map((p) => ({ plan: p, sent: 0 }));
  const clients = rooms.flatMap((room) => room.plan.members.map((m) => makeClient(room, m)));
  // Connect in batches so set-up is not one thundering herd (set-up is not measured).
  for (let i = 0; i < clients.length; i += plan.connectBatch) {
    await Promise.all(clients.slice(i, i + plan.connectBatch).map((c) => c.connect()));
  }
  for (const c of clients) c.moveCursor();
  console.log(`ready ${clients.length}`);

  const startAt = await new Promise<number>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      // `go <ms>`: start in that many milliseconds by this process's clock. An absolute time from
      // the parent would not do: on this VM the clocks of two processes can disagree by seconds.
      const m = /^go (\d+(?:\.\d+)?)$/.exec(line.trim());
      if (m) {
        lines.close();
        resolve(clock() + Number(m[1]));
      }
    });
  });
  measureStart = startAt + plan.warmUpMs;
  measureEnd = measureStart + plan.measureMs;
  // This process's own CPU over the window (a tree reading would count tsx's esbuild helper too).
  let cpuAtStart = 0;
  let cpuAtEnd = 0;
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  // How late this process's event loop ran (warm-up and window): a saturated generator would blur
  // every latency.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  setTimeout(() => {
    cpuAtStart = cpuSeconds();
  }, measureStart - clock());
  setTimeout(() => {
    cpuAtEnd = cpuSeconds();
    loopDelay.disable();
  }, measureEnd - clock());

  // Each client: one change and one cursor move per period, at its own random phase; the schedule
  // is computed from the start so timer drift does not add up.
  await Promise.all(
    clients.map(async (client) => {
      const phase = Math.random() * plan.periodMs;
      for (let k = 0; ; k += 1) {
        const at = startAt + phase + k * plan.periodMs;
        if (at >= measureEnd) break;
        await sleep(Math.max(0, at - clock()));
        if (at >= measureStart) sendLate.push(clock() - at);
        client.change();
        const cursorAt = at + plan.periodMs / 2;
        if (cursorAt >= measureEnd) break;
        await sleep(Math.max(0, cursorAt - clock()));
        client.moveCursor();
      }
    }),
  );

  // Drain: wait until every client holds every change of its room, or the time is up.
  await sleep(Math.max(0, measureEnd - clock()) + 50);
  const drainUntil = clock() + plan.drainMs;
  const behind = () => clients.filter((c) => c.annotations.size !== c.room.sent).length;
  while (behind() > 0 && clock() < drainUntil) await sleep(100);
  if (plan.system === "panel") {
    while (counts.acked + counts.ackFailures < counts.sentTotal && clock() < drainUntil + ACK_TIMEOUT_MS) {
      await sleep(100);
    }
  }
  const notConverged = behind();

  const sentPerDoc: Record<string, number> = {};
  for (const room of rooms) sentPerDoc[room.plan.doc] = room.sent;
  const result: GeneratorResult = {
    system: plan.system,
    clients: clients.length,
    measureStart,
    measureEnd,
    sentInWindow: counts.sentInWindow,
    sentTotal: counts.sentTotal,
    expectedDeliveries: counts.expectedDeliveries,
    deliveries: samples.length,
    awarenessSentInWindow: counts.awarenessSentInWindow,
    awarenessDeliveries: awarenessSamples.length,
    expectedAwarenessDeliveries: counts.expectedAwarenessDeliveries,
    acked: counts.acked,
    ackFailures: counts.ackFailures,
    sentPerDoc,
    notConverged,
    disconnects: counts.disconnects,
    disconnectReasons,
    cpuSeconds: cpuAtEnd - cpuAtStart,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    sendLateP99Ms: percentile(sendLate, 99),
    sendLateMaxMs: percentile(sendLate, 100),
    errors,
  };
  writeFileSync(`${plan.out}.changes.f64`, new Float64Array(samples));
  writeFileSync(`${plan.out}.cursors.f64`, new Float64Array(awarenessSamples));
  writeFileSync(`${plan.out}.acks.f64`, new Float64Array(ackSamples));
  writeFileSync(`${plan.out}.json`, JSON.stringify(result));
  for (const c of clients) c.close();
  console.log("done");
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`generator failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  process.exit(1);
});
