// The baseline of bench:surge: a bare node:http server that streams each request body to its own
// file, hashing on the way, and answers with the sha256 and size it wrote. Run as its own process,
// like the portal, so the client side of both measurements is the same.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

const dir = process.argv[2];
const port = Number(process.argv[3]);
if (!dir || !port) throw new Error("usage: baseline-server.ts <dir> <port>");

const NAME = /^\/upload\/([0-9a-z-]{1,80})$/;

const server = createServer((req, res) => {
  const name = NAME.exec(req.url ?? "")?.[1];
  if (req.method !== "POST" || !name) {
    res.writeHead(404).end();
    return;
  }
  const hash = createHash("sha256");
  let size = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  pipeline(req, hasher, createWriteStream(join(dir, name), { flags: "wx" })).then(
    () => {
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sha256: hash.digest("hex"), size }));
    },
    (error: Error) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(error.message);
    },
  );
});

server.listen(port, "127.0.0.1", () => console.log(`baseline listening on 127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
