import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { env } from "~/env.server";
import { SESSION_COOKIE } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import type { MaterialDeps } from "~/services/materials.server";
import { MAX_UPLOAD_MB, UPLOADS_ENDPOINT } from "./material-types";
import { createUploadStaging, type UploadStaging } from "./staging.server";
import type { TusConfig } from "./tus.server";

/** One upload may be this large; phones' photos are downscaled in the browser well below it. */
export const MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024;
export const UPLOADS_PATH = UPLOADS_ENDPOINT;

// Made on first use from the parsed configuration, like the database (nothing at import time).
let files: FileStore | null = null;
let staging: UploadStaging | null = null;

export function fileStore(): FileStore {
  files ??= createLocalFileStore(env().FILES_DIR);
  return files;
}

export function uploadStaging(): UploadStaging {
  staging ??= createUploadStaging(env().UPLOADS_DIR);
  return staging;
}

export function tusConfig(): TusConfig {
  return {
    path: UPLOADS_PATH,
    uploadsDir: env().UPLOADS_DIR,
    maxBytes: MAX_UPLOAD_BYTES,
    sessionSecret: env().SESSION_SECRET,
    sessionCookie: SESSION_COOKIE,
  };
}

/** What the material commands need in the running portal. */
export function materialDeps(): MaterialDeps {
  return { db: db(), files: fileStore(), staging: uploadStaging(), now };
}
