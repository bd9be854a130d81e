import { materialCategories, materialCategoryLabels } from "@titles/domain";
import { useI18n } from "@titles/ui";
import { useEffect, useId, useState } from "react";
import {
  MAX_CAPTION,
  type MaterialKind,
  type MaterialView,
  postMaterialCommand,
} from "~/uploads/material-types";

const strings = {
  "zh-CN": {
    empty: "尚未上传材料。",
    caption: "说明",
    captionHint: "例如：论文题目、期刊与发表时间（不超过 200 字）",
    category: "类别",
    noCategory: "请选择类别",
    up: "上移",
    down: "下移",
    moveUp: "将“{name}”上移",
    moveDown: "将“{name}”下移",
    remove: "删除",
    removeLabel: "删除“{name}”",
    confirm: "确定删除“{name}”吗？删除后需重新上传。",
    open: "查看",
    pdf: "PDF",
    pages: "{n} 页",
    saved: "已保存",
    offline: "网络连接中断，请检查网络后重试。",
    listLabel: "已上传的材料",
    failed: "此照片无法读取（文件可能已损坏），请删除后重新上传。",
  },
  en: {
    empty: "No materials uploaded yet.",
    caption: "Caption",
    captionHint: "E.g. the paper's title, journal and date (at most 200 characters)",
    category: "Category",
    noCategory: "Choose a category",
    up: "Up",
    down: "Down",
    moveUp: "Move “{name}” up",
    moveDown: "Move “{name}” down",
    remove: "Delete",
    removeLabel: "Delete “{name}”",
    confirm: "Delete “{name}”? You would have to upload it again.",
    open: "Open",
    pdf: "PDF",
    pages: "{n} pages",
    saved: "Saved",
    offline: "The connection was lost; check the network and try again.",
    listLabel: "Uploaded materials",
    failed: "This photo cannot be read (the file may be damaged); please delete it and upload it again.",
  },
} as const;

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (slot, key: string) => String(values[key] ?? slot));
}

/**
 * The uploaded materials of one kind, in their order: thumbnail (or a PDF badge), caption (saved
 * when the field is left), category, move up/down, delete. Read-only when `editable` is false.
 */
