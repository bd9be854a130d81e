import {
  DEMO_COMMITTEE_MEETING_TITLE,
  DEMO_DEFENSE_HELD_TITLE,
  DEMO_DEFENSE_UPCOMING_TITLE,
  DEMO_PASSWORD,
  SESSION_COOKIE,
} from "@titles/db";
import { io, type Socket } from "socket.io-client";
import * as socketParser from "../../apps/panel/shared/socket-parser";
import { allEntryPoints } from "./access/entry-points";
import {
  type Call,
  type Ids,
  LOGINS,
  MATRIX,
  type Outcome,
  ROLES,
  type Role,
  type Row,
} from "./access/matrix";
import { expect, PANEL, PORTAL, test } from "./fixtures";

// Issue 8, item 1: every entry point (route loaders and actions, both tRPC routers, the panel's socket
// events and HTTP routes) called as every role against objects that are and are not theirs; the
// expected outcomes live in access/matrix.ts. API calls only (no page), made before the other specs
// change the demo data: every call is refused, reads, or is refused as input for the state it is in.

const CALL_TIMEOUT_MS = 15_000;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

test.describe.configure({ mode: "serial" });

test("every entry point in the code has a row in the matrix, and every row names a real one", () => {
  const entries = new Set(allEntryPoints());
  const rows = new Set(MATRIX.map((r) => r.entry));
  expect(
    [...entries].filter((e) => !rows.has(e)),
    "entry points without a row",
  ).toEqual([]);
  expect(
    [...rows].filter((e) => !entries.has(e)),
    "rows of entry points that no longer exist",
  ).toEqual([]);
});

/** 许静, who holds a certificate: logged in only to find its number. */
type Caller = Role | "holder";
const HOLDER = "13800000027";
const cookies: Partial<Record<Caller, string>> = {};

function cookieOf(role: Caller): string | undefined {
  return role === "anonymous" ? undefined : cookies[role];
}

async function fetchAs(role: Caller, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  const cookie = cookieOf(role);
  if (cookie) headers.set("Cookie", cookie);
  if (init.method === "POST") headers.set("Origin", new URL(url).origin);
  return fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
}

async function login(phone: string): Promise<string> {
  const body = new URLSearchParams({ login: phone, password: DEMO_PASSWORD, next: "/dashboard" });
  const response = await fetch(`${PORTAL}/login`, {
    method: "POST",
    body,
    headers: { Origin: PORTAL },
    redirect: "manual",
  });
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(set, `login of ${phone} answered ${response.status} without a session`).toBeTruthy();
  return set!.split(";")[0]!;
}

async function textAs(role: Caller, path: string): Promise<string> {
  const response = await fetchAs(role, new URL(path, PORTAL).href);
  return response.text();
}

const MISSING = "00000000-0000-4000-8000-000000000000";
/** Objects the run could not find: each one fails the run, after every row has been called. */
const undiscovered: string[] = [];

function first(text: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(text);
  if (!m) undiscovered.push(what);
  return m?.[1] ?? MISSING;
}

async function panelTrpc(role: Role, path: string, input?: unknown) {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetchAs(role, `${PANEL}/api/trpc/${path}${query}`);
  const json = (await response.json()) as { result?: { data: unknown } };
  if (!json.result) throw new Error(`${path} as ${role}: ${JSON.stringify(json)}`);
  return json.result.data;
}

/** A meeting whose page links its minutes (a committee meeting already held). */
async function meetingWithMinutes(): Promise<string> {
  const list = await textAs("agency", "/agency/meetings");
  for (const [, id] of list.matchAll(new RegExp(`/agency/meetings/(${UUID})`, "g"))) {
    if ((await textAs("agency", `/agency/meetings/${id}`)).includes(`/agency/meetings/${id}/minutes.pdf`))
      return id!;
  }
  undiscovered.push("a meeting with minutes");
  return MISSING;
}

