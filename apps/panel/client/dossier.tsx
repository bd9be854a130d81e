import { Alert, PageHeading, PdfViewer, type PdfViewerProps } from "@titles/ui";
import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import {
  type Annotation,
  type Author,
  addAnnotation,
  addComment,
  type Comment,
  deleteAnnotation,
  deleteComment,
  editComment,
  type PdfRect,
} from "./annotations";
import { trpc } from "./api";
import { dossierDocName, fetchDossier } from "./dossier-api";
import { Breadcrumbs, usePanelText, useQuery } from "./meetings";
import { OpinionCard } from "./opinion";
import { type Peer, useDossierDoc } from "./use-dossier-doc";

type Overlay = Parameters<NonNullable<PdfViewerProps["renderPageOverlay"]>>[0];
type Selection = Parameters<NonNullable<PdfViewerProps["onTextSelection"]>>[0];
type Tool = "select" | "rect" | "pin";
type P = ReturnType<typeof usePanelText>;

/** A pin is drawn as a small square around its point (in PDF points). */
const PIN_SIZE = 6;

export function DossierPage({ meetingId, applicationId }: { meetingId: string; applicationId: string }) {
  const p = usePanelText();
  const agenda = useQuery(`agenda:${meetingId}`, () => trpc.meetings.agenda.query({ meetingId }));
  const dossier = useQuery(`dossier:${meetingId}:${applicationId}`, () =>
    fetchDossier(meetingId, applicationId),
  );

  const meetingTitle = agenda.status === "ready" ? agenda.data.meeting.title : "…";
  const entry =
    agenda.status === "ready"
      ? agenda.data.applications.find((a) => a.applicationId === applicationId)
      : undefined;
  const name = entry?.applicantName ?? "";
  const crumbs = (
    <Breadcrumbs
      items={[
        { label: p("nav.lobby"), to: { name: "lobby" } },
        { label: meetingTitle, to: { name: "agenda", meetingId } },
        { label: name || "…" },
      ]}
    />
  );
  if (agenda.status === "loading" || dossier.status === "loading") {
    return (
      <>
        {crumbs}
        <p role="status">{p("loading")}</p>
      </>
    );
  }
  if (agenda.status === "failed") return <Alert tone="error">{agenda.message}</Alert>;
  if (dossier.status === "failed") return <Alert tone="error">{dossier.message}</Alert>;
  if (!dossier.data.ok) {
    return (
      <>
        {crumbs}
        {/* The page keeps its heading when the dossier is missing, so it can be found by heading. */}
        <PageHeading title={p("dossier.title", { name })} />
        <Alert tone={dossier.data.code === "NOT_FOUND" ? "warning" : "error"}>
          {dossier.data.code === "NOT_FOUND"
            ? p("dossier.missing")
            : dossier.data.message || p("load.failed")}
        </Alert>
        {dossier.data.code === "NOT_FOUND" ? (
          <OpinionCard meetingId={meetingId} applicationId={applicationId} />
        ) : null}
      </>
    );
  }
  const meta = dossier.data.dossier;
  return (
    <>
      {crumbs}
      <PageHeading
        title={p("dossier.title", { name })}
        lead={p("dossier.version", { version: String(meta.version), pages: String(meta.pages) })}
      />
      <DossierWorkspace
        docName={dossierDocName(meetingId, applicationId, meta.version)}
        url={meta.url}
        title={p("dossier.viewer", { name })}
        chairUserIds={agenda.data.chairUserIds}
      />
      <OpinionCard meetingId={meetingId} applicationId={applicationId} />
    </>
  );
}

