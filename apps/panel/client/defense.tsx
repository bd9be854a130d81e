import { formatScore } from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { trpc } from "./api";
import { formatTime, useDefenseText } from "./defense-strings";
import { Breadcrumbs, useErrorMessage, usePanelText, useQuery } from "./meetings";
import { Link } from "./router";

type Scoring = Awaited<ReturnType<typeof trpc.defense.scoring.query>>;
type Applicant = Scoring["applicants"][number];
type Sheet = Applicant["sheet"];
type Mine = Applicant["mine"];
type Summary = NonNullable<Applicant["summary"]>;

const AUTOSAVE_MS = 800;

/** A field's text as a score: a whole number 0–100, null when empty, "invalid" otherwise. */
function parseScore(text: string): number | null | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d{1,3}$/.test(trimmed)) return "invalid";
  const value = Number(trimmed);
  return value <= 100 ? value : "invalid";
}

/** The link from a meeting's page: shown only for a defense session the reader scores in. */
export function DefenseLink({ meetingId }: { meetingId: string }) {
  const d = useDefenseText();
  const scoring = useQuery(`defense-link:${meetingId}`, () => trpc.defense.scoring.query({ meetingId }));
  if (scoring.status !== "ready") return null;
  return (
    <Card title={d("defense.title")}>
      <p>{d("defense.linkLead")}</p>
      <p className="button-row">
        <Link to={{ name: "defense", meetingId }} className="button button--primary">
          {d("defense.link")}
        </Link>
      </p>
    </Card>
  );
}

/** The scoring page of a defense session: one sheet per applicant the reader is not recused from. */
export function DefenseScoringPage({ meetingId }: { meetingId: string }) {
  const p = usePanelText();
  const d = useDefenseText();
  const scoring = useQuery(`defense:${meetingId}`, () => trpc.defense.scoring.query({ meetingId }));
  const title = scoring.status === "ready" ? scoring.data.meeting.title : "…";
  const crumbs = (
    <Breadcrumbs
      items={[
        { label: p("nav.lobby"), to: { name: "lobby" } },
        { label: title, to: { name: "agenda", meetingId } },
        { label: d("defense.title") },
      ]}
    />
  );
  if (scoring.status === "loading") {
    return (
      <>
        {crumbs}
        <p role="status">{p("loading")}</p>
      </>
    );
  }
  if (scoring.status === "failed") {
    return (
      <>
        {crumbs}
        <Alert tone="error">{scoring.message}</Alert>
      </>
    );
  }
  const { meeting, applicants } = scoring.data;
  return (
    <>
      {crumbs}
      <PageHeading title={`${d("defense.title")} · ${meeting.title}`} lead={d("defense.lead")} />
      {applicants.length === 0 ? <p>{d("defense.empty")}</p> : null}
      {applicants.map((a) => (
        <ApplicantSheet
          key={a.applicationId}
          meetingId={meetingId}
          applicant={a}
          chair={meeting.role === "chair"}
        />
      ))}
    </>
  );
}

function ApplicantSheet(props: { meetingId: string; applicant: Applicant; chair: boolean }) {
  const d = useDefenseText();
  const { applicant } = props;
  const [mine, setMine] = useState<Mine>(applicant.mine);
  const [summary, setSummary] = useState<Summary | null>(applicant.summary);
  const heading = d("defense.applicant", {
    position: String(applicant.position),
    name: applicant.applicantName,
  });
  const refreshSummary = useCallback(async () => {
    const sheet = await trpc.defense.sheet.query({
      meetingId: props.meetingId,
      applicationId: applicant.applicationId,
    });
    setSummary(sheet.summary);
  }, [props.meetingId, applicant.applicationId]);
  return (
    <Card
      className="defense-sheet"
      title={
        <>
          {heading}
          {applicant.employerName ? (
            <span className="defense-sheet__employer"> · {applicant.employerName}</span>
          ) : null}
          {mine.status === "submitted" ? <span className="defense-badge">{d("submitted.badge")}</span> : null}
        </>
      }
    >
      {applicant.attendance === "no_show" ? (
        <Alert tone="warning">{d("defense.noShow")}</Alert>
      ) : mine.status === "submitted" ? (
        <SubmittedSheet sheet={applicant.sheet} mine={mine} />
      ) : (
        <ScoreForm
          meetingId={props.meetingId}
          applicant={applicant}
          initial={mine}
          onSubmitted={(next) => {
            setMine(next);
            if (props.chair) void refreshSummary().catch(() => {});
          }}
        />
      )}
      {props.chair && summary ? (
        <SummaryBox summary={summary} passLine={applicant.sheet.passLine} onRefresh={refreshSummary} />
      ) : null}
    </Card>
  );
}

