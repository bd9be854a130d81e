import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import type { FileStore } from "@titles/db/files";
import { countRows, type TestDb, testTargets } from "@titles/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "~/lib/auth.server";
import { attachUpload, type MaterialDeps, type MaterialView } from "~/services/materials.server";
import {
  createUploadTestEnv,
  filesUnder,
  handWrittenPdf,
  type Person,
  rawRequest,
  type startTusApp,
  tusMetadata,
  type UploadTestEnv,
} from "./testing.server";

const PATH = "/api/uploads";
const MB = 1024 * 1024;
const hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.each(testTargets)("tus uploads on %s", (target) => {
  let env: UploadTestEnv;
  let handle: TestDb;
  let root: string;
  let files: FileStore;
  let server: Awaited<ReturnType<typeof startTusApp>>;
  let alice: Person;
  let bob: Person;
  let deps: MaterialDeps;

  const tus = (person: Person | null, extra: Record<string, string> = {}) => ({
    "Tus-Resumable": "1.0.0",
    ...(person ? { Cookie: person.cookie } : {}),
    ...extra,
  });

  const create = (person: Person | null, length: number, meta: Record<string, string>) =>
    rawRequest(
      server.port,
      "POST",
      PATH,
      tus(person, { "Upload-Length": String(length), "Upload-Metadata": tusMetadata(meta) }),
    );

  beforeAll(async () => {
    env = await createUploadTestEnv(target, PATH);
    ({ handle, root, files, server, deps, alice, bob } = env);
  });
  afterAll(() => env?.close());

  it("resumes an upload cut off halfway from where it stopped, and stores the same bytes", async () => {
    const original = handWrittenPdf({ pages: 2, padding: 2 * MB });
    const half = Math.floor(original.length / 2);

    const created = await create(alice, original.length, {
      filename: "论文.pdf",
      applicationId: alice.applicationId,
      kind: "achievement",
    });
    expect(created.status).toBe(201);
    // Relative to the mount point, so it works behind any proxy.
    expect(created.headers.location).toMatch(/^\/api\/uploads\/[0-9a-f]{32}$/);
    const location = created.headers.location!;
    const id = location.split("/").pop()!;

    const first = await rawRequest(
      server.port,
      "PATCH",
      location,
      tus(alice, {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0",
        "Content-Length": String(half),
      }),
      original.subarray(0, half),
    );
    expect(first.status).toBe(204);
    expect(first.headers["upload-offset"]).toBe(String(half));

    // The second PATCH announces the rest, sends part of it, and the connection drops.
    const sent = Math.floor((original.length - half) / 3);
    const socket = connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      [
        `PATCH ${location} HTTP/1.1`,
        "Host: 127.0.0.1",
        "Tus-Resumable: 1.0.0",
        `Cookie: ${alice.cookie}`,
        "Content-Type: application/offset+octet-stream",
        `Upload-Offset: ${half}`,
        `Content-Length: ${original.length - half}`,
        "",
        "",
      ].join("\r\n"),
    );
    socket.write(original.subarray(half, half + sent));
    const staged = join(root, "uploads", id);
    // Wait until the server has written some of those bytes, then cut the cable.
    for (let i = 0; i < 500 && (await stat(staged)).size <= half; i += 1) {
      await new Promise((r) => setImmediate(r));
    }
    socket.destroy();

    let offset = 0;
    for (let i = 0; i < 200; i += 1) {
      const head = await rawRequest(server.port, "HEAD", location, tus(alice));
      expect(head.status).toBe(200);
      expect(head.headers["upload-length"]).toBe(String(original.length));
      offset = Number(head.headers["upload-offset"]);
      if (offset > half) break;
    }
    expect(offset).toBeGreaterThan(half);
    expect(offset).toBeLessThanOrEqual(half + sent);

    // Resume from the offset the server reported — never from 0.
    const rest = await rawRequest(
      server.port,
      "PATCH",
      location,
      tus(alice, {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset),
        "Content-Length": String(original.length - offset),
      }),
      original.subarray(offset),
    );
    expect(rest.status).toBe(204);
    expect(rest.headers["upload-offset"]).toBe(String(original.length));

    const { material } = await attachUpload(deps, alice.actor, { uploadId: id, category: "papers" });
    expect(material).toMatchObject({ mime: "application/pdf", pages: 2, size: original.length });
    const stored = await readFile(files.path(hex(original)));
    expect(hex(stored)).toBe(hex(original));
    // The staged copy is gone once attached.
    expect(await server.tus.staging.find(id)).toBeNull();
  });

  it("refuses a 200 MB upload at creation, in Chinese and English, and stages nothing", async () => {
    const before = await filesUnder(join(root, "uploads"));
    const res = await create(alice, 200 * MB, {
      filename: "video.jpg",
      applicationId: alice.applicationId,
      kind: "achievement",
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain("文件超过 30 MB");
    expect(res.body).toContain("larger than 30 MB");
    expect(await filesUnder(join(root, "uploads"))).toEqual(before);
  });

  it("asks for a login without a valid session", async () => {
    const meta = { applicationId: alice.applicationId, kind: "achievement" };
    const none = await create(null, 10, meta);
    expect(none.status).toBe(401);
    expect(none.body).toContain("请重新登录");
    const forged = await rawRequest(
      server.port,
      "POST",
      PATH,
      tus(null, {
        Cookie: `${SESSION_COOKIE}=abc.def`,
        "Upload-Length": "10",
        "Upload-Metadata": tusMetadata(meta),
      }),
    );
    expect(forged.status).toBe(401);
  });

  it("refuses another applicant's application id (403) and metadata it cannot read", async () => {
    const before = await countRows(handle.db, ["files", "materials"]);
    const res = await create(bob, 10, {
      filename: "a.jpg",
      applicationId: alice.applicationId,
      kind: "achievement",
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain("这不是您本人的申报");
    expect(res.body).toContain("this is not your application");

    const noKind = await create(alice, 10, { applicationId: alice.applicationId });
    expect(noKind.status).toBe(400);
    // Stamped documents wait for the employer's recommendation.
    const early = await create(alice, 10, { applicationId: alice.applicationId, kind: "stamped-form" });
    expect(early.status).toBe(403);
    expect(early.body).toContain("单位推荐后才能上传盖章材料");
    expect(await countRows(handle.db, ["files", "materials"])).toEqual(before);
  });

  it("lets only the creator continue, inspect or cancel an upload", async () => {
    const res = await create(alice, 100, { applicationId: alice.applicationId, kind: "achievement" });
    const location = res.headers.location!;
    const head = await rawRequest(server.port, "HEAD", location, tus(bob));
    expect(head.status).toBe(403);
    const patch = await rawRequest(
      server.port,
      "PATCH",
      location,
      tus(bob, {
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0",
        "Content-Length": "100",
      }),
      Buffer.alloc(100),
    );
    expect(patch.status).toBe(403);
    expect(patch.body).toContain("这不是您上传的文件");
    expect((await rawRequest(server.port, "DELETE", location, tus(bob))).status).toBe(403);
    // Bob cannot even attach it.
    const id = location.split("/").pop()!;
    await expect(attachUpload(deps, bob.actor, { uploadId: id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Staged bytes are never served back.
    expect((await rawRequest(server.port, "GET", location, tus(alice))).status).toBe(405);
    // An unknown id is a clear 404.
    const unknown = await rawRequest(server.port, "HEAD", `${PATH}/${"0".repeat(32)}`, tus(alice));
    expect(unknown.status).toBe(404);
    const head2 = await rawRequest(server.port, "HEAD", location, tus(alice));
    expect(head2.headers["upload-offset"]).toBe("0");
    expect((await rawRequest(server.port, "DELETE", location, tus(alice))).status).toBe(204);
  });
});

describe.each(testTargets)("uploads attached as they finish, on %s", (target) => {
  let env: UploadTestEnv;

  beforeAll(async () => {
    env = await createUploadTestEnv(target, PATH, { attachOnFinish: true });
  });
  afterAll(() => env?.close());

  const body = (bytes: Buffer, person: Person, meta: Record<string, string>) => ({
    "Tus-Resumable": "1.0.0",
    Cookie: person.cookie,
    "Content-Type": "application/offset+octet-stream",
    "Content-Length": String(bytes.length),
    "Upload-Length": String(bytes.length),
    "Upload-Metadata": tusMetadata(meta),
  });

  it("takes a small file in one request and answers with the material", async () => {
    const { alice, server, handle } = env;
    const pdf = handWrittenPdf({ pages: 2 });
    const res = await rawRequest(
      server.port,
      "POST",
      PATH,
      body(pdf, alice, {
        applicationId: alice.applicationId,
        kind: "achievement",
        filename: "论文.pdf",
        category: "papers",
        caption: "期刊论文",
      }),
      pdf,
    );
    expect(res.status, res.body).toBe(201);
    expect(res.headers["upload-offset"]).toBe(String(pdf.length));
    const answer = JSON.parse(res.body) as { ok: boolean; duplicate: boolean; material: MaterialView };
    expect(answer).toMatchObject({
      ok: true,
      duplicate: false,
      material: { category: "papers", caption: "期刊论文", originalName: "论文.pdf", pages: 2 },
    });
    expect(await countRows(handle.db, ["materials"])).toEqual({ materials: 1 });
    // Nothing is left staged once the answer is out.
    await vi.waitFor(async () => expect(await filesUnder(join(env.root, "uploads"))).toEqual([]));
  });

  it("answers the last PATCH of a resumable upload with the material", async () => {
    const { alice, server } = env;
    const pdf = handWrittenPdf({ pages: 3 });
    const created = await rawRequest(server.port, "POST", PATH, {
      "Tus-Resumable": "1.0.0",
      Cookie: alice.cookie,
      "Upload-Length": String(pdf.length),
      "Upload-Metadata": tusMetadata({ applicationId: alice.applicationId, kind: "achievement" }),
    });
    expect(created.status).toBe(201);
    const location = created.headers.location!;
    const half = Math.floor(pdf.length / 2);
    const patch = (from: number, to: number) =>
      rawRequest(
        server.port,
        "PATCH",
        location,
        {
          "Tus-Resumable": "1.0.0",
          Cookie: alice.cookie,
          "Content-Type": "application/offset+octet-stream",
          "Upload-Offset": String(from),
          "Content-Length": String(to - from),
        },
        pdf.subarray(from, to),
      );
    expect((await patch(0, half)).status).toBe(204);
    const last = await patch(half, pdf.length);
    expect(last.status, last.body).toBe(200);
    expect(JSON.parse(last.body)).toMatchObject({ ok: true, material: { pages: 3, size: pdf.length } });
  });

  it("refuses a program named .jpg in the same request, in both languages, storing nothing", async () => {
    const { alice, server, handle } = env;
    const before = await countRows(handle.db, ["files", "materials", "audit_log"]);
    const exe = Buffer.concat([
      Buffer.from("MZ"),
      Buffer.alloc(62),
      Buffer.from("PE\0\0"),
      Buffer.alloc(500),
    ]);
    const res = await rawRequest(
      server.port,
      "POST",
      PATH,
      body(exe, alice, { applicationId: alice.applicationId, kind: "achievement", filename: "photo.jpg" }),
      exe,
    );
    expect(res.status).toBe(400);
    const [zh, en] = res.body.trim().split("\n");
    expect(zh).toContain("Windows 可执行文件");
    expect(en).toMatch(/Windows executable/);
    expect(await countRows(handle.db, ["files", "materials", "audit_log"])).toEqual(before);
    expect(await filesUnder(join(env.root, "files"))).toEqual(
      (await filesUnder(join(env.root, "files"))).filter((f) => !f.includes(hex(exe))),
    );
    expect(await filesUnder(join(env.root, "uploads"))).toEqual([]);
  });
});
