import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  applicationRepository,
  type Db,
  meetingRepository,
  newToken,
  organisationRepository,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createTestDb, type TestDb } from "@titles/db/testing";
import { createPanelServer, type PanelServer } from "../../app";
import { docName } from "../../meeting-access";

export const TEST_SECRET = "panel-test-secret-panel-test-secret-0123456789";

export interface PanelPerson {
  id: string;
  name: string;
  /** The portal's session cookie, as the browser would send it. */
  cookie: string;
}

/** A user with a live portal session, the way the portal's login leaves one. */
export async function personWithSession(
  db: Db,
  name: string,
  roles: string[],
  secret = TEST_SECRET,
): Promise<PanelPerson> {
  const tag = randomBytes(5).toString("hex");
  const digits = String(Number.parseInt(tag, 16) % 100_000_000).padStart(8, "0");
  const user = await userRepository.insert(db, {
    name,
    idType: "mainland",
    idNumber: `1101011990${digits}`,
    idNumberHash: `id-hash-${tag}`,
    phone: `137${digits}`,
    phoneHash: `phone-hash-${tag}`,
    passwordHash: "not-a-real-hash",
    phoneVerifiedAt: new Date(),
  });
  const pool = await organisationRepository.insert(db, {
    kind: "expert-pool",
    name: `专家库 ${tag}`,
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
  return { id: user.id, name, cookie: `${SESSION_COOKIE}=${signToken(token, secret)}` };
}

export interface MeetingFixture {
  meetingId: string;
  applicationId: string;
  /** The annotations document of the application's dossier (version 1). */
  doc: string;
  chair: PanelPerson;
  experts: PanelPerson[];
  observer: PanelPerson;
  /** An expert of the meeting recused from the application. */
  recused: PanelPerson;
  outsider: PanelPerson;
}

/** A review meeting with a chair, three experts, an observer, one recusal and one application. */
export async function meetingFixture(db: Db, secret = TEST_SECRET): Promise<MeetingFixture> {
  const chair = await personWithSession(db, "钱主任", ["chair", "expert"], secret);
  const experts = [
    await personWithSession(db, "周专家", ["expert"], secret),
    await personWithSession(db, "吴专家", ["expert"], secret),
    await personWithSession(db, "孙专家", ["expert"], secret),
  ];
  const observer = await personWithSession(db, "冯观察", ["expert"], secret);
  const recused = await personWithSession(db, "郑专家", ["expert"], secret);
  const outsider = await personWithSession(db, "外专家", ["expert"], secret);
  const applicant = await personWithSession(db, "林申报", ["applicant"], secret);
  const meeting = await meetingRepository.insert(db, {
    roundYear: 2021,
    series: "engineering",
    level: "intermediate",
    title: `工程技术系列中级职称评审会（测试 ${randomBytes(3).toString("hex")}）`,
    venue: "",
    startsAt: new Date("2021-11-20T01:30:00Z"),
    agencyId: null,
  });
  await meetingRepository.addMember(db, meeting.id, chair.id, "chair");
  for (const expert of experts) await meetingRepository.addMember(db, meeting.id, expert.id, "expert");
  await meetingRepository.addMember(db, meeting.id, observer.id, "observer");
  await meetingRepository.addMember(db, meeting.id, recused.id, "expert");
  const application = await applicationRepository.insert(db, {
    applicantId: applicant.id,
    roundYear: 2021,
    windowId: "2021-engineering",
    series: "engineering",
    level: "intermediate",
    track: "normal",
    state: "complete",
    at: new Date(),
  });
  await meetingRepository.addApplication(db, meeting.id, application.id);
  await meetingRepository.recuse(db, {
    meetingId: meeting.id,
    applicationId: application.id,
    expertId: recused.id,
    source: "declared",
    reason: "同单位",
  });
  return {
    meetingId: meeting.id,
    applicationId: application.id,
    doc: docName({ meetingId: meeting.id, applicationId: application.id, version: 1 }),
    chair,
    experts,
    observer,
    recused,
    outsider,
  };
}

/**
 * A panel server on a free port over a fresh test database with the meeting fixture, with short
 * document timings for tests; `close()` stops both.
 */
export async function startTestPanel(target: "pglite" | "postgres"): Promise<{
  database: TestDb;
  server: PanelServer;
  base: string;
  m: MeetingFixture;
  close(): Promise<void>;
}> {
  const database = await createTestDb(target);
  const server = await createPanelServer(
    {
      NODE_ENV: "test",
      SESSION_SECRET: TEST_SECRET,
      PORTAL_URL: "http://portal.test",
      PANEL_URL: "http://panel.test",
    },
    { db: database.db, documents: { accessCacheMs: 200, unloadGraceMs: 200, compactEveryMs: 0 } },
  );
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const m = await meetingFixture(database.db);
  return {
    database,
    server,
    base,
    m,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}
