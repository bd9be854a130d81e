import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { messageFor, normalizeLogin } from "@titles/domain";
import { Alert, Button, type MessageKey, PageHeading, TextField, useI18n } from "@titles/ui";
import { z } from "zod";
import { env } from "~/env.server";
import { clearSessionCookie, getSession, readSessionCookie, sessionCookie } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { clientAddress } from "~/lib/request.server";
import { limitKey, markRetryAfter, spendOrRefuse } from "~/security/limits.server";
import { login, ZLoginInput } from "~/services/login.server";

export const meta: MetaFunction = () => [{ title: "登录 · 北京市职称评审申报系统" }];

const reasons: Record<string, MessageKey> = {
  invalid: "login.sessionInvalid",
  expired: "login.sessionExpired",
  "logged-out": "login.loggedOut",
  "logged-out-everywhere": "login.loggedOutEverywhere",
};

/** Where to go after login: a local path, or the panel's own address. */
function safeNext(next: string | null): string {
  if (!next) return "/dashboard";
  if (/^\/(?!\/)/.test(next)) return next;
  const panel = new URL(env().PANEL_URL);
  try {
    const url = new URL(next);
    if (url.origin === panel.origin) return url.toString();
  } catch {}
  return "/dashboard";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = safeNext(url.searchParams.get("next"));
  const session = await getSession(request);
  if (session.state === "active") throw redirect(next);
  let reason = url.searchParams.get("reason");
  // A cookie that fails its signature check is reported here even if the link did not say so.
  if (session.state === "invalid") reason = "invalid";
  const headers = session.state === "anonymous" ? undefined : { "Set-Cookie": clearSessionCookie() };
  return Response.json({ next, reason: reason && reason in reasons ? reason : null }, { headers });
}

const ZNext = z.string().max(500).nullable();

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = ZLoginInput.safeParse(Object.fromEntries(form));
  // A login or password out of shape is bad input (400) with the reason, never a server error (found by
  // the access matrix, issue 8).
  if (!parsed.success) {
    const login = String(form.get("login") ?? "").slice(0, 40);
    const error =
      localeOf(request) === "en"
        ? "The login is at most 40 characters and the password at most 200: check them and try again."
        : "账号不超过 40 个字符，密码不超过 200 个字符，请检查后重试。";
    return data({ login, error, code: "VALIDATION" }, { status: 400 });
  }
  const input = parsed.data;
  const next = safeNext(ZNext.catch(null).parse(form.get("next")));
  // Every attempt spends the address's and the account's budget (decision 0015); 429 with Retry-After.
  const limited = await spendOrRefuse(context, "login", {
    ip: clientAddress(context),
    key: limitKey("login", normalizeLogin(input.login)),
  });
  if (limited) {
    const body = { login: input.login, error: messageFor(limited, localeOf(request)), code: limited.code };
    return data(body, { status: 429 });
  }
  const result = await login(db(), input, {
    now: new Date(),
    ip: clientAddress(context),
    userAgent: request.headers.get("User-Agent"),
    currentCookie: readSessionCookie(request),
  });
  if (!result.ok) {
    const body = {
      login: input.login,
      error: messageFor(result.error, localeOf(request)),
      code: result.error.code,
    };
    // A locked account or address answers 429 with the wait, like any other throttle.
    return markRetryAfter(context, result.error) === null ? data(body) : data(body, { status: 429 });
  }
  throw redirect(next, { headers: { "Set-Cookie": sessionCookie(result.cookieValue) } });
}

export default function Login() {
  const { t } = useI18n();
  const { next, reason } = useLoaderData<{ next: string; reason: string | null }>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="narrow">
      <PageHeading title={t("login.title")} />
      {reason && !result ? (
        <Alert tone={reason === "invalid" || reason === "expired" ? "warning" : "success"}>
          {t(reasons[reason]!)}
        </Alert>
      ) : null}
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      <Form method="post" className="card" noValidate>
        <input type="hidden" name="next" value={next} />
        <TextField
          name="login"
          label={t("form.login")}
          required
          autoComplete="username"
          defaultValue={result?.login}
          maxLength={40}
        />
        <TextField
          name="password"
          type="password"
          label={t("form.password")}
          required
          autoComplete="current-password"
        />
        <Button disabled={busy}>{t("form.submitLogin")}</Button>
      </Form>
      <p>
        {t("login.noAccount")} <a href="/register">{t("home.cta.register")}</a>
      </p>
    </div>
  );
}
