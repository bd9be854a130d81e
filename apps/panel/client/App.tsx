import { type Role, roleLabels } from "@titles/domain";
import { Alert, Button, Card, I18nProvider, Layout, type Locale, PageHeading, useI18n } from "@titles/ui";
import { useCallback, useEffect, useState } from "react";
import { fetchConfig, isTrpcError, loginHref, type PublicConfig, trpc } from "./api";
import { CommitteePage } from "./committee";
import { DefenseScoringPage } from "./defense";
import { DossierPage } from "./dossier";
import { readLocale, writeLocale } from "./lang";
import { AgendaPage, MeetingsCard } from "./meetings";
import { useRoute } from "./router";
import { type PanelTextKey, panelText } from "./strings";
import { useLobbySocket } from "./use-lobby-socket";

type Lobby = Awaited<ReturnType<typeof trpc.lobby.get.query>>;

type View =
  | { kind: "loading" }
  | { kind: "login"; notice: string | null }
  | { kind: "forbidden"; message: string }
  | { kind: "lobby"; lobby: Lobby }
  | { kind: "failed" };

export function App() {
  const [locale, setLocale] = useState<Locale>(readLocale);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [view, setView] = useState<View>({ kind: "loading" });

  const load = useCallback(async () => {
    const [cfg, lobby] = await Promise.allSettled([fetchConfig(), trpc.lobby.get.query()]);
    if (cfg.status === "rejected") return setView({ kind: "failed" });
    setConfig(cfg.value);
    if (lobby.status === "fulfilled") return setView({ kind: "lobby", lobby: lobby.value });
    const error: unknown = lobby.reason;
    if (isTrpcError(error) && error.data?.code === "UNAUTHORIZED") {
      // No cookie at all needs no explanation; an invalid or expired one does.
      setView({ kind: "login", notice: error.data.accessCode === "UNAUTHENTICATED" ? null : error.message });
    } else if (isTrpcError(error) && error.data?.code === "FORBIDDEN") {
      setView({ kind: "forbidden", message: error.message });
    } else {
      setView({ kind: "failed" });
    }
  }, []);

  // Refetched when the language changes, so server messages come back in the new language.
  // biome-ignore lint/correctness/useExhaustiveDependencies: locale is the trigger, read by the server from the cookie.
  useEffect(() => {
    void load();
  }, [load, locale]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = locale === "en" ? "Evaluation Panel" : "职称评审专家工作台";
  }, [locale]);

  const switchLocale = () => {
    const next: Locale = locale === "en" ? "zh-CN" : "en";
    writeLocale(next);
    setLocale(next);
  };

  return (
    <I18nProvider locale={locale}>
      <Shell
        locale={locale}
        portalUrl={config?.PORTAL_URL ?? null}
        onSwitchLocale={switchLocale}
        userMenu={view.kind === "lobby" && config ? <LogoutForm config={config} /> : null}
      >
        {view.kind === "loading" ? <Loading /> : null}
        {view.kind === "failed" ? (
          <Failed
            onRetry={() => {
              setView({ kind: "loading" });
              void load();
            }}
          />
        ) : null}
        {view.kind === "login" && config ? <LoginPage config={config} notice={view.notice} /> : null}
        {view.kind === "forbidden" && config ? (
          <ForbiddenPage config={config} message={view.message} />
        ) : null}
        {view.kind === "lobby" ? <Routed lobby={view.lobby} /> : null}
      </Shell>
    </I18nProvider>
  );
}

function usePanelText() {
  const { locale } = useI18n();
  return (key: PanelTextKey, params?: Record<string, string>) => panelText(locale, key, params);
}

