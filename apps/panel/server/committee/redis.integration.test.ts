// The committee's live progress across two panel processes sharing a Redis (redis-server started here).
import { meetingRepository } from "@titles/db";
import { testTargets } from "@titles/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as socketParser from "../../shared/socket-parser";
import type { AppRouter } from "../trpc/router";
import { type PanelPerson, personWithSession } from "../yjs/testing/fixtures";
import {
  type PanelProcess,
  type RedisProcess,
  redisAvailable,
  type SharedDatabase,
  sharedDatabase,
  startPanel,
  startRedis,
} from "../yjs/testing/processes";
import type { CommitteeChanged } from "./live";
import { committeeFixture } from "./testing";

// The real server when there is one: the embedded PGlite serves one connection at a time.
const target = testTargets.includes("postgres") ? "postgres" : "pglite";

describe.runIf(redisAvailable)(`committee progress across two panel processes on ${target}`, () => {
  let database: SharedDatabase;
  let redis: RedisProcess;
  let first: PanelProcess;
  let second: PanelProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    database = await sharedDatabase(target);
    redis = await startRedis();
    [first, second] = await Promise.all([
      startPanel({ databaseUrl: database.url, redisUrl: redis.url }),
      startPanel({ databaseUrl: database.url, redisUrl: redis.url }),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([first?.stop(), second?.stop()]);
    await redis?.stop();
    await database?.close();
  });

  const client = (panel: PanelProcess, person: PanelPerson) =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${panel.url}/api/trpc`, headers: { cookie: person.cookie } })],
    });

  async function joined(panel: PanelProcess, person: PanelPerson, meetingId: string) {
    const socket = connectSocket(panel.url, {
      path: "/socket.io",
      transports: ["websocket"],
      parser: socketParser,
      extraHeaders: { cookie: person.cookie },
      forceNew: true,
    });
    sockets.push(socket);
    const reply = await new Promise<{ ok: boolean }>((resolve) =>
      socket.emit("committee:join", { meetingId }, resolve),
    );
    expect(reply.ok).toBe(true);
    return socket;
  }

  it("a vote through one process reaches a member connected to the other", async () => {
    const db = database.handle.db;
    const m = await committeeFixture(db, { experts: 0, applicants: 1 });
    const chair = await personWithSession(db, "钱主任", ["chair", "expert"]);
    const expert = await personWithSession(db, "周专家", ["expert"]);
    await meetingRepository.addMember(db, m.meetingId, chair.id, "chair");
    await meetingRepository.addMember(db, m.meetingId, expert.id, "expert");
    await meetingRepository.addMember(db, m.meetingId, m.chair.user.id, "expert");

    const chairSocket = await joined(first, chair, m.meetingId);
    const events: CommitteeChanged[] = [];
    chairSocket.on("committee:changed", (event: CommitteeChanged) => events.push(event));
    const target = { meetingId: m.meetingId, applicationId: m.applicationIds[0]! };
    await client(first, chair).committee.rollCall.mutate({
      meetingId: m.meetingId,
      presentUserIds: [chair.id, expert.id],
    });
    await client(first, chair).committee.openBallot.mutate(target);
    const vote = new Promise<CommitteeChanged>((resolve) =>
      chairSocket.on(
        "committee:changed",
        (event: CommitteeChanged) => event.change === "vote" && resolve(event),
      ),
    );
    await client(second, expert).committee.vote.mutate({ ...target, choice: "abstain" });
    expect(await vote).toEqual({
      meetingId: m.meetingId,
      change: "vote",
      applicationId: target.applicationId,
      state: "open",
      voted: 1,
      voters: 2,
    });
    expect(JSON.stringify(events)).not.toContain("abstain");
  }, 30_000);
});
