import { data, redirect } from "@remix-run/node";
import { type RoleGrant, resolveSession, SESSION_COOKIE, type UserRecord } from "@titles/db";
import { type Role, roleLabels } from "@titles/domain";
import { parse, serialize } from "cookie";
import { env } from "~/env.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";

export { SESSION_COOKIE };

export interface Actor {
  sessionId: string;
  user: UserRecord;
  roles: RoleGrant[];
}

export type SessionState =
  | { state: "anonymous" }
  | { state: "invalid" | "expired" }
  | { state: "active"; actor: Actor };

function cookieOptions() {
  // `__Host-` requires Secure, Path=/ and no Domain; browsers accept Secure cookies from http://localhost.
  return { path: "/", httpOnly: true, sameSite: "lax" as const, secure: true };
}

export function sessionCookie(value: string): string {
  // No Max-Age: the server enforces idle and absolute expiry; the browser forgets it on close.
  return serialize(SESSION_COOKIE, value, cookieOptions());
}

export function clearSessionCookie(): string {
  return serialize(SESSION_COOKIE, "", { ...cookieOptions(), maxAge: 0 });
}

export function readSessionCookie(request: Request): string | null {
  return parse(request.headers.get("Cookie") ?? "")[SESSION_COOKIE] ?? null;
}

export async function getSession(request: Request, now = new Date()): Promise<SessionState> {
  const value = readSessionCookie(request);
  if (!value) return { state: "anonymous" };
  const result = await resolveSession(db(), value, env().SESSION_SECRET, now);
  if (!result.ok) return { state: result.code === "SESSION_INVALID" ? "invalid" : "expired" };
  return { state: "active", actor: { sessionId: result.sessionId, user: result.user, roles: result.roles } };
}

/** The acting user, or a redirect to the login page that says why. */
export async function requireUser(request: Request): Promise<Actor> {
  const session = await getSession(request);
  if (session.state === "active") return session.actor;
  const url = new URL(request.url);
  const params = new URLSearchParams({ next: url.pathname + url.search });
  if (session.state !== "anonymous") params.set("reason", session.state);
  throw redirect(
    `/login?${params}`,
    session.state === "anonymous" ? undefined : { headers: { "Set-Cookie": clearSessionCookie() } },
  );
}

export function hasRole(actor: Actor, role: Role, organisationId?: string): boolean {
  return actor.roles.some((r) => r.role === role && (!organisationId || r.organisationId === organisationId));
}

/** Throws a 403 that says which role the page needs and which ones the user holds. */
export async function requireRole(request: Request, allowed: Role[]): Promise<Actor> {
  const actor = await requireUser(request);
  if (actor.roles.some((r) => (allowed as string[]).includes(r.role))) return actor;
  const locale = localeOf(request);
  const held = actor.roles.map((r) => roleLabels[r.role as Role]?.[locale] ?? r.role).join("、") || "—";
  const needed = allowed.map((r) => roleLabels[r][locale]).join(locale === "en" ? " or " : "或");
  const reason =
    locale === "en"
      ? `This page is for: ${needed}. Your roles: ${held}.`
      : `此页面仅限${needed}访问；您当前的身份是：${held}。`;
  throw data({ reason }, { status: 403 });
}
