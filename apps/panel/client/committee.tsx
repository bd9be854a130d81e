import { type BallotChoice, ballotChoices, meetingStateLabels } from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { io, type Socket } from "socket.io-client";
import * as socketParser from "../shared/socket-parser";
import { trpc } from "./api";
import { useCommitteeText } from "./committee-strings";
import { Breadcrumbs, useErrorMessage, usePanelText, useQuery } from "./meetings";
import { Link } from "./router";

type Room = Awaited<ReturnType<typeof trpc.committee.room.query>>;
type Applicant = Room["applicants"][number];

/** `committee:changed` as the server sends it: that something changed, and how many voted, never how. */
interface CommitteeChanged {
  meetingId: string;
  applicationId?: string;
  change: string;
  voted?: number;
  voters?: number;
}

type Live = { status: "connecting" } | { status: "connected" } | { status: "refused"; message: string };

/** The link from a meeting's page: shown only for a committee meeting (the room answers). */
export function CommitteeLink({ meetingId }: { meetingId: string }) {
  const c = useCommitteeText();
  const room = useQuery(`committee-link:${meetingId}`, () => trpc.committee.room.query({ meetingId }));
  if (room.status !== "ready") return null;
  return (
    <Card title={c("committee.title")}>
      <p>{c("committee.linkLead")}</p>
      <p className="button-row">
        <Link to={{ name: "committee", meetingId }} className="button button--primary">
          {c("committee.link")}
        </Link>
      </p>
    </Card>
  );
}

/** Joins the meeting's channel and calls `onChange` on every change; rejoins after a reconnect. */
function useCommitteeChannel(meetingId: string, onChange: () => void): Live {
  const [live, setLive] = useState<Live>({ status: "connecting" });
  useEffect(() => {
    const socket: Socket = io({
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      withCredentials: true,
    });
    socket.on("connect", () => {
      socket.emit(
        "committee:join",
        { meetingId },
        (reply: { ok: true } | { ok: false; error: { message: string } }) => {
          setLive(reply.ok ? { status: "connected" } : { status: "refused", message: reply.error.message });
          // Whatever happened while we were away.
          if (reply.ok) onChange();
        },
      );
    });
    socket.on("disconnect", () => setLive({ status: "connecting" }));
    socket.on("connect_error", (error: Error & { data?: { message: string } }) => {
      if (!socket.active && error.data) setLive({ status: "refused", message: error.data.message });
    });
    // A burst of votes (25 experts at once) becomes one refetch.
    let pending: ReturnType<typeof setTimeout> | null = null;
    socket.on("committee:changed", (event: CommitteeChanged) => {
      if (event.meetingId !== meetingId || pending) return;
      pending = setTimeout(() => {
        pending = null;
        onChange();
      }, 150);
    });
    return () => {
      if (pending) clearTimeout(pending);
      socket.disconnect();
    };
  }, [meetingId, onChange]);
  return live;
}

