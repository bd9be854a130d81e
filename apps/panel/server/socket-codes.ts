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
} as const;

export interface ServerToClientEvents {
  "lobby:hello": (payload: { name: string }) => void;
}

export interface ClientToServerEvents {
  /** A liveness check the client may send; the ack echoes the nonce with the server time. */
  "lobby:ping": (
    payload: { nonce: string },
    ack: (reply: SocketAck<{ nonce: string; serverTime: string }>) => void,
  ) => void;
}
