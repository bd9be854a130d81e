// Before anything that builds a zod schema (the CSP forbids eval; see the module).
import "~/security/zod-jitless";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { I18nProvider, type Locale, type NavItem, Layout as SiteLayout, translator } from "@titles/ui";
import stylesHref from "@titles/ui/styles.css?url";
import { useEffect } from "react";
import { publicEnv } from "~/env.server";
import { getSession } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import { useNonce } from "~/security/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getSession(request);
  return {
    locale: localeOf(request),
    user:
      session.state === "active"
        ? { name: session.actor.user.name, roles: session.actor.roles.map((r) => r.role) }
        : null,
    env: publicEnv(),
  };
}

function LanguageToggle({ locale }: { locale: Locale }) {
  const location = useLocation();
  const t = translator(locale);
  return (
    <form method="post" action="/lang">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
      <button
        type="submit"
        className="link-button"
        aria-label={t("lang.label")}
        lang={locale === "en" ? "zh-CN" : "en"}
      >
        {t("lang.switch")}
      </button>
    </form>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const location = useLocation();
  const locale = data?.locale ?? "zh-CN";
  const nonce = useNonce();
  const t = translator(locale);
  const nav: NavItem[] = [{ href: "/", label: t("nav.home") }];
  if (data?.user) {
    nav.push(
      { href: "/dashboard", label: t("nav.dashboard") },
      { href: "/account", label: t("nav.account") },
    );
  } else {
    nav.push({ href: "/login", label: t("nav.login") }, { href: "/register", label: t("nav.register") });
  }
  if (data?.env.SMS_SIMULATOR) nav.push({ href: "/dev/sms", label: t("nav.sms") });
  for (const item of nav) item.current = item.href === location.pathname;
  // Marks the document once React has taken it over: buttons that only work with JavaScript (the
  // material viewer's) do nothing before, and end-to-end tests wait for this instead of guessing.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>
          <SiteLayout
            title={t("app.name")}
            homeHref="/"
            nav={nav}
            languageToggle={<LanguageToggle locale={locale} />}
            userMenu={
              data?.user ? (
                <form method="post" action="/logout">
                  <span className="visually-hidden">{data.user.name}</span>
                  <button type="submit" className="link-button">
                    {t("nav.logout")}
                  </button>
                </form>
              ) : null
            }
          >
            {children}
          </SiteLayout>
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** Remix renders the document through this, also around the error boundary. */
export function Layout({ children }: { children: React.ReactNode }) {
  return <Shell>{children}</Shell>;
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const t = translator(data?.locale ?? "zh-CN");
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <div className="narrow">
        <h1>{t("forbidden.title")}</h1>
        <div className="alert alert--error" role="alert">
          <p>{(error.data as { reason?: string })?.reason}</p>
        </div>
        <a href="/dashboard">{t("forbidden.back")}</a>
      </div>
    );
  }
  // The database is away (stopped, restarting): say so, and that nothing was saved (issue 8).
  if (isRouteErrorResponse(error) && error.status === 503) {
    return (
      <div className="narrow">
        <h1>{t("error.title")}</h1>
        <div className="alert alert--error" role="alert">
          <p>{(error.data as { message?: string })?.message}</p>
        </div>
      </div>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="narrow">
        <h1>{t("notFound.title")}</h1>
        <a href="/">{t("nav.home")}</a>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("error.title")}</h1>
      <p>{isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "500"}</p>
    </div>
  );
}
