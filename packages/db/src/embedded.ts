import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Extended-protocol messages that belong to one sequence ending with Sync ('S'): Parse, Bind,
// Describe, Execute, Close, Flush. PGlite has one unnamed statement and portal for everyone.
const EXTENDED = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const SYNC = "S".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);

/**
 * The queue that decides whose message PGlite runs next. pglite-socket 0.2.17 keeps a connection's
 * messages together only inside an explicit transaction, so two pooled connections' Parse/Bind/
 * Execute/Sync sequences interleave: one connection's Bind meets the other's Parse ("unnamed
 * prepared statement does not exist") or reads the other's rows. This queue keeps a connection until
 * its sequence is synced and its transaction is over.
 */
class SequenceQueue {
  private queue: Pending[] = [];
  private processing = false;
  private owner: number | null = null;
  private midSequence = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private next(): Pending | undefined {
    const held = this.owner !== null && (this.midSequence || this.db.isInTransaction());
    if (!held) return this.queue.shift();
    const index = this.queue.findIndex((p) => p.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const type = item.message[0] ?? 0;
        this.owner = item.handlerId;
        if (EXTENDED.has(type)) this.midSequence = true;
        else if (type === SYNC || type === QUERY) this.midSequence = false;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((p) => {
      if (p.handlerId !== handlerId) return true;
      p.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A connection that drops mid-transaction or mid-sequence must not hold PGlite for ever. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    this.midSequence = false;
    await this.process();
  }
}

/**
 * Serves one PGlite over the PostgreSQL wire protocol, so the web and panel processes connect with
 * the same driver and pool as in production; only the URL differs.
 */
export async function startEmbeddedServer(options: {
  dataDir?: string;
  port: number;
  host?: string;
}): Promise<EmbeddedServer> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, port: options.port, host, maxConnections: 64 });
  // The library's queue is private; this replaces it before any connection arrives.
  (server as unknown as { queryQueue: SequenceQueue }).queryQueue = new SequenceQueue(db);
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
