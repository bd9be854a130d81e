import { Alert, Button, useI18n } from "@titles/ui";
import { useId, useState } from "react";
import { errorMessage, trpc } from "./api";
import { formatTime, useDefenseText } from "./defense-strings";
import { useQuery } from "./meetings";

type Opinions = Awaited<ReturnType<typeof trpc.defense.opinions.query>>;
type Group = Opinions["myGroups"][number];
type Opinion = Opinions["opinions"][number];

/**
 * The review-group opinion (评议组意见) on one applicant, for a member of one of the meeting's review
 * groups; nothing at all for anyone else.
 */
export function OpinionCard({ meetingId, applicationId }: { meetingId: string; applicationId: string }) {
  const opinions = useQuery(`opinions:${meetingId}:${applicationId}`, () =>
    trpc.defense.opinions.query({ meetingId, applicationId }),
  );
  if (opinions.status !== "ready" || opinions.data.myGroups.length === 0) return null;
  return (
    <>
      {opinions.data.myGroups.map((g) => (
        <OpinionForm
          key={g.groupId}
          group={g}
          applicationId={applicationId}
          closed={opinions.data.closed}
          initial={opinions.data.opinions.find((o) => o.groupId === g.groupId) ?? null}
        />
      ))}
    </>
  );
}

function OpinionForm(props: {
  group: Group;
  applicationId: string;
  closed: boolean;
  initial: Opinion | null;
}) {
  const { locale } = useI18n();
  const d = useDefenseText();
  const id = useId();
  const [recommendation, setRecommendation] = useState<"support" | "oppose" | "">(
    props.initial?.recommendation ?? "",
  );
  const [text, setText] = useState(props.initial?.opinion ?? "");
  const [state, setState] = useState<
    | { status: "idle" }
    | { status: "saving" }
    | { status: "saved"; at: string }
    | { status: "failed"; message: string }
  >(props.initial ? { status: "saved", at: props.initial.writtenAt } : { status: "idle" });
  const title = d("opinion.title", {
    group: props.group.discipline ? `${props.group.name}（${props.group.discipline}）` : props.group.name,
  });

  if (props.closed) {
    return (
      <section className="panel-box opinion-card" aria-label={title}>
        <h2 className="panel-box__title">{title}</h2>
        <p className="panel-hint">{d("opinion.closed")}</p>
        {props.initial ? (
          <>
            <p>
              <strong>
                {d(props.initial.recommendation === "support" ? "opinion.support" : "opinion.oppose")}
              </strong>
            </p>
            <p className="opinion-card__text">{props.initial.opinion}</p>
          </>
        ) : (
          <p>{d("opinion.none")}</p>
        )}
      </section>
    );
  }

  const save = async () => {
    if (!recommendation) return;
    setState({ status: "saving" });
    try {
      const saved = await trpc.defense.writeOpinion.mutate({
        groupId: props.group.groupId,
        applicationId: props.applicationId,
        recommendation,
        opinion: text,
      });
      setText(saved.opinion);
      setState({ status: "saved", at: saved.writtenAt });
    } catch (error) {
      setState({ status: "failed", message: errorMessage(error, locale) });
    }
  };

  return (
    <section className="panel-box opinion-card" aria-label={title}>
      <h2 className="panel-box__title">{title}</h2>
      <p className="panel-hint">{d("opinion.lead")}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <fieldset className="panel-tools">
          <legend>{d("opinion.recommendation")}</legend>
          {(["support", "oppose"] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-recommendation`}
                value={value}
                checked={recommendation === value}
                required
                onChange={() => setRecommendation(value)}
              />{" "}
              {d(value === "support" ? "opinion.support" : "opinion.oppose")}
            </label>
          ))}
        </fieldset>
        <div className="panel-field">
          <label htmlFor={`${id}-text`}>{d("opinion.text")}</label>
          <textarea
            id={`${id}-text`}
            rows={5}
            maxLength={2000}
            required
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        {state.status === "failed" ? <Alert tone="error">{state.message}</Alert> : null}
        <p className="button-row">
          <Button type="submit" disabled={state.status === "saving" || !recommendation}>
            {state.status === "saving" ? d("opinion.saving") : d("opinion.save")}
          </Button>
          <span role="status" aria-live="polite" className="defense-save" data-status={state.status}>
            {state.status === "saved" ? d("opinion.savedAt", { time: formatTime(state.at, locale) }) : ""}
          </span>
        </p>
      </form>
    </section>
  );
}
