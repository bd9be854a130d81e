import { type Db, type RoleGrant, resolveSession, SESSION_COOKIE, type UserRecord } from "@titles/db";
import { messageFor, type Role, roleLabels } from "@titles/domain";
import { type Locale, parseLocale, translator } from "@titles/ui";
import { parse } from "cookie";
import type { SocketAccessCode } from "./socket-codes";

/** The portal (apps/web) sets the session cookie; cookies ignore the port, so the panel on :3001 receives it. */
export { SESSION_COOKIE };
export const LANG_COOKIE = "lang";

/** The roles that may enter the panel at all; meeting membership is checked per meeting later. */
export const panelRoles: readonly Role[] = ["expert", "chair"];

export interface Actor {
  sessionId: string;
  user: UserRecord;
  roles: RoleGrant[];
}

export type PanelAccess = { ok: true; actor: Actor } | { ok: false; code: SocketAccessCode; message: string };

export function readCookies(header: string | undefined): { session: string | null; locale: Locale } {
  const cookies = parse(header ?? "");
  return { session: cookies[SESSION_COOKIE] || null, locale: parseLocale(cookies[LANG_COOKIE]) };
}

/**
 * The one check both transports (tRPC and the socket handshake) make: a live portal session whose user
 * holds an expert or chair role. A refusal carries a stable code and a message in the reader's language.
 */
export async function checkPanelAccess(
  db: Db,
  input: { session: string | null; locale: Locale; secret: string; now: Date },
): Promise<PanelAccess> {
  const { locale } = input;
  if (!input.session) {
    return { ok: false, code: "UNAUTHENTICATED", message: locale === "en" ? "Please log in." : "请先登录。" };
  }
  const resolved = await resolveSession(db, input.session, input.secret, input.now);
  if (!resolved.ok) return { ok: false, code: resolved.code, message: messageFor(resolved.code, locale) };
  const actor: Actor = { sessionId: resolved.sessionId, user: resolved.user, roles: resolved.roles };
  if (!actor.roles.some((r) => (panelRoles as readonly string[]).includes(r.role))) {
    return { ok: false, code: "FORBIDDEN", message: notExpertMessage(actor, locale) };
  }
  return { ok: true, actor };
}

function notExpertMessage(actor: Actor, locale: Locale): string {
  const held = [...new Set(actor.roles.map((r) => roleLabels[r.role as Role]?.[locale] ?? r.role))];
  const list = held.join(locale === "en" ? ", " : "、") || "—";
  const t = translator(locale);
  return locale === "en"
    ? `${t("panel.notExpert")} Your roles: ${list}.`
    : `${t("panel.notExpert")}您当前的身份是：${list}。`;
}
