import type { AddressInfo } from "node:net";
import {
  applicationRepository,
  meetingRepository,
  newToken,
  organisationRepository,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPanelServer, type PanelServer } from "./app";
import type { AppRouter } from "./trpc/router";

const SECRET = "panel-test-secret-panel-test-secret-0123456789";

describe.each(testTargets)("meetings.list and meetings.agenda on %s", (target) => {
  let database: TestDb;
  let server: PanelServer;
  let base: string;
  let serial = 0;

  async function user(name: string, roles: string[]) {
    serial += 1;
    const tag = `${Date.now() % 100000}${serial}`;
    const row = await userRepository.insert(database.db, {
      name,
      idType: "mainland",
      idNumber: `11010119900101${tag.padStart(4, "0")}`,
      idNumberHash: `id-hash-${tag}-${name}`,
      phone: `139${tag.padStart(8, "0")}`,
      phoneHash: `phone-hash-${tag}-${name}`,
      passwordHash: "not-a-real-hash",
      phoneVerifiedAt: new Date(),
    });
    const pool = await organisationRepository.insert(database.db, {
      kind: "expert-pool",
      name: `专家库 ${tag}`,
      creditCode: null,
      district: null,
      series: [],
    });
    for (const role of roles) {
      await userRepository.grantRole(database.db, row.id, role, role === "applicant" ? null : pool.id);
    }
    const token = newToken();
    await sessionRepository.insert(database.db, {
      userId: row.id,
      tokenHash: sha256(token),
      userAgent: null,
      at: new Date(),
    });
    const cookie = `${SESSION_COOKIE}=${signToken(token, SECRET)}`;
    const client = (lang = "zh-CN") =>
      createTRPCClient<AppRouter>({
        links: [httpBatchLink({ url: `${base}/api/trpc`, headers: { cookie: `${cookie}; lang=${lang}` } })],
      });
    return { id: row.id, client };
  }

  async function application(applicantName: string) {
    const applicant = await user(applicantName, ["applicant"]);
    return applicationRepository.insert(database.db, {
      applicantId: applicant.id,
      roundYear: 2021,
      windowId: "2021-engineering",
      series: "engineering",
      level: "intermediate",
      track: "normal",
      state: "complete",
      at: new Date(),
    });
  }

  let meetingId: string;
  let chair: Awaited<ReturnType<typeof user>>;
  let expert: Awaited<ReturnType<typeof user>>;
  let recused: Awaited<ReturnType<typeof user>>;
  let outsider: Awaited<ReturnType<typeof user>>;
  let first: { id: string };
  let second: { id: string };

  beforeAll(async () => {
    database = await createTestDb(target);
    server = await createPanelServer(
      {
        NODE_ENV: "test",
        SESSION_SECRET: SECRET,
        PORTAL_URL: "http://portal.test",
        PANEL_URL: "http://panel.test",
      },
      { db: database.db },
    );
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;

    chair = await user("钱主任", ["chair", "expert"]);
    expert = await user("周专家", ["expert"]);
    recused = await user("郑专家", ["expert"]);
    outsider = await user("外专家", ["expert"]);
    const meeting = await meetingRepository.insert(database.db, {
      roundYear: 2021,
      series: "engineering",
      level: "intermediate",
      title: "工程技术系列中级职称评审会（测试）",
      venue: "北京市人才服务中心 3 层",
      startsAt: new Date("2021-11-20T01:30:00Z"),
      agencyId: null,
    });
    meetingId = meeting.id;
    await meetingRepository.addMember(database.db, meetingId, chair.id, "chair");
    await meetingRepository.addMember(database.db, meetingId, expert.id, "expert");
    await meetingRepository.addMember(database.db, meetingId, recused.id, "expert");
    first = await application("林申报");
    second = await application("高申报");
    await meetingRepository.addApplication(database.db, meetingId, first.id);
    await meetingRepository.addApplication(database.db, meetingId, second.id);
    await meetingRepository.recuse(database.db, {
      meetingId,
      applicationId: second.id,
      expertId: recused.id,
      source: "declared",
      reason: "同单位",
    });
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("lists the meetings an expert sits in, with the seat, start and venue", async () => {
    expect(await chair.client().meetings.list.query()).toEqual([
      {
        id: meetingId,
        title: "工程技术系列中级职称评审会（测试）",
        role: "chair",
        startsAt: "2021-11-20T01:30:00.000Z",
        venue: "北京市人才服务中心 3 层",
      },
    ]);
    expect((await expert.client().meetings.list.query()).map((m) => m.role)).toEqual(["expert"]);
    expect(await outsider.client().meetings.list.query()).toEqual([]);
  });

  it("shows a member the whole agenda in order, and names the chair", async () => {
    const agenda = await expert.client().meetings.agenda.query({ meetingId });
    expect(agenda.meeting).toMatchObject({ id: meetingId, role: "expert" });
    expect(agenda.chairUserIds).toEqual([chair.id]);
    expect(agenda.applications.map((a) => [a.position, a.applicantName])).toEqual([
      [1, "林申报"],
      [2, "高申报"],
    ]);
  });

  it("leaves out the applicant an expert is recused from", async () => {
    const agenda = await recused.client().meetings.agenda.query({ meetingId });
    expect(agenda.applications.map((a) => a.applicationId)).toEqual([first.id]);
    expect(JSON.stringify(agenda)).not.toContain("高申报");
  });

  it("refuses a non-member with FORBIDDEN and a message in the reader's language", async () => {
    const zh = await outsider
      .client()
      .meetings.agenda.query({ meetingId })
      .catch((e: unknown) => e);
    expect(zh).toBeInstanceOf(TRPCClientError);
    expect((zh as TRPCClientError<AppRouter>).data?.code).toBe("FORBIDDEN");
    expect((zh as Error).message).toBe("您不是该评审会的成员。");
    const en = await outsider
      .client("en")
      .meetings.agenda.query({ meetingId })
      .catch((e: unknown) => e);
    expect((en as Error).message).toBe("You are not a member of this meeting.");
  });

  it("rejects a meeting id that is not a uuid", async () => {
    const error = await expert
      .client()
      .meetings.agenda.query({ meetingId: "x" })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
  });
});
