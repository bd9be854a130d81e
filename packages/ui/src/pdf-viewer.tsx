import {
  GlobalWorkerOptions,
  getDocument,
  type PageViewport,
  type PDFDocumentProxy,
  PixelsPerInch,
  RenderingCancelledException,
  type RenderTask,
  TextLayer,
} from "pdfjs-dist";
import {
  type CSSProperties,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useI18n } from "./components";
import {
  type PdfPageOverlay,
  type PdfRectangle,
  type PdfTextSelection,
  type PdfViewerProps,
  type PdfViewerStrings,
  pdfViewerStrings,
} from "./pdf-viewer-lazy";

// The worker is a separate asset: Vite rewrites this to its hashed URL at build time.
GlobalWorkerOptions.workerSrc = new URL("pdfjs-dist/build/pdf.worker.min.mjs", import.meta.url).toString();

const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
const MIN_SCALE = ZOOM_STEPS[0]!;
const MAX_SCALE = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
const PAGE_GAP = 12;
/** Pages this far outside the visible area are rendered ahead of scrolling; farther ones are released. */
const RENDER_MARGIN = "600px 0px";
const THUMB_WIDTH = 112;
/** Below this width the sidebar starts closed, leaving the page to the document (phones, narrow tablets). */
const SIDEBAR_MIN_WIDTH = 720;

type Zoom = { mode: "fit" } | { mode: "scale"; scale: number };
type OutlineEntry = { title: string; pageNumber: number | null; items: OutlineEntry[] };
type LoadState =
  | { status: "loading" }
  | { status: "error" }
  | {
      status: "ready";
      doc: PDFDocumentProxy;
      /** Each page's viewport at scale 1 (PDF points). */
      viewports: PageViewport[];
      labels: string[];
      outline: OutlineEntry[];
    };
type Panel = "thumbnails" | "outline" | "search";

/** The essentials of pdf.js's text-layer CSS: transparent, selectable text placed over the canvas. */
const TEXT_LAYER_CSS = `
.pdf-viewer .textLayer{position:absolute;text-align:initial;inset:0;overflow:clip;opacity:1;line-height:1;
letter-spacing:normal;word-spacing:normal;text-size-adjust:none;forced-color-adjust:none;transform-origin:0 0;
z-index:0;--min-font-size:1;--text-scale-factor:calc(var(--total-scale-factor) * var(--min-font-size));
--min-font-size-inv:calc(1 / var(--min-font-size))}
.pdf-viewer .textLayer :is(span,br){color:transparent;position:absolute;white-space:pre;cursor:text;
transform-origin:0% 0%;user-select:text}
.pdf-viewer .textLayer > :not(.markedContent),.pdf-viewer .textLayer .markedContent span:not(.markedContent){
z-index:1;--font-height:0;font-size:calc(var(--text-scale-factor) * var(--font-height));--scale-x:1;--rotate:0deg;
transform:rotate(var(--rotate)) scaleX(var(--scale-x)) scale(var(--min-font-size-inv))}
.pdf-viewer .textLayer .markedContent{display:contents}
.pdf-viewer .textLayer ::selection{background:rgba(0,0,255,.25);color:transparent}
.pdf-viewer .textLayer br::selection{background:transparent}
.pdf-viewer .textLayer .endOfContent{display:block;position:absolute;inset:100% 0 0;z-index:0;cursor:default;user-select:none}
.pdf-viewer .textLayer span.pdf-viewer__hit{background:rgba(255,200,0,.45);border-radius:2px}
.pdf-viewer__overlay{position:absolute;inset:0;pointer-events:none;z-index:2}
.pdf-viewer__body{display:flex;min-height:0}
.pdf-viewer__sidebar{flex:0 0 ${THUMB_WIDTH + 48}px;border-right:1px solid #c9ccd1;display:flex;flex-direction:column;
height:min(80vh,1100px);background:#f6f7f9}
.pdf-viewer__sidebar-list{overflow:auto;flex:1;padding:8px;margin:0;list-style:none}
.pdf-viewer__sidebar-list button{width:100%;text-align:left;background:none;border:1px solid transparent;
padding:4px;cursor:pointer;font:inherit;border-radius:3px}
.pdf-viewer__sidebar-list button[aria-current="page"]{border-color:#1f5fbf;background:#e7eefb}
.pdf-viewer__sidebar-list button:focus-visible{outline:2px solid #1f5fbf}
.pdf-viewer__thumb{display:block;margin:0 auto 2px;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.25)}
.pdf-viewer__tabs{display:flex;gap:2px;padding:4px;border-bottom:1px solid #c9ccd1}
.pdf-viewer__tabs button{flex:1;font:inherit;font-size:.85em;padding:4px 2px}
.pdf-viewer__tabs button[aria-selected="true"]{font-weight:600;border-bottom:2px solid #1f5fbf}
.pdf-viewer__outline ul{list-style:none;margin:0;padding-left:10px}
@media (max-width: 720px){.pdf-viewer__sidebar{position:absolute;z-index:5;left:0;box-shadow:2px 0 6px rgba(0,0,0,.2)}
.pdf-viewer__body{position:relative}}
`;

