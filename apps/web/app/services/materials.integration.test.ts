import { createHash } from "node:crypto";
import { join } from "node:path";
import { applicationRepository, findAuditForObject } from "@titles/db";
import type { FileStore } from "@titles/db/files";
import { countRows, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import { type DomainError, messageFor } from "@titles/domain";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processPendingMaterials } from "~/jobs/material-processing.server";
import {
  createApplicant,
  createUploadTestEnv,
  filesUnder,
  handWrittenPdf,
  type Person,
  rawRequest,
  type startTusApp,
  tusMetadata,
  type UploadTestEnv,
} from "~/uploads/testing.server";
import {
  attachUpload,
  deleteMaterial,
  listMaterials,
  type MaterialDeps,
  materialFileFor,
  processMaterial,
  reorderMaterials,
  updateMaterial,
} from "./materials.server";

const PATH = "/api/uploads";
const MB = 1024 * 1024;

describe.each(testTargets)("materials on %s", (target) => {
  let env: UploadTestEnv;
  let handle: TestDb;
  let root: string;
  let files: FileStore;
  let server: Awaited<ReturnType<typeof startTusApp>>;
  let deps: MaterialDeps;
  let alice: Person;
  let bob: Person;
  let photo: Buffer;

  /** Creates and completes a tus upload in one PATCH; returns its id. */
  async function upload(
    person: Person,
    bytes: Buffer,
    filename: string,
    kind = "achievement",
    applicationId = person.applicationId,
  ): Promise<string> {
    const base = { "Tus-Resumable": "1.0.0", Cookie: person.cookie };
    const created = await rawRequest(server.port, "POST", PATH, {
      ...base,
      "Upload-Length": String(bytes.length),
      "Upload-Metadata": tusMetadata({ filename, applicationId, kind }),
    });
    expect(created.status, created.body).toBe(201);
    const patched = await rawRequest(
      server.port,
      "PATCH",
      created.headers.location!,
      {
        ...base,
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": "0",
        "Content-Length": String(bytes.length),
      },
      bytes,
    );
    expect(patched.status).toBe(204);
    return created.headers.location!.split("/").pop()!;
  }

  /** The attach is refused with `code`, its message says `says`, and nothing at all is stored. */
  async function expectRefused(uploadId: string, code: string, says: RegExp) {
    const rows = await countRows(handle.db, ["files", "materials", "audit_log"]);
    const stored = await filesUnder(join(root, "files"));
    const error = await attachUpload(deps, alice.actor, { uploadId }).then(
      () => null,
      (e: DomainError) => e,
    );
    expect(error?.code).toBe(code);
    expect(messageFor(error!, "zh-CN")).toMatch(says);
    expect(messageFor(error!, "en").length).toBeGreaterThan(10);
    expect(await countRows(handle.db, ["files", "materials", "audit_log"])).toEqual(rows);
    expect(await filesUnder(join(root, "files"))).toEqual(stored);
    // Refused bytes are dropped from staging as well.
    expect(await deps.staging.find(uploadId)).toBeNull();
  }

  beforeAll(async () => {
    env = await createUploadTestEnv(target, PATH);
    ({ handle, root, files, server, deps, alice, bob } = env);
    // A phone photo with its camera and GPS position in EXIF.
    photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#3a6" } })
      .jpeg()
      .withExif({
        IFD0: { Make: "PhoneMaker", Model: "Phone 12", Copyright: "李丽" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "39/1 54/1 27/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "116/1 23/1 5/1",
        },
      })
      .toBuffer();
  });
  afterAll(() => env?.close());

  it("refuses to attach anything once the window has closed, by the server's clock", async () => {
    const id = await upload(alice, photo, "late.jpg");
    const rows = await countRows(handle.db, ["files", "materials"]);
    const late = { ...deps, now: () => new Date(Date.now() + 60 * 86_400_000) };
    const error = await attachUpload(late, alice.actor, { uploadId: id }).then(
      () => null,
      (e: DomainError) => e,
    );
    expect(error?.code).toBe("WINDOW_CLOSED");
    expect(messageFor(error!, "zh-CN")).toMatch(/截止/);
    expect(await countRows(handle.db, ["files", "materials"])).toEqual(rows);
  });

  it("keeps the photo as received, then shows it re-encoded without EXIF and GPS, with a thumbnail", async () => {
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const id = await upload(alice, photo, "IMG_0001.jpg");
    const { material, duplicate } = await attachUpload(deps, alice.actor, {
      uploadId: id,
      category: "awards",
      caption: "  2023 年度科技进步奖  ",
    });
    expect(duplicate).toBe(false);
    expect(material).toMatchObject({
      kind: "achievement",
      category: "awards",
      caption: "2023 年度科技进步奖",
      mime: "image/jpeg",
      width: 1200,
      height: 900,
      processing: "pending",
      originalName: "IMG_0001.jpg",
      url: `/files/${material.id}`,
      thumbnailUrl: `/files/${material.id}/thumbnail`,
    });
    // What the receipt will cover: the bytes as sent.
    const [row] = (await queryRows(
      handle.db,
      `select file_sha256 from materials where id = '${material.id}'`,
    )) as Array<{ file_sha256: string }>;
    expect(row?.file_sha256).toBe(createHash("sha256").update(photo).digest("hex"));
    // The worker re-encodes it once; a second run changes nothing.
    expect(await processMaterial(deps, material.id, new Date())).toBe("ready");
    expect(await processMaterial(deps, material.id, new Date())).toBe("not-pending");
    const file = await materialFileFor(deps, alice.actor, material.id, "file");
    expect(file.sha256).not.toBe(row?.file_sha256);
    const meta = await sharp(files.path(file.sha256)).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.exif).toBeUndefined();
    const thumb = await materialFileFor(deps, alice.actor, material.id, "thumbnail");
    expect((await sharp(files.path(thumb.sha256)).metadata()).width).toBe(320);
    const audit = await findAuditForObject(handle.db, "application", alice.applicationId);
    expect(audit.slice(-2)).toMatchObject([
      { action: "material.attach", actorUserId: alice.userId },
      { action: "material.process", actorUserId: null, data: { materialId: material.id, outcome: "ready" } },
    ]);
  });

  it("re-encodes a photo on first view when the worker has not got to it yet", async () => {
    const fresh = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#a36" } })
      .jpeg()
      .toBuffer();
    const { material } = await attachUpload(deps, alice.actor, {
      uploadId: await upload(alice, fresh, "fresh.jpg"),
    });
    expect(material.processing).toBe("pending");
    const thumb = await materialFileFor(deps, alice.actor, material.id, "thumbnail");
    expect((await sharp(files.path(thumb.sha256)).metadata()).width).toBe(320);
    const [listed] = (await listMaterials(handle.db, alice.actor, alice.applicationId)).filter(
      (m) => m.id === material.id,
    );
    expect(listed?.processing).toBe("ready");
  });

  it("marks a photo whose pixels are broken as failed and shows nothing of it", async () => {
    // A whole JPEG header, but the transfer lost the second half of the pixels.
    const good = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#36a" } })
      .jpeg()
      .toBuffer();
    const broken = good.subarray(0, Math.floor(good.length / 2));
    const { material } = await attachUpload(deps, alice.actor, {
      uploadId: await upload(alice, broken, "broken.jpg"),
    });
    expect(material.processing).toBe("pending");
    expect(await processMaterial(deps, material.id, new Date())).toBe("failed");
    await expect(materialFileFor(deps, alice.actor, material.id, "file")).rejects.toMatchObject({
      code: "UPLOAD_UNREADABLE",
    });
    const [listed] = (await listMaterials(handle.db, alice.actor, alice.applicationId)).filter(
      (m) => m.id === material.id,
    );
    expect(listed).toMatchObject({ processing: "failed", thumbnailUrl: null });
    await deleteMaterial(deps, alice.actor, { materialId: material.id });
  });

  it("the worker re-encodes every waiting photo once, oldest first", async () => {
    const ids: string[] = [];
    for (const background of ["#111", "#222", "#333"]) {
      const bytes = await sharp({ create: { width: 400, height: 300, channels: 3, background } })
        .jpeg()
        .toBuffer();
      ids.push(
        (await attachUpload(deps, bob.actor, { uploadId: await upload(bob, bytes, "p.jpg") })).material.id,
      );
    }
    const done = await processPendingMaterials(deps, () => new Date());
    expect(done.ready).toBeGreaterThanOrEqual(3);
    expect(await processPendingMaterials(deps, () => new Date())).toEqual({
      ready: 0,
      failed: 0,
      "not-pending": 0,
    });
    const listed = await listMaterials(handle.db, bob.actor, bob.applicationId);
    expect(listed.filter((m) => ids.includes(m.id)).map((m) => m.processing)).toEqual([
      "ready",
      "ready",
      "ready",
    ]);
    for (const m of listed.filter((x) => ids.includes(x.id)))
      await deleteMaterial(deps, bob.actor, { materialId: m.id });
  });

  it("stores the same photo once: again for Alice returns her material, Bob's gets its own", async () => {
    const before = await countRows(handle.db, ["files", "materials"]);
    const storedBefore = await filesUnder(join(root, "files"));
    const again = await attachUpload(deps, alice.actor, { uploadId: await upload(alice, photo, "copy.jpg") });
    expect(again.duplicate).toBe(true);
    const bobs = await attachUpload(deps, bob.actor, { uploadId: await upload(bob, photo, "mine.jpg") });
    expect(bobs.duplicate).toBe(false);
    expect(bobs.material.id).not.toBe(again.material.id);
    const after = await countRows(handle.db, ["files", "materials"]);
    expect(after).toEqual({ files: before.files, materials: before.materials + 1 });
    expect(await filesUnder(join(root, "files"))).toEqual(storedBefore);
    // Alice cannot read Bob's file; Bob can.
    await expect(materialFileFor(deps, alice.actor, bobs.material.id, "file")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("accepts a plain PDF as sent, with its page count and no thumbnail", async () => {
    const pdf = handWrittenPdf({ pages: 3 });
    const { material } = await attachUpload(deps, alice.actor, {
      uploadId: await upload(alice, pdf, "paper.pdf"),
      category: "papers",
    });
    expect(material).toMatchObject({
      mime: "application/pdf",
      pages: 3,
      size: pdf.length,
      thumbnailUrl: null,
    });
  });

  it("refuses a Windows program named .jpg, naming what it really is", async () => {
    const exe = Buffer.concat([
      Buffer.from("MZ"),
      Buffer.alloc(62),
      Buffer.from("PE\0\0"),
      Buffer.alloc(2000),
    ]);
    await expectRefused(
      await upload(alice, exe, "photo.jpg"),
      "UPLOAD_TYPE_NOT_ALLOWED",
      /Windows 可执行文件/,
    );
  });

  it("refuses a PDF that runs JavaScript when opened", async () => {
    const pdf = handWrittenPdf({
      catalog: "/OpenAction 4 0 R",
      objects: ["<< /Type /Action /S /JavaScript /JS (app.alert('hi');) >>"],
    });
    await expectRefused(
      await upload(alice, pdf, "paper.pdf"),
      "UPLOAD_PDF_ACTIVE_CONTENT",
      /JavaScript 脚本/,
    );
  });

  it("refuses PDFs with a launch action or an embedded file", async () => {
    const launch = handWrittenPdf({
      catalog: "/OpenAction 4 0 R",
      objects: ["<< /Type /Action /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>"],
    });
    await expectRefused(await upload(alice, launch, "a.pdf"), "UPLOAD_PDF_ACTIVE_CONTENT", /启动外部程序/);
    const attached = handWrittenPdf({
      catalog: "/Names << /EmbeddedFiles << /Names [(x.exe) 4 0 R] >> >>",
      objects: [
        "<< /Type /Filespec /F (x.exe) /EF << /F 5 0 R >> >>",
        "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
      ],
    });
    await expectRefused(await upload(alice, attached, "b.pdf"), "UPLOAD_PDF_ACTIVE_CONTENT", /嵌入的附件/);
  });

  it("refuses an image bomb: a small file with a huge pixel count", async () => {
    const bomb = await sharp({
      create: { width: 12000, height: 12000, channels: 3, background: "#ffffff" },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(2 * MB);
    await expectRefused(await upload(alice, bomb, "scan.png"), "UPLOAD_IMAGE_TOO_MANY_PIXELS", /像素过多/);
  });

  it("refuses a HEIC photo the browser did not convert, and damaged files", async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypheic"),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from("mif1heic"),
      Buffer.alloc(200),
    ]);
    await expectRefused(await upload(alice, heic, "IMG_1.HEIC"), "UPLOAD_HEIC_NOT_DECODED", /JPEG/);
    const broken = Buffer.concat([photo.subarray(0, 400), Buffer.alloc(400)]);
    await expectRefused(await upload(alice, broken, "cut.jpg"), "UPLOAD_UNREADABLE", /无法读取/);
  });

  it("attaches only finished uploads of one's own", async () => {
    const res = await rawRequest(server.port, "POST", PATH, {
      "Tus-Resumable": "1.0.0",
      Cookie: alice.cookie,
      "Upload-Length": "100",
      "Upload-Metadata": tusMetadata({ applicationId: alice.applicationId, kind: "achievement" }),
    });
    const id = res.headers.location!.split("/").pop()!;
    await expect(attachUpload(deps, alice.actor, { uploadId: id })).rejects.toMatchObject({
      code: "UPLOAD_INCOMPLETE",
    });
    await expect(attachUpload(deps, alice.actor, { uploadId: "../../etc/passwd" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("updates captions and categories, reorders, and deletes while a draft", async () => {
    const [first, second] = await Promise.all([
      attachUpload(deps, alice.actor, {
        uploadId: await upload(alice, handWrittenPdf({ pages: 1 }), "1.pdf"),
      }),
      attachUpload(deps, alice.actor, {
        uploadId: await upload(alice, handWrittenPdf({ pages: 2 }), "2.pdf"),
      }),
    ]);
    const updated = await updateMaterial(deps, alice.actor, {
      materialId: first.material.id,
      caption: "发明专利证书",
      category: "patents",
    });
    expect(updated).toMatchObject({ caption: "发明专利证书", category: "patents" });
    await expect(
      updateMaterial(deps, alice.actor, { materialId: first.material.id, caption: "长".repeat(201) }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      updateMaterial(deps, alice.actor, { materialId: first.material.id, category: "lottery" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      updateMaterial(deps, bob.actor, { materialId: first.material.id, caption: "x" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const list = await listMaterials(handle.db, alice.actor, alice.applicationId, "achievement");
    const reversed = list.map((m) => m.id).reverse();
    const reordered = await reorderMaterials(deps, alice.actor, {
      applicationId: alice.applicationId,
      kind: "achievement",
      orderedIds: reversed,
    });
    expect(reordered.map((m) => m.id)).toEqual(reversed);
    await expect(
      reorderMaterials(deps, alice.actor, {
        applicationId: alice.applicationId,
        kind: "achievement",
        orderedIds: reversed.slice(1),
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });

    await deleteMaterial(deps, alice.actor, { materialId: second.material.id });
    const remaining = await listMaterials(handle.db, alice.actor, alice.applicationId, "achievement");
    expect(remaining.map((m) => m.id)).not.toContain(second.material.id);
    await expect(listMaterials(handle.db, bob.actor, alice.applicationId)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    // Once submitted, achievements are fixed.
    await applicationRepository.update(handle.db, alice.applicationId, {
      state: "submitted",
      updatedAt: new Date(),
    });
    const before = await countRows(handle.db, ["materials", "audit_log"]);
    const error = await deleteMaterial(deps, alice.actor, { materialId: first.material.id }).catch((e) => e);
    expect(messageFor(error, "zh-CN")).toContain("申报已提交，当前不能修改");
    expect(await countRows(handle.db, ["materials", "audit_log"])).toEqual(before);
  });

  it("takes the stamped documents only once the employer has recommended", async () => {
    const carol = await createApplicant(handle.db, "陈卡", "recommended");
    const { material } = await attachUpload(deps, carol.actor, {
      uploadId: await upload(carol, handWrittenPdf({ pages: 2 }), "盖章申报表.pdf", "stamped-form"),
      category: "papers",
    });
    expect(material).toMatchObject({ kind: "stamped-form", category: null, pages: 2 });
    // Achievements are no longer editable at that point.
    const res = await rawRequest(server.port, "POST", PATH, {
      "Tus-Resumable": "1.0.0",
      Cookie: carol.cookie,
      "Upload-Length": "10",
      "Upload-Metadata": tusMetadata({ applicationId: carol.applicationId, kind: "achievement" }),
    });
    expect(res.status).toBe(403);
    await deleteMaterial(deps, carol.actor, { materialId: material.id });
  });
});
