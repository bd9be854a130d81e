import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { useI18n } from "./components";
import type { Locale } from "./i18n";

export interface PdfViewerProps {
  /** Same-origin URL of the PDF (pdf.js fetches it with the page's cookies). */
  url: string;
  /** What the document is, e.g. “申报信息表”: names the viewer region for screen readers. */
  title: string;
  /** 1-based page to show first. */
  initialPage?: number;
  /** Drawn above each page (pointer events pass through unless a child takes them), in page coordinates. */
  renderPageOverlay?: (page: PdfPageOverlay) => ReactNode;
  /** Told the 1-based page in view whenever it changes. */
  onPageChange?: (pageNumber: number) => void;
  /** Turns to `page` (1-based) whenever `key` changes: for "jump to annotation" and "follow the chair". */
  jumpTo?: { page: number; key: number } | null;
  /** The text selected in one page's text layer, in PDF coordinates; null when the selection is gone. */
  onTextSelection?: (selection: PdfTextSelection | null) => void;
  /** The pointer over a page, in PDF coordinates (not throttled: the caller throttles). */
  onPagePointer?: (pointer: { pageNumber: number; x: number; y: number } | null) => void;
}

/** A rectangle in PDF user space: [x1, y1, x2, y2] in points, origin at the page's bottom left. */
export type PdfRectangle = [number, number, number, number];

export interface PdfPageOverlay {
  pageNumber: number;
  /** The page's label from the PDF (e.g. "论文3-2"), or its number as text. */
  label: string;
  /** CSS pixels of the page at the current zoom. */
  width: number;
  height: number;
  /** A PDF rectangle as CSS pixels relative to the page's top left. */
  toView: (rect: PdfRectangle) => { left: number; top: number; width: number; height: number };
  /** A point in CSS pixels relative to the page's top left, in PDF user space. */
  toPdf: (x: number, y: number) => [number, number];
}

export interface PdfTextSelection {
  pageNumber: number;
  text: string;
  rects: PdfRectangle[];
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
    sidebar: "侧栏",
    sidebarLabel: "缩略图、目录和搜索",
    thumbnails: "缩略图",
    outline: "目录",
    search: "搜索",
    searchInput: "在文件中搜索",
    searchGo: "搜索",
    searching: "正在搜索…",
    noResults: "没有找到。",
    results: (count: number) => `找到 ${count} 页`,
    noOutline: "此文件没有目录。",
    goToPage: (label: string) => `转到第 ${label} 页`,
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
    sidebar: "Sidebar",
    sidebarLabel: "Thumbnails, outline and search",
    thumbnails: "Thumbnails",
    outline: "Outline",
    search: "Search",
    searchInput: "Search in the document",
    searchGo: "Search",
    searching: "Searching…",
    noResults: "Nothing found.",
    results: (count: number) => `Found on ${count} page(s)`,
    noOutline: "This document has no outline.",
    goToPage: (label: string) => `Go to page ${label}`,
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
