import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { TOPOLOGY } from "./ports.mjs";

interface Entry {
  method: string;
  path: string;
  status: number;
  upstreams: number[];
}

/** nginx's access log (format `titles`, deploy/nginx.conf): which process answered each request. */
function entries(): Entry[] {
  const lines = readFileSync(TOPOLOGY.accessLog, "utf8").split("\n").filter(Boolean);
  return lines.map((line) => {
    const request = /"(\S+) (\S+) [^"]*" (\d{3})/.exec(line);
    const upstream = /upstream=(.*)$/.exec(line)?.[1] ?? "";
    return {
      method: request?.[1] ?? "",
      path: request?.[2] ?? "",
      status: Number(request?.[3] ?? 0),
      upstreams: [...upstream.matchAll(/:(\d+)/g)].map((m) => Number(m[1])),
    };
  });
}

test("both portals and both panels served the flows through the proxy", () => {
  const log = entries();
  const servedBy = (port: number) => log.filter((e) => e.upstreams.at(-1) === port && e.status < 500);
  const counts = Object.fromEntries(
    [...TOPOLOGY.webPorts, ...TOPOLOGY.panelPorts].map((port) => [port, servedBy(port).length]),
  );
  const sockets = Object.fromEntries(
    TOPOLOGY.panelPorts.map((port) => [
      port,
      servedBy(port).filter((e) => e.path.startsWith("/socket.io/") && e.status === 101).length,
    ]),
  );
  test
    .info()
    .annotations.push(
      { type: "requests per process", description: JSON.stringify(counts) },
      { type: "websockets per panel", description: JSON.stringify(sockets) },
    );
  for (const port of [...TOPOLOGY.webPorts, ...TOPOLOGY.panelPorts]) {
    expect(counts[port], `process on :${port} answered requests`).toBeGreaterThan(0);
  }
  // The live annotation ran over websockets through the proxy.
  expect(Object.values(sockets).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
  // No request failed on the server side anywhere in the run.
  expect(log.filter((e) => e.status >= 500).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([]);
});

test("every request of one resumable upload goes to the same portal process", async ({ request }) => {
  // The flows' photos are small enough to travel in the creating POST; here each of eight upload ids
  // is continued (HEAD, PATCH) four times. Without a session the portal refuses them (401), which is
  // enough: the log says which process answered.
  const ids = Array.from({ length: 8 }, (_, n) => `${"0".repeat(24)}${String(n).padStart(8, "0")}`);
  for (const id of ids) {
    for (let n = 0; n < 2; n++) {
      const head = await request.head(`${TOPOLOGY.portalUrl}/api/uploads/${id}`, {
        headers: { "Tus-Resumable": "1.0.0" },
      });
      expect(head.status()).toBe(401);
      const patch = await request.patch(`${TOPOLOGY.portalUrl}/api/uploads/${id}`, {
        headers: {
          "Tus-Resumable": "1.0.0",
          "Upload-Offset": "0",
          "Content-Type": "application/offset+octet-stream",
        },
        data: Buffer.from("x"),
      });
      expect(patch.status()).toBe(401);
    }
  }
  // nginx writes a request's log line just after its answer.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const byUpload = new Map<string, Set<number>>();
  for (const entry of entries()) {
    const id = /^\/api\/uploads\/([0-9a-f]{32})$/.exec(entry.path)?.[1];
    const port = entry.upstreams.at(-1);
    if (!id || port === undefined || !ids.includes(id)) continue;
    byUpload.set(id, (byUpload.get(id) ?? new Set()).add(port));
  }
  expect(byUpload.size).toBe(ids.length);
  for (const [id, ports] of byUpload) expect([...ports], `upload ${id}`).toHaveLength(1);
  // Different uploads spread over both portals.
  expect(new Set([...byUpload.values()].flatMap((ports) => [...ports])).size).toBe(2);
});
