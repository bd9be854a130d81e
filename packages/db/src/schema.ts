import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Employers (units), agencies (per series), district bureaus, the city bureau and the expert pool. */
export const organisations = pgTable(
  "organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** 统一社会信用代码 for employers; unique when present. */
    creditCode: text("credit_code"),
    /** District (区) of an employer or a district bureau, e.g. "haidian". */
    district: text("district"),
    /** Series an agency serves. */
    series: jsonb("series").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("organisations_credit_code_key").on(t.creditCode),
    index("organisations_kind_idx").on(t.kind),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    idType: text("id_type").notNull(),
    /** Full ID number, encrypted (`v1:…`, decision 0016); never logged, never searched. */
    idNumber: text("id_number").notNull(),
    /** Keyed hash of the normalised ID number: finds duplicates without reading the number. */
    idNumberHash: text("id_number_hash").notNull(),
    /** Encrypted like the ID number; found by `phoneHash`. */
    phone: text("phone").notNull(),
    phoneHash: text("phone_hash").notNull(),
    phoneVerifiedAt: timestamp("phone_verified_at", { withTimezone: true }),
    passwordHash: text("password_hash").notNull(),
    locale: text("locale").notNull().default("zh-CN"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_id_number_hash_key").on(t.idNumberHash),
    uniqueIndex("users_phone_hash_key").on(t.phoneHash),
    // Only ciphertexts: a write path that forgot to encrypt fails instead of storing the number.
    check("users_id_number_sealed", sql`${t.idNumber} like 'v1:%'`),
    check("users_phone_sealed", sql`${t.phone} like 'v1:%'`),
  ],
);

/** A user can hold several roles; staff roles are tied to the organisation they act for. */
export const userRoles = pgTable(
  "user_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    createdAt: createdAt(),
  },
  (t) => [
    // An applicant role has no organisation: NULLs must still count as equal here.
    unique("user_roles_unique").on(t.userId, t.role, t.organisationId).nullsNotDistinct(),
    index("user_roles_org_idx").on(t.organisationId),
  ],
);

/** Applicants belong to a unit (employer); HR sees only applicants of its unit. */
export const employments = pgTable(
  "employments",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("employments_org_idx").on(t.organisationId)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** sha256 of the bearer token: a stolen database does not yield usable cookies. */
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    userAgent: text("user_agent"),
  },
  (t) => [uniqueIndex("sessions_token_hash_key").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

/** SMS confirmation codes; only the hash of the code is kept. */
export const smsChallenges = pgTable(
  "sms_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phoneHash: text("phone_hash").notNull(),
    purpose: text("purpose").notNull(),
    codeHash: text("code_hash").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    attempts: smallint("attempts").notNull().default(0),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [index("sms_challenges_phone_idx").on(t.phoneHash, t.purpose, t.issuedAt)],
);

/** Failed logins by a keyed hash of the login name (and separately of the client address). */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    keyHash: text("key_hash").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("login_failures_key_idx").on(t.keyHash, t.at)],
);