export function MaterialList({
  applicationId,
  kind,
  materials,
  editable,
  onChange,
}: {
  applicationId: string;
  kind: MaterialKind;
  materials: MaterialView[];
  editable: boolean;
  onChange?: (materials: MaterialView[]) => void;
}) {
  const { locale } = useI18n();
  const s = strings[locale];
  const id = useId();
  const [items, setItems] = useState(materials);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);

  useEffect(() => setItems(materials), [materials]);
  useEffect(() => {
    if (!pendingFocus) return;
    document.getElementById(pendingFocus)?.focus();
    setPendingFocus(null);
  }, [pendingFocus]);

  const commit = (next: MaterialView[]) => {
    setItems(next);
    onChange?.(next);
  };
  const fail = (materialId: string, message: string) => setErrors((e) => ({ ...e, [materialId]: message }));
  const clear = (materialId: string) =>
    setErrors((e) => {
      const { [materialId]: _, ...rest } = e;
      return rest;
    });

  async function update(material: MaterialView, change: { caption?: string; category?: string | null }) {
    clear(material.id);
    const result = await postMaterialCommand(
      { intent: "update", materialId: material.id, ...change },
      s.offline,
    );
    if (result.ok && result.material) {
      const updated = result.material;
      commit(items.map((m) => (m.id === updated.id ? updated : m)));
      setSaved(material.id);
    } else if (!result.ok) {
      fail(material.id, result.message);
    }
  }

  async function move(index: number, by: -1 | 1) {
    const target = index + by;
    const material = items[index];
    if (!material || target < 0 || target >= items.length) return;
    const previous = items;
    const next = [...items];
    next.splice(index, 1);
    next.splice(target, 0, material);
    setItems(next);
    // Keep the keyboard where it was: on the same button of the moved item (or its other one at an end).
    const edge = (by === -1 && target === 0) || (by === 1 && target === items.length - 1);
    setPendingFocus(`${id}-${edge ? (by === -1 ? "down" : "up") : by === -1 ? "up" : "down"}-${material.id}`);
    const result = await postMaterialCommand(
      { intent: "reorder", applicationId, kind, orderedIds: next.map((m) => m.id) },
      s.offline,
    );
    if (result.ok && result.materials) commit(result.materials);
    else {
      setItems(previous);
      fail(material.id, result.ok ? s.offline : result.message);
    }
  }

  async function remove(material: MaterialView) {
    const name = material.caption || material.originalName;
    if (!window.confirm(fill(s.confirm, { name }))) return;
    const result = await postMaterialCommand({ intent: "delete", materialId: material.id }, s.offline);
    if (result.ok) commit(items.filter((m) => m.id !== material.id));
    else fail(material.id, result.message);
  }

  if (items.length === 0) return <p className="meta">{s.empty}</p>;

  return (
    <ol className="material-list" aria-label={s.listLabel} style={{ listStyle: "none", padding: 0 }}>
      {items.map((m, index) => {
        const name = m.caption || m.originalName || `#${index + 1}`;
        const captionId = `${id}-caption-${m.id}`;
        const categoryId = `${id}-category-${m.id}`;
        return (
          <li
            key={m.id}
            className="material-list__item card"
            style={{ display: "flex", gap: "1rem", alignItems: "flex-start", flexWrap: "wrap" }}
          >
            <a href={m.url} target="_blank" rel="noreferrer" aria-label={`${s.open}: ${name}`}>
              {m.processing === "failed" ? (
                <span className="badge">!</span>
              ) : m.thumbnailUrl ? (
                <img src={m.thumbnailUrl} alt="" width={160} loading="lazy" style={{ height: "auto" }} />
              ) : (
                <span
                  className="badge"
                  style={{ display: "inline-block", minWidth: "6rem", textAlign: "center" }}
                >
                  {s.pdf}
                  {m.pages ? ` · ${fill(s.pages, { n: m.pages })}` : ""}
                </span>
              )}
            </a>
            <div style={{ flex: "1 1 16rem" }}>
              <p className="meta">{m.originalName}</p>
              {m.processing === "failed" ? (
                <p className="field__error" role="alert">
                  {s.failed}
                </p>
              ) : null}
              {editable ? (
                <>
                  <div className="field">
                    <label htmlFor={captionId}>{s.caption}</label>
                    <input
                      id={captionId}
                      type="text"
                      maxLength={MAX_CAPTION}
                      defaultValue={m.caption}
                      aria-describedby={`${captionId}-hint`}
                      onBlur={(e) => {
                        const caption = e.currentTarget.value.trim();
                        if (caption !== m.caption) void update(m, { caption });
                      }}
                    />
                    <p className="field__hint" id={`${captionId}-hint`}>
                      {s.captionHint}
                    </p>
                  </div>
                  {kind === "achievement" ? (
                    <div className="field">
                      <label htmlFor={categoryId}>{s.category}</label>
                      <select
                        id={categoryId}
                        value={m.category ?? ""}
                        onChange={(e) => void update(m, { category: e.currentTarget.value || null })}
                      >
                        <option value="">{s.noCategory}</option>
                        {materialCategories.map((c) => (
                          <option key={c} value={c}>
                            {materialCategoryLabels[c][locale]}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                  <div className="button-row">
                    <button
                      id={`${id}-up-${m.id}`}
                      type="button"
                      className="button button--secondary"
                      aria-label={fill(s.moveUp, { name })}
                      disabled={index === 0}
                      onClick={() => void move(index, -1)}
                    >
                      ↑ {s.up}
                    </button>
                    <button
                      id={`${id}-down-${m.id}`}
                      type="button"
                      className="button button--secondary"
                      aria-label={fill(s.moveDown, { name })}
                      disabled={index === items.length - 1}
                      onClick={() => void move(index, 1)}
                    >
                      ↓ {s.down}
                    </button>
                    <button
                      type="button"
                      className="button button--danger"
                      aria-label={fill(s.removeLabel, { name })}
                      onClick={() => void remove(m)}
                    >
                      {s.remove}
                    </button>
                  </div>
                </>
              ) : (
                <p>
                  {m.caption}
                  {m.category && kind === "achievement"
                    ? ` · ${materialCategoryLabels[m.category as keyof typeof materialCategoryLabels]?.[locale] ?? m.category}`
                    : ""}
                </p>
              )}
              {saved === m.id && !errors[m.id] ? (
                <p className="meta" role="status">
                  {s.saved}
                </p>
              ) : null}
              {errors[m.id] ? (
                <p className="field__error" role="alert">
                  {errors[m.id]}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