/** The committee's meeting room: roll call, references, and the secret ballot per applicant. */
export function CommitteePage({ meetingId }: { meetingId: string }) {
  const messageOf = useErrorMessage();
  const { locale } = useI18n();
  const p = usePanelText();
  const c = useCommitteeText();
  const [room, setRoom] = useState<Room | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  const refetch = useCallback(() => {
    trpc.committee.room.query({ meetingId }).then(
      (next) => {
        setRoom(next);
        setFailed(null);
      },
      (error: unknown) => setFailed(messageOf(error)),
    );
  }, [meetingId, messageOf]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetched when the language changes, for server messages
  useEffect(() => {
    refetch();
  }, [refetch, locale]);
  const live = useCommitteeChannel(meetingId, refetch);

  const crumbs = (
    <Breadcrumbs
      items={[
        { label: p("nav.lobby"), to: { name: "lobby" } },
        { label: room?.meeting.title ?? "…", to: { name: "agenda", meetingId } },
        { label: c("committee.title") },
      ]}
    />
  );
  if (!room) {
    return (
      <>
        {crumbs}
        {failed ? <Alert tone="error">{failed}</Alert> : <p role="status">{p("loading")}</p>}
      </>
    );
  }
  const { meeting, me } = room;
  const chair = me.role === "chair";
  const voter = me.role === "chair" || me.role === "expert";
  return (
    <>
      {crumbs}
      <PageHeading title={`${c("committee.title")} · ${meeting.title}`} lead={c("committee.lead")} />
      {failed ? <Alert tone="error">{failed}</Alert> : null}
      <Card>
        <dl className="panel-facts">
          <dt>{c("committee.state")}</dt>
          <dd data-testid="meeting-state">{meetingStateLabels[meeting.state][locale]}</dd>
          <dt>{c("committee.quorum")}</dt>
          <dd>
            {c("committee.quorumValue", {
              members: meeting.members,
              needed: meeting.needed,
              inclusive: c(meeting.inclusive ? "committee.inclusive" : "committee.exclusive"),
            })}
          </dd>
          {meeting.presentAtRollCall !== null ? (
            <>
              <dt>{c("committee.attendance")}</dt>
              <dd>
                {c("committee.attendanceValue", {
                  present: meeting.presentAtRollCall,
                  members: meeting.members,
                })}
              </dd>
            </>
          ) : null}
          <dt>{c("committee.live")}</dt>
          <dd>
            {/* The live region sits inside the <dd>: a role on the <dd> itself breaks the list's semantics. */}
            <span role="status" aria-live="polite" data-status={live.status}>
              {live.status === "connected"
                ? c("live.connected")
                : live.status === "refused"
                  ? c("live.refused", { message: live.message })
                  : c("live.connecting")}
            </span>
          </dd>
        </dl>
      </Card>
      {meeting.state === "scheduled" && chair ? (
        <RollCall room={room} onDone={refetch} />
      ) : (
        <Seats room={room} />
      )}
      {meeting.state === "in_session" && voter && me.present === false ? (
        <Alert tone="warning">{c("me.absent")}</Alert>
      ) : null}
      {me.role === "observer" ? <Alert tone="info">{c("me.observer")}</Alert> : null}
      {meeting.state === "closed" ? <Alert tone="info">{c("meeting.closed")}</Alert> : null}
      <h2>{c("applicants.title")}</h2>
      {room.applicants.length === 0 ? <p>{c("applicants.empty")}</p> : null}
      {room.applicants.map((a) => (
        <ApplicantCard key={a.applicationId} room={room} applicant={a} onChanged={refetch} />
      ))}
      {chair && meeting.state === "in_session" ? (
        <CloseMeeting meetingId={meetingId} onDone={refetch} />
      ) : null}
    </>
  );
}

function seatRoleKey(role: string) {
  return role === "chair" ? "seat.chair" : role === "observer" ? "seat.observer" : "seat.expert";
}

function Seats({ room }: { room: Room }) {
  const c = useCommitteeText();
  return (
    <Card title={c("committee.attendance")}>
      {room.meeting.state === "scheduled" ? <p>{c("rollcall.waiting")}</p> : null}
      <ul className="committee-seats">
        {room.seats.map((s) => (
          <li key={s.userId}>
            <span>{s.name}</span> <span className="committee-seat__role">（{c(seatRoleKey(s.role))}）</span>{" "}
            {s.role === "observer" ? null : (
              <span data-present={String(s.present)}>
                {c(
                  s.present === true ? "seat.present" : s.present === false ? "seat.absent" : "seat.unknown",
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function RollCall({ room, onDone }: { room: Room; onDone: () => void }) {
  const messageOf = useErrorMessage();
  const c = useCommitteeText();
  const voting = room.seats.filter((s) => s.role !== "observer");
  const [present, setPresent] = useState<Set<string>>(() => new Set(voting.map((s) => s.userId)));
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      const done = await trpc.committee.rollCall.mutate({
        meetingId: room.meeting.id,
        presentUserIds: [...present],
      });
      setResult(c("committee.attendanceValue", { present: done.present, members: done.members }));
      onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setWorking(false);
    }
  };
  return (
    <Card title={c("rollcall.title")}>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{c("rollcall.legend")}</legend>
          {voting.map((s) => (
            <label key={s.userId} className="committee-check">
              <input
                type="checkbox"
                checked={present.has(s.userId)}
                onChange={(e) => {
                  const next = new Set(present);
                  if (e.target.checked) next.add(s.userId);
                  else next.delete(s.userId);
                  setPresent(next);
                }}
              />{" "}
              {s.name}（{c(seatRoleKey(s.role))}）
            </label>
          ))}
        </fieldset>
        <p role="status" aria-live="polite">
          {c("rollcall.count", { present: present.size, needed: room.meeting.needed })}
        </p>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {result ? <Alert tone="success">{result}</Alert> : null}
        <p className="button-row">
          <Button type="submit" disabled={working}>
            {working ? c("rollcall.working") : c("rollcall.submit")}
          </Button>
        </p>
      </form>
    </Card>
  );
}

function References({ applicant }: { applicant: Applicant }) {
  const c = useCommitteeText();
  const { defense, opinions } = applicant.references;
  return (
    <div className="committee-refs">
      <h4>{c("refs.title")}</h4>
      <dl className="panel-facts">
        <dt>{c("refs.defense")}</dt>
        <dd>
          {defense === null
            ? c("refs.noDefense")
            : defense.attendance === "no_show"
              ? c("refs.noShow")
              : defense.score === null
                ? c("refs.noScore")
                : `${c("refs.score", {
                    score: defense.score,
                    count: defense.count,
                    trimmed: defense.trimmed ? c("refs.trimmed") : "",
                    passLine: defense.passLine,
                  })} · ${c(defense.passed ? "refs.passed" : "refs.failed")}`}
        </dd>
        <dt>{c("refs.opinions")}</dt>
        <dd>
          {opinions.length === 0 ? (
            c("refs.noOpinions")
          ) : (
            <ul>
              {opinions.map((o) => (
                <li key={`${o.groupName}:${o.discipline}`}>
                  <strong>{o.groupName}</strong>
                  {o.discipline ? `（${o.discipline}）` : ""}：
                  {c(o.recommendation === "support" ? "refs.support" : "refs.oppose")}。{o.opinion}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </div>
  );
}

function ApplicantCard(props: { room: Room; applicant: Applicant; onChanged: () => void }) {
  const c = useCommitteeText();
  const headingId = useId();
  const { room, applicant } = props;
  const { meeting, me } = room;
  const ballot = applicant.ballot;
  const chair = me.role === "chair";
  const voter = me.role === "chair" || me.role === "expert";
  const heading = c("applicant.heading", { position: applicant.position, name: applicant.applicantName });
  const stateKey = ballot ? (`ballot.${ballot.state}` as const) : "ballot.none";
  return (
    <section className="card committee-applicant" aria-labelledby={headingId}>
      <h3 id={headingId} className="card__title">
        {heading}
        {applicant.employerName ? (
          <span className="committee-applicant__employer"> · {applicant.employerName}</span>
        ) : null}
      </h3>
      <p>
        <Link to={{ name: "dossier", meetingId: meeting.id, applicationId: applicant.applicationId }}>
          {/* The name in the visible text itself: an aria-label that hid it failed WCAG 2.5.3. */}
          {c("applicant.dossierFor", { name: applicant.applicantName })}
        </Link>
      </p>
      <References applicant={applicant} />
      <p className="committee-ballot-state">
        <span>{c(stateKey)}</span>
        {ballot ? (
          <>
            {" · "}
            <span role="status" aria-live="polite" data-testid="ballot-progress">
              {c("ballot.progress", { voted: ballot.voted, voters: ballot.voters })}
            </span>
          </>
        ) : null}
      </p>
      {ballot?.tally ? (
        <div className="committee-tally" data-testid="ballot-tally">
          <h4>{c("tally.title")}</h4>
          <p>
            <strong>{c(ballot.tally.passed ? "tally.passed" : "tally.failed")}</strong>
            {" · "}
            {c("tally.counts", {
              yes: ballot.tally.yes,
              no: ballot.tally.no,
              abstain: ballot.tally.abstain,
              blank: ballot.tally.blank,
            })}
          </p>
          <p>{c("tally.needed", { voters: ballot.voters, needed: ballot.tally.needed })}</p>
        </div>
      ) : null}
      {ballot?.state === "open" && voter ? (
        applicant.voted ? (
          <p className="committee-voted" role="status">
            {c("vote.done")}
          </p>
        ) : me.present === true ? (
          <VoteForm meetingId={meeting.id} applicant={applicant} onVoted={props.onChanged} />
        ) : (
          <Alert tone="warning">{c("vote.absent")}</Alert>
        )
      ) : null}
      {chair ? <ChairActions room={room} applicant={applicant} onChanged={props.onChanged} /> : null}
      {voter && ballot === null && meeting.state !== "closed" ? (
        <RecusalForm meetingId={meeting.id} applicant={applicant} onDone={props.onChanged} />
      ) : null}
    </section>
  );
}

/** A chair action with its confirm step (closing and signing cannot be undone). */
function ChairActions(props: { room: Room; applicant: Applicant; onChanged: () => void }) {
  const messageOf = useErrorMessage();
  const c = useCommitteeText();
  const { room, applicant } = props;
  const [confirming, setConfirming] = useState<"close" | "sign" | null>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const target = { meetingId: room.meeting.id, applicationId: applicant.applicationId };
  const run = async (action: () => Promise<unknown>) => {
    setWorking(true);
    setError(null);
    try {
      await action();
      setConfirming(null);
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setWorking(false);
    }
  };
  const ballot = applicant.ballot;
  const name = applicant.applicantName;
  return (
    <div className="button-row committee-chair">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {ballot === null && room.meeting.state === "in_session" ? (
        <Button
          type="button"
          disabled={working}
          onClick={() => run(() => trpc.committee.openBallot.mutate(target))}
        >
          {c("ballot.openButton")}
        </Button>
      ) : null}
      {ballot?.state === "open" && confirming !== "close" ? (
        <Button type="button" variant="secondary" disabled={working} onClick={() => setConfirming("close")}>
          {c("ballot.closeButton")}
        </Button>
      ) : null}
      {ballot?.state === "closed" && confirming !== "sign" ? (
        <Button type="button" disabled={working} onClick={() => setConfirming("sign")}>
          {c("ballot.signButton")}
        </Button>
      ) : null}
      {confirming ? (
        <fieldset className="committee-confirm">
          <legend>{c(confirming === "close" ? "ballot.closeButton" : "ballot.signButton")}</legend>
          <p>{c(confirming === "close" ? "ballot.closeConfirm" : "ballot.signConfirm", { name })}</p>
          <Button
            type="button"
            disabled={working}
            onClick={() =>
              run(() =>
                confirming === "close"
                  ? trpc.committee.closeBallot.mutate(target)
                  : trpc.committee.signBallot.mutate(target),
              )
            }
          >
            {working ? c("ballot.working") : c(confirming === "close" ? "ballot.closeYes" : "ballot.signYes")}
          </Button>{" "}
          <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
            {c("ballot.cancel")}
          </Button>
        </fieldset>
      ) : null}
    </div>
  );
}

const choiceKey = { yes: "vote.yes", no: "vote.no", abstain: "vote.abstain" } as const;

/** 同意 / 不同意 / 弃权, a confirm step, then the vote; the choice leaves the page only in the vote call. */
function VoteForm(props: { meetingId: string; applicant: Applicant; onVoted: () => void }) {
  const messageOf = useErrorMessage();
  const c = useCommitteeText();
  const name = `vote-${props.applicant.applicationId}`;
  const [choice, setChoice] = useState<BallotChoice | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return setError(c("vote.pick"));
    setError(null);
    setConfirming(true);
  };
  const cast = async () => {
    if (!choice) return;
    setWorking(true);
    setError(null);
    try {
      await trpc.committee.vote.mutate({
        meetingId: props.meetingId,
        applicationId: props.applicant.applicationId,
        choice,
      });
      setChoice(null);
      props.onVoted();
    } catch (e) {
      setError(messageOf(e));
      setConfirming(false);
    } finally {
      setWorking(false);
    }
  };
  return (
    <form onSubmit={submit} className="committee-vote">
      <fieldset disabled={confirming || working}>
        <legend>{c("vote.legend", { name: props.applicant.applicantName })}</legend>
        {ballotChoices.map((value) => (
          <label key={value} className="committee-choice">
            <input
              type="radio"
              name={name}
              value={value}
              checked={choice === value}
              onChange={() => setChoice(value)}
            />{" "}
            {c(choiceKey[value])}
          </label>
        ))}
      </fieldset>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {confirming && choice ? (
        <fieldset className="committee-confirm">
          <legend>{c("vote.confirmYes")}</legend>
          <p>{c("vote.confirm", { choice: c(choiceKey[choice]) })}</p>
          <Button type="button" disabled={working} onClick={() => void cast()}>
            {working ? c("vote.working") : c("vote.confirmYes")}
          </Button>{" "}
          <Button type="button" variant="secondary" disabled={working} onClick={() => setConfirming(false)}>
            {c("vote.back")}
          </Button>
        </fieldset>
      ) : (
        <p className="button-row">
          <Button type="submit">{c("vote.submit")}</Button>
        </p>
      )}
    </form>
  );
}

function RecusalForm(props: { meetingId: string; applicant: Applicant; onDone: () => void }) {
  const messageOf = useErrorMessage();
  const c = useCommitteeText();
  const reasonId = useId();
  const hintId = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <p className="button-row">
        <Button type="button" variant="secondary" onClick={() => setOpen(true)}>
          {c("recusal.button")}
        </Button>
      </p>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    try {
      await trpc.committee.declareRecusal.mutate({
        meetingId: props.meetingId,
        applicationId: props.applicant.applicationId,
        reason,
      });
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setWorking(false);
    }
  };
  return (
    <form onSubmit={submit} className="committee-recusal">
      <fieldset>
        <legend>{c("recusal.legend", { name: props.applicant.applicantName })}</legend>
        <label htmlFor={reasonId}>{c("recusal.reason")}</label>
        <textarea
          id={reasonId}
          value={reason}
          required
          minLength={2}
          maxLength={500}
          aria-describedby={hintId}
          onChange={(e) => setReason(e.target.value)}
        />
        <p id={hintId} className="field-hint">
          {c("recusal.hint")}
        </p>
      </fieldset>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <p className="button-row">
        <Button type="submit" disabled={working}>
          {c("recusal.submit")}
        </Button>{" "}
        <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
          {c("recusal.cancel")}
        </Button>
      </p>
    </form>
  );
}

function CloseMeeting({ meetingId, onDone }: { meetingId: string; onDone: () => void }) {
  const messageOf = useErrorMessage();
  const c = useCommitteeText();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = async () => {
    setError(null);
    try {
      await trpc.committee.closeMeeting.mutate({ meetingId });
      setConfirming(false);
      onDone();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Card>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {confirming ? (
        <fieldset className="committee-confirm">
          <legend>{c("meeting.close")}</legend>
          <p>{c("meeting.closeConfirm")}</p>
          <Button type="button" variant="danger" onClick={() => void close()}>
            {c("meeting.closeYes")}
          </Button>{" "}
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            {c("ballot.cancel")}
          </Button>
        </fieldset>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
          {c("meeting.close")}
        </Button>
      )}
    </Card>
  );
}
