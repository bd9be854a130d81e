import { lazy, Suspense, useEffect, useState } from "react";
import { useI18n } from "./components";
import type { Locale } from "./i18n";

export interface PdfViewerProps {
  /** Same-origin URL of the PDF (pdf.js fetches it with the page's cookies). */
  url: string;
  /** What the document is, e.g. “申报信息表”: names the viewer region for screen readers. */
  title: string;
  /** 1-based page to show first. */
  initialPage?: number;
}

/** The viewer's own strings (kept here rather than in i18n.ts so the viewer stays one self-contained piece). */
export const pdfViewerStrings = {
  "zh-CN": {
    loading: "正在加载文件…",
    error: "文件无法显示。",
    download: "下载文件",
    toolbar: "文件工具栏",
    previous: "上一页",
    next: "下一页",
    pageInput: "页码",
    pageOf: (total: number) => `共 ${total} 页`,
    pageLabel: (page: number, total: number) => `第 ${page} 页，共 ${total} 页`,
    zoomOut: "缩小",
    zoomIn: "放大",
    fitWidth: "适合宽度",
    zoomLevel: (percent: number) => `缩放 ${percent}%`,
  },
  en: {
    loading: "Loading the document…",
    error: "The document cannot be displayed.",
    download: "Download the file",
    toolbar: "Document toolbar",
    previous: "Previous page",
    next: "Next page",
    pageInput: "Page number",
    pageOf: (total: number) => `of ${total}`,
    pageLabel: (page: number, total: number) => `Page ${page} of ${total}`,
    zoomOut: "Zoom out",
    zoomIn: "Zoom in",
    fitWidth: "Fit width",
    zoomLevel: (percent: number) => `Zoom ${percent}%`,
  },
} satisfies Record<Locale, unknown>;

export type PdfViewerStrings = (typeof pdfViewerStrings)["zh-CN"];

// pdf.js is only ever loaded in the browser, as its own chunk, after the component has mounted.
const PdfViewerClient = lazy(() => import("./pdf-viewer"));

function Placeholder({ title }: { title: string }) {
  const { locale } = useI18n();
  return (
    <section className="pdf-viewer pdf-viewer--placeholder" aria-label={title} aria-busy="true">
      <p role="status">{pdfViewerStrings[locale].loading}</p>
    </section>
  );
}

/**
 * A PDF viewer on pdf.js. Client-only: server rendering and the first client render show a placeholder,
 * so the server never loads pdf.js and hydration matches.
 */
export function PdfViewer(props: PdfViewerProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return <Placeholder title={props.title} />;
  return (
    <Suspense fallback={<Placeholder title={props.title} />}>
      <PdfViewerClient {...props} />
    </Suspense>
  );
}
