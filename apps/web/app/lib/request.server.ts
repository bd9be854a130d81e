import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    clientAddress: string;
  }
}

/** The client's address, as the server (or the trusted proxy in front of it) saw it. */
export function clientAddress(context: AppLoadContext): string {
  return context.clientAddress ?? "unknown";
}