const styles = {
  root: { border: "1px solid #c9ccd1", borderRadius: 4, background: "#fff" },
  plainList: { listStyle: "none", margin: 0, padding: 0 },
  toolbar: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: 8,
    padding: "6px 8px",
    borderBottom: "1px solid #c9ccd1",
  },
  group: { display: "flex", alignItems: "center", gap: 4 },
  pageInput: { width: "4.5em" },
  scroller: {
    flex: 1,
    minWidth: 0,
    height: "min(80vh, 1100px)",
    overflow: "auto",
    background: "#e8eaed",
    padding: PAGE_GAP,
  },
  page: {
    position: "relative",
    margin: `0 auto ${PAGE_GAP}px`,
    background: "#fff",
    boxShadow: "0 1px 3px rgba(0,0,0,.25)",
  },
  canvas: { display: "block", width: "100%", height: "100%" },
  message: { padding: 16 },
} satisfies Record<string, CSSProperties>;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function cssViewport(viewport: PageViewport, scale: number): PageViewport {
  return viewport.clone({ scale: scale * PixelsPerInch.PDF_TO_CSS_UNITS });
}

function overlayFor(viewport: PageViewport, pageNumber: number, label: string): PdfPageOverlay {
  return {
    pageNumber,
    label,
    width: viewport.width,
    height: viewport.height,
    toView: (rect) => {
      const [ax, ay] = viewport.convertToViewportPoint(rect[0], rect[1]) as [number, number];
      const [bx, by] = viewport.convertToViewportPoint(rect[2], rect[3]) as [number, number];
      return {
        left: Math.min(ax, bx),
        top: Math.min(ay, by),
        width: Math.abs(bx - ax),
        height: Math.abs(by - ay),
      };
    },
    toPdf: (x, y) => {
      const [px, py] = viewport.convertToPdfPoint(x, y) as [number, number];
      return [px, py];
    },
  };
}

/** Marks the text-layer spans that contain the query (case-insensitive). */
function markHits(container: HTMLElement | null, query: string) {
  if (!container) return;
  const needle = query.trim().toLowerCase();
  for (const span of container.querySelectorAll("span")) {
    const hit = needle.length > 0 && (span.textContent ?? "").toLowerCase().includes(needle);
    span.classList.toggle("pdf-viewer__hit", hit);
  }
}

