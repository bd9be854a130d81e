import type { Server as HttpServer } from "node:http";
import type { Db } from "@titles/db";
import type { Locale } from "@titles/ui";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import * as socketParser from "../shared/socket-parser";
import { type Actor, checkPanelAccess, readCookies } from "./access";
import type { CommitteeLive } from "./committee/live";
import { allowedOrigin, crossSiteMessage } from "./origin";
import {
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketAck,
  SocketErrorCode,
  type SocketErrorData,
  SocketEvent,
} from "./socket-codes";
import type { DocumentService, InterServerEvents } from "./yjs/documents";

interface SocketData {
  actor: Actor;
  locale: Locale;
}

export type PanelIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type PanelSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** socket.io's handshake refusal: `message` is the stable code, `data` the code and the wording. */
class HandshakeRefused extends Error {
  readonly data: SocketErrorData;
  constructor(code: SocketErrorCode, message: string) {
    super(code);
    this.data = { code, message };
  }
}

export function createPanelIo(
  httpServer: HttpServer,
  deps: { db: Db; secret: string; origins: string[]; documents?: DocumentService; committee?: CommitteeLive },
): PanelIo {
  const io: PanelIo = new Server(httpServer, {
    path: "/socket.io",
    // Long-polling would need sticky sessions behind the load balancer; websockets do not.
    transports: ["websocket"],
    parser: socketParser,
    // A page on another origin must not ride the expert's cookie into the panel (cross-site WebSocket
    // hijacking); clients without an Origin header (not browsers) are judged by the cookie alone.
    allowRequest: (req, callback) => {
      if (allowedOrigin(req.headers, deps.origins)) return callback(null, true);
      console.warn("[panel] 拒绝跨站套接字 / refused a socket opened from another origin");
      callback(crossSiteMessage(req.headers["accept-language"]), false);
    },
    serveClient: false,
    maxHttpBufferSize: 1e6,
  });

  io.use((socket, next) => {
    const { session, locale } = readCookies(socket.handshake.headers.cookie);
    checkPanelAccess(deps.db, { session, locale, secret: deps.secret, now: new Date() })
      .then((access) => {
        if (!access.ok) return next(new HandshakeRefused(access.code, access.message));
        socket.data.actor = access.actor;
        socket.data.locale = locale;
        next();
      })
      .catch((error: unknown) => {
        console.error("[panel] handshake failed:", error);
        next(new HandshakeRefused(SocketErrorCode.INTERNAL, internalMessage(locale)));
      });
  });

  deps.documents?.bind(io);
  deps.committee?.bind(io);
  io.on("connection", (socket) => {
    socket.on("error", (error) => console.error("[panel] socket error:", error.message));
    handle(socket, SocketEvent.LOBBY_PING, ZLobbyPing, async (payload) => ({
      nonce: payload.nonce,
      serverTime: new Date().toISOString(),
    }));
    deps.documents?.attach(socket);
    deps.committee?.attach(socket);
    socket.emit(SocketEvent.LOBBY_HELLO, { name: socket.data.actor.user.name });
  });

  return io;
}

const ZLobbyPing = z.object({ nonce: z.string().max(100) });

/**
 * Registers a message handler that cannot take the process down: the payload crosses its schema, a
 * throw becomes an error ack, and a missing or malformed ack callback is ignored.
 */
function handle<I, O>(
  socket: PanelSocket,
  event: keyof ClientToServerEvents,
  schema: z.ZodType<I>,
  run: (payload: I, socket: PanelSocket) => Promise<O>,
) {
  const anySocket = socket as unknown as Socket;
  anySocket.on(event, async (...args: unknown[]) => {
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as (reply: SocketAck<O>) => void) : null;
    const reply = (value: SocketAck<O>) => {
      try {
        ack?.(value);
      } catch (error) {
        console.error(`[panel] ack for ${event} failed:`, error);
      }
    };
    const locale = socket.data.locale;
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      reply({ ok: false, error: { code: SocketErrorCode.BAD_MESSAGE, message: badMessage(locale) } });
      return;
    }
    try {
      reply({ ok: true, data: await run(parsed.data, socket) });
    } catch (error) {
      console.error(`[panel] handler for ${event} failed:`, error);
      reply({ ok: false, error: { code: SocketErrorCode.INTERNAL, message: internalMessage(locale) } });
    }
  });
}

function badMessage(locale: Locale) {
  return locale === "en" ? "The message was not understood." : "消息格式不正确。";
}

function internalMessage(locale: Locale) {
  return locale === "en"
    ? "Something went wrong on the server; please try again."
    : "服务器出错，请稍后重试。";
}