/** Finds the seeded objects through the pages and procedures their owners see. */
async function discover(): Promise<Ids> {
  const appOf = async (role: Role) =>
    first(await textAs(role, "/dashboard"), new RegExp(`/applications/(${UUID})`), `${role}'s application`);
  const appA = await appOf("applicantA");
  const appB = await appOf("applicantB");
  const appThrough = first(
    await textAs("district", "/district"),
    new RegExp(`/district/applications/(${UUID})`),
    "the through-train file",
  );
  // A's materials are listed to the people who review the file (the applicant's pages of an evaluated
  // file link its documents, not its materials).
  let materialA = "";
  const readers: Array<[Role, string]> = [
    ["agency", `/agency/applications/${appA}`],
    ["hrA", `/hr/applications/${appA}`],
    ["applicantA", `/applications/${appA}`],
    ["applicantA", `/applications/${appA}/materials`],
  ];
  for (const [role, page] of readers) {
    const m = new RegExp(`/files/(${UUID})`).exec(await textAs(role, page));
    if (m) {
      materialA = m[1]!;
      break;
    }
  }
  if (!materialA) {
    undiscovered.push("a material of A's application");
    materialA = MISSING;
  }
  const meetings = (await panelTrpc("expertIn", "meetings.list")) as Array<{ id: string; title: string }>;
  const meeting = (title: string) => {
    const found = meetings.find((m) => m.title === title);
    if (!found) undiscovered.push(`the meeting ${title}`);
    return found?.id ?? MISSING;
  };
  const committee = meeting(DEMO_COMMITTEE_MEETING_TITLE);
  const opinions = (await panelTrpc("expertIn", "defense.opinions", {
    meetingId: committee,
    applicationId: appA,
  })) as {
    myGroups: Array<{ groupId: string }>;
  };
  const version = async (applicationId: string) =>
    (
      (await panelTrpc("chair", "dossier.get", { meetingId: committee, applicationId })) as {
        version: number;
      }
    ).version;
  const bureauBatch = first(
    await textAs("admin", "/bureau/results"),
    new RegExp(`/bureau/results/(${UUID})`),
    "a bureau batch",
  );
  const complaint = first(
    await textAs("admin", `/bureau/results/${bureauBatch}`),
    new RegExp(`/bureau/complaints/(${UUID})`),
    "a complaint",
  );
  return {
    appA,
    appB,
    appThrough,
    materialA,
    committee,
    defenseHeld: meeting(DEMO_DEFENSE_HELD_TITLE),
    defenseUpcoming: meeting(DEMO_DEFENSE_UPCOMING_TITLE),
    group: opinions.myGroups[0]!.groupId,
    versionA: await version(appA),
    versionB: await version(appB),
    publicBatch: first(await textAs("anonymous", "/results"), new RegExp(`/results/(${UUID})`), "a batch"),
    agencyBatch: first(
      await textAs("agency", "/agency/results"),
      new RegExp(`/agency/results/(${UUID})`),
      "an agency batch",
    ),
    bureauBatch,
    entry: first(
      await textAs("anonymous", `/results/${bureauBatch}`),
      new RegExp(`/complaint\\?entry=(${UUID})`),
      "an entry open to complaints",
    ),
    complaint,

    certificate: first(
      await textAs("holder", "/certificates"),
      /\/certificates\/([^"/?]+)\.pdf/,
      "许静's certificate",
    ),
    decidedMeeting: await meetingWithMinutes(),
    missing: MISSING,
  };
}

interface Answer {
  outcome: Outcome | string;
  body: string;
  /** Where a redirect goes, or the refusal's code: for the report of a mismatch. */
  detail?: string;
}

/**
 * A form page that comes back with an error alert or an invalid field, or a JSON answer `ok: false`,
 * refused the input: nothing was done.
 */
const FORM_REFUSAL = /role="alert"|aria-invalid="true"|^\{"ok":false\b/;

function classify(status: number, location: string | null, formAnswer = ""): string {
  if (status >= 200 && status < 300) return FORM_REFUSAL.test(formAnswer) ? "refused-input" : "ok";
  if (status >= 300 && status < 400) return location && /\/login(\?|$)/.test(location) ? "login" : "redirect";
  if (status === 401) return "login";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if ([400, 405, 413, 422].includes(status)) return "refused-input";
  return `HTTP ${status}`;
}

async function callHttp(
  role: Role,
  call: Extract<Call, { kind: "http" | "trpc" }>,
  ids: Ids,
): Promise<Answer> {
  const base = call.target === "panel" ? PANEL : PORTAL;
  let url: string;
  const init: RequestInit = {};
  if (call.kind === "http") {
    url = base + call.path(ids);
    init.method = call.method;
    if (call.json) {
      init.body = JSON.stringify(call.json(ids));
      init.headers = { "Content-Type": "application/json" };
    } else if (call.form) init.body = new URLSearchParams(call.form);
  } else {
    const input = call.input?.(ids);
    url = `${base}/api/trpc/${call.path}`;
    if (call.type === "query") {
      if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`;
    } else {
      init.method = "POST";
      init.body = JSON.stringify(input ?? null);
      init.headers = { "Content-Type": "application/json" };
    }
  }
  const response = await fetchAs(role, url, init);
  const type = response.headers.get("Content-Type") ?? "";
  // Files (PDFs, spreadsheets) are read to the end but not searched for names.
  const body = /text|json|html/.test(type) ? await response.text() : "";
  if (!body) await response.arrayBuffer();
  const location = response.headers.get("Location");
  const form = init.method === "POST" ? body : "";
  return {
    outcome: classify(response.status, location, form),
    body,
    detail: location ?? body.slice(0, 160).replace(/\s+/g, " "),
  };
}

/** The handshake's refusal or the connected socket. */
async function connect(role: Role): Promise<{ socket: Socket | null; refusal: string | null }> {
  const cookie = cookieOf(role);
  const socket = io(PANEL, {
    transports: ["websocket"],
    parser: socketParser,
    reconnection: false,
    forceNew: true,
    extraHeaders: cookie ? { Cookie: cookie } : {},
  });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket, refusal: null }));
    socket.once("connect_error", (error: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ socket: null, refusal: error.data?.code ?? error.message });
    });
  });
}

const socketOutcome: Record<string, Outcome> = {
  UNAUTHENTICATED: "login",
  SESSION_INVALID: "login",
  SESSION_EXPIRED: "login",
  FORBIDDEN: "forbidden",
  DOC_FORBIDDEN: "forbidden",
  NOT_MEETING_MEMBER: "forbidden",
  BAD_MESSAGE: "refused-input",
};

async function dropped(): Promise<number> {
  const health = (await (await fetch(`${PANEL}/healthz/documents`)).json()) as {
    dropped: Record<string, number>;
  };
  return Object.values(health.dropped).reduce((a, b) => a + b, 0);
}

async function callSocket(role: Role, call: Extract<Call, { kind: "socket" }>, ids: Ids): Promise<Answer> {
  const { socket, refusal } = await connect(role);
  if (!socket) return { outcome: socketOutcome[refusal!] ?? `socket ${refusal}`, body: String(refusal) };
  try {
    const timed = socket.timeout(CALL_TIMEOUT_MS);
    if (call.event === "connect") return { outcome: "ok", body: "" };
    if (call.join) await timed.emitWithAck("doc:join", { doc: call.join(ids) });
    if (call.ack) {
      const reply = (await timed.emitWithAck(call.event, call.payload(ids))) as
        | { ok: true; data: unknown }
        | { ok: false; error: { code: string; message: string } };
      const body = JSON.stringify(reply);
      if (reply.ok) return { outcome: "ok", body };
      return { outcome: socketOutcome[reply.error.code] ?? `socket ${reply.error.code}`, body };
    }
    const before = await dropped();
    socket.emit(call.event, call.payload(ids));
    // The server reads a socket's messages in order: the ping's answer comes after the event was handled.
    const ping = (await timed.emitWithAck("lobby:ping", { nonce: "after" })) as { ok: boolean };
    expect(ping.ok, `the socket still answers after ${call.event}`).toBe(true);
    return { outcome: (await dropped()) > before ? "dropped" : "accepted", body: "" };
  } finally {
    socket.close();
  }
}

async function call(role: Role, row: Row, ids: Ids): Promise<Answer> {
  return row.call.kind === "socket" ? callSocket(role, row.call, ids) : callHttp(role, row.call, ids);
}

test("every row as every role: no leak, no unlisted outcome", async () => {
  test.setTimeout(600_000);
  for (const [role, { phone }] of Object.entries(LOGINS)) cookies[role as Role] = await login(phone);
  cookies.holder = await login(HOLDER);
  const ids = await discover();

  const rows = [...MATRIX.filter((r) => !r.last), ...MATRIX.filter((r) => r.last)];
  const mismatches: string[] = [];
  const leaks: string[] = [];
  const counts: Record<string, number> = {};
  let calls = 0;
  for (const row of rows) {
    for (const role of ROLES) {
      const expected = row.expect[role];
      const answer = await call(role, row, ids);
      calls++;
      counts[answer.outcome] = (counts[answer.outcome] ?? 0) + 1;
      const label = `${row.entry} [${row.object}] as ${role}`;
      if (answer.outcome !== expected)
        mismatches.push(`${label}: expected ${expected}, got ${answer.outcome} (${answer.detail ?? ""})`);
      // Names of other people in a refusal; a signed-in page always shows the reader's own name.
      const refused = expected === "login" || expected === "forbidden" || expected === "not-found";
      const own = role === "anonymous" ? null : LOGINS[role].name;
      const markers = [...(refused ? (row.secrets ?? []) : []), ...(row.hidden?.[role] ?? [])];
      for (const marker of markers.filter((m) => m !== own)) {
        if (answer.body.includes(marker)) leaks.push(`${label}: the answer shows ${marker}`);
      }
    }
  }
  const entries = new Set(rows.map((r) => r.entry));
  const kinds: Record<string, number> = {};
  for (const entry of entries) {
    const kind = entry.replace(/^(route \w+|portal tRPC|panel tRPC|socket|panel) .*$/, "$1");
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  console.log(
    `[access-matrix] ${entries.size} entry points ${JSON.stringify(kinds)} in ${rows.length} rows × ` +
      `${ROLES.length} roles = ${calls} calls; ` +
      `outcomes ${JSON.stringify(counts)}; ${mismatches.length} mismatches, ${leaks.length} leaks`,
  );
  expect.soft(undiscovered, "seeded objects not found").toEqual([]);
  expect.soft(leaks, "leaks").toEqual([]);
  expect(mismatches, "outcomes that differ from the matrix").toEqual([]);
});