function DossierWorkspace(props: { docName: string; url: string; title: string; chairUserIds: string[] }) {
  const p = usePanelText();
  const live = useDossierDoc(props.docName);
  const { doc, provider, author, readOnly, annotations, peers } = live;
  const [tool, setTool] = useState<Tool>("select");
  const [draft, setDraft] = useState("");
  const [selection, setSelection] = useState<Selection>(null);
  const [jump, setJump] = useState<{ page: number; key: number } | null>(null);
  const [follow, setFollow] = useState(false);
  const [focused, setFocused] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const canWrite = !!doc && !!author && !readOnly;

  const onPageChange = useCallback(
    (n: number) => {
      setPage(n);
      provider?.setPresence("page", n);
    },
    [provider],
  );
  // Announce the page we are on as soon as the provider exists.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when a new provider appears
  useEffect(() => {
    provider?.setPresence("page", page);
  }, [provider]);

  const onPagePointer = useCallback(
    (pointer: { pageNumber: number; x: number; y: number } | null) =>
      provider?.setCursor(pointer ? { page: pointer.pageNumber, x: pointer.x, y: pointer.y } : null),
    [provider],
  );

  // Follow the chair: turn to the page the chair is on whenever it changes.
  const chair = peers.find((peer) => !peer.self && props.chairUserIds.includes(peer.userId));
  const chairPage = chair?.page ?? null;
  useEffect(() => {
    if (follow && chairPage !== null) setJump({ page: chairPage, key: Date.now() });
  }, [follow, chairPage]);

  const create = (kind: Annotation["kind"], pageIndex: number, rects: PdfRect[], quote = "") => {
    if (!doc || !author) return;
    const id = addAnnotation(doc, author, { kind, page: pageIndex, rects, quote, comment: draft });
    setDraft("");
    setFocused(id);
  };

  const highlight = () => {
    if (!selection) return;
    create("highlight", selection.pageNumber - 1, selection.rects, selection.text);
    window.getSelection()?.removeAllRanges();
    setSelection(null);
  };

  const renderOverlay = (overlay: Overlay) => (
    <PageOverlay
      overlay={overlay}
      annotations={annotations.filter((a) => a.page === overlay.pageNumber - 1)}
      peers={peers.filter((peer) => !peer.self && peer.cursor?.page === overlay.pageNumber)}
      tool={canWrite ? tool : "select"}
      focused={focused}
      onFocus={setFocused}
      onCreate={(kind, rects) => create(kind, overlay.pageNumber - 1, rects)}
      p={p}
    />
  );

  const status = live.state.status;
  const statusText =
    status.kind === "joined"
      ? readOnly
        ? p("sync.readOnly")
        : live.state.unsaved > 0
          ? p("sync.saving", { count: String(live.state.unsaved) })
          : p("sync.live")
      : status.kind === "forbidden"
        ? p("sync.forbidden", { message: status.message })
        : status.kind === "refused"
          ? p("sync.refused", { message: status.message })
          : p("sync.connecting");

  return (
    <div className="panel-dossier">
      <p className="panel-status">
        <span role="status" aria-live="polite" data-status={status.kind} data-unsaved={live.state.unsaved}>
          {statusText}
        </span>
      </p>
      <div className="panel-dossier__layout">
        <div className="panel-dossier__viewer">
          <PdfViewer
            url={props.url}
            title={props.title}
            renderPageOverlay={renderOverlay}
            onPageChange={onPageChange}
            jumpTo={jump}
            onTextSelection={setSelection}
            onPagePointer={onPagePointer}
          />
        </div>
        <aside className="panel-dossier__side">
          <PresencePanel
            peers={peers}
            chairUserIds={props.chairUserIds}
            follow={follow}
            onFollow={setFollow}
            chairHere={!!chair}
            p={p}
          />
          {canWrite ? (
            <section className="panel-box" aria-labelledby="tools-title">
              <h2 id="tools-title" className="panel-box__title">
                {p("tools.title")}
              </h2>
              <fieldset className="panel-tools">
                <legend>{p("tools.mode")}</legend>
                {(["select", "rect", "pin"] as const).map((name) => (
                  <label key={name}>
                    <input
                      type="radio"
                      name="annotation-tool"
                      value={name}
                      checked={tool === name}
                      onChange={() => setTool(name)}
                    />{" "}
                    {p(`tools.${name}`)}
                  </label>
                ))}
              </fieldset>
              <p className="panel-hint">
                {p(
                  tool === "select"
                    ? "tools.hintSelect"
                    : tool === "rect"
                      ? "tools.hintRect"
                      : "tools.hintPin",
                )}
              </p>
              <label className="panel-field">
                <span>{p("tools.comment")}</span>
                <textarea
                  rows={3}
                  value={draft}
                  maxLength={4000}
                  onChange={(e) => setDraft(e.target.value)}
                />
              </label>
              {tool === "select" ? (
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!selection}
                  // Keep the text selection: a click on the button must not clear it first.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={highlight}
                >
                  {p("tools.highlight")}
                </button>
              ) : null}
            </section>
          ) : null}
          <AnnotationList
            annotations={annotations}
            author={canWrite ? author : null}
            focused={focused}
            onJump={(a) => {
              setFocused(a.id);
              setJump({ page: a.page + 1, key: Date.now() });
            }}
            onDelete={(a) => doc && author && deleteAnnotation(doc, author, a.id)}
            onComment={(a, text, replyTo) => doc && author && addComment(doc, author, a.id, text, replyTo)}
            onEditComment={(a, c, text) => doc && author && editComment(doc, author, a.id, c.id, text)}
            onDeleteComment={(a, c) => doc && author && deleteComment(doc, author, a.id, c.id)}
            p={p}
          />
        </aside>
      </div>
    </div>
  );
}

