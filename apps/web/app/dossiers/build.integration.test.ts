import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  dossierRepository,
  fileRepository,
  findAuditForObject,
  materialRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { countRows, createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTimerRunner } from "~/jobs/runner.server";
import { pdfPagesText } from "~/testing/pdf";
import { createApplicant, handWrittenPdf, type Person } from "~/uploads/testing.server";
import { buildDossier, buildMissingDossiers, type DossierDeps } from "./build.server";

async function photo(label: string, width = 900, height = 1200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f1e8"/><text x="40" y="120" font-size="60">${label}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
}

async function pdfInfo(bytes: Uint8Array) {
  const [firstPageText = ""] = await pdfPagesText(bytes);
  const task = getDocument({ data: bytes.slice(), verbosity: 0 });
  const doc = await task.promise;
  const outline = ((await doc.getOutline()) ?? []).map((o) => o.title);
  const labels = (await doc.getPageLabels()) ?? [];
  const numPages = doc.numPages;
  await task.destroy();
  return { numPages, firstPageText, outline, labels };
}

describe.each(testTargets)("evaluation dossiers on %s", (target) => {
  let handle: TestDb;
  let db: Db;
  let root: string;
  let files: FileStore;
  let deps: DossierDeps;
  let applicant: Person;
  const ids: Record<string, string> = {};

  async function addMaterial(
    person: Person,
    input: {
      kind: string;
      category?: string | null;
      caption?: string;
      bytes: Buffer;
      mime: string;
      pages?: number | null;
      processing?: "ready" | "pending" | "failed";
    },
  ): Promise<string> {
    const stored = await files.putBuffer(input.bytes);
    await fileRepository.upsert(db, {
      ...stored,
      mime: input.mime,
      width: null,
      height: null,
      pages: input.pages ?? null,
    });
    const row = await materialRepository.insert(db, {
      applicationId: person.applicationId,
      kind: input.kind,
      category: input.category ?? null,
      caption: input.caption ?? "",
      fileSha256: stored.sha256,
      thumbnailSha256: null,
      originalName: "x",
      uploadedBy: person.userId,
      at: new Date(),
      ...(input.processing ? { processing: input.processing } : {}),
    });
    return row.id;
  }

  beforeAll(async () => {
    handle = await createTestDb(target);
    db = handle.db;
    root = await mkdtemp(join(tmpdir(), "titles-dossiers-"));
    files = createLocalFileStore(join(root, "files"));
    deps = { db, files, now: () => new Date("2021-09-01T02:00:00Z") };
    applicant = await createApplicant(db, "林峰", "complete");
    await applicationRepository.update(db, applicant.applicationId, {
      form: { gender: "male", specialty: "电气工程", department: "电气所", achievements: "变电站设计" },
      updatedAt: new Date(),
    });
    // Uploaded out of dossier order, to show the order comes from the kinds and categories.
    ids.scan = await addMaterial(applicant, {
      kind: "employer-scan",
      bytes: await photo("scan"),
      mime: "image/jpeg",
    });
    ids.project = await addMaterial(applicant, {
      kind: "achievement",
      category: "projects",
      caption: "某变电站工程",
      bytes: handWrittenPdf({ pages: 2 }),
      mime: "application/pdf",
      pages: 2,
    });
    ids.paper1 = await addMaterial(applicant, {
      kind: "achievement",
      category: "papers",
      caption: "配电网可靠性分析",
      bytes: await photo("paper-1", 1400, 1000),
      mime: "image/jpeg",
    });
    ids.paper2 = await addMaterial(applicant, {
      kind: "achievement",
      category: "papers",
      caption: "继电保护整定",
      bytes: await photo("paper-2"),
      mime: "image/jpeg",
      processing: "pending",
    });
    ids.broken = await addMaterial(applicant, {
      kind: "achievement",
      category: "awards",
      caption: "获奖证书",
      bytes: Buffer.from("not really a photo"),
      mime: "image/jpeg",
      processing: "failed",
    });
    ids.form = await addMaterial(applicant, {
      kind: "stamped-form",
      bytes: await photo("stamped-form"),
      mime: "image/jpeg",
    });
  });

  afterAll(async () => {
    await handle?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("assembles the form, then every material in order, with bookmarks and page labels", async () => {
    const result = await buildDossier(deps, applicant.applicationId);
    expect(result).toEqual({ version: 1, built: true });

    const dossier = (await dossierRepository.latest(db, applicant.applicationId))!;
    const formPages = dossier.outline[0]!.pages;
    expect(formPages).toBeGreaterThanOrEqual(1);
    // Form, then: 2 paper photos, the 2-page project PDF, the unreadable award, the stamped form, the scan.
    expect(dossier.pages).toBe(formPages + 1 + 1 + 2 + 1 + 1 + 1);
    expect(dossier.outline.map((e) => e.title)).toEqual([
      "申报信息表",
      "论文 1：配电网可靠性分析",
      "论文 2：继电保护整定",
      "项目 1：某变电站工程",
      "获奖 1：获奖证书",
      "盖章的申报信息表 1",
      "单位盖章扫描件 1",
    ]);
    expect(dossier.outline.map((e) => e.materialId)).toEqual([
      null,
      ids.paper1,
      ids.paper2,
      ids.project,
      ids.broken,
      ids.form,
      ids.scan,
    ]);
    const project = dossier.outline[3]!;
    expect(project).toMatchObject({ firstPage: formPages + 3, pages: 2, label: "项目1-" });
    expect(project.pageLabels).toEqual(["项目 1 / 第 1 页", "项目 1 / 第 2 页"]);
    expect(dossier.outline[4]!.placeholder).toBe(true);
    // The pages are contiguous: each section starts where the previous one ended.
    for (let i = 1; i < dossier.outline.length; i++) {
      const prev = dossier.outline[i - 1]!;
      expect(dossier.outline[i]!.firstPage).toBe(prev.firstPage + prev.pages);
    }

    const file = (await fileRepository.findBySha256(db, dossier.fileSha256))!;
    expect(file).toMatchObject({ mime: "application/pdf", pages: dossier.pages });
    const bytes = new Uint8Array(await readFile(files.path(dossier.fileSha256)));
    const pdf = await pdfInfo(bytes);
    expect(pdf.numPages).toBe(dossier.pages);
    expect(pdf.firstPageText).toContain("林峰");
    expect(pdf.outline).toEqual(dossier.outline.map((e) => e.title));
    expect(pdf.labels.slice(formPages)).toEqual([
      "论文1-1",
      "论文2-1",
      "项目1-1",
      "项目1-2",
      "获奖1-1",
      "盖章的申报信息表1-1",
      "单位盖章扫描件1-1",
    ]);
    expect(pdf.labels[0]).toBe("申报信息表-1");

    const audit = await findAuditForObject(db, "application", applicant.applicationId);
    expect(audit.find((a) => a.action === "dossier.built")?.data).toMatchObject({ version: 1 });
  });

  it("re-encodes a photo that was still pending before using it", async () => {
    const paper2 = (await materialRepository.findById(db, ids.paper2!))!;
    expect(paper2.processing).toBe("ready");
    expect(paper2.displaySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("builds nothing when nothing changed", async () => {
    const before = await countRows(db, ["dossiers", "audit_log"]);
    expect(await buildDossier(deps, applicant.applicationId)).toEqual({ version: 1, built: false });
    expect(await buildMissingDossiers(deps)).toEqual({ checked: 0, built: 0, failed: 0 });
    expect(await countRows(db, ["dossiers", "audit_log"])).toEqual(before);
  });

  it("makes version 2 when a correction adds material, and version 1 stays as it was", async () => {
    const v1 = (await dossierRepository.byVersion(db, applicant.applicationId, 1))!;
    await addMaterial(applicant, {
      kind: "achievement",
      category: "papers",
      caption: "补充论文",
      bytes: handWrittenPdf({ pages: 3 }),
      mime: "application/pdf",
      pages: 3,
    });
    expect(await buildDossier(deps, applicant.applicationId)).toEqual({ version: 2, built: true });
    const v2 = (await dossierRepository.latest(db, applicant.applicationId))!;
    expect(v2.version).toBe(2);
    expect(v2.pages).toBe(v1.pages + 3);
    expect(v2.outline.map((e) => e.title)).toContain("论文 3：补充论文");
    expect(v2.fileSha256).not.toBe(v1.fileSha256);

    const again = (await dossierRepository.byVersion(db, applicant.applicationId, 1))!;
    expect(again).toEqual(v1);
    expect(await files.has(v1.fileSha256)).toBe(true);
    expect((await pdfInfo(new Uint8Array(await readFile(files.path(v1.fileSha256))))).numPages).toBe(
      v1.pages,
    );
  });

  it("the job builds what is missing, only for applications under evaluation, a bounded number per pass", async () => {
    const second = await createApplicant(db, "高雪", "complete");
    const third = await createApplicant(db, "周明", "defense_scheduled");
    const draft = await createApplicant(db, "张伟", "draft");
    await addMaterial(second, {
      kind: "achievement",
      category: "papers",
      bytes: await photo("a"),
      mime: "image/jpeg",
    });

    expect(await buildMissingDossiers(deps, 1)).toEqual({ checked: 1, built: 1, failed: 0 });
    expect(await buildMissingDossiers(deps, 5)).toEqual({ checked: 1, built: 1, failed: 0 });
    expect(await buildMissingDossiers(deps, 5)).toEqual({ checked: 0, built: 0, failed: 0 });
    expect((await dossierRepository.latest(db, second.applicationId))?.version).toBe(1);
    expect((await dossierRepository.latest(db, third.applicationId))?.version).toBe(1);
    expect(await dossierRepository.latest(db, draft.applicationId)).toBeNull();
    await expect(buildDossier(deps, draft.applicationId)).rejects.toMatchObject({
      code: "INVALID_TRANSITION",
    });

    // A changed form makes the job rebuild that one.
    await applicationRepository.update(db, second.applicationId, {
      form: { specialty: "通信工程" },
      updatedAt: new Date(),
    });
    expect(await buildMissingDossiers(deps, 5)).toEqual({ checked: 1, built: 1, failed: 0 });
    expect((await dossierRepository.latest(db, second.applicationId))?.version).toBe(2);
  });

  it("runs as the dossier-build job of the job runner", async () => {
    const late = await createApplicant(db, "吴刚", "evaluating");
    const runner = startTimerRunner({
      url: "postgres://unused.invalid/db",
      db,
      now: deps.now,
      log: () => {},
      schedules: false,
      acceptJobClock: false,
      buildDossiers: (at) => buildMissingDossiers({ ...deps, now: () => at }),
    });
    expect(await runner.runNow("dossier-build")).toEqual({ checked: 1, built: 1, failed: 0 });
    await runner.stop();
    expect((await dossierRepository.latest(db, late.applicationId))?.builtAt).toEqual(deps.now());
  });
});
