// Test helpers for the upload suites: people with sessions, hand-written PDFs, raw tus requests.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  demoRound,
  newToken,
  roundRepository,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { createTestDb, type TestDb } from "@titles/db/testing";
import express from "express";
import { SESSION_COOKIE } from "~/lib/auth.server";
import { attachUpload, type MaterialDeps } from "~/services/materials.server";
import { createUploadStaging } from "./staging.server";
import { createTusHandler, type TusConfig, type TusDeps, type TusHandler } from "./tus.server";

export const TEST_SECRET = "test-session-secret-0123456789abcdef";

export interface Person {
  userId: string;
  cookie: string;
  applicationId: string;
  actor: { userId: string; roles: Array<{ role: string; organisationId: string | null }> };
}

/** An applicant with a draft application and a signed-in session. */
export async function createApplicant(db: Db, name: string, state = "draft"): Promise<Person> {
  const unique = randomBytes(8).toString("hex");
  const user = await userRepository.insert(db, {
    name,
    idType: "mainland",
    idNumber: `id-${unique}`,
    idNumberHash: `id-${unique}`,
    phone: `ph-${unique}`,
    phoneHash: `ph-${unique}`,
    passwordHash: "x",
    phoneVerifiedAt: new Date(),
  });
  await userRepository.grantRole(db, user.id, "applicant", null);
  // The demo round: its first window opened a week ago, so uploads are within it.
  const round = demoRound(new Date());
  await roundRepository.upsert(db, round.year, round, true);
  const app = await applicationRepository.insert(db, {
    applicantId: user.id,
    roundYear: round.year,
    windowId: round.windows[0]!.id,
    series: "engineering",
    level: "intermediate",
    track: "regular",
    state,
    at: new Date(),
  });
  const token = newToken();
  await sessionRepository.insert(db, {
    userId: user.id,
    tokenHash: sha256(token),
    userAgent: null,
    at: new Date(),
  });
  return {
    userId: user.id,
    cookie: `${SESSION_COOKIE}=${signToken(token, TEST_SECRET)}`,
    applicationId: app.id,
    actor: { userId: user.id, roles: await userRepository.findRoles(db, user.id) },
  };
}

/**
 * A PDF written by hand: `pages` empty pages, optional extra catalog entries and objects (numbered
 * from pages + 3), and `padding` bytes of a comment stream so it can be made large.
 */
export function handWrittenPdf(
  options: { pages?: number; catalog?: string; objects?: string[]; padding?: number } = {},
): Buffer {
  const pages = options.pages ?? 1;
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(" ");
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R ${options.catalog ?? ""} >>`,
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
    ...(options.objects ?? []),
  ];
  if (options.padding) {
    const filler = randomBytes(options.padding / 2).toString("hex");
    objects.push(`<< /Length ${filler.length} >>\nstream\n${filler}\nendstream`);
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** An express app with only the tus handler, on a free port. */
export async function startTusApp(
  config: TusConfig,
  deps: TusDeps,
): Promise<{ url: string; port: number; tus: TusHandler; close(): Promise<void> }> {
  const tus = createTusHandler(config, deps);
  const app = express();
  app.all([config.path, `${config.path}/*`], tus.handle);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tus,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly the given headers and body. */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** tus metadata: comma-separated `key base64(value)` pairs. */
export function tusMetadata(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");
}

const MB = 1024 * 1024;

export interface UploadTestEnv {
  handle: TestDb;
  root: string;
  files: FileStore;
  server: Awaited<ReturnType<typeof startTusApp>>;
  deps: MaterialDeps;
  alice: Person;
  bob: Person;
  close(): Promise<void>;
}

/** A fresh database, a temp file store and a tus server on port 0, with two applicants signed in. */
export async function createUploadTestEnv(
  target: "pglite" | "postgres",
  path: string,
  options: { attachOnFinish?: boolean } = {},
): Promise<UploadTestEnv> {
  const handle = await createTestDb(target);
  const root = await mkdtemp(join(tmpdir(), "titles-uploads-"));
  const files = createLocalFileStore(join(root, "files"));
  const uploadsDir = join(root, "uploads");
  const staging = createUploadStaging(uploadsDir);
  const deps: MaterialDeps = { db: handle.db, files, staging, now: () => new Date() };
  const server = await startTusApp(
    { path, uploadsDir, maxBytes: 30 * MB, sessionSecret: TEST_SECRET, sessionCookie: SESSION_COOKIE },
    {
      db: handle.db,
      now: () => new Date(),
      staging,
      ...(options.attachOnFinish
        ? { attach: (actor, uploadId) => attachUpload(deps, actor, { uploadId, keepStaged: true }) }
        : {}),
    },
  );
  return {
    handle,
    root,
    files,
    server,
    deps,
    alice: await createApplicant(handle.db, "李丽"),
    bob: await createApplicant(handle.db, "王博"),
    close: async () => {
      await server.close();
      await handle.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Every file below a folder (none if it does not exist): "nothing was stored" compares two of these. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