function PageOverlay(props: {
  overlay: Overlay;
  annotations: Annotation[];
  peers: Peer[];
  tool: Tool;
  focused: string | null;
  onFocus: (id: string) => void;
  onCreate: (kind: "rect" | "pin", rects: PdfRect[]) => void;
  p: P;
}) {
  const { overlay, tool, p } = props;
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const box = useRef<HTMLDivElement | null>(null);

  const local = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const toPdfRect = (x0: number, y0: number, x1: number, y1: number): PdfRect => {
    const [ax, ay] = overlay.toPdf(x0, y0);
    const [bx, by] = overlay.toPdf(x1, y1);
    return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  };
  const pinAt = (x: number, y: number): PdfRect => {
    const [px, py] = overlay.toPdf(x, y);
    return [px - PIN_SIZE, py - PIN_SIZE, px + PIN_SIZE, py + PIN_SIZE];
  };

  const drawing = tool !== "select";
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    const cx = overlay.width / 2;
    const cy = overlay.height / 2;
    if (tool === "pin") props.onCreate("pin", [pinAt(cx, cy)]);
    if (tool === "rect") props.onCreate("rect", [toPdfRect(cx - 60, cy - 30, cx + 60, cy + 30)]);
  };

  return (
    <>
      {props.annotations.map((a) =>
        a.rects.map((rect, index) => {
          const view = overlay.toView(rect);
          const focused = props.focused === a.id;
          const first = a.thread[0]?.text ?? a.quote;
          if (a.kind === "pin") {
            return (
              <button
                // biome-ignore lint/suspicious/noArrayIndexKey: rectangles of one annotation never reorder
                key={`${a.id}:${index}`}
                type="button"
                className="panel-pin"
                data-annotation={a.id}
                aria-label={p("pin.label", { name: a.authorName, text: first })}
                title={first}
                onClick={() => props.onFocus(a.id)}
                style={{
                  left: view.left + view.width / 2 - 9,
                  top: view.top + view.height / 2 - 18,
                  background: a.color,
                  outline: focused ? "3px solid #1f5fbf" : undefined,
                }}
              />
            );
          }
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: rectangles of one annotation never reorder
              key={`${a.id}:${index}`}
              className={`panel-mark panel-mark--${a.kind}`}
              data-annotation={a.id}
              title={first}
              style={{
                left: view.left,
                top: view.top,
                width: view.width,
                height: view.height,
                ...(a.kind === "highlight"
                  ? { background: a.color, opacity: focused ? 0.5 : 0.3 }
                  : { border: `2px solid ${a.color}`, boxShadow: focused ? "0 0 0 2px #1f5fbf" : undefined }),
              }}
            />
          );
        }),
      )}
      {props.peers.map((peer) =>
        peer.cursor ? (
          <span
            key={peer.clientId}
            className="panel-cursor"
            aria-hidden="true"
            style={(() => {
              const view = overlay.toView([peer.cursor.x, peer.cursor.y, peer.cursor.x, peer.cursor.y]);
              return { left: view.left, top: view.top, borderColor: peer.color, color: peer.color };
            })()}
          >
            {peer.name}
          </span>
        ) : null,
      )}
      {drag ? (
        <div
          className="panel-mark panel-mark--draft"
          style={{
            left: Math.min(drag.x0, drag.x1),
            top: Math.min(drag.y0, drag.y1),
            width: Math.abs(drag.x1 - drag.x0),
            height: Math.abs(drag.y1 - drag.y0),
          }}
        />
      ) : null}
      {drawing ? (
        // biome-ignore lint/a11y/useSemanticElements: a drawing surface, not a button; Enter drops a mark
        <div
          ref={box}
          role="button"
          tabIndex={0}
          className="panel-draw"
          aria-label={p("tools.drawArea", { page: overlay.label })}
          data-draw-page={overlay.pageNumber}
          onKeyDown={onKeyDown}
          onPointerDown={(event) => {
            if (tool !== "rect") return;
            const at = local(event);
            event.currentTarget.setPointerCapture(event.pointerId);
            setDrag({ x0: at.x, y0: at.y, x1: at.x, y1: at.y });
          }}
          onPointerMove={(event) => {
            if (!drag) return;
            const at = local(event);
            setDrag({ ...drag, x1: at.x, y1: at.y });
          }}
          onPointerUp={(event) => {
            const at = local(event);
            if (tool === "pin") props.onCreate("pin", [pinAt(at.x, at.y)]);
            if (tool === "rect" && drag) {
              if (Math.abs(at.x - drag.x0) > 4 && Math.abs(at.y - drag.y0) > 4)
                props.onCreate("rect", [toPdfRect(drag.x0, drag.y0, at.x, at.y)]);
              setDrag(null);
            }
          }}
        />
      ) : null}
    </>
  );
}

