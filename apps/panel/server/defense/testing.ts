import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { applicationRepository, type Db, meetingRepository } from "@titles/db";
import { queryRows } from "@titles/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createPanelServer, type PanelServer } from "../app";
import type { AppRouter } from "../trpc/router";
import { type PanelPerson, personWithSession, TEST_SECRET } from "../yjs/testing/fixtures";

export type { PanelPerson };

/** A panelist as the services take them. */
export const asUser = (person: PanelPerson) => ({ user: { id: person.id } });

export async function applicationOf(
  db: Db,
  name: string,
  options: { series?: string; level?: string; roundYear?: number } = {},
) {
  const applicant = await personWithSession(db, name, ["applicant"]);
  return applicationRepository.insert(db, {
    applicantId: applicant.id,
    roundYear: options.roundYear ?? 2021,
    windowId: "2021-engineering",
    series: options.series ?? "engineering",
    level: options.level ?? "intermediate",
    track: "normal",
    state: "complete",
    at: new Date(),
  });
}

export interface DefenseFixture {
  meetingId: string;
  chair: PanelPerson;
  /** The chair first, then the experts: everyone who scores. */
  panel: PanelPerson[];
  applicationIds: string[];
}

/** A defense meeting with a chair, `panelists - 1` experts and the given applications on its agenda. */
export async function defenseMeeting(
  db: Db,
  options: {
    panelists: number;
    applications: string[];
    kind?: string;
    roundYear?: number;
    startsAt?: Date;
    series?: string;
  },
): Promise<DefenseFixture> {
  const tag = randomBytes(3).toString("hex");
  const meeting = await meetingRepository.insert(db, {
    roundYear: options.roundYear ?? 2021,
    series: options.series ?? "engineering",
    level: "intermediate",
    kind: options.kind ?? "defense",
    title: `工程技术系列中级职称答辩会（测试 ${tag}）`,
    venue: "北京市人才服务中心",
    startsAt: options.startsAt ?? new Date("2021-09-15T01:00:00Z"),
    agencyId: null,
  });
  const chair = await personWithSession(db, `主任${tag}`, ["chair", "expert"]);
  await meetingRepository.addMember(db, meeting.id, chair.id, "chair");
  const panel = [chair];
  for (let i = 1; i < options.panelists; i += 1) {
    const expert = await personWithSession(db, `专家${i}${tag}`, ["expert"]);
    await meetingRepository.addMember(db, meeting.id, expert.id, "expert");
    panel.push(expert);
  }
  for (const id of options.applications) await meetingRepository.addApplication(db, meeting.id, id);
  return { meetingId: meeting.id, chair, panel, applicationIds: options.applications };
}

/** Every criterion of the engineering sheet at the same value: the weighted total is value × 100. */
export function flat(value: number) {
  return { theory: value, achievements: value, "problem-solving": value, presentation: value };
}

export async function setAttendance(db: Db, meetingId: string, applicationId: string, attendance: string) {
  if (!/^[a-z_]+$/.test(attendance)) throw new Error("attendance");
  await queryRows(
    db,
    `update meeting_applications set attendance = '${attendance}'
     where meeting_id = '${meetingId}' and application_id = '${applicationId}'`,
  );
}

/** A review group of a meeting with its members (staff create them in the portal). */
export async function reviewGroup(
  db: Db,
  meetingId: string,
  name: string,
  discipline: string,
  members: string[],
) {
  const [row] = await queryRows(
    db,
    `insert into review_groups (meeting_id, name, discipline)
     values ('${meetingId}', '${name}', '${discipline}') returning id`,
  );
  const groupId = String(row!.id);
  for (const userId of members) {
    await queryRows(
      db,
      `insert into review_group_members (group_id, user_id) values ('${groupId}', '${userId}')`,
    );
  }
  return groupId;
}

/** A panel server on a free port over the given database, with a tRPC client per person and language. */
export async function startPanel(db: Db): Promise<{
  server: PanelServer;
  client: (person: PanelPerson, lang?: string) => ReturnType<typeof createTRPCClient<AppRouter>>;
}> {
  const server = await createPanelServer(
    {
      NODE_ENV: "test",
      SESSION_SECRET: TEST_SECRET,
      PORTAL_URL: "http://portal.test",
      PANEL_URL: "http://panel.test",
    },
    { db },
  );
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  return {
    server,
    client: (person, lang = "zh-CN") =>
      createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({ url: `${base}/api/trpc`, headers: { cookie: `${person.cookie}; lang=${lang}` } }),
        ],
      }),
  };
}
