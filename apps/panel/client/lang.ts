import { type Locale, parseLocale } from "@titles/ui";

/** The portal's language cookie: the panel reads and writes the same one, so the choice follows the user. */
export function readLocale(): Locale {
  const match = document.cookie.match(/(?:^|;\s*)lang=([^;]*)/);
  return parseLocale(match ? decodeURIComponent(match[1] ?? "") : null);
}

export function writeLocale(locale: Locale): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the cookie must stay readable by the portal's server.
  document.cookie = `lang=${locale}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = locale;
}
