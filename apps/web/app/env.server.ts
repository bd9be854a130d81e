import { z } from "zod";

/** "points/seconds", e.g. "20/600": twenty in ten minutes. */
const ZRate = (fallback: string) =>
  z
    .string()
    .regex(/^[1-9]\d*\/[1-9]\d*$/, "a rate limit is written points/seconds, e.g. 20/600")
    .default(fallback)
    .transform((v) => {
      const [points, seconds] = v.split("/").map(Number) as [number, number];
      return { points, seconds };
    });

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET needs at least 32 characters"),
  LOOKUP_HASH_KEY: z.string().min(32, "LOOKUP_HASH_KEY needs at least 32 characters"),
  /**
   * Keys that encrypt ID and phone numbers at rest (decision 0016): base64url of 32 bytes each,
   * comma-separated, the newest first (it encrypts; all of them decrypt). Derived from LOOKUP_HASH_KEY
   * when unset, for bare development runs; `npm start` and `npm run start:prod` always set it.
   */
  DATA_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => v.split(",").every((k) => /^[A-Za-z0-9_-]{43}$/.test(k.trim())),
      "DATA_ENCRYPTION_KEY must be base64url keys of 32 bytes, comma-separated, newest first",
    )
    .optional(),
  SMS_PROVIDER: z.enum(["simulator"]).default("simulator"),
  PAYMENT_PROVIDER: z.enum(["simulator"]).default("simulator"),
  /** Shared with the payment gateway (signed callbacks); derived from SESSION_SECRET when unset. */
  PAYMENT_SECRET: z.string().min(32, "PAYMENT_SECRET needs at least 32 characters").optional(),
  /**
   * The built-in payment simulator's API root (`…/gateway-sim`). Its orders live in the memory of the web
   * process that serves it, so with several web processes all of them name one (decision 0018); by
   * default each process uses its own.
   */
  PAYMENT_GATEWAY_URL: z.string().url("PAYMENT_GATEWAY_URL must be an http(s) URL").optional(),
  PANEL_URL: z.string().url().default("http://localhost:3001"),
  /** The public base URL printed in certificate QR codes and credential ids; defaults to http://localhost:PORT. */
  PUBLIC_URL: z.string().url("PUBLIC_URL must be an http(s) URL").optional(),
  /**
   * Ed25519 seed (base64url of 32 bytes) that signs certificates; derived from SESSION_SECRET when unset
   * (fine for development, not for production: rotating SESSION_SECRET would change the issuer key).
   */
  CERTIFICATE_SIGNING_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9_-]{43}$/.test(v), "CERTIFICATE_SIGNING_KEY must be base64url of 32 bytes")
    .optional(),
  /** Hops of reverse proxy in front of the server whose X-Forwarded-For is trusted. */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  /** The built app (`remix vite:build`), relative to apps/web or absolute; the fault suite runs a snapshot. */
  BUILD_DIR: z.string().min(1).default("build"),
  /** Content-addressed file store and the tus staging folder. */
  FILES_DIR: z.string().default(".data/files"),
  UPLOADS_DIR: z.string().default(".data/uploads"),
  /** Test-only: lets the e2e suite move the server clock. Production refuses to start with it. */
  ALLOW_TEST_CLOCK: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Test-only, with ALLOW_TEST_CLOCK: a file through which several web processes share the moved clock. */
  TEST_CLOCK_FILE: z.string().min(1).optional(),
  /**
   * Recurring job schedules (the deadline sweep every minute). On by default; off by default with
   * ALLOW_TEST_CLOCK, where the e2e suite runs jobs on demand through /test/jobs.
   */
  JOB_SCHEDULES: z.enum(["on", "off"]).optional(),
  /** Shared rate-limit counters across web processes; memory (per process) when unset. */
  REDIS_URL: z.string().url("REDIS_URL must be a redis:// URL").optional(),
  /**
   * Rate limits (decision 0015), each "points/seconds": so many requests in so many seconds.
   * Per address counts everyone behind one address (an office), so it gets more room than one account.
   */
  RATE_LIMIT_LOGIN_PER_IP: ZRate("300/600"),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: ZRate("20/600"),
  RATE_LIMIT_SMS_PER_IP: ZRate("30/3600"),
  RATE_LIMIT_SMS_PER_PHONE: ZRate("5/3600"),
  RATE_LIMIT_SMS_VERIFY_PER_IP: ZRate("100/600"),
  RATE_LIMIT_SMS_VERIFY_PER_PHONE: ZRate("10/600"),
  RATE_LIMIT_UPLOAD_PER_IP: ZRate("3000/60"),
  RATE_LIMIT_UPLOAD_PER_USER: ZRate("600/60"),
  /** Comma-separated client addresses the per-address limits skip (a load-test host); empty by default. */
  RATE_LIMIT_ALLOW_IPS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});

/** PUBLIC_URL always has a value after parsing (defaulted from PORT, no trailing slash). */
export type Env = Omit<z.infer<typeof ZEnv>, "PUBLIC_URL"> & { PUBLIC_URL: string };

let cached: Env | null = null;

/** Parsed once; a bad variable stops start-up with the list of problems. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`配置无效 / invalid configuration:\n${lines.join("\n")}`);
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.ALLOW_TEST_CLOCK) {
    throw new Error(
      "配置无效 / invalid configuration: ALLOW_TEST_CLOCK 不能用于生产环境 / is refused in production",
    );
  }
  const publicUrl = (parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, "");
  return { ...parsed.data, PUBLIC_URL: publicUrl };
}

/** What the browser may know. */
export function publicEnv() {
  return { PANEL_URL: env().PANEL_URL, SMS_SIMULATOR: env().SMS_PROVIDER === "simulator" };
}
