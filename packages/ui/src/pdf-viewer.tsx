import {
  GlobalWorkerOptions,
  getDocument,
  type PDFDocumentProxy,
  PixelsPerInch,
  RenderingCancelledException,
  type RenderTask,
} from "pdfjs-dist";
import { type CSSProperties, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useI18n } from "./components";
import { type PdfViewerProps, pdfViewerStrings } from "./pdf-viewer-lazy";

// The worker is a separate asset: Vite rewrites this to its hashed URL at build time.
GlobalWorkerOptions.workerSrc = new URL("pdfjs-dist/build/pdf.worker.min.mjs", import.meta.url).toString();

const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
const MIN_SCALE = ZOOM_STEPS[0]!;
const MAX_SCALE = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;
const PAGE_GAP = 12;
/** Pages this far outside the visible area are rendered ahead of scrolling; farther ones are released. */
const RENDER_MARGIN = "600px 0px";

type Zoom = { mode: "fit" } | { mode: "scale"; scale: number };
type Size = { width: number; height: number };
type LoadState =
  | { status: "loading" }
  | { status: "error" }
  | { status: "ready"; doc: PDFDocumentProxy; sizes: Size[] };

const styles = {
  root: { border: "1px solid #c9ccd1", borderRadius: 4, background: "#fff" },
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
  scroller: { height: "min(80vh, 1100px)", overflow: "auto", background: "#e8eaed", padding: PAGE_GAP },
  page: { margin: `0 auto ${PAGE_GAP}px`, background: "#fff", boxShadow: "0 1px 3px rgba(0,0,0,.25)" },
  canvas: { display: "block", width: "100%", height: "100%" },
  message: { padding: 16 },
} satisfies Record<string, CSSProperties>;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** One page: sized from the start, drawn to a canvas only while it is near the visible area. */
function PdfPage(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  size: Size;
  scale: number;
  root: HTMLElement | null;
  label: string;
  register: (pageNumber: number, element: HTMLDivElement | null) => void;
}) {
  const { doc, pageNumber, size, scale, root, label, register } = props;
  const frameRef = useRef<HTMLDivElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const [near, setNear] = useState(false);

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

  useEffect(() => {
    if (!near) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    void doc
      .getPage(pageNumber)
      .then((page) => {
        const canvas = canvasRef.current;
        if (cancelled || !canvas) return;
        const viewport = page.getViewport({ scale: scale * PixelsPerInch.PDF_TO_CSS_UNITS });
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        task = page.render({
          canvas,
          viewport,
          transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
        });
        return task.promise;
      })
      .catch((error: unknown) => {
        if (!(error instanceof RenderingCancelledException)) console.error("pdf page render failed", error);
      });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNumber, scale, near]);

  const cssScale = scale * PixelsPerInch.PDF_TO_CSS_UNITS;
  return (
    <div
      ref={setFrame}
      className="pdf-viewer__page"
      data-page-number={pageNumber}
      style={{ ...styles.page, width: size.width * cssScale, height: size.height * cssScale }}
    >
      {near ? <canvas ref={canvasRef} style={styles.canvas} role="img" aria-label={label} /> : null}
    </div>
  );
}

/** The pdf.js viewer itself; loaded only through `PdfViewer` in pdf-viewer-lazy.tsx. */
export default function PdfViewerClient({ url, title, initialPage = 1 }: PdfViewerProps) {
  const { locale } = useI18n();
  const t = pdfViewerStrings[locale];
  const [state, setState] = useState<LoadState>({ status: "loading" });
  const [zoom, setZoom] = useState<Zoom>({ mode: "fit" });
  const [available, setAvailable] = useState(0);
  const [currentPage, setCurrentPage] = useState(initialPage);
  const [pageText, setPageText] = useState(String(initialPage));
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const pages = useRef(new Map<number, HTMLDivElement>());
  const scrollAnchor = useRef<number | null>(null);
  const initialShown = useRef(false);

  useEffect(() => {
    // pdf.js 6 dropped `isEvalSupported`: it no longer compiles PDF functions with eval at all.
    const task = getDocument({ url });
    let cancelled = false;
    setState({ status: "loading" });
    initialShown.current = false;
    task.promise
      .then(async (doc) => {
        const sizes = await Promise.all(
          Array.from({ length: doc.numPages }, async (_, index) => {
            const viewport = (await doc.getPage(index + 1)).getViewport({ scale: 1 });
            return { width: viewport.width, height: viewport.height };
          }),
        );
        if (!cancelled) setState({ status: "ready", doc, sizes });
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
  const widest = state.status === "ready" ? Math.max(...state.sizes.map((s) => s.width)) : 0;
  const fitScale =
    widest > 0 && available > 0
      ? clamp(available / (widest * PixelsPerInch.PDF_TO_CSS_UNITS), MIN_SCALE / 2, MAX_SCALE)
      : 1;
  const scale = zoom.mode === "fit" ? fitScale : zoom.scale;

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
  return (
    <div className="pdf-viewer" style={styles.root}>
      <div className="pdf-viewer__toolbar" role="toolbar" aria-label={t.toolbar} style={styles.toolbar}>
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
          ? state.sizes.map((size, index) => (
              <PdfPage
                // Pages of one document never reorder.
                // biome-ignore lint/suspicious/noArrayIndexKey: the index is the page number
                key={index}
                doc={state.doc}
                pageNumber={index + 1}
                size={size}
                scale={scale}
                root={scroller}
                label={t.pageLabel(index + 1, total)}
                register={register}
              />
            ))
          : null}
      </section>
    </div>
  );
}