/** One page: sized from the start, drawn to a canvas (with its text layer) only while near the visible area. */
function PdfPage(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  viewport: PageViewport;
  scale: number;
  root: HTMLElement | null;
  label: string;
  pageLabel: string;
  search: string;
  register: (pageNumber: number, element: HTMLDivElement | null) => void;
  renderOverlay?: (page: PdfPageOverlay) => ReactNode;
  onPointer?: PdfViewerProps["onPagePointer"];
}) {
  const { doc, pageNumber, scale, root, label, register, search } = props;
  const frameRef = useRef<HTMLDivElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const textRef = useRef<HTMLDivElement | null>(null);
  const [near, setNear] = useState(false);
  const viewport = useMemo(() => cssViewport(props.viewport, scale), [props.viewport, scale]);

  const setFrame = useCallback(
    (element: HTMLDivElement | null) => {
      frameRef.current = element;
      register(pageNumber, element);
    },
    [register, pageNumber],
  );

  useEffect(() => {
    const frame = frameRef.current;
    if (!frame || !root) return;
    const observer = new IntersectionObserver(([entry]) => setNear(entry?.isIntersecting ?? false), {
      root,
      rootMargin: RENDER_MARGIN,
    });
    observer.observe(frame);
    return () => observer.disconnect();
  }, [root]);

  // The search marks are refreshed by the effect below, not by drawing the page again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: search is applied once the text exists
  useEffect(() => {
    if (!near) return;
    let task: RenderTask | null = null;
    let textLayer: TextLayer | null = null;
    let cancelled = false;
    void doc
      .getPage(pageNumber)
      .then(async (page) => {
        const canvas = canvasRef.current;
        if (cancelled || !canvas) return;
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        task = page.render({
          canvas,
          viewport,
          transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
        });
        const container = textRef.current;
        if (container) {
          container.replaceChildren();
          textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container, viewport });
          await textLayer.render();
          if (!cancelled) {
            const end = document.createElement("div");
            end.className = "endOfContent";
            container.append(end);
            markHits(container, search);
          }
        }
        return task.promise;
      })
      .catch((error: unknown) => {
        if (!(error instanceof RenderingCancelledException)) console.error("pdf page render failed", error);
      });
    return () => {
      cancelled = true;
      task?.cancel();
      textLayer?.cancel();
    };
  }, [doc, pageNumber, viewport, near]);

  useEffect(() => markHits(textRef.current, search), [search]);

  const overlay = useMemo(
    () => overlayFor(viewport, pageNumber, props.pageLabel),
    [viewport, pageNumber, props.pageLabel],
  );
  const onPointer = props.onPointer;
  const pointer = onPointer
    ? {
        onPointerMove: (event: React.PointerEvent<HTMLDivElement>) => {
          const box = event.currentTarget.getBoundingClientRect();
          const [x, y] = overlay.toPdf(event.clientX - box.left, event.clientY - box.top);
          onPointer({ pageNumber, x, y });
        },
        onPointerLeave: () => onPointer(null),
      }
    : {};

  return (
    <div
      ref={setFrame}
      className="pdf-viewer__page"
      data-page-number={pageNumber}
      data-page-label={props.pageLabel}
      style={
        {
          ...styles.page,
          width: viewport.width,
          height: viewport.height,
          "--total-scale-factor": String(scale * PixelsPerInch.PDF_TO_CSS_UNITS),
          "--scale-round-x": "1px",
          "--scale-round-y": "1px",
        } as CSSProperties
      }
      {...pointer}
    >
      {near ? (
        <>
          <canvas ref={canvasRef} style={styles.canvas} role="img" aria-label={label} />
          <div ref={textRef} className="textLayer" />
        </>
      ) : null}
      {props.renderOverlay ? <div className="pdf-viewer__overlay">{props.renderOverlay(overlay)}</div> : null}
    </div>
  );
}

/** A small picture of a page, drawn when its place in the sidebar scrolls into view. */
function Thumbnail(props: { doc: PDFDocumentProxy; pageNumber: number; viewport: PageViewport }) {
  const { doc, pageNumber } = props;
  const ref = useRef<HTMLCanvasElement | null>(null);
  const [near, setNear] = useState(false);
  const scale = THUMB_WIDTH / props.viewport.width;
  const height = Math.round(props.viewport.height * scale);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const observer = new IntersectionObserver(([entry]) => {
      if (entry?.isIntersecting) setNear(true);
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!near) return;
    let task: RenderTask | null = null;
    void doc
      .getPage(pageNumber)
      .then((page) => {
        const canvas = ref.current;
        if (!canvas) return;
        const viewport = page.getViewport({ scale });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        task = page.render({ canvas, viewport });
        return task.promise;
      })
      .catch((error: unknown) => {
        if (!(error instanceof RenderingCancelledException)) console.error("pdf thumbnail failed", error);
      });
    return () => task?.cancel();
  }, [doc, pageNumber, scale, near]);

  return (
    <canvas
      ref={ref}
      className="pdf-viewer__thumb"
      width={THUMB_WIDTH}
      height={height}
      style={{ width: THUMB_WIDTH, height }}
    />
  );
}

