import { z } from "zod";

// Origins are compared and concatenated ("/login"), so a trailing slash is dropped.
const ZOrigin = (name: string, fallback: string) =>
  z
    .string()
    .url(`${name} 必须是网址 / must be a URL`)
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ""));

const ZPanelEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  DATABASE_URL: z
    .string({ error: "DATABASE_URL 未设置 / is not set" })
    .url("DATABASE_URL 必须是 postgres:// 地址 / must be a postgres:// URL"),
  SESSION_SECRET: z
    .string({ error: "SESSION_SECRET 未设置 / is not set" })
    .min(
      32,
      "SESSION_SECRET 至少 32 个字符，且须与门户相同 / needs at least 32 characters, the same as the portal's",
    ),
  PORTAL_URL: ZOrigin("PORTAL_URL", "http://localhost:3000"),
  PANEL_URL: ZOrigin("PANEL_URL", "http://localhost:3001"),
  /** How the browser client is served; by default Vite in development, the build otherwise, none in unit tests. */
  PANEL_CLIENT: z.enum(["vite", "dist", "none"]).optional(),
  /** The portal's content-addressed file store, where the dossier PDFs are (the same folder as the portal's). */
  FILES_DIR: z.string().min(1).optional(),
  /**
   * The portal's keys for ID and phone numbers at rest (decision 0016), the same value as the portal's.
   * The panel reads neither today; when set, the repositories can.
   */
  DATA_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => v.split(",").every((k) => /^[A-Za-z0-9_-]{43}$/.test(k.trim())),
      "DATA_ENCRYPTION_KEY 须为逗号分隔的 32 字节 base64url 密钥 / must be base64url keys of 32 bytes, comma-separated",
    )
    .optional(),
  /** Set to run several panel processes: rooms span them through the socket.io Redis streams adapter. */
  REDIS_URL: z.string().url("REDIS_URL 必须是 redis:// 地址 / must be a redis:// URL").optional(),
});

export type PanelConfig = z.infer<typeof ZPanelEnv>;

/**
 * The panel's configuration, parsed once by main.ts and passed down; nothing else reads
 * process.env. A bad variable stops start-up with the whole list of problems.
 */
export function parsePanelEnv(source: Record<string, string | undefined>): PanelConfig {
  const parsed = ZPanelEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`专家工作台配置无效 / invalid panel configuration:\n${lines.join("\n")}`);
  }
  const client =
    parsed.data.PANEL_CLIENT ??
    { development: "vite", production: "dist", test: "none" }[parsed.data.NODE_ENV];
  return { ...parsed.data, PANEL_CLIENT: client } as PanelConfig & { PANEL_CLIENT: "vite" | "dist" | "none" };
}

/** What the browser may know: these two addresses and nothing else. */
export function publicConfig(config: Pick<PanelConfig, "PORTAL_URL" | "PANEL_URL">): {
  PORTAL_URL: string;
  PANEL_URL: string;
} {
  return { PORTAL_URL: config.PORTAL_URL, PANEL_URL: config.PANEL_URL };
}
