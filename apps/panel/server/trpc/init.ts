import type { Db } from "@titles/db";
import { inputRefusalMessage, isDomainError } from "@titles/domain";
import type { Locale } from "@titles/ui";
import { initTRPC, TRPCError } from "@trpc/server";
import type { CreateExpressContextOptions } from "@trpc/server/adapters/express";
import { type Actor, checkPanelAccess, type PanelAccess, readCookies } from "../access";
import type { CommitteeNotifier } from "../committee/live";
import type { SocketAccessCode } from "../socket-codes";

export interface Context {
  db: Db;
  locale: Locale;
  now: Date;
  access: PanelAccess;
  /** Tells the members of a committee meeting that its room changed (socket.io); absent without sockets. */
  committee?: CommitteeNotifier;
}

/** Builds the per-request context from the portal's session cookie; config and db are injected. */
export function contextFactory(deps: { db: Db; secret: string; committee?: CommitteeNotifier }) {
  return async ({ req }: CreateExpressContextOptions): Promise<Context> => {
    const { session, locale } = readCookies(req.headers.cookie);
    const now = new Date();
    const access = await checkPanelAccess(deps.db, { session, locale, secret: deps.secret, now });
    return { db: deps.db, locale, now, access, committee: deps.committee };
  };
}

/** Carried as the TRPCError cause so the formatter can expose the stable access code. */
class AccessDenied extends Error {
  constructor(readonly code: SocketAccessCode) {
    super(code);
  }
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const accessCode = error.cause instanceof AccessDenied ? error.cause.code : null;
    // The stable code of a domain refusal travels beside its localised message.
    const domainCode = isDomainError(error.cause) ? error.cause.code : null;
    const message = inputRefusal(error, ctx?.locale ?? "zh-CN") ?? shape.message;
    return { ...shape, message, data: { ...shape.data, accessCode, domainCode, stack: undefined } };
  },
});

/**
 * An input that is not JSON, or does not fit the procedure's schema: zod's issue dump and the JSON
 * parser's complaint are English internals, so the reader gets one sentence in their language naming
 * the fields (found by fuzzing, issue 8). Field names are cut short: a record key is the caller's text.
 */
export function inputRefusal(error: TRPCError, locale: Locale): string | null {
  if (error.code === "PARSE_ERROR" || error.cause instanceof SyntaxError)
    return inputRefusalMessage({ unreadable: true }, locale);
  const issues = (error.cause as { issues?: unknown } | undefined)?.issues;
  if (error.code !== "BAD_REQUEST" || isDomainError(error.cause) || !Array.isArray(issues)) return null;
  return inputRefusalMessage({ issues }, locale);
}

export const router = t.router;
export const publicProcedure = t.procedure;

/** Only a live session of an expert or a chair passes; the refusal says why in the reader's language. */
export const expertProcedure = t.procedure.use(({ ctx, next }) => {
  const { access } = ctx;
  if (!access.ok) {
    throw new TRPCError({
      code: access.code === "FORBIDDEN" ? "FORBIDDEN" : "UNAUTHORIZED",
      message: access.message,
      cause: new AccessDenied(access.code),
    });
  }
  return next({ ctx: { ...ctx, actor: access.actor satisfies Actor } });
});
