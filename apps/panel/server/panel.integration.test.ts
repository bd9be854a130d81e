import type { AddressInfo } from "node:net";
import {
  newToken,
  organisationRepository,
  SESSION_COOKIE,
  sessionRepository,
  sha256,
  signToken,
  userRepository,
} from "@titles/db";
import { createTestDb, type TestDb } from "@titles/db/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type * as ClientContract from "../client/socket-contract";
import * as socketParser from "../shared/socket-parser";
import { createPanelServer, type PanelServer } from "./app";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketErrorCode,
  SocketErrorData,
} from "./socket-codes";
import type { AppRouter } from "./trpc/router";

const SECRET = "panel-test-secret-panel-test-secret-0123456789";
const PANEL_URL = "http://panel.test";

let database: TestDb;
let server: PanelServer;
let base: string;
const sockets: Socket[] = [];
let serial = 0;

async function userWithSession(name: string, roles: string[]): Promise<string> {
  serial += 1;
  const user = await userRepository.insert(database.db, {
    name,
    idType: "mainland",
    idNumber: `1101011990010${String(serial).padStart(5, "0")}`,
    idNumberHash: `id-hash-${serial}`,
    phone: `1380000${String(serial).padStart(4, "0")}`,
    phoneHash: `phone-hash-${serial}`,
    passwordHash: "not-a-real-hash",
    phoneVerifiedAt: new Date(),
  });
  const pool = await organisationRepository.insert(database.db, {
    kind: "expert-pool",
    name: `专家库 ${serial}`,
    creditCode: null,
    district: null,
    series: [],
  });
  for (const role of roles) {
    await userRepository.grantRole(database.db, user.id, role, role === "applicant" ? null : pool.id);
  }
  const token = newToken();
  await sessionRepository.insert(database.db, {
    userId: user.id,
    tokenHash: sha256(token),
    userAgent: null,
    at: new Date(),
  });
  return `${SESSION_COOKIE}=${signToken(token, SECRET)}`;
}

/** The same cookie with one character of the token changed: the signature no longer matches. */
function tamper(cookie: string): string {
  const at = `${SESSION_COOKIE}=`.length + 3;
  const flipped = cookie[at] === "A" ? "B" : "A";
  return cookie.slice(0, at) + flipped + cookie.slice(at + 1);
}

function lobbyGet(cookie?: string) {
  return fetch(`${base}/api/trpc/lobby.get`, { headers: cookie ? { cookie } : {} });
}

function socketWith(headers: Record<string, string>): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(base, {
    path: "/socket.io",
    transports: ["websocket"],
    parser: socketParser,
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

function refusal(socket: Socket): Promise<Error & { data?: SocketErrorData }> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("the socket connected but should have been refused")));
    socket.once("connect_error", resolve);
  });
}

let expertCookie: string;
let chairCookie: string;
let applicantCookie: string;

beforeAll(async () => {
  database = await createTestDb("pglite");
  server = await createPanelServer(
    { NODE_ENV: "test", SESSION_SECRET: SECRET, PORTAL_URL: "http://portal.test", PANEL_URL },
    { db: database.db },
  );
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  expertCookie = await userWithSession("王专家", ["expert"]);
  chairCookie = await userWithSession("李主任", ["chair", "expert"]);
  applicantCookie = await userWithSession("张申报", ["applicant"]);
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
  await database?.close();
});

