import { type Locale, parseLocale } from "@titles/ui";
import { parse, serialize } from "cookie";

export const LANG_COOKIE = "lang";

export function localeOf(request: Request): Locale {
  return parseLocale(parse(request.headers.get("Cookie") ?? "")[LANG_COOKIE]);
}

export function langCookie(locale: Locale): string {
  return serialize(LANG_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
}