/** One row per annual round; the configuration is validated by ZRoundConfig in @titles/domain. */
export const rounds = pgTable("rounds", {
  year: integer("year").primaryKey(),
  config: jsonb("config").notNull(),
  active: boolean("active").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Official holiday tables, one row per year, editable by the city bureau. */
export const calendarYears = pgTable("calendar_years", {
  year: integer("year").primaryKey(),
  holidays: jsonb("holidays").$type<string[]>().notNull(),
  workdays: jsonb("workdays").$type<string[]>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The outbox: every message the system sends is a row first. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channel: text("channel").notNull().default("sms"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The application the message is about, for its message history. */
    applicationId: uuid("application_id"),
    /** Encrypted (decision 0016); the outbox decrypts it just before sending. */
    phone: text("phone").notNull(),
    template: text("template").notNull(),
    params: jsonb("params").$type<Record<string, string | number>>().notNull(),
    body: text("body").notNull(),
    status: text("status").notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_due_idx").on(t.status, t.nextAttemptAt),
    index("notifications_user_idx").on(t.userId, t.createdAt),
    uniqueIndex("notifications_provider_id_key").on(t.providerMessageId),
    check("notifications_phone_sealed", sql`${t.phone} like 'v1:%'`),
  ],
);

/** Append-only, hash-chained: each record's hash covers the previous record's hash. */
export const auditLog = pgTable("audit_log", {
  seq: bigserial("seq", { mode: "number" }).primaryKey(),
  at: timestamp("at", { withTimezone: true }).notNull(),
  actorUserId: uuid("actor_user_id"),
  action: text("action").notNull(),
  objectType: text("object_type").notNull(),
  objectId: text("object_id"),
  data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
});

/** One application of one applicant in one round; the state follows the domain's machine. */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicantId: uuid("applicant_id")
      .notNull()
      .references(() => users.id),
    roundYear: integer("round_year").notNull(),
    windowId: text("window_id").notNull(),
    series: text("series").notNull(),
    level: text("level").notNull(),
    track: text("track").notNull(),
    state: text("state").notNull(),
    form: jsonb("form").$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    employerId: uuid("employer_id").references(() => organisations.id),
    publicityStart: text("publicity_start"),
    publicityEnd: text("publicity_end"),
    recommendation: text("recommendation"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    receiptHash: text("receipt_hash"),
    /** While a correction is open: the last day to resubmit (Asia/Shanghai). */
    correctionDeadline: text("correction_deadline"),
    /** The agency reviewer who took the file; null while it waits in the queue. */
    reviewerId: uuid("reviewer_id"),
    /** Bumped by every write: concurrent edits are detected, not lost. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("applications_applicant_idx").on(t.applicantId, t.roundYear),
    index("applications_employer_idx").on(t.employerId, t.state),
    // One live application per applicant and round; a withdrawn one may be replaced.
    uniqueIndex("applications_one_per_round").on(t.applicantId, t.roundYear).where(sql`state <> 'withdrawn'`),
  ],
);

/** The timeline: every transition with who, when and why. */
export const applicationEvents = pgTable(
  "application_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actorUserId: uuid("actor_user_id"),
    event: text("event").notNull(),
    fromState: text("from_state").notNull(),
    toState: text("to_state").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("application_events_app_idx").on(t.applicationId, t.id)],
);

/** Content-addressed files: the sha256 is the name, so a duplicate is stored once. */
export const files = pgTable("files", {
  sha256: text("sha256").primaryKey(),
  size: integer("size").notNull(),
  mime: text("mime").notNull(),
  width: integer("width"),
  height: integer("height"),
  pages: integer("pages"),
  createdAt: createdAt(),
});

/**
 * A file attached to an application: an achievement material (with category and caption), a stamped
 * page of the online submission, or the employer's stamped scan.
 */
export const materials = pgTable(
  "materials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    category: text("category"),
    caption: text("caption").notNull().default(""),
    position: integer("position").notNull(),
    fileSha256: text("file_sha256")
      .notNull()
      .references(() => files.sha256),
    thumbnailSha256: text("thumbnail_sha256").references(() => files.sha256),
    /**
     * What people are shown: the re-encoded photo (no EXIF/GPS), or the PDF as sent. Null while a
     * photo waits to be processed; `file_sha256` stays the bytes as received, which the receipt covers.
     */
    displaySha256: text("display_sha256").references(() => files.sha256),
    /** `pending` (photo received, not yet re-encoded), `ready`, or `failed` (could not be decoded). */
    processing: text("processing").notNull().default("ready"),
    originalName: text("original_name").notNull().default(""),
    uploadedBy: uuid("uploaded_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("materials_app_idx").on(t.applicationId, t.kind, t.position),
    index("materials_pending_idx").on(t.createdAt).where(sql`${t.processing} = 'pending'`),
  ],
);

/** Objections received by the employer during its publicity, with their outcome. */
export const objections = pgTable(
  "objections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    receivedOn: text("received_on").notNull(),
    content: text("content").notNull(),
    upheld: boolean("upheld").notNull(),
    outcome: text("outcome").notNull(),
    recordedBy: uuid("recorded_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("objections_app_idx").on(t.applicationId)],
);

/** A unit the applicant works for that is not registered yet: the city bureau follows it up. */
export const employerRequests = pgTable(
  "employer_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicantId: uuid("applicant_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    creditCode: text("credit_code").notNull(),
    /** The unit's HR contact, a name and a phone: encrypted (decision 0016). */
    contact: text("contact").notNull(),
    status: text("status").notNull().default("pending"),
    createdAt: createdAt(),
  },
  (t) => [check("employer_requests_contact_sealed", sql`${t.contact} like 'v1:%'`)],
);

/**
 * The agency's one-time correction notice (一次性告知): every item at once, with a deadline. A
 * further notice (`seq` > 1) may only concern material the correction introduced.
 */
export const correctionNotices = pgTable(
  "correction_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    seq: smallint("seq").notNull(),
    reviewerId: uuid("reviewer_id").notNull(),
    /** `CorrectionItem[]` (packages/domain, correction-notice.ts). */
    items: jsonb("items").$type<unknown[]>().notNull(),
    /** The last day (Asia/Shanghai) to resubmit. */
    deadline: text("deadline").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    resubmittedAt: timestamp("resubmitted_at", { withTimezone: true }),
    /** Materials added while correcting: a further notice may concern only these. */
    introducedMaterialIds: jsonb("introduced_material_ids")
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The reviewer's judgement of the resubmission: `minor` or `material-change`. */
    judgement: text("judgement"),
  },
  (t) => [unique("correction_notices_app_seq").on(t.applicationId, t.seq)],
);

/** The fee order of an approved application; paid through the payment provider. */
export const paymentOrders = pgTable(
  "payment_orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    /** The merchant order number the provider knows the order by. */
    orderNo: text("order_no").notNull(),
    amountFen: integer("amount_fen").notNull(),
    /** The last day (Asia/Shanghai) to pay. */
    dueDate: text("due_date").notNull(),
    /** `open`, `paid` or `lapsed`. */
    status: text("status").notNull().default("open"),
    providerTradeNo: text("provider_trade_no"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    receiptSha256: text("receipt_sha256"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("payment_orders_order_no_key").on(t.orderNo),
    uniqueIndex("payment_orders_trade_no_key").on(t.providerTradeNo),
    // One live order per application.
    uniqueIndex("payment_orders_one_open").on(t.applicationId).where(sql`status <> 'lapsed'`),
  ],
);

/** Every payment callback received, whatever became of it (applied, duplicate, refused and why). */
export const paymentCallbacks = pgTable(
  "payment_callbacks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    orderNo: text("order_no"),
    providerTradeNo: text("provider_trade_no"),
    /**
     * `applied`, `duplicate`, `bad-signature`, `stale`, `amount-mismatch`, `unknown-order`, `malformed`,
     * and for payments that need a refund: `second-payment`, `order-closed`, `late`; `error` otherwise.
     */
    outcome: text("outcome").notNull(),
    bodySha256: text("body_sha256").notNull(),
  },
  (t) => [index("payment_callbacks_order_idx").on(t.orderNo)],
);

/** A through-train (直通车) file at the district bureau of the applicant's unit. */
export const districtReviews = pgTable("district_reviews", {
  applicationId: uuid("application_id")
    .primaryKey()
    .references(() => applications.id, { onDelete: "cascade" }),
  districtOrgId: uuid("district_org_id")
    .notNull()
    .references(() => organisations.id),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  /** `ZOnSiteCheck` (packages/domain, through-train.ts): date, staff, outcome, findings. */
  onSiteCheck: jsonb("on_site_check").$type<Record<string, unknown>>(),
  committeeDate: text("committee_date"),
  /** `recommended` or `not-recommended`, with the reason told to the applicant. */
  decision: text("decision"),
  reason: text("reason"),
  decidedBy: uuid("decided_by"),
  forwardId: uuid("forward_id"),
});

/** A district bureau's list of recommended through-train applicants, sent to the evaluation agency. */
export const districtForwards = pgTable("district_forwards", {
  id: uuid("id").primaryKey().defaultRandom(),
  districtOrgId: uuid("district_org_id")
    .notNull()
    .references(() => organisations.id),
  forwardedBy: uuid("forwarded_by").notNull(),
  forwardedAt: timestamp("forwarded_at", { withTimezone: true }).notNull(),
  applicationIds: jsonb("application_ids").$type<string[]>().notNull(),
});

/** Raw bytes (Yjs updates and snapshots) as PostgreSQL bytea. */
const bytea = customType<{ data: Uint8Array; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * A panel meeting of experts: a review session, a defense session or the committee's meeting. The
 * experts sit in `meeting_members`; the applications on the agenda are `meeting_applications`.
 */
export const meetings = pgTable("meetings", {
  id: uuid("id").primaryKey().defaultRandom(),
  roundYear: integer("round_year").notNull(),
  series: text("series").notNull(),
  level: text("level").notNull(),
  /** `review`, `defense` or `committee`. */
  kind: text("kind").notNull().default("review"),
  title: text("title").notNull(),
  venue: text("venue").notNull().default(""),
  startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
  /** The agency that runs it. */
  agencyId: uuid("agency_id").references(() => organisations.id),
  /** The committee whose meeting this is (kind `committee`). */
  committeeId: uuid("committee_id").references(() => committees.id),
  /** `scheduled`, `in_session` (roll call found a quorum) or `closed` (see the domain's meetingStates). */
  state: text("state").notNull().default("scheduled"),
  /** Whether exactly two thirds counts (the committee's setting at roll call). */
  quorumInclusive: boolean("quorum_inclusive").notNull().default(true),
  /** Roll call: the members the quorum was taken over, and how many were present. */
  membersAtRollCall: integer("members_at_roll_call"),
  presentAtRollCall: integer("present_at_roll_call"),
  rollCallAt: timestamp("roll_call_at", { withTimezone: true }),
  closedAt: timestamp("closed_at", { withTimezone: true }),
  /** A defense session's time slots: `[{ start: "09:00", capacity: 6 }]`. */
  slots: jsonb("slots").$type<Array<{ start: string; capacity: number }>>().notNull().default([]),
  /** A defense session's epidemic-prevention requirements, and when they were published to applicants. */
  requirements: text("requirements").notNull().default(""),
  requirementsPublishedAt: timestamp("requirements_published_at", { withTimezone: true }),
  /** The archived minutes PDF (a committee meeting, once closed). */
  minutesSha256: text("minutes_sha256").references(() => files.sha256),
  createdAt: createdAt(),
});

export const meetingMembers = pgTable(
  "meeting_members",
  {
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** `chair`, `expert`, or `observer` (reads, never writes). */
    role: text("role").notNull(),
    /** The chair's roll call: null until taken. Only members present at roll call vote. */
    present: boolean("present"),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] })],
);

