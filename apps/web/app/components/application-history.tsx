import { useI18n } from "@titles/ui";

export interface HistoryEvent {
  id: number;
  /** ISO instant. */
  at: string;
  label: string;
  /** The state it led to. */
  to: string;
  reason?: string | null;
}

/** The application's timeline as reviewers read it: when, what, into which state, and why. */
export function ApplicationHistory({ events }: { events: HistoryEvent[] }) {
  const { locale } = useI18n();
  return (
    <ol className="timeline-events">
      {events.map((e) => (
        <li key={e.id}>
          <span className="meta">
            {new Date(e.at).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false })}
          </span>{" "}
          {e.label} → <strong>{e.to}</strong>
          {e.reason ? <p>{e.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
