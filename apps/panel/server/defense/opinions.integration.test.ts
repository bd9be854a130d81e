import { meetingRepository } from "@titles/db";
import { countRows, createTestDb, queryRows, type TestDb, testTargets } from "@titles/db/testing";
import type { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../trpc/router";
import { type PanelPerson, personWithSession } from "../yjs/testing/fixtures";
import { listOpinions, writeOpinion } from "./opinions";
import { evaluationReferences } from "./references";
import { submit } from "./scoring";
import {
  applicationOf,
  asUser,
  defenseMeeting,
  flat,
  reviewGroup,
  setAttendance,
  startPanel,
} from "./testing";

const NOW = new Date("2021-12-01T02:00:00Z");
const TABLES = ["review_opinions", "audit_log"];

describe.each(testTargets)("review-group opinions and the committee's references on %s", (target) => {
  let database: TestDb;
  let panel: Awaited<ReturnType<typeof startPanel>>;
  const db = () => database.db;

  let committeeId: string;
  let groupId: string;
  let members: PanelPerson[];
  let outsider: PanelPerson;
  let senior: { id: string };
  let junior: { id: string };
  let offAgenda: { id: string };

  beforeAll(async () => {
    database = await createTestDb(target);
    panel = await startPanel(db());
    senior = await applicationOf(db(), "林申报", { level: "senior" });
    junior = await applicationOf(db(), "高申报", { level: "junior" });
    offAgenda = await applicationOf(db(), "何申报");
    const committee = await defenseMeeting(db(), {
      panelists: 5,
      applications: [senior.id, junior.id],
      kind: "committee",
      startsAt: new Date("2021-12-01T01:00:00Z"),
    });
    committeeId = committee.meetingId;
    members = committee.panel.slice(1, 4);
    groupId = await reviewGroup(
      db(),
      committeeId,
      "电气工程评议组",
      "电气工程",
      members.map((m) => m.id),
    );
    outsider = committee.panel[4]!;
  });

  afterAll(async () => {
    await panel?.server.close();
    await database?.close();
  });

  it("lets a member write the group's opinion and rewrite it: one opinion per group and applicant", async () => {
    const first = await writeOpinion(
      db(),
      asUser(members[0]!),
      { groupId, applicationId: senior.id, recommendation: "oppose", opinion: "业绩材料尚不充分。" },
      NOW,
    );
    expect(first.ok).toBe(true);
    const second = await writeOpinion(
      db(),
      asUser(members[1]!),
      {
        groupId,
        applicationId: senior.id,
        recommendation: "support",
        opinion: "  专业理论扎实，工程业绩突出，同意推荐。 ",
      },
      NOW,
    );
    expect(second.ok && second.value).toMatchObject({
      recommendation: "support",
      opinion: "专业理论扎实，工程业绩突出，同意推荐。",
    });
    const rows = await queryRows(
      db(),
      `select recommendation, written_by from review_opinions where group_id = '${groupId}'`,
    );
    expect(rows).toEqual([{ recommendation: "support", written_by: members[1]!.id }]);

    const view = await listOpinions(db(), asUser(members[2]!), committeeId, senior.id);
    expect(view.ok && view.value.myGroups).toEqual([
      { groupId, name: "电气工程评议组", discipline: "电气工程" },
    ]);
    expect(view.ok && view.value.opinions.map((o) => [o.groupName, o.recommendation, o.opinion])).toEqual([
      ["电气工程评议组", "support", "专业理论扎实，工程业绩突出，同意推荐。"],
    ]);
  });

  it("refuses an opinion by an expert outside the group; nothing is written", async () => {
    const before = await countRows(db(), TABLES);
    const result = await writeOpinion(
      db(),
      asUser(outsider),
      { groupId, applicationId: junior.id, recommendation: "support", opinion: "同意推荐。" },
      NOW,
    );
    expect(result.ok ? null : result.error.code).toBe("NOT_REVIEW_GROUP_MEMBER");
    const viaTrpc = await panel
      .client(outsider)
      .defense.writeOpinion.mutate({
        groupId,
        applicationId: junior.id,
        recommendation: "support",
        opinion: "同意推荐。",
      })
      .catch((e: unknown) => e);
    expect((viaTrpc as TRPCClientError<AppRouter>).data?.code).toBe("FORBIDDEN");
    expect((viaTrpc as Error).message).toBe("您不是该评议组的成员，不能填写评议意见。");
    expect(await countRows(db(), TABLES)).toEqual(before);
  });

  it("refuses an applicant off the agenda, a recused member and an empty opinion", async () => {
    const before = await countRows(db(), TABLES);
    const off = await writeOpinion(
      db(),
      asUser(members[0]!),
      { groupId, applicationId: offAgenda.id, recommendation: "support", opinion: "同意推荐。" },
      NOW,
    );
    expect(off.ok ? null : off.error.code).toBe("NOT_ON_AGENDA");
    await meetingRepository.recuse(db(), {
      meetingId: committeeId,
      applicationId: junior.id,
      expertId: members[2]!.id,
      source: "declared",
      reason: "同一课题组",
    });
    const recused = await writeOpinion(
      db(),
      asUser(members[2]!),
      { groupId, applicationId: junior.id, recommendation: "support", opinion: "同意推荐。" },
      NOW,
    );
    expect(recused.ok ? null : recused.error.code).toBe("RECUSED");
    const readRecused = await listOpinions(db(), asUser(members[2]!), committeeId, junior.id);
    expect(readRecused.ok ? null : readRecused.error.code).toBe("RECUSED");
    const empty = await writeOpinion(
      db(),
      asUser(members[0]!),
      { groupId, applicationId: junior.id, recommendation: "support", opinion: " " },
      NOW,
    );
    expect(empty.ok ? null : empty.error.code).toBe("VALIDATION");
    expect(await countRows(db(), TABLES)).toEqual(before);
  });

  it("serves the opinion form through tRPC: the reader's groups and the group's opinion", async () => {
    const client = panel.client(members[0]!);
    const saved = await client.defense.writeOpinion.mutate({
      groupId,
      applicationId: junior.id,
      recommendation: "oppose",
      opinion: "论文与专业方向关联不足，不支持推荐。",
    });
    expect(saved).toMatchObject({ groupId, applicationId: junior.id, recommendation: "oppose" });
    const view = await client.defense.opinions.query({ meetingId: committeeId, applicationId: junior.id });
    expect(view.myGroups).toEqual([{ groupId, name: "电气工程评议组", discipline: "电气工程" }]);
    expect(view.opinions).toEqual([
      {
        groupId,
        groupName: "电气工程评议组",
        discipline: "电气工程",
        recommendation: "oppose",
        opinion: "论文与专业方向关联不足，不支持推荐。",
        writtenAt: saved.writtenAt,
      },
    ]);
    expect(view.closed).toBe(false);
    // A committee member outside every group reads the opinions but has no group to write for.
    const reader = await panel
      .client(outsider)
      .defense.opinions.query({ meetingId: committeeId, applicationId: junior.id });
    expect(reader.myGroups).toEqual([]);
    expect(reader.opinions).toHaveLength(1);
  });

  it("refuses a reader who is neither in the meeting nor in one of its groups", async () => {
    const stranger = await personWithSession(db(), "外专家", ["expert"]);
    const result = await listOpinions(db(), asUser(stranger), committeeId, senior.id);
    expect(result.ok ? null : result.error.code).toBe("NOT_MEETING_MEMBER");
  });

  it("gives the committee the defense score and the opinions as references", async () => {
    const defense = await defenseMeeting(db(), { panelists: 5, applications: [senior.id] });
    await setAttendance(db(), defense.meetingId, senior.id, "present");
    for (const [i, value] of [60, 72, 75, 81, 99].entries()) {
      const result = await submit(
        db(),
        asUser(defense.panel[i]!),
        { meetingId: defense.meetingId, applicationId: senior.id, scores: flat(value) },
        new Date("2021-09-15T03:00:00Z"),
      );
      expect(result.ok).toBe(true);
    }
    const refs = await evaluationReferences(db(), committeeId, [senior.id, junior.id]);
    expect(refs.get(senior.id)).toEqual({
      // 60 and 99 dropped: (72 + 75 + 81) / 3 = 76.
      defense: { score: "76.00", count: 5, trimmed: true, passLine: 60, passed: true, attendance: "present" },
      opinions: [
        {
          groupName: "电气工程评议组",
          discipline: "电气工程",
          recommendation: "support",
          opinion: "专业理论扎实，工程业绩突出，同意推荐。",
        },
      ],
    });
    // A junior applicant has no defense session, only the group's opinion.
    expect(refs.get(junior.id)).toEqual({
      defense: null,
      opinions: [
        {
          groupName: "电气工程评议组",
          discipline: "电气工程",
          recommendation: "oppose",
          opinion: "论文与专业方向关联不足，不支持推荐。",
        },
      ],
    });
  });

  it("takes the defense of the same round only, and reports a session nobody scored yet", async () => {
    const later = await applicationOf(db(), "韩申报", { level: "senior" });
    await meetingRepository.addApplication(db(), committeeId, later.id);
    const lastYear = await defenseMeeting(db(), { panelists: 1, applications: [later.id], roundYear: 2020 });
    expect(
      (
        await submit(
          db(),
          asUser(lastYear.chair),
          { meetingId: lastYear.meetingId, applicationId: later.id, scores: flat(90) },
          NOW,
        )
      ).ok,
    ).toBe(true);
    expect((await evaluationReferences(db(), committeeId, [later.id])).get(later.id)!.defense).toBeNull();
    await defenseMeeting(db(), { panelists: 3, applications: [later.id] });
    expect((await evaluationReferences(db(), committeeId, [later.id])).get(later.id)!.defense).toEqual({
      score: null,
      count: 0,
      trimmed: false,
      passLine: 60,
      passed: null,
      attendance: "pending",
    });
  });

  it("keeps the opinions final once the meeting is closed", async () => {
    await queryRows(db(), `update meetings set state = 'closed' where id = '${committeeId}'`);
    const before = await countRows(db(), TABLES);
    const result = await writeOpinion(
      db(),
      asUser(members[0]!),
      { groupId, applicationId: senior.id, recommendation: "oppose", opinion: "改为不支持。" },
      NOW,
    );
    expect(result.ok ? null : result.error.code).toBe("REVIEW_OPINION_CLOSED");
    expect(await countRows(db(), TABLES)).toEqual(before);
    const view = await listOpinions(db(), asUser(members[0]!), committeeId, senior.id);
    expect(view.ok && view.value.closed).toBe(true);
  });
});