export const meetingApplications = pgTable(
  "meeting_applications",
  {
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    position: integer("position").notNull(),
    /** Defense sessions: the slot the applicant is called in at (`09:00`), and the check-in on the day. */
    slotStart: text("slot_start"),
    /** `pending`, `present` or `no_show`. */
    attendance: text("attendance").notNull().default("pending"),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.applicationId] })],
);

/** An expert who may not see, annotate, score or vote on an applicant (回避), and why. */
export const recusals = pgTable(
  "recusals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    expertId: uuid("expert_id")
      .notNull()
      .references(() => users.id),
    /** `same-unit` (automatic), `declared` (by the expert) or `ordered` (by staff). */
    source: text("source").notNull(),
    reason: text("reason").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("recusals_once").on(t.meetingId, t.applicationId, t.expertId)],
);

/**
 * The evaluation dossier of an application: one PDF (the form, then every material, photos as pages)
 * with bookmarks and page labels. A correction that adds material makes a new version; annotations
 * stay on the version they were made on.
 */
export const dossiers = pgTable(
  "dossiers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    fileSha256: text("file_sha256")
      .notNull()
      .references(() => files.sha256),
    pages: integer("pages").notNull(),
    /** Bookmarks and page labels: `[{ title, firstPage, pages, label }]`. */
    outline: jsonb("outline").$type<unknown[]>().notNull(),
    /** The materials it was built from (their sha256), to tell whether a rebuild is needed. */
    sourceDigest: text("source_digest").notNull(),
    builtAt: timestamp("built_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("dossiers_app_version").on(t.applicationId, t.version)],
);

/** Every Yjs update of a panel document, appended and committed before it is acknowledged. */
export const yjsUpdates = pgTable(
  "yjs_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** `meeting:<meetingId>:application:<applicationId>:v<dossierVersion>` */
    doc: text("doc").notNull(),
    update: bytea("update").notNull(),
    /** Who sent it (for audit; never shown to applicants). */
    userId: uuid("user_id"),
    createdAt: createdAt(),
  },
  (t) => [index("yjs_updates_doc_idx").on(t.doc, t.id)],
);

