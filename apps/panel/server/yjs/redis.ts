import { createAdapter } from "@socket.io/redis-streams-adapter";

export type AdapterRedisClient = Parameters<typeof createAdapter>[0];

/**
 * The socket.io Redis streams adapter over a connected `redis` client. The adapter (0.3.1) sends its
 * pub/sub messages (server-side events) without waiting for the reply, so a PUBLISH still waiting
 * when Redis goes away is an unhandled rejection that would end the process; this client's
 * publish swallows that failure instead (the resync after Redis is back repairs what was lost).
 */
export function redisAdapter(client: AdapterRedisClient) {
  const guarded = new Proxy(client as object, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "publish" || property === "sPublish") {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(() => 0);
      }
      return value.bind(target);
    },
  });
  return createAdapter(guarded as AdapterRedisClient);
}
