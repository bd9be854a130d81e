/**
 * The client's view of the socket protocol. The server's definitions live in server/socket-codes.ts,
 * which lint keeps out of the browser bundle (even as types); server/socket.test.ts checks at compile
 * time that the two agree.
 */
export interface SocketErrorData {
  code: string;
  message: string;
}

export type SocketAck<T> = { ok: true; data: T } | { ok: false; error: SocketErrorData };

export interface ServerToClientEvents {
  "lobby:hello": (payload: { name: string }) => void;
}

export interface ClientToServerEvents {
  "lobby:ping": (
    payload: { nonce: string },
    ack: (reply: SocketAck<{ nonce: string; serverTime: string }>) => void,
  ) => void;
}
