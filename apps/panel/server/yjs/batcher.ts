import { type Db, type YjsUpdateRow, yjsRepository } from "@titles/db";

interface Waiting {
  row: YjsUpdateRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** Commits running at once; more updates wait and go out together in the next one. */
  maxInFlight?: number;
  maxRows?: number;
  maxBytes?: number;
}

/**
 * Commits the updates that arrive in one event-loop tick, across all documents, as one multi-row
 * insert. `commit` resolves once the row is durable: only then may the caller ack or broadcast it.
 * Under load the batches grow instead of the number of concurrent transactions.
 */
export class CommitBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private readonly maxInFlight: number;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  /** Sizes of the batches written, for tests and the health report. */
  readonly stats = { batches: 0, rows: 0, largestBatch: 0 };

  constructor(
    private readonly db: Db,
    options: BatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.maxRows = options.maxRows ?? 500;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  }

  commit(row: YjsUpdateRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule() {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this loop turn: everything that arrived with them
    // goes into one insert.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush() {
    if (this.queue.length === 0) return this.settle();
    let bytes = 0;
    let take = 0;
    while (take < this.queue.length && take < this.maxRows) {
      bytes += this.queue[take]!.row.update.byteLength;
      take++;
      if (bytes >= this.maxBytes) break;
    }
    const batch = this.queue.splice(0, take);
    this.inFlight++;
    this.schedule();
    try {
      await yjsRepository.appendUpdates(
        this.db,
        batch.map((w) => w.row),
      );
      this.stats.batches++;
      this.stats.rows += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
      this.settle();
    }
  }

  private settle() {
    if (this.queue.length > 0 || this.inFlight > 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
