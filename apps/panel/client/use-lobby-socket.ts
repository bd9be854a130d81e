import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import * as socketParser from "../shared/socket-parser";
import type { ClientToServerEvents, ServerToClientEvents, SocketErrorData } from "./socket-contract";

export type ConnectionState =
  | { status: "connecting" }
  | { status: "connected"; greetedAs: string | null }
  | { status: "refused"; code: string; message: string };

type PanelSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One websocket to the panel while the lobby is shown; reconnects by itself unless the server refused us. */
export function useLobbySocket(): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: "connecting" });

  useEffect(() => {
    const socket: PanelSocket = io({
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      withCredentials: true,
    });
    socket.on("connect", () => setState({ status: "connected", greetedAs: null }));
    socket.on("lobby:hello", (payload) => setState({ status: "connected", greetedAs: payload.name }));
    socket.on("disconnect", () => setState({ status: "connecting" }));
    socket.on("connect_error", (error: Error & { data?: SocketErrorData }) => {
      // A refusal by the server's handshake check is final; a network error is retried by socket.io.
      if (!socket.active && error.data) {
        setState({ status: "refused", code: error.data.code, message: error.data.message });
      } else {
        setState({ status: "connecting" });
      }
    });
    return () => {
      socket.disconnect();
    };
  }, []);

  return state;
}
