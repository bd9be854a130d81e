// What the orchestrator (bench/panel.ts) hands a load-generator process, and what it gets back.
// Both sides import this file; it is plain data so it crosses a process boundary as JSON.

export type SystemKind = "bare" | "hocuspocus" | "panel";

export const systemLabels: Record<SystemKind, string> = {
  bare: "bare socket.io broadcast",
  hocuspocus: "Hocuspocus 4.7 (in memory)",
  panel: "panel (PostgreSQL before ack)",
};

/** One shared document (one meeting's applicant) and the clients sitting in it. */
export interface RoomPlan {
  /** The document name: a room for the bare server, a document for Hocuspocus and the panel. */
  doc: string;
  /** One entry a member; `cookie` only for the panel (the portal's session cookie). */
  members: Array<{ name: string; cookie?: string }>;
}

export interface GeneratorPlan {
  system: SystemKind;
  /** `http://127.0.0.1:<port>` (socket.io) or `ws://127.0.0.1:<port>` (Hocuspocus). */
  url: string;
  rooms: RoomPlan[];
  /** Milliseconds between one client's annotation changes (and between its cursor moves). */
  periodMs: number;
  warmUpMs: number;
  measureMs: number;
  /** After the last change: how long to wait for every delivery before counting what is missing. */
  drainMs: number;
  /** Clients connecting at once while the generator sets up. */
  connectBatch: number;
  /**
   * Where the generator writes its result: `<out>.json`, and the latency samples (float64, native
   * byte order) in `<out>.changes.f64`, `<out>.cursors.f64` and `<out>.acks.f64`.
   */
  out: string;
}

export interface GeneratorResult {
  system: SystemKind;
  clients: number;
  /** Shared clock (performance.timeOrigin + performance.now()) of the measured window. */
  measureStart: number;
  measureEnd: number;
  /** Changes sent in the window (by send time), and in the whole run. */
  sentInWindow: number;
  sentTotal: number;
  /** Deliveries of changes sent in the window: expected (sent × other members) and recorded. */
  expectedDeliveries: number;
  deliveries: number;
  awarenessSentInWindow: number;
  /** Cursor moves sent in the window, times the other members. */
  expectedAwarenessDeliveries: number;
  awarenessDeliveries: number;
  /** Panel only: acks received (persisted true), refused or timed out, over the whole run. */
  acked: number;
  ackFailures: number;
  /** Each document's total changes sent (for the check against PostgreSQL). */
  sentPerDoc: Record<string, number>;
  /** Clients whose document did not hold every change of its room after the drain. */
  notConverged: number;
  /** Disconnects seen during the run (a reconnect would blur the figures). */
  disconnects: number;
  disconnectReasons: Record<string, number>;
  /** CPU seconds this generator used during the window. */
  cpuSeconds: number;
  /** This generator's event-loop delay from the start of the warm-up to the end of the window (ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** How late the changes of the window were sent against their schedule (ms). */
  sendLateP99Ms: number;
  sendLateMaxMs: number;
  errors: string[];
}
