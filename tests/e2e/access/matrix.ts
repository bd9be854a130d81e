/**
 * Issue 8, item 1: the access matrix. One row per (entry point, object); each row says what every role
 * gets. The spec (access-matrix.spec.ts) calls every row as every role against the demo seed and fails
 * on any difference, on any leak marker in a refusal, and on any entry point of the code without a row.
 *
 * Objects: A is 唐宁 (北京示例科技, engineering, on the committee meeting's agenda), B is 韩雨 (北京市示例
 * 建筑设计研究院, the same meeting; 陈晨 is recused from her). The seed gives 张伟 and 李娜 no
 * application, so they could not stand for "applicant with an application" (decision 0014).
 */

export const ROLES = [
  "anonymous",
  "applicantA",
  "applicantB",
  "hrA",
  "hrOther",
  "agency",
  "agencyOther",
  "district",
  "districtOther",
  "expertIn",
  "expertOther",
  "expertOut",
  "recused",
  "chair",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

/** Who logs in for each role (demo password), and what they are. */
export const LOGINS: Record<Exclude<Role, "anonymous">, { phone: string; name: string; who: string }> = {
  applicantA: { phone: "13800000023", name: "唐宁", who: "唐宁, applicant A (北京示例科技)" },
  applicantB: { phone: "13800000024", name: "韩雨", who: "韩雨, applicant B (示例建筑设计研究院)" },
  hrA: { phone: "13800000003", name: "王芳", who: "王芳, HR of A's unit" },
  hrOther: { phone: "13800000004", name: "刘洋", who: "刘洋, HR of another unit (B's)" },
  agency: { phone: "13800000005", name: "赵强", who: "赵强, the engineering agency (A's and B's series)" },
  agencyOther: { phone: "13800000014", name: "冯涛", who: "冯涛, the economics agency" },
  district: {
    phone: "13800000006",
    name: "孙丽",
    who: "孙丽, 海淀 district (A's unit, 周杰's through-train file)",
  },
  districtOther: { phone: "13800000013", name: "何平", who: "何平, 朝阳 district" },
  expertIn: { phone: "13800000007", name: "周明", who: "周明, expert in every demo meeting" },
  expertOther: {
    phone: "13800000022",
    name: "王磊",
    who: "王磊, expert in the committee meeting, not the defenses",
  },
  expertOut: { phone: "13900000300", name: "", who: "a pool expert in no meeting" },
  recused: { phone: "13800000021", name: "陈晨", who: "陈晨, committee member recused from B" },
  chair: { phone: "13800000010", name: "钱华", who: "钱华, chair of the committee meeting" },
  admin: { phone: "13800000011", name: "陈静", who: "陈静, city bureau" },
};

/**
 * What a call gets:
 * - `ok`: 2xx (a page with content, a file, a tRPC result, a socket ack with ok: true);
 * - `redirect`: 3xx somewhere other than the login page (the page is not for this state or person);
 * - `login`: sent to log in (302 to /login, 401, socket UNAUTHENTICATED);
 * - `forbidden`: 403 / socket FORBIDDEN, DOC_FORBIDDEN, NOT_MEETING_MEMBER;
 * - `not-found`: 404, where existence must not leak;
 * - `refused-input`: 400, 405, 413, 422, socket BAD_MESSAGE, or a form page that comes back with its error
 *   alert (a JSON `ok: false`): past access control, refused as input, nothing written;
 * - `conflict`: 409: past access control, refused for the object's state;
 * - `accepted` / `dropped`: a socket event without an ack, taken or dropped (the server's counters).
 * A 5xx, a 429 or a hang is never an expectation.
 */
export type Outcome =
  | "ok"
  | "redirect"
  | "login"
  | "forbidden"
  | "not-found"
  | "refused-input"
  | "conflict"
  | "accepted"
  | "dropped";

export type Expectations = Record<Role, Outcome>;

/** Ids of seeded objects, found through the pages at the start of the run. */
export interface Ids {
  appA: string;
  appB: string;
  /** 周杰's through-train file, confirmed, waiting for the 海淀 district. */
  appThrough: string;
  materialA: string;
  committee: string;
  defenseHeld: string;
  defenseUpcoming: string;
  /** A committee meeting already held, with its minutes. */
  decidedMeeting: string;
  /** The review group of the committee meeting (周明, 郑敏, 王磊). */
  group: string;
  /** Version of A's and B's dossier in the committee meeting. */
  versionA: number;
  versionB: number;
  publicBatch: string;
  /** An entry of the bureau's batch in publicity (what a complaint is filed against). */
  entry: string;
  agencyBatch: string;
  bureauBatch: string;
  complaint: string;
  certificate: string;
  /** A well-formed id of nothing. */
  missing: string;
}

export type Call =
  | {
      kind: "http";
      target: "portal" | "panel";
      method: "GET" | "POST";
      path: (ids: Ids) => string;
      form?: Record<string, string>;
      json?: (ids: Ids) => unknown;
    }
  | {
      kind: "trpc";
      target: "portal" | "panel";
      path: string;
      type: "query" | "mutation";
      input?: (ids: Ids) => unknown;
    }
  | {
      kind: "socket";
      event: string;
      payload: (ids: Ids) => unknown;
      /** Joins this document first (socket.io events on a document need a join). */
      join?: (ids: Ids) => string;
      ack: boolean;
    };

export interface Row {
  /** As entry-points.ts names it: `route loader <file>`, `panel tRPC <path>`, `socket <event>`… */
  entry: string;
  /** What the call is made on, for the report. */
  object: string;
  call: Call;
  expect: Expectations;
  /** Text that must not appear in any answer whose expectation is not `ok` (names of other people). */
  secrets?: string[];
  /** Text a role must not see even where it gets `ok` (another unit's, agency's or district's people). */
  hidden?: Partial<Record<Role, string[]>>;
  /** Runs after every other row (it ends the caller's session). */
  last?: boolean;
}

// --- expectation builders --------------------------------------------------------------------------

const EXPERTS: Role[] = ["expertIn", "expertOther", "expertOut", "recused", "chair"];
const COMMITTEE: Role[] = ["expertIn", "expertOther", "recused", "chair"];

/** Everyone gets `rest` (anonymous gets `anonymous`), except the roles named in `grants`. */
function who(rest: Outcome, grants: Partial<Record<Role, Outcome>> = {}, anonymous: Outcome = "login") {
  const out = Object.fromEntries(ROLES.map((r) => [r, r === "anonymous" ? anonymous : rest])) as Expectations;
  return { ...out, ...grants } as Expectations;
}
const all = (outcome: Outcome) => who(outcome, {}, outcome);
const signedIn = (outcome: Outcome, anonymous: Outcome = "login") => who(outcome, {}, anonymous);
function only(roles: Role[], outcome: Outcome): Partial<Record<Role, Outcome>> {
  return Object.fromEntries(roles.map((r) => [r, outcome]));
}

// --- calls --------------------------------------------------------------------------------------------

const get = (path: (ids: Ids) => string): Call => ({ kind: "http", target: "portal", method: "GET", path });
const post = (path: (ids: Ids) => string, form: Record<string, string> = {}): Call => ({
  kind: "http",
  target: "portal",
  method: "POST",
  path,
  form: { intent: "access-matrix", ...form },
});
const panelQuery = (path: string, input?: (ids: Ids) => unknown): Call => ({
  kind: "trpc",
  target: "panel",
  path,
  type: "query",
  input,
});
const panelMutation = (path: string, input: (ids: Ids) => unknown): Call => ({
  kind: "trpc",
  target: "panel",
  path,
  type: "mutation",
  input,
});
const doc = (ids: Ids, app: "A" | "B" = "A") =>
  `meeting:${ids.committee}:application:${app === "A" ? ids.appA : ids.appB}:v${app === "A" ? ids.versionA : ids.versionB}`;

const A = "唐宁";
const B = "韩雨";
const THROUGH = "周杰";
/** Applicants of the engineering agency's queue: never on the economics agency's pages. */
const ENGINEERING = [A, B, "孙浩", "林峰"];

const route = (kind: "loader" | "action", file: string) => `route ${kind} ${file}`;

/** Applicant pages of A's application: the applicant, their unit's HR and the agency read it. */
const readersOfA = only(["applicantA", "hrA", "agency"], "ok");

export const MATRIX: Row[] = [
  // --- public pages ------------------------------------------------------------------------------
  { entry: route("loader", "_index.tsx"), object: "home", call: get(() => "/"), expect: all("ok") },
  {
    entry: route("loader", "login.tsx"),
    object: "login page",
    call: get(() => "/login"),
    expect: signedIn("redirect", "ok"),
  },
  {
    entry: route("action", "login.tsx"),
    object: "empty login",
    call: post(() => "/login", { login: "", password: "" }),
    expect: signedIn("redirect", "refused-input"),
  },
  {
    entry: route("loader", "register.tsx"),
    object: "register page",
    call: get(() => "/register"),
    expect: signedIn("redirect", "ok"),
  },
  {
    entry: route("action", "register.tsx"),
    object: "empty registration",
    call: post(() => "/register"),
    expect: signedIn("redirect", "refused-input"),
  },
  { entry: route("loader", "lang.tsx"), object: "-", call: get(() => "/lang"), expect: all("redirect") },
  {
    entry: route("action", "lang.tsx"),
    object: "switch to Chinese",
    call: post(() => "/lang", { locale: "zh-CN", redirectTo: "/" }),
    expect: all("redirect"),
  },
  {
    entry: route("action", "lang.tsx"),
    object: "no language named",
    call: post(() => "/lang"),
    expect: all("refused-input"),
  },
  { entry: route("loader", "logout.tsx"), object: "-", call: get(() => "/logout"), expect: all("redirect") },
  {
    entry: route("action", "logout.tsx"),
    object: "own session",
    call: post(() => "/logout"),
    expect: all("login"),
    last: true,
  },
  {
    entry: route("loader", "dev.sms.tsx"),
    object: "SMS simulator",
    call: get(() => "/dev/sms"),
    expect: all("ok"),
  },
  {
    entry: route("loader", "results._index.tsx"),
    object: "-",
    call: get(() => "/results"),
    expect: all("ok"),
  },
  {
    entry: route("loader", "results.$batchId._index.tsx"),
    object: "published batch",
    call: get((ids) => `/results/${ids.publicBatch}`),
    expect: all("ok"),
  },
  {
    entry: route("loader", "results.$batchId.list[.pdf].tsx"),
    object: "published batch",
    call: get((ids) => `/results/${ids.publicBatch}/list.pdf`),
    expect: all("ok"),
  },
  {
    entry: route("loader", "results_.$batchId_.complaint.tsx"),
    object: "the bureau's batch in publicity",
    call: get((ids) => `/results/${ids.bureauBatch}/complaint?entry=${ids.entry}`),
    expect: all("ok"),
  },
  {
    entry: route("action", "results_.$batchId_.complaint.tsx"),
    object: "empty complaint",
    call: post((ids) => `/results/${ids.bureauBatch}/complaint?entry=${ids.entry}`),
    expect: all("refused-input"),
  },
  {
    entry: route("loader", "complaints._index.tsx"),
    object: "-",
    call: get(() => "/complaints"),
    expect: all("ok"),
  },
  {
    entry: route("action", "complaints._index.tsx"),
    object: "empty look-up",
    call: post(() => "/complaints?index"),
    expect: all("refused-input"),
  },
  { entry: route("loader", "verify._index.tsx"), object: "-", call: get(() => "/verify"), expect: all("ok") },
  {
    entry: route("loader", "verify.$number.tsx"),
    object: "issued certificate, no token",
    call: get((ids) => `/verify/${ids.certificate}`),
    expect: all("ok"),
    secrets: ["110108198611070250"],
  },
  {
    entry: route("loader", "credentials.$number[.json].tsx"),
    object: "issued certificate, no token",
    call: get((ids) => `/credentials/${ids.certificate}.json`),
    // The credential needs the token printed in the certificate's QR code, whoever asks.
    expect: all("forbidden"),
    secrets: ["许静"],
  },
  {
    entry: route("loader", "status.$listId[.json].tsx"),
    object: "status list 1",
    call: get(() => "/status/1.json"),
    expect: all("ok"),
  },
  {
    entry: route("loader", "pay.sim.$token.tsx"),
    object: "unknown checkout",
    call: get(() => "/pay/sim/access-matrix"),
    expect: all("not-found"),
  },
  {
    entry: route("action", "pay.sim.$token.tsx"),
    object: "unknown checkout",
    call: post(() => "/pay/sim/access-matrix", { action: "pay" }),
    expect: all("not-found"),
  },
  // Test mode only (APP_MODE=test): production answers 404 (env.test.ts); nobody's data is behind it.
  {
    entry: route("loader", "test.clock.tsx"),
    object: "-",
    call: get(() => "/test/clock"),
    expect: all("not-found"),
  },
  {
    entry: route("action", "test.clock.tsx"),
    object: "the real clock",
    call: {
      kind: "http",
      target: "portal",
      method: "POST",
      path: () => "/test/clock",
      json: () => ({ now: null }),
    },
    expect: all("ok"),
  },
  {
    entry: route("loader", "test.jobs.tsx"),
    object: "-",
    call: get(() => "/test/jobs"),
    expect: all("not-found"),
  },
  {
    entry: route("action", "test.jobs.tsx"),
    object: "no job named",
    call: { kind: "http", target: "portal", method: "POST", path: () => "/test/jobs", json: () => ({}) },
    expect: all("refused-input"),
  },

  // --- everyone signed in ----------------------------------------------------------------------------
  {
    entry: route("loader", "dashboard.tsx"),
    object: "own",
    call: get(() => "/dashboard"),
    expect: signedIn("ok"),
  },
  {
    entry: route("loader", "account.tsx"),
    object: "own",
    call: get(() => "/account"),
    expect: signedIn("ok"),
  },
  {
    entry: route("loader", "certificates._index.tsx"),
    object: "own",
    call: get(() => "/certificates"),
    expect: signedIn("ok"),
  },
  {
    entry: route("loader", "certificates.$number[.pdf].tsx"),
    object: "许静's certificate",
    call: get((ids) => `/certificates/${ids.certificate}.pdf`),
    // Its holder and the city bureau only (许静 is not one of the matrix's roles).
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("loader", "api.trpc.$.ts"),
    object: "round.current",
    call: { kind: "http", target: "portal", method: "GET", path: () => "/api/trpc/round.current" },
    expect: all("ok"),
  },
  {
    entry: route("action", "api.trpc.$.ts"),
    object: "a query sent as POST",
    call: {
      kind: "http",
      target: "portal",
      method: "POST",
      path: () => "/api/trpc/me.get",
      json: () => ({}),
    },
    expect: all("refused-input"),
  },
  {
    entry: "portal tRPC round.current",
    object: "-",
    call: { kind: "trpc", target: "portal", path: "round.current", type: "query" },
    expect: all("ok"),
  },
  {
    entry: "portal tRPC me.get",
    object: "own",
    call: { kind: "trpc", target: "portal", path: "me.get", type: "query" },
    expect: signedIn("ok"),
  },
  {
    entry: "portal tRPC me.messages",
    object: "own",
    call: { kind: "trpc", target: "portal", path: "me.messages", type: "query", input: () => ({ limit: 5 }) },
    expect: signedIn("ok"),
  },

  // --- applicant pages of A's application ------------------------------------------------------------
  {
    entry: route("loader", "applications.new.tsx"),
    object: "new application (A and B already hold one)",
    call: get(() => "/applications/new"),
    expect: who("forbidden", { applicantA: "redirect", applicantB: "redirect" }),
  },
  {
    entry: route("action", "applications.new.tsx"),
    object: "empty choice",
    call: post(() => "/applications/new"),
    // Refused as input; the page's loader then sends an applicant who holds a live application to it.
    expect: who("forbidden", { applicantA: "redirect", applicantB: "redirect" }),
  },
  {
    entry: route("loader", "applications.$id._index.tsx"),
    object: "A's application",
    call: get((ids) => `/applications/${ids.appA}`),
    expect: who("forbidden", readersOfA),
    secrets: [A],
  },
  {
    entry: route("loader", "applications.$id._index.tsx"),
    object: "B's application",
    call: get((ids) => `/applications/${ids.appB}`),
    expect: who("forbidden", { applicantB: "ok", hrOther: "ok", agency: "ok" }),
    secrets: [B],
  },
  {
    // Through-train: the unit's HR and its district read it; the agency only once the district forwards it.
    entry: route("loader", "applications.$id._index.tsx"),
    object: "周杰's through-train file (not yet forwarded)",
    call: get((ids) => `/applications/${ids.appThrough}`),
    expect: who("forbidden", { hrA: "ok", district: "ok" }),
    secrets: [THROUGH],
  },
  {
    entry: route("loader", "applications.$id._index.tsx"),
    object: "a missing application",
    call: get((ids) => `/applications/${ids.missing}`),
    expect: who("not-found"),
  },
  // Pages every reader of the file opens.
  ...(
    [
      ["applications.$id.documents._index.tsx", "documents"],
      ["applications.$id.documents.$kind.tsx", "documents/application-form"],
      ["applications.$id.receipt[.pdf].tsx", "receipt.pdf"],
    ] as const
  ).map(
    ([file, path]): Row => ({
      entry: route("loader", file),
      object: "A's application",
      call: get((ids) => `/applications/${ids.appA}/${path}`),
      expect: who("forbidden", readersOfA),
      secrets: [A],
    }),
  ),
  // The applicant's own steps: a file under evaluation sends its applicant back to its page; staff who
  // read the file do not get the applicant's forms.
  ...(
    [
      ["applications.$id.confirm.tsx", "confirm", "redirect"],
      ["applications.$id.correction.tsx", "correction", "redirect"],
      ["applications.$id.form.$step.tsx", "form/personal", "redirect"],
      ["applications.$id.materials.tsx", "materials", "redirect"],
      ["applications.$id.review.tsx", "review", "redirect"],
      ["applications.$id.payment.tsx", "payment", "ok"],
      // Paid before the payment receipts existed (the demo seed): there is no receipt to give.
      ["applications.$id.payment-receipt[.pdf].tsx", "payment-receipt.pdf", "not-found"],
    ] as const
  ).map(
    ([file, path, own]): Row => ({
      entry: route("loader", file),
      object: "A's application",
      call: get((ids) => `/applications/${ids.appA}/${path}`),
      expect: who("forbidden", { applicantA: own }),
      secrets: [A],
    }),
  ),
  {
    // Someone else's result is not told apart from a missing one.
    entry: route("loader", "applications.$id.re-review.tsx"),
    object: "A's application",
    call: get((ids) => `/applications/${ids.appA}/re-review`),
    expect: who("not-found", { applicantA: "ok" }),
    secrets: [A],
  },
  ...(
    [
      ["applications.$id.confirm.tsx", "confirm", "redirect"],
      ["applications.$id.correction.tsx", "correction", "redirect"],
      ["applications.$id.form.$step.tsx", "form/personal", "redirect"],
      ["applications.$id.review.tsx", "review", "redirect"],
      ["applications.$id.payment.tsx", "payment", "refused-input"],
    ] as const
  ).map(
    ([file, path, own]): Row => ({
      entry: route("action", file),
      object: "A's application, empty form",
      call: post((ids) => `/applications/${ids.appA}/${path}`),
      expect: who("forbidden", { applicantA: own }),
      secrets: [A],
    }),
  ),
  {
    entry: route("action", "applications.$id.re-review.tsx"),
    object: "A's application, empty form",
    call: post((ids) => `/applications/${ids.appA}/re-review`),
    // A's own file: the page answers that no re-review can be asked now (nothing is read or written).
    expect: who("not-found", { applicantA: "ok" }),
    secrets: [A],
  },
  {
    entry: route("loader", "files.$materialId.tsx"),
    object: "A's material",
    call: get((ids) => `/files/${ids.materialA}`),
    expect: who("forbidden", readersOfA),
  },
  {
    entry: route("loader", "files.$materialId.thumbnail.tsx"),
    object: "A's material",
    call: get((ids) => `/files/${ids.materialA}/thumbnail`),
    // The material is a PDF: readers learn there is no thumbnail, others are refused before that.
    expect: who("forbidden", only(["applicantA", "hrA", "agency"], "not-found")),
  },
  {
    entry: route("action", "api.materials.tsx"),
    object: "delete A's material",
    call: {
      kind: "http",
      target: "portal",
      method: "POST",
      path: () => "/api/materials",
      json: (ids) => ({ intent: "delete", materialId: ids.materialA }),
    },
    // A file under evaluation is no longer the applicant's to change.
    expect: who("forbidden"),
  },

  // --- employer HR -----------------------------------------------------------------------------------
  {
    entry: route("loader", "hr.tsx"),
    object: "own unit",
    call: get(() => "/hr"),
    expect: who("forbidden", { hrA: "ok", hrOther: "ok" }),
    hidden: { hrOther: [A, "孙浩", "林峰"], hrA: [B] },
  },
  {
    entry: route("loader", "hr_.applications.$id.tsx"),
    object: "A's application",
    call: get((ids) => `/hr/applications/${ids.appA}`),
    expect: who("forbidden", { hrA: "ok" }),
    secrets: [A],
  },
  {
    entry: route("loader", "hr_.applications.$id.tsx"),
    object: "B's application",
    call: get((ids) => `/hr/applications/${ids.appB}`),
    expect: who("forbidden", { hrOther: "ok" }),
    secrets: [B],
  },
  {
    entry: route("action", "hr_.applications.$id.tsx"),
    object: "A's application, empty form",
    call: post((ids) => `/hr/applications/${ids.appA}`),
    expect: who("forbidden", { hrA: "refused-input" }),
    secrets: [A],
  },

  // --- agency ------------------------------------------------------------------------------------------
  {
    entry: route("loader", "agency.tsx"),
    object: "own queue",
    call: get(() => "/agency"),
    expect: who("forbidden", { agency: "ok", agencyOther: "ok" }),
    hidden: { agencyOther: ENGINEERING },
  },
  {
    entry: route("loader", "agency_.applications.$id.tsx"),
    object: "A's application",
    call: get((ids) => `/agency/applications/${ids.appA}`),
    expect: who("forbidden", { agency: "ok" }),
    secrets: [A],
  },
  {
    entry: route("loader", "agency_.applications.$id.tsx"),
    object: "周杰's through-train file (not yet forwarded)",
    call: get((ids) => `/agency/applications/${ids.appThrough}`),
    expect: who("forbidden"),
    secrets: [THROUGH],
  },
  {
    entry: route("action", "agency_.applications.$id.tsx"),
    object: "A's application, empty form",
    call: post((ids) => `/agency/applications/${ids.appA}`),
    expect: who("forbidden", { agency: "refused-input" }),
    secrets: [A],
  },
  ...(
    [
      ["agency_.committees.tsx", "/agency/committees"],
      ["agency_.experts.tsx", "/agency/experts"],
      ["agency_.meetings._index.tsx", "/agency/meetings"],
    ] as const
  ).map(
    ([file, path]): Row => ({
      entry: route("loader", file),
      object: "own",
      call: get(() => path),
      expect: who("forbidden", { agency: "ok", agencyOther: "ok", admin: "ok" }),
    }),
  ),
  ...(
    [
      ["agency_.committees.tsx", "/agency/committees"],
      ["agency_.meetings._index.tsx", "/agency/meetings?index"],
    ] as const
  ).map(
    ([file, path]): Row => ({
      entry: route("action", file),
      object: "empty form",
      call: post(() => path),
      expect: who("forbidden", {
        agency: "refused-input",
        agencyOther: "refused-input",
        admin: "refused-input",
      }),
    }),
  ),
  {
    entry: route("loader", "agency_.meetings.$id.tsx"),
    object: "the committee meeting",
    call: get((ids) => `/agency/meetings/${ids.committee}`),
    expect: who("forbidden", { agency: "ok", admin: "ok", agencyOther: "not-found" }),
    secrets: [A, B],
  },
  {
    entry: route("action", "agency_.meetings.$id.tsx"),
    object: "the committee meeting, empty form",
    call: post((ids) => `/agency/meetings/${ids.committee}`),
    expect: who("forbidden", { agency: "refused-input", admin: "refused-input", agencyOther: "not-found" }),
    secrets: [A, B],
  },
  {
    entry: route("loader", "agency_.meetings.$id.minutes[.pdf].tsx"),
    object: "the committee meeting already held",
    call: get((ids) => `/agency/meetings/${ids.decidedMeeting}/minutes.pdf`),
    expect: who("forbidden", { agency: "ok", admin: "ok", agencyOther: "not-found" }),
  },
  {
    entry: route("loader", "agency_.defense._index.tsx"),
    object: "own",
    call: get(() => "/agency/defense"),
    expect: who("forbidden", { agency: "ok", agencyOther: "ok" }),
    hidden: { agencyOther: ENGINEERING },
  },
  {
    entry: route("action", "agency_.defense._index.tsx"),
    object: "empty form",
    call: post(() => "/agency/defense?index"),
    expect: who("forbidden", { agency: "refused-input", agencyOther: "refused-input" }),
  },
  {
    entry: route("loader", "agency_.defense.$id.tsx"),
    object: "the upcoming defense",
    call: get((ids) => `/agency/defense/${ids.defenseUpcoming}`),
    expect: who("forbidden", { agency: "ok", agencyOther: "not-found" }),
  },
  {
    entry: route("action", "agency_.defense.$id.tsx"),
    object: "the upcoming defense, empty form",
    call: post((ids) => `/agency/defense/${ids.defenseUpcoming}`),
    expect: who("forbidden", { agency: "refused-input", agencyOther: "not-found" }),
  },
  {
    entry: route("loader", "agency_.results._index.tsx"),
    object: "own",
    call: get(() => "/agency/results"),
    expect: who("forbidden", { agency: "ok", agencyOther: "ok", admin: "ok" }),
  },
  {
    entry: route("action", "agency_.results._index.tsx"),
    object: "empty form",
    call: post(() => "/agency/results?index"),
    expect: who("forbidden", {
      agency: "refused-input",
      agencyOther: "refused-input",
      admin: "refused-input",
    }),
  },
  {
    entry: route("loader", "agency_.results.$id.tsx"),
    object: "the agency's batch",
    call: get((ids) => `/agency/results/${ids.agencyBatch}`),
    expect: who("forbidden", { agency: "ok", admin: "ok", agencyOther: "not-found" }),
  },
  {
    entry: route("action", "agency_.results.$id.tsx"),
    object: "the agency's batch, empty form",
    call: post((ids) => `/agency/results/${ids.agencyBatch}`),
    expect: who("forbidden", { agency: "refused-input", admin: "refused-input", agencyOther: "not-found" }),
  },
  {
    entry: route("loader", "agency_.complaints.$id.tsx"),
    object: "the bureau batch's complaint",
    call: get((ids) => `/agency/complaints/${ids.complaint}`),
    expect: who("forbidden", { agency: "not-found", agencyOther: "not-found", admin: "ok" }),
  },
  {
    entry: route("action", "agency_.complaints.$id.tsx"),
    object: "the bureau batch's complaint, empty form",
    call: post((ids) => `/agency/complaints/${ids.complaint}`),
    expect: who("forbidden", { agency: "not-found", agencyOther: "not-found", admin: "refused-input" }),
  },
  {
    entry: route("loader", "complaints.$id.attachments.$position.tsx"),
    // The demo complaint came without attachments: the gate is checked, not the bytes.
    object: "the complaint's first attachment (it has none)",
    call: get((ids) => `/complaints/${ids.complaint}/attachments/1`),
    expect: who("forbidden", { admin: "not-found", agency: "not-found", agencyOther: "not-found" }),
  },
  {
    entry: route("loader", "api.issuances.$id.tsx"),
    object: "no issuance under that id",
    call: get((ids) => `/api/issuances/${ids.bureauBatch}`),
    expect: who("forbidden", { admin: "not-found", agency: "not-found", agencyOther: "not-found" }),
  },

  // --- district ----------------------------------------------------------------------------------------
  {
    entry: route("loader", "district.tsx"),
    object: "own district",
    call: get(() => "/district"),
    expect: who("forbidden", { district: "ok", districtOther: "ok" }),
    hidden: { districtOther: [THROUGH] },
  },
  {
    entry: route("action", "district.tsx"),
    object: "empty form",
    call: post(() => "/district"),
    expect: who("forbidden", { district: "refused-input", districtOther: "refused-input" }),
  },
  {
    entry: route("loader", "district_.applications.$id.tsx"),
    object: "周杰's through-train file",
    call: get((ids) => `/district/applications/${ids.appThrough}`),
    expect: who("forbidden", { district: "ok" }),
    secrets: [THROUGH],
  },
  {
    entry: route("action", "district_.applications.$id.tsx"),
    object: "周杰's file, empty form",
    call: post((ids) => `/district/applications/${ids.appThrough}`),
    expect: who("forbidden", { district: "refused-input" }),
    secrets: [THROUGH],
  },

  // --- city bureau -----------------------------------------------------------------------------------
  {
    entry: route("loader", "admin.tsx"),
    object: "-",
    call: get(() => "/admin"),
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("loader", "bureau._index.tsx"),
    object: "statistics",
    call: get(() => "/bureau"),
    expect: who("forbidden", { admin: "ok", district: "ok", districtOther: "ok" }),
  },
  ...(["csv", "xlsx"] as const).map(
    (ext): Row => ({
      entry: route("loader", `bureau.export[.${ext}].tsx`),
      object: "statistics",
      call: get(() => `/bureau/export.${ext}`),
      expect: who("forbidden", { admin: "ok", district: "ok", districtOther: "ok" }),
    }),
  ),
  {
    entry: route("loader", "bureau.certificates._index.tsx"),
    object: "-",
    call: get(() => "/bureau/certificates"),
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("action", "bureau.certificates._index.tsx"),
    object: "revoke no certificate",
    call: post(() => "/bureau/certificates?index"),
    // The refusal is shown beside the certificate named, and none is: the page comes back unchanged.
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("loader", "bureau.results._index.tsx"),
    object: "-",
    call: get(() => "/bureau/results"),
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("action", "bureau.results._index.tsx"),
    object: "empty form",
    call: post(() => "/bureau/results?index"),
    expect: who("forbidden", { admin: "refused-input" }),
  },
  {
    entry: route("loader", "bureau.results.$id.tsx"),
    object: "the bureau's batch",
    call: get((ids) => `/bureau/results/${ids.bureauBatch}`),
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("action", "bureau.results.$id.tsx"),
    object: "the bureau's batch, empty form",
    call: post((ids) => `/bureau/results/${ids.bureauBatch}`),
    expect: who("forbidden", { admin: "refused-input" }),
  },
  {
    entry: route("loader", "bureau.complaints.$id.tsx"),
    object: "the bureau batch's complaint",
    call: get((ids) => `/bureau/complaints/${ids.complaint}`),
    expect: who("forbidden", { admin: "ok" }),
  },
  {
    entry: route("action", "bureau.complaints.$id.tsx"),
    object: "the complaint, empty form",
    call: post((ids) => `/bureau/complaints/${ids.complaint}`),
    expect: who("forbidden", { admin: "refused-input" }),
  },
  {
    entry: route("loader", "bureau.issuances.$id.tsx"),
    object: "the bureau batch",
    call: get((ids) => `/bureau/issuances/${ids.bureauBatch}`),
    // Only a form posts here; reading it sends anybody back to the batch page, where access is checked.
    expect: all("redirect"),
  },
  {
    entry: route("action", "bureau.issuances.$id.tsx"),
    // A missing batch: the city bureau must not start issuing the demo batch's certificates here.
    object: "a missing batch",
    call: post((ids) => `/bureau/issuances/${ids.missing}`),
    expect: who("forbidden", { admin: "refused-input" }),
  },

  // --- experts in the portal ---------------------------------------------------------------------------
  {
    entry: route("loader", "expert.tsx"),
    object: "own meetings",
    call: get(() => "/expert"),
    expect: who("forbidden", only(EXPERTS, "ok")),
  },

  // --- the panel over HTTP ---------------------------------------------------------------------------
  {
    entry: "panel GET /healthz",
    object: "-",
    call: { kind: "http", target: "panel", method: "GET", path: () => "/healthz" },
    expect: all("ok"),
  },
  {
    entry: "panel GET /healthz/documents",
    object: "-",
    call: { kind: "http", target: "panel", method: "GET", path: () => "/healthz/documents" },
    expect: all("ok"),
  },
  {
    entry: "panel GET /api/config",
    object: "-",
    call: { kind: "http", target: "panel", method: "GET", path: () => "/api/config" },
    expect: all("ok"),
  },
  {
    entry: "panel GET *",
    object: "the client's shell",
    call: { kind: "http", target: "panel", method: "GET", path: () => "/" },
    expect: all("ok"),
  },
  {
    entry: "panel GET /dossiers/:meetingId/:applicationId/:file",
    object: "A's dossier in the committee meeting",
    call: {
      kind: "http",
      target: "panel",
      method: "GET",
      path: (ids) => `/dossiers/${ids.committee}/${ids.appA}/v${ids.versionA}.pdf`,
    },
    expect: who("forbidden", { ...only(COMMITTEE, "ok"), expertOut: "forbidden" }),
  },
  {
    entry: "panel GET /dossiers/:meetingId/:applicationId/:file",
    object: "B's dossier in the committee meeting",
    call: {
      kind: "http",
      target: "panel",
      method: "GET",
      path: (ids) => `/dossiers/${ids.committee}/${ids.appB}/v${ids.versionB}.pdf`,
    },
    expect: who("forbidden", { ...only(COMMITTEE, "ok"), recused: "forbidden" }),
  },

  // --- the panel's tRPC --------------------------------------------------------------------------------
  {
    entry: "panel tRPC lobby.get",
    object: "own",
    call: panelQuery("lobby.get"),
    expect: who("forbidden", only(EXPERTS, "ok")),
  },
  {
    entry: "panel tRPC meetings.list",
    object: "own",
    call: panelQuery("meetings.list"),
    expect: who("forbidden", only(EXPERTS, "ok")),
  },
  {
    entry: "panel tRPC meetings.agenda",
    object: "the committee meeting",
    call: panelQuery("meetings.agenda", (ids) => ({ meetingId: ids.committee })),
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "panel tRPC meetings.agenda",
    object: "the held defense",
    call: panelQuery("meetings.agenda", (ids) => ({ meetingId: ids.defenseHeld })),
    expect: who("forbidden", { expertIn: "ok" }),
    secrets: [A, B],
  },
  {
    entry: "panel tRPC dossier.get",
    object: "A in the committee meeting",
    call: panelQuery("dossier.get", (ids) => ({ meetingId: ids.committee, applicationId: ids.appA })),
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "panel tRPC dossier.get",
    object: "B in the committee meeting",
    call: panelQuery("dossier.get", (ids) => ({ meetingId: ids.committee, applicationId: ids.appB })),
    expect: who("forbidden", { ...only(COMMITTEE, "ok"), recused: "forbidden" }),
  },
  {
    entry: "panel tRPC defense.scoring",
    object: "the held defense",
    call: panelQuery("defense.scoring", (ids) => ({ meetingId: ids.defenseHeld })),
    expect: who("forbidden", { expertIn: "ok" }),
    secrets: [A, B],
  },
  {
    entry: "panel tRPC defense.sheet",
    object: "A in the held defense",
    call: panelQuery("defense.sheet", (ids) => ({ meetingId: ids.defenseHeld, applicationId: ids.appA })),
    expect: who("forbidden", { expertIn: "ok" }),
    secrets: [A],
  },
  ...(["defense.saveDraft", "defense.submit"] as const).map(
    (path): Row => ({
      entry: `panel tRPC ${path}`,
      object: "A in the held (closed) defense",
      call: panelMutation(path, (ids) => ({
        meetingId: ids.defenseHeld,
        applicationId: ids.appA,
        scores: { theory: 80, achievements: 80, "problem-solving": 80, presentation: 80 },
      })),
      expect: who("forbidden", { expertIn: "conflict" }),
    }),
  ),
  {
    entry: "panel tRPC defense.opinions",
    object: "A in the committee meeting",
    call: panelQuery("defense.opinions", (ids) => ({ meetingId: ids.committee, applicationId: ids.appA })),
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "panel tRPC defense.opinions",
    object: "B in the committee meeting",
    call: panelQuery("defense.opinions", (ids) => ({ meetingId: ids.committee, applicationId: ids.appB })),
    expect: who("forbidden", { ...only(COMMITTEE, "ok"), recused: "forbidden" }),
  },
  {
    entry: "panel tRPC defense.writeOpinion",
    object: "the review group, an application not on the agenda",
    call: panelMutation("defense.writeOpinion", (ids) => ({
      groupId: ids.group,
      applicationId: ids.appThrough,
      recommendation: "support",
      opinion: "矩阵测试",
    })),
    expect: who("forbidden", { expertIn: "refused-input", expertOther: "refused-input" }),
  },
  {
    entry: "panel tRPC committee.room",
    object: "the committee meeting",
    call: panelQuery("committee.room", (ids) => ({ meetingId: ids.committee })),
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "panel tRPC committee.rollCall",
    object: "the committee meeting, a stranger present",
    call: panelMutation("committee.rollCall", (ids) => ({
      meetingId: ids.committee,
      presentUserIds: [ids.missing],
    })),
    expect: who("forbidden", { chair: "refused-input" }),
  },
  ...(["committee.openBallot", "committee.closeBallot", "committee.signBallot"] as const).map(
    (path): Row => ({
      entry: `panel tRPC ${path}`,
      object: "A in the committee meeting (before the roll call)",
      call: panelMutation(path, (ids) => ({ meetingId: ids.committee, applicationId: ids.appA })),
      expect: who("forbidden", { chair: "conflict" }),
    }),
  ),
  {
    entry: "panel tRPC committee.closeMeeting",
    object: "the committee meeting (not in session)",
    call: panelMutation("committee.closeMeeting", (ids) => ({ meetingId: ids.committee })),
    expect: who("forbidden", { chair: "conflict" }),
  },
  {
    entry: "panel tRPC committee.vote",
    object: "A in the committee meeting (no ballot open)",
    call: panelMutation("committee.vote", (ids) => ({
      meetingId: ids.committee,
      applicationId: ids.appA,
      choice: "yes",
    })),
    expect: who("forbidden", only(COMMITTEE, "conflict")),
  },
  {
    entry: "panel tRPC committee.declareRecusal",
    object: "the committee meeting, an application not on the agenda",
    call: panelMutation("committee.declareRecusal", (ids) => ({
      meetingId: ids.committee,
      applicationId: ids.appThrough,
      reason: "矩阵测试",
    })),
    expect: who("forbidden", only(COMMITTEE, "refused-input")),
  },

  // --- the panel's socket ------------------------------------------------------------------------------
  {
    entry: "socket connect",
    object: "the handshake",
    call: { kind: "socket", event: "connect", payload: () => null, ack: true },
    expect: who("forbidden", only(EXPERTS, "ok")),
  },
  {
    entry: "socket lobby:ping",
    object: "-",
    call: { kind: "socket", event: "lobby:ping", payload: () => ({ nonce: "matrix" }), ack: true },
    expect: who("forbidden", only(EXPERTS, "ok")),
  },
  {
    entry: "socket doc:join",
    object: "A's document in the committee meeting",
    call: { kind: "socket", event: "doc:join", payload: (ids) => ({ doc: doc(ids) }), ack: true },
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "socket doc:join",
    object: "B's document in the committee meeting",
    call: { kind: "socket", event: "doc:join", payload: (ids) => ({ doc: doc(ids, "B") }), ack: true },
    expect: who("forbidden", { ...only(COMMITTEE, "ok"), recused: "forbidden" }),
  },
  {
    entry: "socket doc:sync",
    object: "B's document, a sync step 1 after joining",
    call: {
      kind: "socket",
      event: "doc:sync",
      join: (ids) => doc(ids, "B"),
      payload: (ids) => ({ doc: doc(ids, "B"), data: new Uint8Array([0, 1, 0]) }),
      ack: true,
    },
    expect: who("forbidden", {
      ...only(COMMITTEE, "ok"),
      recused: "refused-input",
      expertOut: "refused-input",
    }),
  },
  {
    entry: "socket doc:awareness",
    object: "B's document, a cursor after joining",
    call: {
      kind: "socket",
      event: "doc:awareness",
      join: (ids) => doc(ids, "B"),
      payload: (ids) => ({ doc: doc(ids, "B"), data: awarenessFrame() }),
      ack: false,
    },
    expect: who("forbidden", { ...only(COMMITTEE, "accepted"), recused: "dropped", expertOut: "dropped" }),
  },
  {
    entry: "socket doc:leave",
    object: "B's document",
    call: { kind: "socket", event: "doc:leave", payload: (ids) => ({ doc: doc(ids, "B") }), ack: false },
    expect: who("forbidden", only(EXPERTS, "accepted")),
  },
  {
    entry: "socket committee:join",
    object: "the committee meeting",
    call: {
      kind: "socket",
      event: "committee:join",
      payload: (ids) => ({ meetingId: ids.committee }),
      ack: true,
    },
    expect: who("forbidden", only(COMMITTEE, "ok")),
  },
  {
    entry: "socket committee:join",
    object: "the held defense",
    call: {
      kind: "socket",
      event: "committee:join",
      payload: (ids) => ({ meetingId: ids.defenseHeld }),
      ack: true,
    },
    expect: who("forbidden", { expertIn: "ok" }),
  },
  {
    entry: "socket committee:leave",
    object: "the committee meeting",
    call: {
      kind: "socket",
      event: "committee:leave",
      payload: (ids) => ({ meetingId: ids.committee }),
      ack: false,
    },
    expect: who("forbidden", only(EXPERTS, "accepted")),
  },
];

/** One awareness update (y-protocols): one client, clock 1, a small state. */
export function awarenessFrame(): Uint8Array {
  const state = new TextEncoder().encode(JSON.stringify({ cursor: null }));
  return new Uint8Array([1, 0x87, 0x68, 1, state.length, ...state]);
}
