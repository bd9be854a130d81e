import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applicationRepository,
  type Db,
  dossierRepository,
  fileRepository,
  meetingRepository,
  newToken,
  organisationRepository,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createLocalFileStore, type FileStore } from "@titles/db/files";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanelServer, type PanelServer } from "./app";
import type { AppRouter } from "./trpc/router";

const SECRET = "panel-dossier-secret-panel-dossier-secret-0123";

/** A small valid PDF of `pages` empty pages, written by hand (the panel does not make PDFs). */
function tinyPdf(pages: number, marker: string): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
  ];
  let out = `%PDF-1.4\n%${marker}\n`;
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

describe.each(testTargets)("dossier file and dossier.get on %s", (target) => {
  let database: TestDb;
  let db: Db;
  let root: string;
  let files: FileStore;
  let server: PanelServer;
  let base: string;
  let serial = 0;

  const cookies: Record<"chair" | "expert" | "recused" | "outsider" | "applicant", string> = {
    chair: "",
    expert: "",
    recused: "",
    outsider: "",
    applicant: "",
  };
  const userIds: Record<string, string> = {};
  let meetingId: string;
  let lin: string;
  let gao: string;
  let notOnAgenda: string;
  let unbuilt: string;
  const stored: Record<number, { sha256: string; size: number }> = {};

  async function person(name: string, roles: string[]): Promise<{ id: string; cookie: string }> {
    serial += 1;
    const user = await userRepository.insert(db, {
      name,
      idType: "mainland",
      idNumber: `1101011980020${String(serial).padStart(5, "0")}`,
      idNumberHash: `dossier-id-${serial}`,
      phone: `1390000${String(serial).padStart(4, "0")}`,
      phoneHash: `dossier-phone-${serial}`,
      passwordHash: "not-a-real-hash",
      phoneVerifiedAt: new Date(),
    });
    const pool = await organisationRepository.insert(db, {
      kind: "expert-pool",
      name: `专家库 ${serial}`,
      creditCode: null,
      district: null,
      series: [],
    });
    for (const role of roles) {
      await userRepository.grantRole(db, user.id, role, role === "applicant" ? null : pool.id);
    }
    const token = newToken();
    await sessionRepository.insert(db, {
      userId: user.id,
      tokenHash: sha256(token),
      userAgent: null,
      at: new Date(),
    });
    return { id: user.id, cookie: `${SESSION_COOKIE}=${signToken(token, SECRET)}` };
  }

  async function application(name: string): Promise<string> {
    const applicant = await person(name, ["applicant"]);
    const app = await applicationRepository.insert(db, {
      applicantId: applicant.id,
      roundYear: 2021,
      windowId: "general",
      series: "engineering",
      level: "intermediate",
      track: "regular",
      state: "complete",
      at: new Date(),
    });
    return app.id;
  }

  async function storeDossier(applicationId: string, version: number, pages: number) {
    const bytes = tinyPdf(pages, `${applicationId} v${version}`);
    const file = await files.putBuffer(bytes);
    await fileRepository.upsert(db, { ...file, mime: "application/pdf", width: null, height: null, pages });
    await dossierRepository.insert(db, {
      applicationId,
      version,
      fileSha256: file.sha256,
      pages,
      outline: [
        {
          kind: "form",
          materialId: null,
          title: "申报信息表",
          firstPage: 1,
          pages,
          label: "申报信息表-",
          pageLabels: Array.from({ length: pages }, (_, i) => `申报信息表 / 第 ${i + 1} 页`),
        },
      ],
      sourceDigest: `digest-${version}`,
      builtAt: new Date(),
    });
    return file;
  }

  const fileUrl = (applicationId: string, version: number, meeting = meetingId) =>
    `${base}/dossiers/${meeting}/${applicationId}/v${version}.pdf`;
  const get = (url: string, cookie?: string, headers: Record<string, string> = {}) =>
    fetch(url, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const client = (cookie: string) =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/api/trpc`, headers: { cookie } })] });

  beforeAll(async () => {
    database = await createTestDb(target);
    db = database.db;
    root = await mkdtemp(join(tmpdir(), "titles-panel-dossiers-"));
    files = createLocalFileStore(join(root, "files"));
    server = await createPanelServer(
      {
        NODE_ENV: "test",
        SESSION_SECRET: SECRET,
        PORTAL_URL: "http://portal.test",
        PANEL_URL: "http://panel.test",
      },
      { db, files },
    );
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;

    for (const [key, name, roles] of [
      ["chair", "钱华", ["chair", "expert"]],
      ["expert", "周明", ["expert"]],
      ["recused", "郑敏", ["expert"]],
      ["outsider", "孙立", ["expert"]],
      ["applicant", "林峰", ["applicant"]],
    ] as const) {
      const p = await person(name, [...roles]);
      cookies[key] = p.cookie;
      userIds[key] = p.id;
    }
    lin = await application("林峰");
    gao = await application("高雪");
    notOnAgenda = await application("赵敏");
    unbuilt = await application("王博");
    const meeting = await meetingRepository.insert(db, {
      roundYear: 2021,
      series: "engineering",
      level: "intermediate",
      kind: "review",
      title: "工程技术系列中级职称评审会（测试）",
      venue: "",
      startsAt: new Date(),
      agencyId: null,
    });
    meetingId = meeting.id;
    await meetingRepository.addMember(db, meetingId, userIds.chair!, "chair");
    for (const key of ["expert", "recused"])
      await meetingRepository.addMember(db, meetingId, userIds[key]!, "expert");
    for (const id of [lin, gao, unbuilt]) await meetingRepository.addApplication(db, meetingId, id);
    await meetingRepository.recuse(db, {
      meetingId,
      applicationId: gao,
      expertId: userIds.recused!,
      source: "declared",
      reason: "曾与申报人合作发表论文",
    });
    stored[1] = await storeDossier(gao, 1, 3);
    stored[2] = await storeDossier(gao, 2, 4);
    await storeDossier(lin, 1, 2);
    await storeDossier(notOnAgenda, 1, 2);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("streams a version's PDF to a member of the meeting, byte for byte, with its ETag", async () => {
    for (const version of [1, 2]) {
      const response = await get(fileUrl(gao, version), cookies.expert);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("etag")).toBe(`"${stored[version]!.sha256}"`);
      const body = Buffer.from(await response.arrayBuffer());
      expect(createHash("sha256").update(body).digest("hex")).toBe(stored[version]!.sha256);
      expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
    const again = await get(fileUrl(gao, 2), cookies.chair, { "If-None-Match": `"${stored[2]!.sha256}"` });
    expect(again.status).toBe(304);
  });

  it("refuses a recused expert with the reason in Chinese and English", async () => {
    const response = await get(fileUrl(gao, 1), cookies.recused);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain("您已回避该申报人");
    expect(text).toContain("You are recused from this applicant");
    // The same expert still reads the applicant they are not recused from.
    expect((await get(fileUrl(lin, 1), cookies.recused)).status).toBe(200);
  });

  it("refuses an expert who is not a member, an application not on the agenda, and a non-expert", async () => {
    const outsider = await get(fileUrl(lin, 1), cookies.outsider);
    expect(outsider.status).toBe(403);
    expect(await outsider.text()).toBe("您不是该评审会的成员。\nYou are not a member of this meeting.\n");

    const offAgenda = await get(fileUrl(notOnAgenda, 1), cookies.expert);
    expect(offAgenda.status).toBe(403);
    expect(await offAgenda.text()).toContain("not on the meeting's agenda");

    const applicant = await get(fileUrl(lin, 1), cookies.applicant);
    expect(applicant.status).toBe(403);
    expect(await applicant.text()).toMatch(/申报人[\s\S]*applicant/i);
  });

  it("answers 401 without a session and 404 for a version that does not exist", async () => {
    const anonymous = await get(fileUrl(gao, 1));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe("请先登录。\nPlease log in.\n");
    const forged = await get(fileUrl(gao, 1), `${SESSION_COOKIE}=forged.value`);
    expect(forged.status).toBe(401);
    expect((await forged.text()).split("\n")[0]).toBe("登录状态无效，请重新登录。");

    const missing = await get(fileUrl(gao, 3), cookies.expert);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("There is no such version");
    expect((await get(`${base}/dossiers/${meetingId}/${gao}/v1.exe`, cookies.expert)).status).toBe(404);
    expect((await get(`${base}/dossiers/not-a-uuid/${gao}/v1.pdf`, cookies.expert)).status).toBe(404);
  });

  it("dossier.get returns the latest version with its outline and a URL that serves it", async () => {
    const dossier = await client(cookies.expert).dossier.get.query({ meetingId, applicationId: gao });
    expect(dossier).toMatchObject({ version: 2, pages: 4, url: `/dossiers/${meetingId}/${gao}/v2.pdf` });
    expect(dossier.outline[0]).toMatchObject({ title: "申报信息表", firstPage: 1, pages: 4 });
    expect(dossier.outline[0]!.pageLabels[3]).toBe("申报信息表 / 第 4 页");
    const response = await get(`${base}${dossier.url}`, cookies.expert);
    expect(
      createHash("sha256")
        .update(Buffer.from(await response.arrayBuffer()))
        .digest("hex"),
    ).toBe(stored[2]!.sha256);
  });

  it("dossier.get applies the same rule: recused and non-members are refused with the reason", async () => {
    const refusal = async (cookie: string, applicationId: string) => {
      try {
        await client(cookie).dossier.get.query({ meetingId, applicationId });
      } catch (error) {
        if (error instanceof TRPCClientError) return { code: error.data?.code, message: error.message };
        throw error;
      }
      throw new Error("dossier.get should have been refused");
    };
    expect(await refusal(cookies.recused, gao)).toEqual({
      code: "FORBIDDEN",
      message: "您已回避该申报人，不能查看或批注其材料。",
    });
    expect(await refusal(cookies.outsider, gao)).toEqual({
      code: "FORBIDDEN",
      message: "您不是该评审会的成员。",
    });
    expect(await refusal(`${cookies.outsider}; lang=en`, gao)).toEqual({
      code: "FORBIDDEN",
      message: "You are not a member of this meeting.",
    });
    expect((await refusal("", gao)).code).toBe("UNAUTHORIZED");
    expect(await refusal(cookies.chair, unbuilt)).toMatchObject({ code: "NOT_FOUND" });
  });
});
