// Baseline (a) of bench:panel: Hocuspocus 4.7 with its defaults, documents in memory only (no
// persistence extension), so an update is broadcast as soon as it is applied and never stored.
import { Server } from "@hocuspocus/server";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error("usage: hocuspocus-server.ts <port>");

const server = new Server({ port, address: "127.0.0.1", quiet: true, stopOnSignals: true });
await server.listen();
console.log(`hocuspocus listening on ${port}`);