/** A compacted document: the merged state of its updates up to `uptoId`. */
export const yjsSnapshots = pgTable("yjs_snapshots", {
  doc: text("doc").primaryKey(),
  state: bytea("state").notNull(),
  uptoId: bigint("upto_id", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** The expert pool: who may be drawn into committees and defense panels, their disciplines and unit. */
export const experts = pgTable("experts", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id),
  series: text("series").notNull(),
  /** Disciplines (专业) the expert can judge, e.g. `["电气工程", "自动化"]`. */
  disciplines: jsonb("disciplines").$type<string[]>().notNull().default([]),
  /** The unit the expert works for: its applicants are recused automatically. */
  unitId: uuid("unit_id").references(() => organisations.id),
  /** The expert's own title, e.g. 正高级工程师. */
  title: text("title").notNull().default(""),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

/** An evaluation committee (评审委员会) of a series and level, with its quorum setting. */
export const committees = pgTable("committees", {
  id: uuid("id").primaryKey().defaultRandom(),
  roundYear: integer("round_year").notNull(),
  series: text("series").notNull(),
  level: text("level").notNull(),
  name: text("name").notNull(),
  /** `series` or `specialty`: decides the minimum size of a senior committee. */
  organisedBy: text("organised_by").notNull().default("series"),
  specialty: text("specialty").notNull().default(""),
  /** Whether exactly two thirds counts (以上, inclusive, the default) or not (不含). */
  inclusive: boolean("inclusive").notNull().default(true),
  agencyId: uuid("agency_id").references(() => organisations.id),
  createdAt: createdAt(),
});

export const committeeMembers = pgTable(
  "committee_members",
  {
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** `chair` or `member`. */
    role: text("role").notNull().default("member"),
    termStart: text("term_start").notNull(),
    termEnd: text("term_end").notNull(),
  },
  (t) => [primaryKey({ columns: [t.committeeId, t.userId] })],
);

/** A random draw of a meeting's experts from the pool, kept so anyone can repeat it from its seed. */
export const expertDraws = pgTable("expert_draws", {
  id: uuid("id").primaryKey().defaultRandom(),
  meetingId: uuid("meeting_id")
    .notNull()
    .references(() => meetings.id, { onDelete: "cascade" }),
  seed: text("seed").notNull(),
  size: integer("size").notNull(),
  requiredDisciplines: jsonb("required_disciplines").$type<string[]>().notNull(),
  excludedUnitIds: jsonb("excluded_unit_ids").$type<string[]>().notNull(),
  excludedIds: jsonb("excluded_ids").$type<string[]>().notNull(),
  /** The pool as it was drawn from (user ids), and who came out. */
  poolIds: jsonb("pool_ids").$type<string[]>().notNull(),
  drawnIds: jsonb("drawn_ids").$type<string[]>().notNull(),
  drawnBy: uuid("drawn_by").references(() => users.id),
  drawnAt: timestamp("drawn_at", { withTimezone: true }).notNull(),
});

/** One defense panelist's score sheet for one applicant: a draft until submitted, then locked. */
export const defenseScores = pgTable(
  "defense_scores",
  {
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    expertId: uuid("expert_id")
      .notNull()
      .references(() => users.id),
    /** Criterion key → whole points 0–100. */
    scores: jsonb("scores").$type<Record<string, number>>().notNull(),
    /** Weighted total in hundredths of a point, set on submit. */
    total: integer("total"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.applicationId, t.expertId] })],
);

/** A review group (评议组) of a committee meeting: at least three experts of one discipline. */
export const reviewGroups = pgTable("review_groups", {
  id: uuid("id").primaryKey().defaultRandom(),
  meetingId: uuid("meeting_id")
    .notNull()
    .references(() => meetings.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  discipline: text("discipline").notNull().default(""),
  createdAt: createdAt(),
});

export const reviewGroupMembers = pgTable(
  "review_group_members",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => reviewGroups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] })],
);