function PresencePanel(props: {
  peers: Peer[];
  chairUserIds: string[];
  follow: boolean;
  onFollow: (on: boolean) => void;
  chairHere: boolean;
  p: P;
}) {
  const { p } = props;
  // One line per expert, however many tabs they have open (their latest page wins).
  const people = useMemo(() => {
    const byUser = new Map<string, Peer>();
    for (const peer of props.peers) {
      const seen = byUser.get(peer.userId);
      if (!seen || peer.self) byUser.set(peer.userId, peer);
    }
    return [...byUser.values()].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name),
    );
  }, [props.peers]);
  return (
    <section className="panel-box" aria-labelledby="presence-title">
      <h2 id="presence-title" className="panel-box__title">
        {p("presence.title")}
      </h2>
      <ul className="panel-presence" aria-live="polite">
        {people.map((peer) => (
          <li key={peer.userId} data-user={peer.userId}>
            <span className="panel-dot" style={{ background: peer.color }} aria-hidden="true" />
            {peer.name}
            {peer.self ? p("presence.you") : ""}
            {props.chairUserIds.includes(peer.userId) ? ` · ${p("presence.chair")}` : ""}
            {peer.page ? ` · ${p("presence.page", { page: String(peer.page) })}` : ""}
          </li>
        ))}
      </ul>
      {people.filter((x) => !x.self).length === 0 ? <p className="panel-hint">{p("presence.none")}</p> : null}
      <label className="panel-check">
        <input type="checkbox" checked={props.follow} onChange={(e) => props.onFollow(e.target.checked)} />{" "}
        {p("follow.label")}
      </label>
      {props.follow && !props.chairHere ? <p className="panel-hint">{p("follow.absent")}</p> : null}
    </section>
  );
}

function AnnotationList(props: {
  annotations: Annotation[];
  author: Author | null;
  focused: string | null;
  onJump: (a: Annotation) => void;
  onDelete: (a: Annotation) => void;
  onComment: (a: Annotation, text: string, replyTo: string | null) => void;
  onEditComment: (a: Annotation, c: Comment, text: string) => void;
  onDeleteComment: (a: Annotation, c: Comment) => void;
  p: P;
}) {
  const { p } = props;
  const [pageFilter, setPageFilter] = useState("all");
  const [authorFilter, setAuthorFilter] = useState("all");
  const pages = [...new Set(props.annotations.map((a) => a.page))].sort((a, b) => a - b);
  const authors = [...new Map(props.annotations.map((a) => [a.authorId, a.authorName])).entries()];
  const shown = props.annotations.filter(
    (a) =>
      (pageFilter === "all" || String(a.page) === pageFilter) &&
      (authorFilter === "all" || a.authorId === authorFilter),
  );
  return (
    <section className="panel-box" aria-labelledby="list-title">
      <h2 id="list-title" className="panel-box__title">
        {p("list.title")} <small>{p("list.count", { count: String(props.annotations.length) })}</small>
      </h2>
      <div className="panel-filters">
        <label className="panel-field">
          <span>{p("list.filterPage")}</span>
          <select value={pageFilter} onChange={(e) => setPageFilter(e.target.value)}>
            <option value="all">{p("list.allPages")}</option>
            {pages.map((n) => (
              <option key={n} value={String(n)}>
                {p("presence.page", { page: String(n + 1) })}
              </option>
            ))}
          </select>
        </label>
        <label className="panel-field">
          <span>{p("list.filterAuthor")}</span>
          <select value={authorFilter} onChange={(e) => setAuthorFilter(e.target.value)}>
            <option value="all">{p("list.allAuthors")}</option>
            {authors.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? <p className="panel-hint">{p("list.empty")}</p> : null}
      <ul className="panel-annotations">
        {shown.map((a) => (
          <AnnotationItem key={a.id} annotation={a} {...props} />
        ))}
      </ul>
    </section>
  );
}

