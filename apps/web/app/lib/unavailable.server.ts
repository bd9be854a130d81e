import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { isDatabaseUnavailable } from "@titles/db";
import { messageFor } from "@titles/domain";
import onHeaders from "on-headers";
import { localeOf } from "~/lib/i18n.server";

/** Seconds a client is asked to wait before trying again while the database is away. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Express middleware: every 503 the portal sends (a page, a resource route, tRPC, a tus upload) tells
 * the browser, a proxy or a monitor when to try again and not to keep the answer. Set as the head is
 * written, whoever built the answer.
 */
export function retryAfterWhenUnavailable() {
  return (_req: IncomingMessage, res: ServerResponse, next: () => void) => {
    onHeaders(res, function (this: ServerResponse) {
      if (this.statusCode !== 503) return;
      this.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
      this.setHeader("Cache-Control", "no-store");
    });
    next();
  };
}

let lastLogged = 0;

/**
 * The answer while the database cannot be reached (stopped, restarting): 503 with the
 * DATABASE_UNAVAILABLE message, Chinese first (the reader's language, then the other); Retry-After is
 * added by `retryAfterWhenUnavailable`. Thrown from a loader or action it reaches the error boundary;
 * from a resource route it is the answer.
 */
export function databaseUnavailable(request: Request, error: unknown): Response {
  // One line a second at most: a restart fails many requests at once, and each is the same news.
  if (Date.now() - lastLogged > 1000) {
    lastLogged = Date.now();
    const code =
      (error as { code?: string; cause?: { code?: string } })?.code ??
      (error as { cause?: { code?: string } })?.cause?.code;
    console.error(
      `[web] 数据库暂不可用 / database unavailable (${code ?? "connection lost"}); answering 503`,
    );
  }
  const locale = localeOf(request);
  return Response.json(
    {
      ok: false,
      code: "DATABASE_UNAVAILABLE",
      message: messageFor("DATABASE_UNAVAILABLE", locale),
      messages: {
        "zh-CN": messageFor("DATABASE_UNAVAILABLE", "zh-CN"),
        en: messageFor("DATABASE_UNAVAILABLE", "en"),
      },
    },
    { status: 503 },
  );
}

type Handler = (args: { request: Request }) => unknown;

function guarded<T extends Handler>(handler: T): T {
  return (async (args: { request: Request }) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw databaseUnavailable(args.request, error);
      throw error;
    }
  }) as T;
}

/**
 * Every loader and action of the build, guarded: a request that fails because the database is away
 * answers 503 with a clear message instead of a 500 with a stack (fault tests, issue 8, decision
 * 0017). Nothing else changes; the route modules are copied, not modified.
 */
export function withDatabaseGuard(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = { ...route.module };
    if (module.loader) module.loader = guarded(module.loader as Handler) as typeof module.loader;
    if (module.action) module.action = guarded(module.action as Handler) as typeof module.action;
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
