/**
 * Stable codes the panel's socket sends when it refuses a connection or a message. Clients branch on
 * the code, never on the wording; the wording (zh-CN or en) travels beside it.
 */
export const SocketErrorCode = {
  /** No session cookie came with the handshake. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The cookie failed its signature check (tampered or from another secret). */
  SESSION_INVALID: "SESSION_INVALID",
  /** The session is gone: logged out, idle too long or past its absolute lifetime. */
  SESSION_EXPIRED: "SESSION_EXPIRED",
  /** Signed in, but holding neither the expert nor the chair role. */
  FORBIDDEN: "FORBIDDEN",
  /** A message did not match its schema. */
  BAD_MESSAGE: "BAD_MESSAGE",
  /** Not a member of the meeting, the application is not on its agenda, or the expert is recused. */
  DOC_FORBIDDEN: "DOC_FORBIDDEN",
  /** A handler failed; the connection stays up. */
  INTERNAL: "INTERNAL",
} as const;
export type SocketErrorCode = (typeof SocketErrorCode)[keyof typeof SocketErrorCode];

/** Codes that end the handshake; a client should send the user to log in (or away) rather than retry. */
export type SocketAccessCode = Extract<
  SocketErrorCode,
  "UNAUTHENTICATED" | "SESSION_INVALID" | "SESSION_EXPIRED" | "FORBIDDEN"
>;

/** What `connect_error` carries in `error.data` when the handshake is refused (`error.message` is the code). */
export interface SocketErrorData {
  code: SocketErrorCode;
  message: string;
}

/** The one ack shape for every client → server message. */
export type SocketAck<T> = { ok: true; data: T } | { ok: false; error: SocketErrorData };

export const SocketEvent = {
  LOBBY_HELLO: "lobby:hello",
  LOBBY_PING: "lobby:ping",
  DOC_JOIN: "doc:join",
  DOC_LEAVE: "doc:leave",
  DOC_SYNC: "doc:sync",
  DOC_AWARENESS: "doc:awareness",
} as const;

/**
 * The panel documents (Yjs) over socket.io. `doc` is `meeting:<id>:application:<id>:v<version>`;
 * `data` is one y-protocols message as bytes: for `doc:sync` a sync message (step 1, step 2 or update,
 * y-protocols/sync), for `doc:awareness` an awareness update (y-protocols/awareness).
 *
 * - `doc:join`: the server checks the right to the document, then sends its sync step 1 and step 2 as
 *   `doc:sync`; the client answers the server's step 1 with its step 2 and sends its own step 1. Both
 *   sides end up with everything the other had (state vectors both ways), on every (re)connect.
 * - Client updates go as `doc:sync` with an ack: the server acks only after the update is committed to
 *   PostgreSQL, and broadcasts it to the other members only then. The client keeps every unacked update
 *   and sends it again after a reconnect (Yjs applies an update once, whatever the repeats).
 * - Awareness carries the expert's name, colour, page and cursor; the server rewrites the user part so
 *   nobody can pose as another expert. When the server has both an update and awareness changes of
 *   the same moment for a document, it sends them as one `doc:sync` whose `awareness` field holds the
 *   awareness update, to be applied after the sync message (one packet instead of two per member).
 * - A read-only member (observer) receives everything; its updates are dropped (the ack says so).
 * - Malformed or oversized frames are dropped and counted; the ack carries BAD_MESSAGE. Limits:
 *   DOC_FRAME_LIMITS (a larger frame is never read).
 * - A client's step 1 is answered with the server's step 2 (ack `{ persisted: false }`: nothing stored).
 * - Access is checked again on every message (the answer may be reused for a few seconds): once the
 *   expert is recused or removed, writes get DOC_FORBIDDEN and the socket is taken out of the document.
 */
/** The largest `doc:sync` and `doc:awareness` frames the server reads, in bytes. */
export const DOC_FRAME_LIMITS = { sync: 256 * 1024, awareness: 32 * 1024 } as const;

export interface DocJoined {
  doc: string;
  readOnly: boolean;
  /** The colour of this expert's annotations and cursor in this meeting. */
  color: string;
  name: string;
  userId: string;
}

export interface DocFrame {
  doc: string;
  data: Uint8Array;
}

/** What the server sends as `doc:sync`: a sync message, with the awareness changes of the same moment. */
export interface DocSyncFrame extends DocFrame {
  awareness?: Uint8Array;
}

export interface ServerToClientEvents {
  "lobby:hello": (payload: { name: string }) => void;
  "doc:sync": (frame: DocSyncFrame) => void;
  "doc:awareness": (frame: DocFrame) => void;
}

export interface ClientToServerEvents {
  /** A liveness check the client may send; the ack echoes the nonce with the server time. */
  "lobby:ping": (
    payload: { nonce: string },
    ack: (reply: SocketAck<{ nonce: string; serverTime: string }>) => void,
  ) => void;
  "doc:join": (payload: { doc: string }, ack: (reply: SocketAck<DocJoined>) => void) => void;
  "doc:leave": (payload: { doc: string }) => void;
  /** An update's ack comes after it is committed; `persisted: false` for a read-only member's dropped write. */
  "doc:sync": (frame: DocFrame, ack?: (reply: SocketAck<{ persisted: boolean }>) => void) => void;
  "doc:awareness": (frame: DocFrame) => void;
}
