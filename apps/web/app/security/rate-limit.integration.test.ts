import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimits, type RateLimitConfig } from "./rate-limit.server";

const rate = (points: number, seconds = 60) => ({ points, seconds });
const config = (over: Partial<RateLimitConfig> = {}): RateLimitConfig => ({
  login: { perIp: rate(5), perKey: rate(2) },
  sms: { perIp: rate(5), perKey: rate(2) },
  smsVerify: { perIp: rate(5), perKey: rate(2) },
  upload: { perIp: rate(5), perKey: rate(2) },
  allowIps: [],
  ...over,
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// The shared store: a throwaway redis-server, as the panel's suites start one.
const redisBinary = "/usr/bin/redis-server";
describe.each([
  ["memory", false],
  ["redis", true],
] as const)("rate limits in %s", (_name, useRedis) => {
  let child: ChildProcess | null = null;
  let client: ReturnType<typeof createClient> | null = null;

  beforeAll(async () => {
    if (!useRedis) return;
    if (!existsSync(redisBinary)) throw new Error(`${redisBinary} is needed for this suite`);
    const port = await freePort();
    child = spawn(redisBinary, ["--port", String(port), "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    // As the portal makes it (limits.server.ts): no offline queue, so a command fails at once while away.
    client = createClient({ url: `redis://127.0.0.1:${port}`, disableOfflineQueue: true });
    client.on("error", () => {});
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        break;
      } catch (error) {
        if (i > 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  afterAll(async () => {
    // disconnect, not quit: after the test that kills Redis, quit would wait for a server that is gone.
    await client?.disconnect().catch(() => {});
    child?.kill("SIGKILL");
  });

  it("refuses the account past its budget with the seconds to wait, and other accounts go on", async () => {
    const limits = createRateLimits(config(), client ?? undefined);
    expect(await limits.consume("login", { ip: "10.0.0.1", key: "alice" })).toEqual({ ok: true });
    expect(await limits.consume("login", { ip: "10.0.0.1", key: "alice" })).toEqual({ ok: true });
    const third = await limits.consume("login", { ip: "10.0.0.1", key: "alice" });
    expect(third.ok).toBe(false);
    expect(!third.ok && third.retryAfterSeconds).toBeGreaterThan(0);
    expect(!third.ok && third.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await limits.consume("login", { ip: "10.0.0.1", key: "bob" })).toEqual({ ok: true });
    // Counted in Redis itself, not in the per-process insurance limiter.
    if (client) expect((await client.keys("rl:login:*")).length).toBeGreaterThan(0);
    // Each kind has its own budget.
    expect(await limits.consume("sms", { ip: "10.0.0.1", key: "alice" })).toEqual({ ok: true });
  });

  it("refuses the address past its budget whoever signs in from it, but not an allowed address", async () => {
    const limits = createRateLimits(
      config({ upload: { perIp: rate(3), perKey: rate(100) }, allowIps: ["10.9.9.9"] }),
      client ?? undefined,
    );
    const answers = [];
    for (const key of ["a", "b", "c", "d"])
      answers.push(await limits.consume("upload", { ip: "10.0.0.2", key }));
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, false]);
    for (let i = 0; i < 10; i++)
      expect((await limits.consume("upload", { ip: "10.9.9.9", key: `k${i}` })).ok).toBe(true);
  });

  // Only the Redis store can be away.
  if (useRedis)
    it("keeps counting in memory while Redis is away, instead of failing or hanging", async () => {
      const limits = createRateLimits(config(), client ?? undefined);
      child?.kill("SIGKILL");
      await new Promise((resolve) => child?.once("exit", resolve));
      // A hang (commands queued for a server that is gone) would run into this test's timeout.
      expect(await limits.consume("smsVerify", { ip: "10.0.0.3", key: "carol" })).toEqual({ ok: true });
      expect(await limits.consume("smsVerify", { ip: "10.0.0.3", key: "carol" })).toEqual({ ok: true });
      expect((await limits.consume("smsVerify", { ip: "10.0.0.3", key: "carol" })).ok).toBe(false);
    }, 15_000);
});
