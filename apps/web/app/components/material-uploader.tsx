import type { MaterialCategory } from "@titles/domain";
import { useI18n } from "@titles/ui";
// The compression worker loads the library from our own origin (the CSP allows no CDN; decision 0015).
import compressionLibUrl from "browser-image-compression/dist/browser-image-compression.js?url";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { Upload } from "tus-js-client";
import {
  MAX_UPLOAD_MB,
  type MaterialCommandResult,
  type MaterialKind,
  type MaterialView,
  postMaterialCommand,
  UPLOADS_ENDPOINT,
} from "~/uploads/material-types";

const strings = {
  "zh-CN": {
    choose: "选择照片或 PDF 文件",
    camera: "拍照上传",
    hint: `可一次选择多个文件；照片会在上传前自动压缩，单个文件不超过 ${MAX_UPLOAD_MB} MB。网络中断后会自动续传。`,
    progress: "{name} 上传进度",
    cancel: "取消",
    retry: "重试",
    states: {
      queued: "等待上传",
      preparing: "正在压缩照片",
      uploading: "正在上传",
      attaching: "正在检查文件",
      done: "已上传",
      duplicate: "已上传过相同的文件",
      error: "上传失败",
      cancelled: "已取消",
    },
    tooLarge: `文件超过 ${MAX_UPLOAD_MB} MB，请压缩或拆分后再上传。`,
    notAccepted: "只能上传照片（JPEG、PNG、WebP、HEIC）或 PDF 文件。",
    heic: "此浏览器无法转换 HEIC 照片，请在手机相机设置中选择“兼容性最佳”（JPEG）后重新拍摄，或先转换为 JPEG。",
    offline: "网络连接中断，请检查网络后重试。",
  },
  en: {
    choose: "Choose photos or PDF files",
    camera: "Take a photo",
    hint: `You can choose several files at once; photos are compressed before upload; at most ${MAX_UPLOAD_MB} MB per file. Uploads resume after a dropped connection.`,
    progress: "Upload progress of {name}",
    cancel: "Cancel",
    retry: "Retry",
    states: {
      queued: "Waiting",
      preparing: "Compressing the photo",
      uploading: "Uploading",
      attaching: "Checking the file",
      done: "Uploaded",
      duplicate: "The same file was already uploaded",
      error: "Upload failed",
      cancelled: "Cancelled",
    },
    tooLarge: `The file is larger than ${MAX_UPLOAD_MB} MB; please compress or split it.`,
    notAccepted: "Only photos (JPEG, PNG, WebP, HEIC) and PDF files can be uploaded.",
    heic: "This browser cannot convert HEIC photos; set the phone camera to “Most Compatible” (JPEG) or convert the photo to JPEG first.",
    offline: "The connection was lost; check the network and try again.",
  },
} as const;

type ItemState = keyof (typeof strings)["en"]["states"];

interface Item {
  key: string;
  file: File;
  state: ItemState;
  percent: number;
  message: string | null;
}

const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
const MAX_SIDE = 2400;
const PARALLEL = 3;

function isHeic(file: File): boolean {
  return /image\/hei[cf]/.test(file.type) || /\.(heic|heif)$/i.test(file.name);
}

function isPdf(file: File): boolean {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
}

/** Can this browser decode the HEIC photo? (Safari can; most others cannot.) */
async function canDecode(file: File): Promise<boolean> {
  if (typeof createImageBitmap !== "function") return false;
  try {
    const bitmap = await createImageBitmap(file);
    bitmap.close();
    return true;
  } catch {
    return false;
  }
}

/** Downscales a photo to at most 2400 px as JPEG (which also drops its EXIF/GPS before it leaves). */
async function downscale(file: File, onProgress: (percent: number) => void): Promise<File> {
  const { default: imageCompression } = await import("browser-image-compression");
  const out = await imageCompression(file, {
    maxWidthOrHeight: MAX_SIDE,
    maxSizeMB: 8,
    fileType: "image/jpeg",
    initialQuality: 0.85,
    useWebWorker: true,
    libURL: new URL(compressionLibUrl, window.location.href).href,
    onProgress,
  });
  const name = file.name.replace(/\.[^.]+$/, "") || "photo";
  return new File([out], `${name}.jpg`, { type: "image/jpeg", lastModified: file.lastModified });
}

