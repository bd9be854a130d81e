import { Agent, type IncomingHttpHeaders, request } from "node:http";

export interface Timed {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Request start to the last byte of the response, in milliseconds. */
  ms: number;
}

/** One virtual client: its own keep-alive connections, as each applicant's browser has. */
export function clientAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/** One request to loopback with exactly these headers and body; rejects on a network error or timeout. */
export function send(options: {
  agent: Agent;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  timeoutMs: number;
}): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: options.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        agent: options.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.setTimeout(options.timeoutMs, () =>
      req.destroy(new Error(`${options.method} ${options.path} timed out after ${options.timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
