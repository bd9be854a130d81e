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