async function resolveOutline(
  doc: PDFDocumentProxy,
  nodes: Awaited<ReturnType<PDFDocumentProxy["getOutline"]>> | null,
): Promise<OutlineEntry[]> {
  if (!nodes) return [];
  return Promise.all(
    nodes.map(async (node) => {
      let pageNumber: number | null = null;
      try {
        const dest = typeof node.dest === "string" ? await doc.getDestination(node.dest) : node.dest;
        const target = dest?.[0];
        if (typeof target === "number") pageNumber = target + 1;
        else if (target && typeof target === "object") pageNumber = (await doc.getPageIndex(target)) + 1;
      } catch {
        pageNumber = null;
      }
      return { title: node.title, pageNumber, items: await resolveOutline(doc, node.items) };
    }),
  );
}

function OutlineTree(props: { entries: OutlineEntry[]; current: number; goTo: (page: number) => void }) {
  return (
    <ul>
      {props.entries.map((entry, index) => (
        // Outline entries never reorder within one document.
        // biome-ignore lint/suspicious/noArrayIndexKey: titles may repeat; the position is the identity
        <li key={index}>
          <button
            type="button"
            disabled={entry.pageNumber === null}
            aria-current={entry.pageNumber === props.current ? "page" : undefined}
            onClick={() => entry.pageNumber && props.goTo(entry.pageNumber)}
          >
            {entry.title}
          </button>
          {entry.items.length > 0 ? (
            <OutlineTree entries={entry.items} current={props.current} goTo={props.goTo} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function SearchPanel(props: {
  doc: PDFDocumentProxy;
  labels: string[];
  t: PdfViewerStrings;
  onSearch: (query: string) => void;
  goTo: (page: number) => void;
}) {
  const { doc, t } = props;
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Array<{ pageNumber: number; snippet: string }> | null>(null);
  const [busy, setBusy] = useState(false);
  const texts = useRef(new Map<number, string>());

  const run = async () => {
    const needle = query.trim().toLowerCase();
    props.onSearch(query.trim());
    if (!needle) return setResults(null);
    setBusy(true);
    const found: Array<{ pageNumber: number; snippet: string }> = [];
    for (let n = 1; n <= doc.numPages; n++) {
      let text = texts.current.get(n);
      if (text === undefined) {
        const content = await (await doc.getPage(n)).getTextContent();
        text = content.items.map((item) => ("str" in item ? item.str : "")).join("");
        texts.current.set(n, text);
      }
      const at = text.toLowerCase().indexOf(needle);
      if (at >= 0)
        found.push({ pageNumber: n, snippet: text.slice(Math.max(0, at - 12), at + needle.length + 12) });
    }
    setResults(found);
    setBusy(false);
  };

  return (
    <div
      className="pdf-viewer__search"
      style={{ display: "flex", flexDirection: "column", minHeight: 0, flex: 1 }}
    >
      <form
        style={{ display: "flex", gap: 4, padding: 8 }}
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <input
          type="search"
          value={query}
          aria-label={t.searchInput}
          placeholder={t.searchInput}
          style={{ minWidth: 0, flex: 1 }}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit">{t.searchGo}</button>
      </form>
      <p role="status" aria-live="polite" style={{ margin: "0 8px", fontSize: ".85em" }}>
        {busy
          ? t.searching
          : results === null
            ? ""
            : results.length === 0
              ? t.noResults
              : t.results(results.length)}
      </p>
      <ul className="pdf-viewer__sidebar-list">
        {(results ?? []).map((r) => (
          <li key={r.pageNumber}>
            <button type="button" onClick={() => props.goTo(r.pageNumber)}>
              <strong>{props.labels[r.pageNumber - 1]}</strong> … {r.snippet} …
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The selection inside one page's text layer, as PDF rectangles; null if there is none. */
function readSelection(
  scroller: HTMLElement,
  viewports: PageViewport[],
  scale: number,
): PdfTextSelection | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const start =
    range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement;
  const frame = start?.closest<HTMLElement>(".pdf-viewer__page");
  if (!frame || !scroller.contains(frame)) return null;
  const pageNumber = Number(frame.dataset.pageNumber);
  const base = viewports[pageNumber - 1];
  const text = selection.toString().trim();
  if (!base || !text) return null;
  const viewport = cssViewport(base, scale);
  const box = frame.getBoundingClientRect();
  const rects: PdfRectangle[] = [];
  for (const r of range.getClientRects()) {
    if (r.width < 1 || r.height < 1) continue;
    // Only the part on this page: a selection running on to the next page is cut at the edge.
    const left = clamp(r.left - box.left, 0, box.width);
    const right = clamp(r.right - box.left, 0, box.width);
    const top = clamp(r.top - box.top, 0, box.height);
    const bottom = clamp(r.bottom - box.top, 0, box.height);
    if (right - left < 1 || bottom - top < 1) continue;
    const [x1, y1] = viewport.convertToPdfPoint(left, bottom) as [number, number];
    const [x2, y2] = viewport.convertToPdfPoint(right, top) as [number, number];
    rects.push([Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)]);
  }
  return rects.length > 0 ? { pageNumber, text, rects: rects.slice(0, 200) } : null;
}

/** The pdf.js viewer itself; loaded only through `PdfViewer` in pdf-viewer-lazy.tsx. */
export default function PdfViewerClient(props: PdfViewerProps) {
  const { url, title, initialPage = 1, renderPageOverlay, onPageChange, jumpTo, onTextSelection } = props;
  const { locale } = useI18n();
  const t = pdfViewerStrings[locale];
  const [state, setState] = useState<LoadState>({ status: "loading" });
  const [zoom, setZoom] = useState<Zoom>({ mode: "fit" });
  const [available, setAvailable] = useState(0);
  const [currentPage, setCurrentPage] = useState(initialPage);
  const [pageText, setPageText] = useState(String(initialPage));
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [sidebar, setSidebar] = useState<boolean | null>(null);
  const [panel, setPanel] = useState<Panel>("thumbnails");
  const [search, setSearch] = useState("");
  const sidebarId = useId();
  const pages = useRef(new Map<number, HTMLDivElement>());
  const scrollAnchor = useRef<number | null>(null);
  const initialShown = useRef(false);

  useEffect(() => {
    // pdf.js 6 has no `isEvalSupported` option any more: it never compiles PDF functions with eval.
    const task = getDocument({ url });
    let cancelled = false;
    setState({ status: "loading" });
    initialShown.current = false;
    task.promise
      .then(async (doc) => {
        const viewports = await Promise.all(
          Array.from({ length: doc.numPages }, async (_, index) =>
            (await doc.getPage(index + 1)).getViewport({ scale: 1 }),
          ),
        );
        const [pageLabels, outline] = await Promise.all([
          doc.getPageLabels().catch(() => null),
          doc
            .getOutline()
            .then((nodes) => resolveOutline(doc, nodes))
            .catch(() => []),
        ]);
        const labels = viewports.map((_, index) => pageLabels?.[index] || String(index + 1));
        if (!cancelled) setState({ status: "ready", doc, viewports, labels, outline });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        console.error("pdf load failed", error);
        setState({ status: "error" });
      });
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [url]);

  useEffect(() => {
    if (!scroller) return;
    const measure = () => setAvailable(scroller.clientWidth - 2 * PAGE_GAP);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [scroller]);

  const total = state.status === "ready" ? state.doc.numPages : 0;
  const widest = state.status === "ready" ? Math.max(...state.viewports.map((v) => v.width)) : 0;
  const fitScale =
    widest > 0 && available > 0
      ? clamp(available / (widest * PixelsPerInch.PDF_TO_CSS_UNITS), MIN_SCALE / 2, MAX_SCALE)
      : 1;
  const scale = zoom.mode === "fit" ? fitScale : zoom.scale;
  const labels = state.status === "ready" ? state.labels : [];
  const showSidebar = sidebar ?? (typeof window !== "undefined" && window.innerWidth >= SIDEBAR_MIN_WIDTH);

  const register = useCallback((pageNumber: number, element: HTMLDivElement | null) => {
    if (element) pages.current.set(pageNumber, element);
    else pages.current.delete(pageNumber);
  }, []);

  const goTo = useCallback(
    (pageNumber: number) => {
      if (total === 0) return;
      const target = clamp(Math.round(pageNumber), 1, total);
      const element = pages.current.get(target);
      if (element && scroller) scroller.scrollTop = element.offsetTop - scroller.offsetTop - PAGE_GAP;
      setCurrentPage(target);
      setPageText(String(target));
    },
    [total, scroller],
  );

  // Show the requested first page once the pages have their final size.
  useEffect(() => {
    if (state.status !== "ready" || available <= 0 || initialShown.current) return;
    initialShown.current = true;
    goTo(initialPage);
  }, [state.status, available, initialPage, goTo]);

  // A jump asked for by the caller (an annotation clicked, the chair turning the page).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key is the trigger
  useEffect(() => {
    if (jumpTo && state.status === "ready" && available > 0) goTo(jumpTo.page);
  }, [jumpTo?.key, state.status, available > 0]);

  useEffect(() => {
    if (state.status === "ready") onPageChange?.(currentPage);
  }, [currentPage, state.status, onPageChange]);

  // Text selected in a page's text layer goes to the caller (to highlight it).
  useEffect(() => {
    if (!onTextSelection || !scroller || state.status !== "ready") return;
    const viewports = state.viewports;
    const report = () => onTextSelection(readSelection(scroller, viewports, scale));
    document.addEventListener("selectionchange", report);
    return () => document.removeEventListener("selectionchange", report);
  }, [onTextSelection, scroller, state, scale]);

  // Keep the same place in view when the scale changes.
  const rememberPosition = () => {
    if (scroller && scroller.scrollHeight > 0)
      scrollAnchor.current = scroller.scrollTop / scroller.scrollHeight;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after every scale change to restore the anchor
  useLayoutEffect(() => {
    if (scroller && scrollAnchor.current !== null) {
      scroller.scrollTop = scrollAnchor.current * scroller.scrollHeight;
      scrollAnchor.current = null;
    }
  }, [scale, scroller]);

  const onScroll = () => {
    if (!scroller || total === 0) return;
    const line = scroller.scrollTop + scroller.clientHeight / 3;
    let visible = 1;
    for (let n = 1; n <= total; n++) {
      const element = pages.current.get(n);
      if (element && element.offsetTop - scroller.offsetTop <= line) visible = n;
      else break;
    }
    if (visible !== currentPage) {
      setCurrentPage(visible);
      setPageText(String(visible));
    }
  };

  const zoomBy = (direction: 1 | -1) => {
    const next =
      direction > 0
        ? (ZOOM_STEPS.find((step) => step > scale + 0.001) ?? MAX_SCALE)
        : ([...ZOOM_STEPS].reverse().find((step) => step < scale - 0.001) ?? MIN_SCALE);
    rememberPosition();
    setZoom({ mode: "scale", scale: next });
  };

  const commitPageText = () => {
    const value = Number.parseInt(pageText, 10);
    if (Number.isFinite(value)) goTo(value);
    else setPageText(String(currentPage));
  };

  const ready = state.status === "ready";
  const currentLabel = labels[currentPage - 1];
  return (
    <div className="pdf-viewer" style={styles.root}>
      <style>{TEXT_LAYER_CSS}</style>
      <div className="pdf-viewer__toolbar" role="toolbar" aria-label={t.toolbar} style={styles.toolbar}>
        <button
          type="button"
          className="button button--secondary"
          aria-pressed={showSidebar}
          aria-controls={sidebarId}
          onClick={() => setSidebar(!showSidebar)}
          disabled={!ready}
        >
          {t.sidebar}
        </button>
        <div style={styles.group}>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => goTo(currentPage - 1)}
            disabled={!ready || currentPage <= 1}
          >
            {t.previous}
          </button>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={total || undefined}
            value={pageText}
            aria-label={t.pageInput}
            disabled={!ready}
            style={styles.pageInput}
            onChange={(event) => setPageText(event.target.value)}
            onBlur={commitPageText}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                commitPageText();
              }
            }}
          />
          <span>{ready ? t.pageOf(total) : null}</span>
          {ready && currentLabel && currentLabel !== String(currentPage) ? (
            <span className="pdf-viewer__page-label">（{currentLabel}）</span>
          ) : null}
          <button
            type="button"
            className="button button--secondary"
            onClick={() => goTo(currentPage + 1)}
            disabled={!ready || currentPage >= total}
          >
            {t.next}
          </button>
        </div>
        <div style={styles.group}>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => zoomBy(-1)}
            disabled={!ready || scale <= MIN_SCALE}
            aria-label={t.zoomOut}
            title={t.zoomOut}
          >
            −
          </button>
          <output aria-live="polite">{t.zoomLevel(Math.round(scale * 100))}</output>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => zoomBy(1)}
            disabled={!ready || scale >= MAX_SCALE}
            aria-label={t.zoomIn}
            title={t.zoomIn}
          >
            +
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              rememberPosition();
              setZoom({ mode: "fit" });
            }}
            disabled={!ready}
            aria-pressed={zoom.mode === "fit"}
          >
            {t.fitWidth}
          </button>
        </div>
        <a href={url} download className="pdf-viewer__download">
          {t.download}
        </a>
      </div>
      <div className="pdf-viewer__body">
        {state.status === "ready" && showSidebar ? (
          <nav id={sidebarId} className="pdf-viewer__sidebar" aria-label={t.sidebarLabel}>
            <div className="pdf-viewer__tabs" role="tablist">
              {(["thumbnails", "outline", "search"] as const).map((name) => (
                <button
                  key={name}
                  type="button"
                  role="tab"
                  aria-selected={panel === name}
                  onClick={() => setPanel(name)}
                >
                  {t[name]}
                </button>
              ))}
            </div>
            {panel === "thumbnails" ? (
              // The tab panel wraps the list: a role on the <ul> itself would orphan its <li>s.
              <div className="pdf-viewer__sidebar-list" role="tabpanel" aria-label={t.thumbnails}>
                <ul style={styles.plainList}>
                  {state.viewports.map((viewport, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the index is the page number
                    <li key={index}>
                      <button
                        type="button"
                        aria-label={t.goToPage(state.labels[index] ?? String(index + 1))}
                        aria-current={currentPage === index + 1 ? "page" : undefined}
                        onClick={() => goTo(index + 1)}
                      >
                        <Thumbnail doc={state.doc} pageNumber={index + 1} viewport={viewport} />
                        <span style={{ display: "block", textAlign: "center", fontSize: ".8em" }}>
                          {state.labels[index]}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {panel === "outline" ? (
              <div
                className="pdf-viewer__sidebar-list pdf-viewer__outline"
                role="tabpanel"
                aria-label={t.outline}
              >
                {state.outline.length === 0 ? (
                  <p>{t.noOutline}</p>
                ) : (
                  <OutlineTree entries={state.outline} current={currentPage} goTo={goTo} />
                )}
              </div>
            ) : null}
            {panel === "search" ? (
              <SearchPanel doc={state.doc} labels={state.labels} t={t} onSearch={setSearch} goTo={goTo} />
            ) : null}
          </nav>
        ) : null}
        <section
          ref={setScroller}
          className="pdf-viewer__pages"
          style={styles.scroller}
          onScroll={onScroll}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-label={title}
          aria-busy={state.status === "loading"}
        >
          {state.status === "loading" ? (
            <p role="status" style={styles.message}>
              {t.loading}
            </p>
          ) : null}
          {state.status === "error" ? (
            <div role="alert" style={styles.message}>
              <p>{t.error}</p>
              <a href={url} download>
                {t.download}
              </a>
            </div>
          ) : null}
          {state.status === "ready"
            ? state.viewports.map((viewport, index) => (
                <PdfPage
                  // Pages of one document never reorder.
                  // biome-ignore lint/suspicious/noArrayIndexKey: the index is the page number
                  key={index}
                  doc={state.doc}
                  pageNumber={index + 1}
                  viewport={viewport}
                  scale={scale}
                  root={scroller}
                  label={t.pageLabel(index + 1, total)}
                  pageLabel={state.labels[index] ?? String(index + 1)}
                  search={search}
                  register={register}
                  renderOverlay={renderPageOverlay}
                  onPointer={props.onPagePointer}
                />
              ))
            : null}
        </section>
      </div>
    </div>
  );
}