/** A review group's written opinion on an applicant: a reference for the committee, not a vote. */
export const reviewOpinions = pgTable(
  "review_opinions",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => reviewGroups.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    /** `support` or `oppose`. */
    recommendation: text("recommendation").notNull(),
    opinion: text("opinion").notNull(),
    writtenBy: uuid("written_by")
      .notNull()
      .references(() => users.id),
    writtenAt: timestamp("written_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.applicationId] })],
);

/**
 * One applicant's secret ballot in a committee meeting, and its ballot box. The box is three counters
 * in this one row: there is no row per ballot, so no voter, time or order of a single choice is stored
 * anywhere. Closing rewrites the row, so afterwards not even its transaction id matches a voter's.
 */
export const ballots = pgTable(
  "ballots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    /** `open`, `closed` (tallied) or `signed`. */
    state: text("state").notNull(),
    /** Present, non-recused experts when the ballot opened: the base of the two-thirds. */
    voters: integer("voters").notNull(),
    recusedPresent: integer("recused_present").notNull(),
    yes: integer("yes").notNull().default(0),
    no: integer("no").notNull().default(0),
    abstain: integer("abstain").notNull().default(0),
    needed: integer("needed"),
    passed: boolean("passed"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    signedAt: timestamp("signed_at", { withTimezone: true }),
    signedBy: uuid("signed_by").references(() => users.id),
  },
  (t) => [uniqueIndex("ballots_once").on(t.meetingId, t.applicationId)],
);

/** Who has voted in a ballot, never how: written in the vote's transaction; the key stops a second vote. */
export const ballotVoters = pgTable(
  "ballot_voters",
  {
    ballotId: uuid("ballot_id")
      .notNull()
      .references(() => ballots.id, { onDelete: "cascade" }),
    expertId: uuid("expert_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.ballotId, t.expertId] })],
);

/**
 * A result batch (公示批次): decided applications published together for at least 5 working days. Senior
 * batches are the city bureau's (`publisher` = `bureau`, its notice section); intermediate and junior ones
 * the agency's own pages (`publisher` = `agency`, `agency_id` set). States: `draft`, `publicity`, `ended`.
 */
export const resultBatches = pgTable(
  "result_batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundYear: integer("round_year").notNull(),
    publisher: text("publisher").notNull(),
    agencyId: uuid("agency_id").references(() => organisations.id),
    /** Which levels it may hold: `senior`, or `intermediate-junior`. */
    levelGroup: text("level_group").notNull(),
    /** Numbered per round and publisher: 第 3 批. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    state: text("state").notNull().default("draft"),
    publicityStart: text("publicity_start"),
    publicityEnd: text("publicity_end"),
    workingDays: integer("working_days"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** The printable list as published, archived by content. */
    listSha256: text("list_sha256").references(() => files.sha256),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique("result_batches_number_key").on(t.roundYear, t.publisher, t.agencyId, t.number).nullsNotDistinct(),
    index("result_batches_state_idx").on(t.state, t.publicityEnd),
  ],
);

/**
 * One decided application in a batch. A passed result is listed publicly; a failed one is in the batch
 * unlisted, so its applicant can ask for a re-review during the same publicity. Name, unit and the rest are
 * a snapshot taken when the batch was made: the public list never joins to users and never holds an ID number.
 * `outcome`: `pending` (in publicity), `final`, `overturned` (a complaint was upheld), `re_evaluation`.
 */
export const resultEntries = pgTable(
  "result_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => resultBatches.id, { onDelete: "cascade" }),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    position: integer("position").notNull(),
    /** `passed` or `failed`, from the signed ballot. */
    result: text("result").notNull(),
    listed: boolean("listed").notNull(),
    name: text("name").notNull(),
    unitName: text("unit_name").notNull(),
    series: text("series").notNull(),
    level: text("level").notNull(),
    specialty: text("specialty").notNull().default(""),
    /** The qualification obtained, e.g. 高级工程师. */
    qualification: text("qualification").notNull(),
    committeeName: text("committee_name").notNull(),
    meetingId: uuid("meeting_id").references(() => meetings.id),
    /** The day the committee approved it (the signed ballot), Asia/Shanghai. */
    approvedOn: text("approved_on").notNull(),
    outcome: text("outcome").notNull().default("pending"),
    finalisedAt: timestamp("finalised_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("result_entries_batch_app_key").on(t.batchId, t.applicationId),
    index("result_entries_batch_idx").on(t.batchId, t.listed, t.position),
    index("result_entries_app_idx").on(t.applicationId),
  ],
);

/**
 * A complaint (投诉) against a listed result, filed by anyone during the publicity, or an applicant's own
 * request for a re-review (复查) of their result (`kind` = `re_review`). Followed by its reference number
 * and the contact phone. `state`: `open`, `dismissed` or `upheld`; the outcome is told to both sides.
 */
export const complaints = pgTable(
  "complaints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    /** `complaint` (public) or `re_review` (the applicant's own). */
    kind: text("kind").notNull(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => resultBatches.id),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => resultEntries.id),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    complainantName: text("complainant_name").notNull(),
    /** Encrypted (decision 0016). */
    contactPhone: text("contact_phone").notNull(),
    /** Keyed hash of the phone: the follow-up page matches on it without reading the number. */
    contactPhoneHash: text("contact_phone_hash").notNull(),
    /** The applicant filing a re-review of their own result. */
    filedBy: uuid("filed_by").references(() => users.id),
    facts: text("facts").notNull(),
    state: text("state").notNull().default("open"),
    outcomeReason: text("outcome_reason"),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    filedAt: timestamp("filed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("complaints_reference_key").on(t.reference),
    index("complaints_batch_idx").on(t.batchId, t.state),
    index("complaints_entry_idx").on(t.entryId, t.state),
    check("complaints_contact_phone_sealed", sql`${t.contactPhone} like 'v1:%'`),
  ],
);

export const complaintAttachments = pgTable(
  "complaint_attachments",
  {
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    fileSha256: text("file_sha256")
      .notNull()
      .references(() => files.sha256),
    originalName: text("original_name").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.complaintId, t.position] })],
);

