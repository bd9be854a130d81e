import { type DomainError, type DomainErrorCode, messageFor } from "@titles/domain";
import type { Locale } from "@titles/ui";

/** Field-keyed messages for a form, in the reader's language. */
export type FieldErrors = Partial<Record<string, string>>;

export function describe(error: DomainError, locale: Locale): string {
  return messageFor(error, locale);
}

export function describeCode(
  code: DomainErrorCode,
  locale: Locale,
  params: Record<string, string | number> = {},
): string {
  return messageFor(code, locale, params);
}
