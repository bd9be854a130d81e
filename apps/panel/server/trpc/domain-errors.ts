import {
  type DomainError,
  type DomainErrorCode,
  type DomainErrorParams,
  defaultScoreSheet,
  type ErrorCategory,
  errorCategories,
  messageFor,
  scoreSheets,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { TRPCError } from "@trpc/server";
import type { Outcome } from "../outcome";

const statusOf: Record<ErrorCategory, TRPCError["code"]> = {
  "bad-input": "BAD_REQUEST",
  conflict: "CONFLICT",
  forbidden: "FORBIDDEN",
  "not-found": "NOT_FOUND",
  "rate-limited": "TOO_MANY_REQUESTS",
  unauthenticated: "UNAUTHORIZED",
  unavailable: "SERVICE_UNAVAILABLE",
};

const meetingKindLabels: Record<string, Record<Locale, string>> = {
  review: { "zh-CN": "评审会", en: "a review meeting" },
  defense: { "zh-CN": "答辩会", en: "a defense session" },
  committee: { "zh-CN": "评审委员会会议", en: "a committee meeting" },
};

/** Criterion labels are stored in Chinese in the error; an English reader gets the English label. */
const criterionEn = new Map<string, string>(
  [defaultScoreSheet, ...Object.values(scoreSheets)].flatMap((s) =>
    (s?.criteria ?? []).map((c) => [c.labels["zh-CN"], c.labels.en] as const),
  ),
);

function localParams(error: DomainError, locale: Locale): DomainErrorParams {
  const params = { ...error.params };
  if (typeof params.kind === "string" && meetingKindLabels[params.kind]) {
    params.kind = meetingKindLabels[params.kind]![locale];
  }
  if (locale === "en") {
    if (typeof params.criterion === "string")
      params.criterion = criterionEn.get(params.criterion) ?? params.criterion;
    if (error.code === "SCORE_INCOMPLETE" && typeof params.missing === "string") {
      params.missing = params.missing
        .split("、")
        .map((m) => criterionEn.get(m) ?? m)
        .join("; ");
    }
  }
  return params;
}

/** A domain error as a tRPC error: status by category, message in the reader's language. */
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