function AnnotationItem(
  props: { annotation: Annotation } & Omit<Parameters<typeof AnnotationList>[0], "annotations">,
) {
  const { annotation: a, author, p } = props;
  const [reply, setReply] = useState("");
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const mine = author?.userId === a.authorId;
  const names = new Map(a.thread.map((c) => [c.id, c.authorName]));
  return (
    <li
      className="panel-annotation"
      data-annotation={a.id}
      aria-current={props.focused === a.id ? "true" : undefined}
      style={{ borderLeftColor: a.color }}
    >
      <div className="panel-annotation__head">
        <button type="button" className="panel-link" onClick={() => props.onJump(a)}>
          {p(`kind.${a.kind}`)} · {p("list.jump", { page: String(a.page + 1) })}
        </button>
        <span className="panel-annotation__author">{a.authorName}</span>
        {mine ? (
          <button type="button" className="panel-link panel-danger" onClick={() => props.onDelete(a)}>
            {p("list.delete")}
          </button>
        ) : null}
      </div>
      {a.quote ? <blockquote className="panel-quote">{a.quote}</blockquote> : null}
      <ul className="panel-thread">
        {a.thread.map((c) => (
          <li key={c.id} data-comment={c.id}>
            <strong style={{ color: c.color }}>{c.authorName}</strong>
            {c.replyTo && names.get(c.replyTo) ? ` → ${names.get(c.replyTo)}` : ""}：
            {editing?.id === c.id ? (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  props.onEditComment(a, c, editing.text);
                  setEditing(null);
                }}
              >
                <label className="panel-field">
                  <span>{p("list.commentLabel")}</span>
                  <textarea
                    rows={2}
                    value={editing.text}
                    onChange={(e) => setEditing({ id: c.id, text: e.target.value })}
                  />
                </label>
                <button type="submit" className="button button--primary">
                  {p("list.save")}
                </button>{" "}
                <button type="button" className="button button--secondary" onClick={() => setEditing(null)}>
                  {p("list.cancel")}
                </button>
              </form>
            ) : (
              <span className="panel-comment">
                {c.text}
                {c.edited ? p("list.edited") : ""}
              </span>
            )}
            {author && editing?.id !== c.id ? (
              <span className="panel-comment__actions">
                <button type="button" className="panel-link" onClick={() => setReplyTo(c)}>
                  {p("list.reply")}
                </button>
                {c.authorId === author.userId ? (
                  <>
                    <button
                      type="button"
                      className="panel-link"
                      onClick={() => setEditing({ id: c.id, text: c.text })}
                    >
                      {p("list.edit")}
                    </button>
                    <button
                      type="button"
                      className="panel-link panel-danger"
                      onClick={() => props.onDeleteComment(a, c)}
                    >
                      {p("list.deleteComment")}
                    </button>
                  </>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {author ? (
        <form
          className="panel-reply"
          onSubmit={(event) => {
            event.preventDefault();
            props.onComment(a, reply, replyTo?.id ?? null);
            setReply("");
            setReplyTo(null);
          }}
        >
          <label className="panel-field">
            <span>{replyTo ? p("list.replyTo", { name: replyTo.authorName }) : p("list.commentLabel")}</span>
            <textarea rows={2} value={reply} maxLength={4000} onChange={(e) => setReply(e.target.value)} />
          </label>
          <button type="submit" className="button button--secondary" disabled={!reply.trim()}>
            {replyTo ? p("list.send") : p("list.comment")}
          </button>
          {replyTo ? (
            <button type="button" className="panel-link" onClick={() => setReplyTo(null)}>
              {p("list.cancel")}
            </button>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}
