import { type Db, isDatabaseUnavailable } from "@titles/db";
import {
  DomainError,
  type DomainErrorCode,
  type ErrorCategory,
  errorCategories,
  inputRefusalMessage,
  isDomainError,
  messageFor,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { initTRPC, TRPCError } from "@trpc/server";
import { type Actor, getSession } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";

export interface Context {
  db: Db;
  locale: Locale;
  actor: Actor | null;
  now: Date;
}

export async function createContext({ req }: { req: Request }): Promise<Context> {
  const session = await getSession(req).catch((error: unknown) => {
    throw toTrpcError(error, localeOf(req)) ?? error;
  });
  return {
    db: db(),
    locale: localeOf(req),
    actor: session.state === "active" ? session.actor : null,
    now: new Date(),
  };
}

const statusOf: Record<ErrorCategory, TRPCError["code"]> = {
  "bad-input": "BAD_REQUEST",
  conflict: "CONFLICT",
  forbidden: "FORBIDDEN",
  "not-found": "NOT_FOUND",
  "rate-limited": "TOO_MANY_REQUESTS",
  unauthenticated: "UNAUTHORIZED",
  unavailable: "SERVICE_UNAVAILABLE",
};

/** The one place where domain errors become tRPC errors with a message in the reader's language. */
export function toTrpcError(error: unknown, locale: Locale): TRPCError | null {
  // The database stopped or restarting (fault tests, issue 8): a 503 that says so, not a 500.
  if (isDatabaseUnavailable(error)) error = new DomainError("DATABASE_UNAVAILABLE");
  if (!isDomainError(error)) return null;
  const category = errorCategories[error.code as DomainErrorCode];
  return new TRPCError({ code: statusOf[category], message: messageFor(error, locale), cause: error });
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const domain = isDomainError(error.cause) ? error.cause : null;
    const message = inputRefusal(error, ctx?.locale ?? "zh-CN") ?? shape.message;
    return { ...shape, message, data: { ...shape.data, domainCode: domain?.code ?? null, stack: undefined } };
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

const mapDomainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause, ctx.locale);
    if (mapped) throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.locale === "en" ? "Please log in." : "请先登录。",
    });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor as Actor } });
});
