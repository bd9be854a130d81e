import type { Locale } from "@titles/ui";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../server/trpc/router";

/** Same origin: the browser sends the portal's session cookie with every call. */
export const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] });

export interface PublicConfig {
  PORTAL_URL: string;
  PANEL_URL: string;
}

export async function fetchConfig(): Promise<PublicConfig> {
  const response = await fetch("/api/config", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`/api/config answered ${response.status}`);
  return (await response.json()) as PublicConfig;
}

export function isTrpcError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

/** The portal's login page, told to come back here once the expert has signed in. */
export function loginHref(config: PublicConfig): string {
  return `${config.PORTAL_URL}/login?next=${encodeURIComponent(`${config.PANEL_URL}/`)}`;
}

const unreachable: Record<Locale, string> = {
  "zh-CN": "无法连接服务器，请检查网络后重试；刷新页面可查看最新状态。",
  en: "The server could not be reached. Check your connection and try again; reload the page to see the latest state.",
};

/**
 * What to tell the reader when a call failed: the server's own message (already in the reader's
 * language) when it answered, and a plain "could not reach the server" when it did not — a dropped
 * connection surfaces as a bare "Failed to fetch", which means nothing to an expert mid-ballot.
 */
export function errorMessage(error: unknown, locale: Locale): string {
  if (isTrpcError(error) && error.data) return error.message;
  return unreachable[locale];
}
