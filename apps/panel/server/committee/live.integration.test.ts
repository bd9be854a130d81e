import type { AddressInfo } from "node:net";
import { meetingRepository } from "@titles/db";
import { createTestDb, type TestDb, testTargets } from "@titles/db/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as socketParser from "../../shared/socket-parser";
import { createPanelServer, type PanelServer } from "../app";
import type { AppRouter } from "../trpc/router";
import { type PanelPerson, personWithSession, TEST_SECRET } from "../yjs/testing/fixtures";
import type { CommitteeChanged } from "./live";
import { committeeFixture } from "./testing";

describe.each(testTargets)("committee room over tRPC and socket.io on %s", (target) => {
  let database: TestDb;
  let server: PanelServer;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    database = await createTestDb(target);
    server = await createPanelServer(
      {
        NODE_ENV: "test",
        SESSION_SECRET: TEST_SECRET,
        PORTAL_URL: "http://portal.test",
        PANEL_URL: "http://panel.test",
      },
      { db: database.db },
    );
    await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.close();
  });

  const client = (person: PanelPerson, lang = "zh-CN") =>
    createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({ url: `${base}/api/trpc`, headers: { cookie: `${person.cookie}; lang=${lang}` } }),
      ],
    });

  function socketOf(person: PanelPerson): Socket {
    const socket = connectSocket(base, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      extraHeaders: { cookie: person.cookie },
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  const join = (socket: Socket, meetingId: string) =>
    new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit("committee:join", { meetingId }, resolve),
    );

  const nextChange = (socket: Socket, change: string) =>
    new Promise<CommitteeChanged>((resolve) => {
      const on = (event: CommitteeChanged) => {
        if (event.change !== change) return;
        socket.off("committee:changed", on);
        resolve(event);
      };
      socket.on("committee:changed", on);
    });

  async function meeting() {
    const m = await committeeFixture(database.db, { experts: 0, applicants: 2 });
    const chair = await personWithSession(database.db, "钱主任", ["chair", "expert"]);
    const experts = [
      await personWithSession(database.db, "周专家", ["expert"]),
      await personWithSession(database.db, "吴专家", ["expert"]),
      await personWithSession(database.db, "孙专家", ["expert"]),
    ];
    await meetingRepository.addMember(database.db, m.meetingId, chair.id, "chair");
    for (const e of experts) await meetingRepository.addMember(database.db, m.meetingId, e.id, "expert");
    // The fixture's own chair stays away: five members, four present.
    await meetingRepository.addMember(database.db, m.meetingId, m.chair.user.id, "expert");
    return { meetingId: m.meetingId, applicationIds: m.applicationIds, chair, experts };
  }

  it("broadcasts progress to members only, never the choice, and refuses in the reader's language", async () => {
    const m = await meeting();
    const outsider = await personWithSession(database.db, "外专家", ["expert"]);
    const chairSocket = socketOf(m.chair);
    const outsiderSocket = socketOf(outsider);
    expect(await join(chairSocket, m.meetingId)).toMatchObject({ ok: true });
    expect(await join(outsiderSocket, m.meetingId)).toMatchObject({
      ok: false,
      error: { code: "NOT_MEETING_MEMBER" },
    });
    const leaked: unknown[] = [];
    outsiderSocket.on("committee:changed", (event) => leaked.push(event));

    const chair = client(m.chair);
    const below = await chair.committee.rollCall
      .mutate({ meetingId: m.meetingId, presentUserIds: [m.chair.id, m.experts[0]!.id] })
      .catch((e: unknown) => e);
    expect(below).toBeInstanceOf(TRPCClientError);
    expect((below as TRPCClientError<AppRouter>).message).toBe(
      "出席专家2人，未达到委员会5人的三分之二（需4人），会议无效。",
    );
    expect((below as TRPCClientError<AppRouter>).data).toMatchObject({
      code: "CONFLICT",
      domainCode: "QUORUM_NOT_MET",
    });

    const rolled = nextChange(chairSocket, "roll-call");
    await chair.committee.rollCall.mutate({
      meetingId: m.meetingId,
      presentUserIds: [m.chair.id, ...m.experts.map((e) => e.id)],
    });
    expect(await rolled).toEqual({ meetingId: m.meetingId, change: "roll-call" });

    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await chair.committee.openBallot.mutate(target);
    const voted = nextChange(chairSocket, "vote");
    const answer = await client(m.experts[0]!).committee.vote.mutate({ ...target, choice: "no" });
    expect(answer).toEqual({ applicationId: target.applicationId, state: "open", voted: 1, voters: 4 });
    const event = await voted;
    expect(event).toEqual({ meetingId: m.meetingId, change: "vote", ...answer });

    const twice = await client(m.experts[0]!, "en")
      .committee.vote.mutate({ ...target, choice: "yes" })
      .catch((e: unknown) => e as TRPCClientError<AppRouter>);
    expect(twice).toMatchObject({
      message: "You have already voted on this applicant; each expert votes once.",
      data: { domainCode: "BALLOT_ALREADY_VOTED" },
    });

    const room = await client(m.experts[1]!).committee.room.query({ meetingId: m.meetingId });
    expect(room.applicants[0]!.ballot).toEqual({
      state: "open",
      voted: 1,
      voters: 4,
      tally: null,
      signedAt: null,
    });
    expect(room.seats.map((s) => s.name)).toContain("周专家");

    const closed = nextChange(chairSocket, "ballot-close");
    await chair.committee.closeBallot.mutate(target);
    expect(await closed).toMatchObject({ state: "closed", voted: 1, voters: 4 });
    const after = await chair.committee.room.query({ meetingId: m.meetingId });
    expect(after.applicants[0]!.ballot!.tally).toEqual({
      yes: 0,
      no: 1,
      abstain: 0,
      blank: 3,
      needed: 3,
      passed: false,
    });

    const notChair = await client(m.experts[1]!)
      .committee.signBallot.mutate(target)
      .catch((e: unknown) => e as TRPCClientError<AppRouter>);
    expect(notChair).toMatchObject({
      message: "只有主任委员可以进行此操作。",
      data: { domainCode: "NOT_CHAIR" },
    });
    expect(leaked).toEqual([]);
  });
});