/** Files up to this size are sent with the creation request (tus creation-with-upload). */
const ONE_REQUEST_BYTES = 2 * 1024 * 1024;

/** The material in the answer to an upload's last request, when the server attached it there. */
function attachedIn(body: string): MaterialCommandResult | null {
  try {
    const answer = JSON.parse(body) as MaterialCommandResult;
    return answer.ok && answer.material ? answer : null;
  } catch {
    return null;
  }
}

/** The server's tus errors carry Chinese on the first line and English on the second. */
function serverMessage(error: unknown, locale: "zh-CN" | "en", fallback: string): string {
  const response = (error as { originalResponse?: { getBody(): string; getStatus(): number } | null })
    .originalResponse;
  const body = response?.getBody()?.trim();
  if (!response || !body || response.getStatus() === 0) return fallback;
  const lines = body.split("\n");
  return (locale === "en" ? lines[1] : lines[0]) ?? lines[0] ?? fallback;
}

/**
 * Uploads photos and PDFs to an application: many at once, each with its progress; resumable (tus)
 * across dropped connections and page reloads; attached through `/api/materials` when complete.
 */
export function MaterialUploader({
  applicationId,
  kind,
  category,
  onAttached,
}: {
  applicationId: string;
  kind: MaterialKind;
  category?: MaterialCategory;
  onAttached?: (material: MaterialView, duplicate: boolean) => void;
}) {
  const { locale } = useI18n();
  const s = strings[locale];
  const id = useId();
  const [items, setItems] = useState<Item[]>([]);
  // Until the page's script runs, a chosen file would be lost: the inputs wait for it.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const uploads = useRef(new Map<string, Upload>());
  const queue = useRef<Item[]>([]);
  const running = useRef(0);
  const counter = useRef(0);

  useEffect(() => {
    const active = uploads.current;
    // Leaving the page pauses uploads; the fingerprint lets them resume next time.
    return () => {
      for (const upload of active.values()) void upload.abort(false);
    };
  }, []);

  const patch = useCallback((key: string, change: Partial<Item>) => {
    setItems((all) => all.map((it) => (it.key === key ? { ...it, ...change } : it)));
  }, []);

  const process = useCallback(
    async (item: Item) => {
      const { file, key } = item;
      let body: File = file;
      if (PHOTO_TYPES.includes(file.type) || isHeic(file)) {
        if (isHeic(file) && !(await canDecode(file))) {
          patch(key, { state: "error", message: s.heic });
          return;
        }
        patch(key, { state: "preparing", percent: 0 });
        try {
          body = await downscale(file, (p) => patch(key, { percent: Math.round(p) }));
        } catch {
          // The server re-encodes anyway; only HEIC needs the browser.
          if (isHeic(file)) {
            patch(key, { state: "error", message: s.heic });
            return;
          }
        }
      } else if (!isPdf(file)) {
        patch(key, { state: "error", message: s.notAccepted });
        return;
      }
      if (body.size > MAX_UPLOAD_MB * 1024 * 1024) {
        patch(key, { state: "error", message: s.tooLarge });
        return;
      }

      const { Upload } = await import("tus-js-client");
      const finished = await new Promise<{ url: string | null; answer: string } | null>((resolve) => {
        const upload = new Upload(body, {
          endpoint: UPLOADS_ENDPOINT,
          metadata: {
            filename: file.name,
            filetype: body.type,
            applicationId,
            kind,
            ...(category ? { category } : {}),
          },
          // A downscaled photo goes in one request; a large PDF is created first so that a dropped
          // connection resumes instead of starting over.
          uploadDataDuringCreation: body.size <= ONE_REQUEST_BYTES,
          retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
          storeFingerprintForResuming: true,
          removeFingerprintOnSuccess: true,
          // The original file's identity: a compressed copy differs in name and time on each run.
          fingerprint: async (blob) =>
            ["titles", applicationId, kind, file.name, file.size, file.lastModified, blob.size].join("/"),
          onProgress: (sent, total) =>
            patch(key, { state: "uploading", percent: total ? Math.floor((sent / total) * 100) : 0 }),
          // The server attaches the finished upload and answers its last request with the material.
          onSuccess: ({ lastResponse }) => resolve({ url: upload.url, answer: lastResponse.getBody() ?? "" }),
          onError: (error) => {
            patch(key, { state: "error", message: serverMessage(error, locale, s.offline) });
            resolve(null);
          },
        });
        uploads.current.set(key, upload);
        patch(key, { state: "uploading", percent: 0 });
        void upload.findPreviousUploads().then((previous) => {
          if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
          upload.start();
        });
      });
      uploads.current.delete(key);
      if (!finished) return;

      patch(key, { state: "attaching", percent: 100 });
      // Resumed uploads that were already complete get no answer: attach them with the command.
      const result =
        attachedIn(finished.answer) ??
        (finished.url
          ? await postMaterialCommand(
              { intent: "attach", uploadId: finished.url.split("/").pop(), category: category ?? null },
              s.offline,
            )
          : { ok: false as const, message: s.offline });
      if (result.ok && result.material) {
        patch(key, { state: result.duplicate ? "duplicate" : "done", message: null });
        onAttached?.(result.material, result.duplicate ?? false);
      } else {
        patch(key, { state: "error", message: result.ok ? s.offline : result.message });
      }
    },
    [applicationId, kind, category, locale, onAttached, patch, s],
  );

  const pump = useCallback(() => {
    while (running.current < PARALLEL && queue.current.length > 0) {
      const next = queue.current.shift()!;
      running.current += 1;
      void process(next).finally(() => {
        running.current -= 1;
        pump();
      });
    }
  }, [process]);

  const add = (files: FileList | null) => {
    if (!files?.length) return;
    const added = [...files].map((file) => {
      counter.current += 1;
      return { key: `${counter.current}`, file, state: "queued" as const, percent: 0, message: null };
    });
    setItems((all) => [...all, ...added]);
    queue.current.push(...added);
    pump();
  };

  const cancel = (item: Item) => {
    const upload = uploads.current.get(item.key);
    queue.current = queue.current.filter((q) => q.key !== item.key);
    // Terminating tells the server to drop the staged bytes.
    if (upload) void upload.abort(true);
    uploads.current.delete(item.key);
    patch(item.key, { state: "cancelled", message: null });
  };

  const retry = (item: Item) => {
    patch(item.key, { state: "queued", percent: 0, message: null });
    queue.current.push({ ...item, state: "queued" });
    pump();
  };

  return (
    <div className="uploader">
      <p className="field__hint" id={`${id}-hint`}>
        {s.hint}
      </p>
      <div className="field">
        <label htmlFor={`${id}-files`}>{s.choose}</label>
        <input
          id={`${id}-files`}
          type="file"
          disabled={!ready}
          multiple
          accept="image/*,application/pdf"
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-camera`}>{s.camera}</label>
        <input
          id={`${id}-camera`}
          type="file"
          disabled={!ready}
          accept="image/*"
          capture="environment"
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </div>
      {items.length > 0 ? (
        <ul className="uploader__list" aria-live="polite" style={{ listStyle: "none", padding: 0 }}>
          {items.map((item) => {
            const label = s.progress.replace("{name}", item.file.name);
            const busy = item.state === "queued" || item.state === "preparing" || item.state === "uploading";
            return (
              <li key={item.key} className="uploader__item" style={{ margin: "0.5rem 0" }}>
                <div>
                  <strong>{item.file.name}</strong> · {s.states[item.state]}
                </div>
                <progress
                  max={100}
                  value={item.percent}
                  aria-label={label}
                  aria-valuetext={`${item.percent}%`}
                  style={{ width: "min(24rem, 70%)" }}
                />{" "}
                <span aria-hidden="true">{item.percent}%</span>{" "}
                {busy ? (
                  <button type="button" className="link-button" onClick={() => cancel(item)}>
                    {s.cancel}
                  </button>
                ) : null}
                {item.state === "error" ? (
                  <button type="button" className="link-button" onClick={() => retry(item)}>
                    {s.retry}
                  </button>
                ) : null}
                {item.message ? (
                  <p className="field__error" role="alert">
                    {item.message}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