/** The issuer's Ed25519 public keys, kept after rotation so older certificates still verify. */
export const signingKeys = pgTable("signing_keys", {
  /** The verification method id, e.g. `did:key:z6Mk…#z6Mk…`. */
  id: text("id").primaryKey(),
  /** Multibase (base58btc) Multikey public key. */
  publicKeyMultibase: text("public_key_multibase").notNull(),
  createdAt: createdAt(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});

/** A bulk issuance of one batch's certificates, with its progress; restartable. */
export const certificateIssuances = pgTable(
  "certificate_issuances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => resultBatches.id),
    /** `queued`, `running`, `done` or `failed`. */
    state: text("state").notNull(),
    total: integer("total").notNull(),
    issued: integer("issued").notNull().default(0),
    error: text("error"),
    startedBy: uuid("started_by")
      .notNull()
      .references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("certificate_issuances_batch_idx").on(t.batchId, t.startedAt)],
);

/**
 * An electronic certificate (电子职称证书): one per final result. `data` is the certificate data exactly as
 * signed (canonicalised with RFC 8785 before signing), `signature` the issuer's Ed25519 signature over it,
 * `credential` the same data as a W3C Verifiable Credential 2.0 with an `eddsa-jcs-2022` proof. The QR
 * carries the number and a random token, whose sha256 is kept here. Revocation sets the status-list bit.
 */
