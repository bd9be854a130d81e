import type { Db } from "@titles/db";
import {
  type DomainErrorCode,
  type ErrorCategory,
  errorCategories,
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
  const session = await getSession(req);
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
};

/** The one place where domain errors become tRPC errors with a message in the reader's language. */
export function toTrpcError(error: unknown, locale: Locale): TRPCError | null {
  if (!isDomainError(error)) return null;
  const category = errorCategories[error.code as DomainErrorCode];
  return new TRPCError({ code: statusOf[category], message: messageFor(error, locale), cause: error });
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const domain = isDomainError(error.cause) ? error.cause : null;
    return { ...shape, data: { ...shape.data, domainCode: domain?.code ?? null, stack: undefined } };
  },
});

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
