// Shared by the server commands and the browser components: no server code here.
import type { MaterialKind } from "@titles/domain";

export { type MaterialKind, materialKinds } from "@titles/domain";

export const MAX_CAPTION = 200;
/** Per file; the tus server refuses a larger Upload-Length at creation. */
export const MAX_UPLOAD_MB = 30;
export const UPLOADS_ENDPOINT = "/api/uploads";
export const MATERIALS_ENDPOINT = "/api/materials";

/** A material as the pages show it: never table types, never paths. */
export interface MaterialView {
  id: string;
  applicationId: string;
  kind: MaterialKind;
  category: string | null;
  caption: string;
  position: number;
  originalName: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  pages: number | null;
  /** A photo is `pending` until re-encoded; `failed` means it could not be read and must be replaced. */
  processing: "pending" | "ready" | "failed";
  url: string;
  thumbnailUrl: string | null;
}

/** What `/api/materials` answers. */
export type MaterialCommandResult =
  | { ok: true; material?: MaterialView; materials?: MaterialView[]; duplicate?: boolean }
  | { ok: false; code?: string; message: string };

/** Posts one command to `/api/materials`; a network failure comes back as a message too. */
export async function postMaterialCommand(
  body: Record<string, unknown>,
  offlineMessage: string,
): Promise<MaterialCommandResult> {
  try {
    const res = await fetch(MATERIALS_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as MaterialCommandResult | null;
    return json ?? { ok: false, message: offlineMessage };
  } catch {
    return { ok: false, message: offlineMessage };
  }
}
