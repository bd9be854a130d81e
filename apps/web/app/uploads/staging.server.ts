import { join } from "node:path";
import { FileStore as TusFileStore } from "@tus/file-store";

/** A resumable upload as the tus server left it in the staging folder. */
export interface StagedUpload {
  id: string;
  /** Declared length; null while the client defers it. */
  size: number | null;
  offset: number;
  path: string;
  metadata: Record<string, string>;
}

/** The staging folder of resumable uploads, shared by the tus server and the attach command. */
export interface UploadStaging {
  /** The tus data store writing into the folder. */
  readonly datastore: TusFileStore;
  find(id: string): Promise<StagedUpload | null>;
  remove(id: string): Promise<void>;
  /** Removes uploads left unfinished for longer than the expiry; returns how many. */
  removeExpired(): Promise<number>;
}

// @tus/server names uploads with 16 random bytes in hex; anything else is not ours.
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export function isUploadId(value: string): boolean {
  return UPLOAD_ID.test(value);
}

export function createUploadStaging(directory: string, expiryMs = 24 * 60 * 60 * 1000): UploadStaging {
  const datastore = new TusFileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
  return {
    datastore,
    async find(id) {
      if (!UPLOAD_ID.test(id)) return null;
      try {
        const upload = await datastore.getUpload(id);
        const metadata: Record<string, string> = {};
        for (const [key, value] of Object.entries(upload.metadata ?? {})) {
          if (typeof value === "string") metadata[key] = value;
        }
        return { id, size: upload.size ?? null, offset: upload.offset, path: join(directory, id), metadata };
      } catch {
        return null;
      }
    },
    async remove(id) {
      if (!UPLOAD_ID.test(id)) return;
      try {
        await datastore.remove(id);
      } catch {
        // Already gone: removing is idempotent.
      }
    },
    removeExpired: () => datastore.deleteExpired(),
  };
}