type SaveState =
  | { status: "idle" }
  | { status: "dirty" }
  | { status: "invalid" }
  | { status: "saving" }
  | { status: "saved"; at: string | null }
  | { status: "failed"; message: string };

function ScoreForm(props: {
  meetingId: string;
  applicant: Applicant;
  initial: Mine;
  onSubmitted: (mine: Mine) => void;
}) {
  const messageOf = useErrorMessage();
  const { locale } = useI18n();
  const d = useDefenseText();
  const formId = useId();
  const { sheet, applicationId, applicantName } = props.applicant;
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(sheet.criteria.map((c) => [c.key, props.initial.scores[c.key]?.toString() ?? ""])),
  );
  const [save, setSave] = useState<SaveState>(
    props.initial.status === "draft" ? { status: "saved", at: props.initial.updatedAt } : { status: "idle" },
  );
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const edited = useRef(false);
  const sequence = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const parsed = Object.fromEntries(sheet.criteria.map((c) => [c.key, parseScore(texts[c.key] ?? "")]));
  const invalid = Object.values(parsed).some((v) => v === "invalid");
  const scores: Record<string, number> = {};
  for (const [key, value] of Object.entries(parsed)) if (typeof value === "number") scores[key] = value;
  const complete = sheet.criteria.every((c) => typeof parsed[c.key] === "number");
  const total = sheet.criteria.reduce((sum, c) => sum + (scores[c.key] ?? 0) * c.weight, 0);

  // Autosave: a quiet moment after the last keystroke, only valid values; a stale answer is ignored.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the texts are the trigger; the rest is derived from them
  useEffect(() => {
    if (!edited.current) return;
    if (timer.current) clearTimeout(timer.current);
    if (invalid) {
      setSave({ status: "invalid" });
      return;
    }
    setSave({ status: "dirty" });
    timer.current = setTimeout(() => {
      const mine = ++sequence.current;
      setSave({ status: "saving" });
      trpc.defense.saveDraft.mutate({ meetingId: props.meetingId, applicationId, scores }).then(
        (saved) => mine === sequence.current && setSave({ status: "saved", at: saved.updatedAt }),
        (error: unknown) =>
          mine === sequence.current && setSave({ status: "failed", message: messageOf(error) }),
      );
    }, AUTOSAVE_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [texts]);

  const doSubmit = async () => {
    if (timer.current) clearTimeout(timer.current);
    sequence.current += 1;
    setSubmitting(true);
    setSubmitError(null);
    try {
      const mine = await trpc.defense.submit.mutate({ meetingId: props.meetingId, applicationId, scores });
      props.onSubmitted(mine);
    } catch (error) {
      setSubmitError(messageOf(error));
      setConfirming(false);
    } finally {
      setSubmitting(false);
    }
  };

  const saveText =
    save.status === "idle"
      ? d("save.idle")
      : save.status === "dirty"
        ? d("save.dirty")
        : save.status === "invalid"
          ? d("save.invalid")
          : save.status === "saving"
            ? d("save.saving")
            : save.status === "saved"
              ? save.at
                ? d("save.savedAt", { time: formatTime(save.at, locale) })
                : d("save.saved")
              : d("save.failed", { message: save.message });

  return (
    <form
      className="defense-form"
      aria-label={d("defense.criteria", { name: applicantName })}
      onSubmit={(event) => {
        event.preventDefault();
        if (complete && !invalid) setConfirming(true);
      }}
    >
      <div className="defense-criteria">
        {sheet.criteria.map((c) => {
          const id = `${formId}-${c.key}`;
          const bad = parsed[c.key] === "invalid";
          return (
            <div key={c.key} className={`field defense-criterion${bad ? " field--error" : ""}`}>
              <label htmlFor={id}>
                {d("defense.criterion", { label: c.label, weight: String(c.weight) })}
              </label>
              <input
                id={id}
                name={c.key}
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                step={1}
                value={texts[c.key] ?? ""}
                aria-invalid={bad ? true : undefined}
                aria-describedby={bad ? `${id}-error` : `${id}-hint`}
                disabled={submitting}
                onChange={(event) => {
                  edited.current = true;
                  const value = event.target.value;
                  setTexts((t) => ({ ...t, [c.key]: value }));
                }}
              />
              {bad ? (
                <p className="field__error" id={`${id}-error`}>
                  {d("defense.invalid")}
                </p>
              ) : (
                <p className="field__hint" id={`${id}-hint`}>
                  {d("defense.range")}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <p className="defense-total">
        <span>{d("defense.totalLabel")}</span>
        <output aria-live="polite">{d("defense.totalValue", { total: formatScore(total) })}</output>
        <span className="defense-total__line">
          {" "}
          · {d("defense.passLine", { passLine: String(sheet.passLine) })}
        </span>
      </p>
      <p className="defense-save" role="status" aria-live="polite" data-status={save.status}>
        {saveText}
      </p>
      {submitError ? <Alert tone="error">{submitError}</Alert> : null}
      {confirming ? (
        <div className="defense-confirm" role="alertdialog" aria-label={d("submit.button")}>
          <p>{d("submit.confirm", { name: applicantName })}</p>
          <p className="button-row">
            <Button type="button" onClick={() => void doSubmit()} disabled={submitting} autoFocus>
              {submitting ? d("submit.working") : d("submit.yes")}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => setConfirming(false)}
              disabled={submitting}
            >
              {d("submit.no")}
            </Button>
          </p>
        </div>
      ) : (
        <p className="button-row">
          <Button type="submit" disabled={!complete || invalid} aria-describedby={`${formId}-submit-hint`}>
            {d("submit.button")}
          </Button>
          {!complete ? (
            <span className="field__hint" id={`${formId}-submit-hint`}>
              {d("submit.incomplete")}
            </span>
          ) : null}
        </p>
      )}
    </form>
  );
}

function SubmittedSheet({ sheet, mine }: { sheet: Sheet; mine: Mine }) {
  const { locale } = useI18n();
  const d = useDefenseText();
  return (
    <>
      <dl className="panel-facts">
        {sheet.criteria.map((c) => (
          <div key={c.key} className="defense-row">
            <dt>{d("defense.criterion", { label: c.label, weight: String(c.weight) })}</dt>
            <dd>{mine.scores[c.key] ?? "—"}</dd>
          </div>
        ))}
        <div className="defense-row">
          <dt>{d("defense.total")}</dt>
          <dd>{d("defense.totalValue", { total: formatScore(mine.total) })}</dd>
        </div>
      </dl>
      {mine.submittedAt ? (
        <p className="defense-save" data-status="submitted">
          {d("submitted.at", { time: formatTime(mine.submittedAt, locale) })}
        </p>
      ) : null}
    </>
  );
}

function SummaryBox(props: { summary: Summary; passLine: number; onRefresh: () => Promise<void> }) {
  const d = useDefenseText();
  const [busy, setBusy] = useState(false);
  const { summary } = props;
  return (
    <section className="panel-box defense-summary" aria-live="polite">
      <h3 className="panel-box__title">{d("summary.title")}</h3>
      <p>
        {d("summary.count", { submitted: String(summary.submitted), expected: String(summary.expected) })}
      </p>
      {summary.complete && summary.score !== null ? (
        <>
          <p className="defense-summary__score">
            {d("summary.score", { score: formatScore(summary.score) })}
            {summary.trimmed ? d("summary.trimmed") : d("summary.mean")}
          </p>
          <p data-passed={summary.passed ? "yes" : "no"}>
            {summary.passed
              ? d("summary.passed", { passLine: String(props.passLine) })
              : d("summary.failed", { passLine: String(props.passLine) })}
          </p>
        </>
      ) : (
        <p>{d("summary.waiting")}</p>
      )}
      <Button
        type="button"
        variant="secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void props
            .onRefresh()
            .catch(() => {})
            .finally(() => setBusy(false));
        }}
      >
        {d("summary.refresh")}
      </Button>
    </section>
  );
}