export const certificates = pgTable(
  "certificates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => resultEntries.id),
    holderId: uuid("holder_id")
      .notNull()
      .references(() => users.id),
    tokenSha256: text("token_sha256").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    signature: text("signature").notNull(),
    keyId: text("key_id")
      .notNull()
      .references(() => signingKeys.id),
    credential: jsonb("credential").$type<Record<string, unknown>>().notNull(),
    /** Position in the revocation status list (Bitstring Status List). */
    statusIndex: integer("status_index").notNull(),
    pdfSha256: text("pdf_sha256")
      .notNull()
      .references(() => files.sha256),
    issueDate: text("issue_date").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    issuanceId: uuid("issuance_id").references(() => certificateIssuances.id),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    revokedBy: uuid("revoked_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("certificates_number_key").on(t.number),
    uniqueIndex("certificates_application_key").on(t.applicationId),
    uniqueIndex("certificates_status_index_key").on(t.statusIndex),
    index("certificates_holder_idx").on(t.holderId),
  ],
);

/**
 * The last serial used per year for certificate numbers (no gaps, no repeats). The row of year 0 counts the
 * status-list positions, which run across years.
 */
export const certificateSerials = pgTable("certificate_serials", {
  year: integer("year").primaryKey(),
  lastSerial: integer("last_serial").notNull().default(0),
});
