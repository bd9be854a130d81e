import { PdfViewer, useI18n } from "@titles/ui";
import { useEffect, useRef, useState } from "react";
import type { MaterialView } from "~/uploads/material-types";

interface Viewing {
  url: string;
  title: string;
  pdf: boolean;
}

/**
 * What a reviewer reads of an application (HR, the district bureau, the agency): the generated
 * application form and each material, as buttons that open it below — a PDF in the viewer, a photo as
 * an image. `groups` with a label get a heading each (and `data-testid="materials-<key>"`).
 * Opening one moves the keyboard into it; closing it (its button or Escape) puts the keyboard back on the
 * button that opened it.
 */
export function MaterialViewer({
  applicationId,
  groups,
  testId,
}: {
  applicationId: string;
  groups: Array<{ key: string; label?: string; items: MaterialView[] }>;
  /** The test id of the first list (the one with the application form). */
  testId: string;
}) {
  const { locale } = useI18n();
  const en = locale === "en";
  const [viewing, setViewingState] = useState<Viewing | null>(null);
  const viewer = useRef<HTMLElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const setViewing = (next: Viewing) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setViewingState(next);
  };
  const close = () => {
    setViewingState(null);
    opener.current?.focus();
  };
  useEffect(() => {
    if (viewing) viewer.current?.focus();
  }, [viewing]);
  const open = (m: MaterialView) =>
    setViewing({ url: m.url, title: m.caption || m.originalName, pdf: m.mime === "application/pdf" });
  const button = (label: string, onClick: () => void) => (
    <button type="button" className="button button--secondary" onClick={onClick}>
      {label}
    </button>
  );
  const list = { listStyle: "none", padding: 0 } as const;
  const form = button(en ? "Application form (PDF)" : "申报信息表（PDF）", () =>
    setViewing({
      url: `/applications/${applicationId}/documents/application-form`,
      title: en ? "Application form" : "申报信息表",
      pdf: true,
    }),
  );
  const items = (group: (typeof groups)[number]) =>
    group.items.map((m) => (
      <li key={m.id}>
        {button(
          `${m.caption || m.originalName}${m.pages ? ` (${m.pages}${en ? " pages" : " 页"})` : ""}`,
          () => open(m),
        )}
      </li>
    ));
  const [first, ...rest] = groups;
  return (
    <>
      <ul data-testid={testId} className="button-row" style={list}>
        <li>{form}</li>
        {first && !first.label ? items(first) : null}
      </ul>
      {(first?.label ? groups : rest)
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <div key={g.key}>
            {g.label ? <h3>{g.label}</h3> : null}
            <ul className="button-row" style={list} data-testid={`materials-${g.key}`}>
              {items(g)}
            </ul>
          </div>
        ))}
      {viewing ? (
        <section
          className="material-viewer"
          data-testid="material-viewer"
          ref={viewer}
          tabIndex={-1}
          aria-label={`${en ? "Preview: " : "预览："}${viewing.title}`}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            }
          }}
        >
          <div className="button-row" style={{ justifyContent: "space-between", margin: "16px 0 8px" }}>
            <h3 style={{ margin: 0 }}>{viewing.title}</h3>
            <button type="button" className="button button--secondary" onClick={close}>
              {en ? "Close the preview" : "关闭预览"}
            </button>
          </div>
          {viewing.pdf ? (
            <PdfViewer url={viewing.url} title={viewing.title} />
          ) : (
            <img src={viewing.url} alt={viewing.title} style={{ maxWidth: "100%" }} />
          )}
        </section>
      ) : null}
    </>
  );
}
