import { Alert, Card, PageHeading, useI18n } from "@titles/ui";
import { useCallback, useEffect, useState } from "react";
import { errorMessage, trpc } from "./api";
import { CommitteeLink } from "./committee";
import { DefenseLink } from "./defense";
import { Link } from "./router";
import { type PanelTextKey, panelText } from "./strings";

export type MeetingList = Awaited<ReturnType<typeof trpc.meetings.list.query>>;
export type Agenda = Awaited<ReturnType<typeof trpc.meetings.agenda.query>>;

/** `errorMessage` in the reader's language, for components that report failed calls. */
export function useErrorMessage(): (error: unknown) => string {
  const { locale } = useI18n();
  return useCallback((error: unknown) => errorMessage(error, locale), [locale]);
}

export function usePanelText() {
  const { locale } = useI18n();
  return (key: PanelTextKey, params?: Record<string, string>) => panelText(locale, key, params);
}

export function roleKey(role: string): PanelTextKey {
  return role === "chair" ? "role.chair" : role === "observer" ? "role.observer" : "role.expert";
}

export function formatWhen(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  }).format(new Date(iso));
}

type Load<T> = { status: "loading" } | { status: "ready"; data: T } | { status: "failed"; message: string };

/** A tRPC query run on mount and whenever its key or the language changes. */
export function useQuery<T>(key: string, run: () => Promise<T>): Load<T> {
  const { locale } = useI18n();
  const [state, setState] = useState<Load<T>>({ status: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the query's inputs
  useEffect(() => {
    let cancelled = false;
    setState({ status: "loading" });
    run().then(
      (data) => !cancelled && setState({ status: "ready", data }),
      (error: unknown) => !cancelled && setState({ status: "failed", message: errorMessage(error, locale) }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, locale]);
  return state;
}

/** The lobby's list of the meetings this expert sits in. */
export function MeetingsCard() {
  const { locale } = useI18n();
  const p = usePanelText();
  const meetings = useQuery("meetings", () => trpc.meetings.list.query());
  return (
    <Card title={p("lobby.meetings")}>
      {meetings.status === "loading" ? <p role="status">{p("loading")}</p> : null}
      {meetings.status === "failed" ? <Alert tone="error">{meetings.message}</Alert> : null}
      {meetings.status === "ready" && meetings.data.length === 0 ? <p>{p("lobby.noMeetings")}</p> : null}
      {meetings.status === "ready" && meetings.data.length > 0 ? (
        <ul className="panel-meetings">
          {meetings.data.map((m) => (
            <li key={m.id}>
              <Link to={{ name: "agenda", meetingId: m.id }} className="panel-meetings__title">
                {m.title}
              </Link>
              <span className="panel-meetings__facts">
                <time dateTime={m.startsAt}>{formatWhen(m.startsAt, locale)}</time>
                {m.venue ? ` · ${m.venue}` : ""} · {p(roleKey(m.role))}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

export function Breadcrumbs(props: {
  items: Array<{ label: string; to?: Parameters<typeof Link>[0]["to"] }>;
}) {
  const p = usePanelText();
  return (
    <nav aria-label={p("nav.breadcrumb")} className="panel-breadcrumbs">
      <ol>
        {props.items.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed trail
          <li key={index}>
            {item.to ? <Link to={item.to}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The applications of one meeting the reader may see (recusals are left out by the server). */
export function AgendaPage({ meetingId }: { meetingId: string }) {
  const { locale } = useI18n();
  const p = usePanelText();
  const agenda = useQuery(`agenda:${meetingId}`, () => trpc.meetings.agenda.query({ meetingId }));
  if (agenda.status === "loading") return <p role="status">{p("loading")}</p>;
  if (agenda.status === "failed")
    return (
      <>
        <Breadcrumbs
          items={[{ label: p("nav.lobby"), to: { name: "lobby" } }, { label: p("agenda.title") }]}
        />
        <Alert tone="error">{agenda.message}</Alert>
      </>
    );
  const { meeting, applications } = agenda.data;
  return (
    <>
      <Breadcrumbs items={[{ label: p("nav.lobby"), to: { name: "lobby" } }, { label: meeting.title }]} />
      <PageHeading title={meeting.title} />
      <Card>
        <dl className="panel-facts">
          <dt>{p("meeting.when")}</dt>
          <dd>
            <time dateTime={meeting.startsAt}>{formatWhen(meeting.startsAt, locale)}</time>
          </dd>
          {meeting.venue ? (
            <>
              <dt>{p("meeting.venue")}</dt>
              <dd>{meeting.venue}</dd>
            </>
          ) : null}
          <dt>{p("meeting.role")}</dt>
          <dd>{p(roleKey(meeting.role))}</dd>
        </dl>
      </Card>
      <DefenseLink meetingId={meetingId} />
      <CommitteeLink meetingId={meetingId} />
      <Card title={p("agenda.title")}>
        {applications.length === 0 ? (
          <p>{p("agenda.empty")}</p>
        ) : (
          <ol className="panel-agenda">
            {applications.map((a) => (
              <li key={a.applicationId}>
                <span className="panel-agenda__name">{a.applicantName}</span>
                {a.employerName ? <span className="panel-agenda__employer">{a.employerName}</span> : null}
                <Link
                  to={{ name: "dossier", meetingId, applicationId: a.applicationId }}
                  className="button button--secondary"
                >
                  {/* The name in the visible text itself: an aria-label that hid it failed WCAG 2.5.3. */}
                  {p("agenda.openFor", { name: a.applicantName })}
                </Link>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