describe("lobby.get over HTTP", () => {
  it("returns the expert's name, roles and an empty meeting list", async () => {
    const response = await lobbyGet(expertCookie);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.result.data).toEqual({ user: { name: "王专家" }, roles: ["expert"], meetings: [] });
  });

  it("works through the typed tRPC client the browser uses", async () => {
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/api/trpc`, headers: { cookie: chairCookie } })],
    });
    const lobby = await client.lobby.get.query();
    expect(lobby.user.name).toBe("李主任");
    expect(lobby.roles.sort()).toEqual(["chair", "expert"]);
  });

  it("answers 401 without a cookie", async () => {
    const response = await lobbyGet();
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.data).toMatchObject({ code: "UNAUTHORIZED", accessCode: "UNAUTHENTICATED" });
    expect(body.error.data.stack).toBeUndefined();
  });

  it("answers 401 SESSION_INVALID for a tampered cookie", async () => {
    const response = await lobbyGet(tamper(expertCookie));
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.data).toMatchObject({ code: "UNAUTHORIZED", accessCode: "SESSION_INVALID" });
    expect(body.error.message).toBe("登录状态无效，请重新登录。");
  });

  it("answers 403 with the Chinese message for an applicant, English with lang=en", async () => {
    const response = await lobbyGet(applicantCookie);
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.error.data).toMatchObject({ code: "FORBIDDEN", accessCode: "FORBIDDEN" });
    expect(body.error.message).toContain("专家工作台仅限评审专家和主任委员使用。");
    expect(body.error.message).toContain("申报人");

    const english = await (await lobbyGet(`${applicantCookie}; lang=en`)).json();
    expect(english.error.message).toContain("The panel is for evaluation experts and chairs only.");

    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/api/trpc`, headers: { cookie: applicantCookie } })],
    });
    const error = await client.lobby.get.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.accessCode).toBe("FORBIDDEN");
  });

  it("serves health and only the two whitelisted addresses as public config", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/api/config`)).json()).toEqual({
      PORTAL_URL: "http://portal.test",
      PANEL_URL,
    });
  });
});

describe("socket.io", () => {
  it("lets an expert connect over websocket and greets them", async () => {
    const socket = socketWith({ cookie: expertCookie });
    const hello = await new Promise<{ name: string }>((resolve, reject) => {
      socket.once("lobby:hello", resolve);
      socket.once("connect_error", reject);
    });
    expect(hello).toEqual({ name: "王专家" });
    expect(socket.io.engine.transport.name).toBe("websocket");
    const reply = await socket.timeout(5000).emitWithAck("lobby:ping", { nonce: "n1" });
    expect(reply).toMatchObject({ ok: true, data: { nonce: "n1" } });
  });

  it("refuses a tampered cookie with SESSION_INVALID", async () => {
    const error = await refusal(socketWith({ cookie: tamper(expertCookie) }));
    expect(error.message).toBe("SESSION_INVALID");
    expect(error.data).toEqual({ code: "SESSION_INVALID", message: "登录状态无效，请重新登录。" });
  });

  it("refuses a handshake without a cookie with UNAUTHENTICATED", async () => {
    const error = await refusal(socketWith({}));
    expect(error.message).toBe("UNAUTHENTICATED");
  });

  it("refuses an applicant with FORBIDDEN and the Chinese message", async () => {
    const error = await refusal(socketWith({ cookie: applicantCookie }));
    expect(error.message).toBe("FORBIDDEN");
    expect(error.data?.message).toContain("专家工作台仅限评审专家和主任委员使用。");
  });

  it("refuses a browser page from another origin even with a valid cookie", async () => {
    const error = await refusal(socketWith({ cookie: expertCookie, origin: "http://evil.test" }));
    expect(error.data).toBeUndefined();
  });

  it("survives malformed events and garbage frames", async () => {
    const socket = socketWith({ cookie: expertCookie });
    await new Promise((resolve, reject) => {
      socket.once("lobby:hello", resolve);
      socket.once("connect_error", reject);
    });
    const loose = socket as unknown as Socket;
    loose.emit("lobby:ping", "not an object");
    loose.emit("lobby:ping");
    loose.emit("no-such-event", { a: 1 });
    const bad = await loose.timeout(5000).emitWithAck("lobby:ping", { nonce: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
    const tooLong = await loose.timeout(5000).emitWithAck("lobby:ping", { nonce: "x".repeat(500) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: "BAD_MESSAGE" } });
    // Still the same connection, still answering.
    const good = await socket.timeout(5000).emitWithAck("lobby:ping", { nonce: "after" });
    expect(good).toMatchObject({ ok: true, data: { nonce: "after" } });

    // A frame the socket.io parser cannot read closes that connection only.
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.io.engine.write("42[not json");
    expect(await closed).toBeTruthy();

    const next = socketWith({ cookie: expertCookie });
    const hello = await new Promise<{ name: string }>((resolve, reject) => {
      next.once("lobby:hello", resolve);
      next.once("connect_error", reject);
    });
    expect(hello.name).toBe("王专家");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("socket protocol", () => {
  it("the client's copy of the contract matches the server's", () => {
    expectTypeOf<ServerToClientEvents>().toEqualTypeOf<ClientContract.ServerToClientEvents>();
    expectTypeOf<ClientToServerEvents>().toExtend<ClientContract.ClientToServerEvents>();
    expectTypeOf<SocketErrorData>().toExtend<ClientContract.SocketErrorData>();
    expectTypeOf<SocketErrorCode>().toExtend<string>();
  });
});
