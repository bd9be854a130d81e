import {
  type DomainError,
  type DomainErrorCode,
  type DomainErrorParams,
  type ErrorCategory,
  errorCategories,
  messageFor,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { TRPCError } from "@trpc/server";
import type { Outcome } from "./command";

const statusOf: Record<ErrorCategory, TRPCError["code"]> = {
  "bad-input": "BAD_REQUEST",
  conflict: "CONFLICT",
  forbidden: "FORBIDDEN",
  "not-found": "NOT_FOUND",
  "rate-limited": "TOO_MANY_REQUESTS",
  unauthenticated: "UNAUTHORIZED",
};

const meetingKindLabels: Record<string, Record<Locale, string>> = {
  review: { "zh-CN": "评审会", en: "a review meeting" },
  defense: { "zh-CN": "答辩会", en: "a defense session" },
  committee: { "zh-CN": "评审委员会会议", en: "a committee meeting" },
};

function localParams(error: DomainError, locale: Locale): DomainErrorParams {
  const params = { ...error.params };
  if (typeof params.kind === "string" && meetingKindLabels[params.kind]) {
    params.kind = meetingKindLabels[params.kind]![locale];
  }
  return params;
}

/** A domain error as a tRPC error: status by category, message in the reader's language, code as cause. */
export function toTrpcError(error: DomainError, locale: Locale): TRPCError {
  const category = errorCategories[error.code as DomainErrorCode];
  return new TRPCError({
    code: statusOf[category],
    message: messageFor(error.code, locale, localParams(error, locale)),
    cause: error,
  });
}

/** The value of a service outcome, or its refusal thrown for the client in the reader's language. */
export function unwrap<T>(outcome: Outcome<T>, locale: Locale): T {
  if (outcome.ok) return outcome.value;
  throw toTrpcError(outcome.error, locale);
}
