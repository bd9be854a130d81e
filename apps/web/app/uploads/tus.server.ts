import type { IncomingMessage, ServerResponse } from "node:http";
import { applicationRepository, type Db, isDatabaseUnavailable, resolveSession } from "@titles/db";
import {
  type AccessActor,
  DomainError,
  errorCategories,
  isApplicationState,
  messageFor,
} from "@titles/domain";
import { EVENTS, Server } from "@tus/server";
import { parse } from "cookie";
import {
  checkMaterialWrite,
  correctionContext,
  type MaterialView,
  windowProblemIn,
  ZUploadMetadata,
} from "~/services/materials.server";
import { createUploadStaging, type UploadStaging } from "./staging.server";

export interface TusConfig {
  /** Where express mounts the handler; Location headers are relative to it. */
  path: string;
  uploadsDir: string;
  maxBytes: number;
  sessionSecret: string;
  sessionCookie: string;
}

export interface TusDeps {
  db: Db;
  now: () => Date;
  /** Shared with the attach command; made from uploadsDir when omitted. */
  staging?: UploadStaging;
  /**
   * When given, finishing an upload attaches it in the same request: the last PATCH (or a creation
   * that carried the whole body) answers with the material as JSON. Without it the client attaches
   * through `/api/materials`, which also remains the fallback when this attach could not answer.
   */
  attach?: (actor: AccessActor, uploadId: string) => Promise<{ material: MaterialView; duplicate: boolean }>;
  // The callback must leave the staged upload in place (`keepStaged`): it is removed after the answer.
}

export interface TusHandler {
  /** Express-compatible: `app.all([path, `${path}/*`], handler.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  staging: UploadStaging;
  server: Server;
}

interface TusFailure {
  status_code: number;
  body: string;
}

const statusOf = {
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  "rate-limited": 429,
  unavailable: 503,
} as const;

/** tus clients show the body as is: both languages, Chinese first. */
function failure(error: DomainError, status?: number): TusFailure {
  const category = errorCategories[error.code];
  return {
    status_code: status ?? (statusOf as Record<string, number>)[category] ?? 400,
    body: `${messageFor(error, "zh-CN")}\n${messageFor(error, "en")}\n`,
  };
}

function isFailure(value: unknown): value is TusFailure {
  return typeof value === "object" && value !== null && "status_code" in value && "body" in value;
}

/**
 * The resumable upload endpoint (tus 1.0) on @tus/server, staging into UPLOADS_DIR. Every request
 * carries the session cookie; an upload is created only for an application its creator may upload
 * to now, and only its creator may continue, inspect or cancel it.
 */
export function createTusHandler(config: TusConfig, deps: TusDeps): TusHandler {
  const staging = deps.staging ?? createUploadStaging(config.uploadsDir);
  // The actor found by onIncomingRequest, for onUploadCreate of the same request.
  const actors = new WeakMap<object, AccessActor>();
  // Uploads attached by onUploadFinish, removed from staging after their answer.
  const attached_ = new Set<string>();
  const tooLarge = () =>
    failure(new DomainError("UPLOAD_TOO_LARGE", { maxMb: Math.floor(config.maxBytes / 1024 / 1024) }), 413);

  const server = new Server({
    path: config.path,
    datastore: staging.datastore,
    maxSize: config.maxBytes,
    // Behind express (and any proxy) the browser resolves `/api/uploads/<id>` against its own origin.
    relativeLocation: true,
    respectForwardedHeaders: false,
    // Same-origin only: no Access-Control-Allow-Origin header.
    allowedOrigins: [],
    disableTerminationForFinishedUploads: false,

    async onIncomingRequest(req, uploadId) {
      const cookie = parse(req.headers.get("cookie") ?? "")[config.sessionCookie];
      if (!cookie) throw failure(new DomainError("SESSION_INVALID"));
      // Sessions live in real time; only the rules of the round read the (test-movable) clock.
      const session = await resolveSession(deps.db, cookie, config.sessionSecret, new Date());
      if (!session.ok) throw failure(new DomainError(session.code));
      const actor: AccessActor = { userId: session.user.id, roles: session.roles };
      actors.set(req, actor);
      if (req.method === "POST") return;
      const upload = await staging.find(uploadId);
      if (!upload) throw failure(new DomainError("NOT_FOUND"));
      if (upload.metadata.uploadedBy !== actor.userId) {
        throw failure(new DomainError("FORBIDDEN", { reason: "not-uploader" }));
      }
    },

    async onUploadCreate(req, upload) {
      const actor = actors.get(req);
      if (!actor) throw failure(new DomainError("SESSION_INVALID"));
      const meta = ZUploadMetadata.safeParse(upload.metadata ?? {});
      if (!meta.success) {
        throw failure(new DomainError("VALIDATION", { details: "applicationId, kind" }));
      }
      const found = await applicationRepository.findWithRound(deps.db, meta.data.applicationId);
      if (!found || !isApplicationState(found.app.state)) throw failure(new DomainError("NOT_FOUND"));
      const app = { ...found.app, state: found.app.state };
      const windowClosed = windowProblemIn(found.roundConfig, app, deps.now());
      const correction = await correctionContext(deps.db, app, deps.now());
      const denied = checkMaterialWrite(actor, { ...app, windowClosed, correction }, meta.data.kind);
      if (denied) throw failure(denied);
      // The server, not the client, says whose upload this is.
      return { metadata: { ...upload.metadata, uploadedBy: actor.userId } };
    },

    async onUploadFinish(req, upload) {
      const actor = actors.get(req);
      if (!deps.attach || !actor) return {};
      try {
        const attached = await deps.attach(actor, upload.id);
        attached_.add(upload.id);
        // 200 rather than tus's 204, so that the material travels with the answer.
        return {
          status_code: req.method === "POST" ? 201 : 200,
          headers: { "Content-Type": "application/json; charset=utf-8" },
          body: JSON.stringify({ ok: true, ...attached }),
        };
      } catch (error) {
        if (error instanceof DomainError) throw failure(error);
        throw error;
      }
    },

    onResponseError(_req, error) {
      if (isFailure(error) && error.status_code === 413) return tooLarge();
      // The database is away: the bytes received so far stay staged; the client resumes later.
      if (isDatabaseUnavailable(error)) return failure(new DomainError("DATABASE_UNAVAILABLE"));
      // @tus/server's own "not found" (an unknown or removed upload id), in the portal's words.
      if (isFailure(error) && error.status_code === 404 && /^The file/.test(error.body)) {
        return failure(new DomainError("NOT_FOUND"));
      }
      return undefined;
    },
  });

  // Attached uploads leave staging once their answer is written (@tus/server reads them until then).
  server.on(EVENTS.POST_FINISH, (_req, _res, upload) => {
    if (attached_.delete(upload.id)) void staging.remove(upload.id);
  });

  return {
    staging,
    server,
    handle(req, res, next) {
      // The staged bytes are not inspected yet: they are never served back.
      if (req.method === "GET") {
        res.writeHead(405, {
          "Content-Type": "text/plain; charset=utf-8",
          Allow: "POST, HEAD, PATCH, DELETE",
        });
        res.end("不提供下载 / not available for download\n");
        return;
      }
      server.handle(req, res).catch((error: unknown) => {
        if (next) next(error);
        else res.destroy(error instanceof Error ? error : undefined);
      });
    },
  };
}