function Shell(props: {
  locale: Locale;
  portalUrl: string | null;
  onSwitchLocale: () => void;
  userMenu: React.ReactNode;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  const p = usePanelText();
  const other: Locale = props.locale === "en" ? "zh-CN" : "en";
  return (
    <Layout
      title={t("app.panel")}
      homeHref="/"
      nav={props.portalUrl ? [{ href: `${props.portalUrl}/`, label: p("portal.back") }] : []}
      languageToggle={
        <button
          type="button"
          className="link-button"
          aria-label={t("lang.label")}
          lang={other}
          onClick={props.onSwitchLocale}
        >
          {t("lang.switch")}
        </button>
      }
      userMenu={props.userMenu}
    >
      {props.children}
    </Layout>
  );
}

function Loading() {
  const p = usePanelText();
  return (
    <p role="status" aria-live="polite">
      {p("loading")}
    </p>
  );
}

function Failed({ onRetry }: { onRetry: () => void }) {
  const p = usePanelText();
  return (
    <Alert tone="error">
      <p>{p("load.failed")}</p>
      <Button type="button" variant="secondary" onClick={onRetry}>
        {p("retry")}
      </Button>
    </Alert>
  );
}

function LoginPage({ config, notice }: { config: PublicConfig; notice: string | null }) {
  const { t } = useI18n();
  const p = usePanelText();
  return (
    <>
      <PageHeading title={p("login.title")} lead={t("panel.login.intro")} />
      {notice ? <Alert tone="warning">{notice}</Alert> : null}
      <p className="button-row">
        <a className="button button--primary" href={loginHref(config)}>
          {t("panel.login.button")}
        </a>
      </p>
    </>
  );
}

function ForbiddenPage({ config, message }: { config: PublicConfig; message: string }) {
  const p = usePanelText();
  return (
    <>
      <PageHeading title={p("forbidden.title")} />
      <Alert tone="error">
        <p>{message}</p>
        <p>
          <a href={`${config.PORTAL_URL}/`}>{p("portal.back")}</a>
        </p>
      </Alert>
    </>
  );
}

/** The signed-in screens: lobby → a meeting's agenda → an applicant's dossier. */
function Routed({ lobby }: { lobby: Lobby }) {
  const route = useRoute();
  switch (route.name) {
    case "lobby":
      return <LobbyPage lobby={lobby} />;
    case "agenda":
      return <AgendaPage meetingId={route.meetingId} />;
    case "dossier":
      return <DossierPage meetingId={route.meetingId} applicationId={route.applicationId} />;
    case "defense":
      return <DefenseScoringPage meetingId={route.meetingId} />;
    case "committee":
      return <CommitteePage meetingId={route.meetingId} />;
  }
}

function LobbyPage({ lobby }: { lobby: Lobby }) {
  const { t, locale } = useI18n();
  const p = usePanelText();
  const roles = lobby.roles
    .map((r) => roleLabels[r as Role]?.[locale] ?? r)
    .join(locale === "en" ? ", " : "、");
  return (
    <>
      <PageHeading title={t("panel.lobby")}>
        <ConnectionStatus />
      </PageHeading>
      <Card title={t("dashboard.welcome", { name: lobby.user.name })}>
        <dl className="panel-facts">
          <dt>{p("lobby.name")}</dt>
          <dd>{lobby.user.name}</dd>
          <dt>{p("lobby.roles")}</dt>
          <dd>{roles}</dd>
        </dl>
      </Card>
      <MeetingsCard />
    </>
  );
}

function ConnectionStatus() {
  const p = usePanelText();
  const state = useLobbySocket();
  const text =
    state.status === "connected"
      ? p("status.connected")
      : state.status === "refused"
        ? p("status.refused", { message: state.message })
        : p("status.connecting");
  return (
    <p className="panel-status">
      <span>{p("status.label")} </span>
      <span role="status" aria-live="polite" data-status={state.status}>
        {text}
      </span>
    </p>
  );
}

function LogoutForm({ config }: { config: PublicConfig }) {
  const { t } = useI18n();
  return (
    <form method="post" action={`${config.PORTAL_URL}/logout`}>
      <button type="submit" className="link-button">
        {t("nav.logout")}
      </button>
    </form>
  );
}
