import { createReadableStreamFromReadable } from "@remix-run/node";
import { type DomainError, errorCategories, isDomainError, messageFor } from "@titles/domain";
import { accessActor } from "~/lib/applications.server";
import { getSession } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import { materialFileFor } from "~/services/materials.server";
import { fileStore, materialDeps } from "./context.server";

const statusByCategory: Record<string, number> = {
  "bad-input": 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "rate-limited": 429,
  unavailable: 503,
};

/** The HTTP status a domain error travels with. */
export function statusFor(error: DomainError): number {
  if (error.code === "UPLOAD_TOO_LARGE") return 413;
  return statusByCategory[errorCategories[error.code]] ?? 400;
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
  });
}

/**
 * Streams a material's stored file (or thumbnail) to someone who may read its application. Stored
 * files never change (their name is their hash), so the hash is the ETag.
 */
export async function serveMaterialFile(
  request: Request,
  materialId: string | undefined,
  which: "file" | "thumbnail",
): Promise<Response> {
  const locale = localeOf(request);
  const session = await getSession(request);
  if (session.state !== "active") {
    return plain(
      401,
      messageFor(session.state === "expired" ? "SESSION_EXPIRED" : "SESSION_INVALID", locale),
    );
  }
  try {
    const file = await materialFileFor(materialDeps(), accessActor(session.actor), materialId ?? "", which);
    const etag = `"${file.sha256}"`;
    const headers = new Headers({
      "Content-Type": file.mime,
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.name || file.sha256)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, max-age=3600",
      ETag: etag,
    });
    if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
    headers.set("Content-Length", String(file.size));
    const body = createReadableStreamFromReadable(fileStore().createReadStream(file.sha256));
    return new Response(body, { status: 200, headers });
  } catch (error) {
    if (isDomainError(error)) return plain(statusFor(error), messageFor(error, locale));
    throw error;
  }
}
