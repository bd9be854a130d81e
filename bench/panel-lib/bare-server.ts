// Baseline (b) of bench:panel, the floor: a bare socket.io server (websocket transport only, like the
// panel) that relays each message to the other sockets of its room. No persistence, no access check,
// no Yjs on the server. Run as its own process so its CPU is measured apart from the clients.
import { createServer } from "node:http";
import { Server } from "socket.io";
import * as socketParser from "../../apps/panel/shared/socket-parser";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error("usage: bare-server.ts <port>");

const httpServer = createServer();
const io = new Server(httpServer, {
  transports: ["websocket"],
  parser: socketParser,
  serveClient: false,
  maxHttpBufferSize: 1e6,
});

io.on("connection", (socket) => {
  let room: string | null = null;
  socket.on("join", (name: unknown, ack: unknown) => {
    if (typeof name !== "string" || name.length > 200 || room !== null) return;
    room = name;
    void socket.join(name);
    if (typeof ack === "function") ack({ ok: true });
  });
  // Yjs updates and awareness updates, as they came, to everyone else in the room.
  socket.on("u", (data: unknown) => {
    if (room && data instanceof Uint8Array) socket.to(room).emit("u", data);
  });
  socket.on("a", (data: unknown) => {
    if (room && data instanceof Uint8Array) socket.to(room).emit("a", data);
  });
});

httpServer.listen(port, "127.0.0.1", () => console.log(`bare socket.io listening on ${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    io.close();
    process.exit(0);
  });
}
