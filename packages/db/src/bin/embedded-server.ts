// Runs the embedded database for `npm start`: prints "ready <url>" once it accepts connections.
import { resolve } from "node:path";
import { startEmbeddedServer } from "../embedded";

const dataDir = resolve(process.argv[2] ?? ".data/pgdata");
const port = Number(process.argv[3] ?? 54329);
const server = await startEmbeddedServer({ dataDir, port });
console.log(`ready ${server.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
