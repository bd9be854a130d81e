import {
  type ApplicationRecord,
  appendAudit,
  applicationRepository,
  calendarRepository,
  correctionRepository,
  type Db,
  employerRequestRepository,
  materialRepository,
  objectionRepository,
  organisationRepository,
  roundRepository,
  sha256,
  userRepository,
} from "@titles/db";
import {
  type ApplicationEvent,
  type ApplicationState,
  attachmentsProblem,
  checkApplicationAccess,
  correctionScope,
  createCalendar,
  DomainError,
  defaultCalendar,
  formStepsFor,
  type IsoDate,
  isApplicationState,
  isDayOver,
  isDomainError,
  isEditable,
  type Level,
  publicityEnd,
  type RoundConfig,
  type Series,
  shanghaiDate,
  type Track,
  type TransitionContext,
  transition,
  tryWindowFor,
  validateForm,
  type WorkingCalendar,
  windowError,
  ZCorrectionItems,
  ZFormPatch,
  ZRoundConfig,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import canonicalize from "canonicalize";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";
import { enqueueSms, type SmsTemplate } from "./notifications.server";

export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** Runs a step that may refuse: a DomainError comes back as a result, anything else is thrown. */
export async function attempt<T>(body: () => Promise<T>): Promise<CommandResult<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error };
    throw error;
  }
}

/** Runs a command in one transaction; a DomainError rolls it back and comes back as a result. */
export function command<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<CommandResult<T>> {
  return attempt(() => db.transaction(body));
}

export interface Rules {
  round: RoundConfig;
  calendar: WorkingCalendar;
}

/** The round an application belongs to and the working-day calendar as the admin keeps it. */
export async function loadRules(db: Db, year: number): Promise<Rules> {
  const [row, tables] = await Promise.all([
    roundRepository.findByYear(db, year),
    calendarRepository.findAll(db),
  ]);
  if (!row) throw new DomainError("NOT_THIS_ROUND", { year });
  return {
    round: ZRoundConfig.parse(row.config),
    calendar: tables.length ? createCalendar(tables) : defaultCalendar,
  };
}

export function windowOf(round: RoundConfig, windowId: string) {
  const window = round.windows.find((w) => w.id === windowId);
  if (!window) throw new DomainError("NOT_THIS_ROUND", { year: round.year });
  return window;
}

const actorOf = (actor: Actor) => ({ userId: actor.user.id, roles: actor.roles });

async function lockFor(
  tx: Db,
  actor: Actor,
  id: string,
  action: "applicant" | "employer",
): Promise<ApplicationRecord & { state: ApplicationState }> {
  const app = await applicationRepository.findByIdForUpdate(tx, id);
  if (!app || !isApplicationState(app.state)) throw new DomainError("NOT_FOUND");
  const denied = checkApplicationAccess(actorOf(actor), { ...app, state: app.state }, action);
  if (denied) throw denied;
  return { ...app, state: app.state };
}

export interface Notice {
  template: SmsTemplate;
  params: Record<string, string | number>;
  to: "applicant" | "employer-hr";
}

/**
 * The one way an application changes state: the domain decides, then the row, the timeline, the audit
 * record and the SMS are written together in the caller's transaction.
 */
export async function apply(
  tx: Db,
  app: ApplicationRecord & { state: ApplicationState },
  event: ApplicationEvent,
  context: {
    /** Null for the system (a scheduled job). */
    actor: Actor | null;
    now: Date;
    patch?: Partial<ApplicationRecord>;
    data?: Record<string, unknown>;
    notices?: Notice[];
    /** What the guards need beyond the application row (e.g. the correction notices so far). */
    facts?: Partial<TransitionContext>;
  },
): Promise<ApplicationRecord> {
  const rules = await loadRules(tx, app.roundYear);
  const result = transition(app.state, event, {
    now: context.now,
    level: app.level as Level,
    track: app.track as Track,
    window: windowOf(rules.round, app.windowId),
    publicityEnd: app.publicityEnd ?? undefined,
    correctionDeadline: (app.correctionDeadline as IsoDate | null) ?? undefined,
    calendar: rules.calendar,
    employerPublicityMinWorkingDays: rules.round.employerPublicityMinWorkingDays,
    ...context.facts,
  });
  if (!result.ok) throw result.error;
  const updated = await applicationRepository.update(tx, app.id, {
    ...context.patch,
    state: result.state,
    updatedAt: context.now,
  });
  const data = context.data ?? {};
  await applicationRepository.appendEvent(tx, {
    applicationId: app.id,
    at: context.now,
    actorUserId: context.actor?.user.id ?? null,
    event: event.type,
    fromState: app.state,
    toState: result.state,
    data,
  });
  await appendAudit(tx, {
    at: context.now,
    actorUserId: context.actor?.user.id ?? null,
    action: `application.${event.type}`,
    objectType: "application",
    objectId: app.id,
    data: { from: app.state, to: result.state, ...data },
  });
  for (const notice of context.notices ?? []) {
    const recipients =
      notice.to === "applicant"
        ? [{ id: app.applicantId, phone: await userRepository.findPhoneById(tx, app.applicantId) }]
        : updated.employerId
          ? await userRepository.findContactsWithRole(tx, "hr", updated.employerId)
          : [];
    for (const r of recipients) {
      if (r.phone)
        await enqueueSms(tx, {
          userId: r.id,
          phone: r.phone,
          template: notice.template,
          params: notice.params,
          applicationId: app.id,
          at: context.now,
        });
    }
  }
  return updated;
}

export const ZStartInput = z.object({
  series: z.string(),
  level: z.string(),
  track: z.string(),
});

/** A blank application for a (series, level, track) that the active round offers right now. */
export async function startApplication(
  db: Db,
  actor: Actor,
  input: { series: Series; level: Level; track: Track },
  now: Date,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    if (!actor.roles.some((r) => r.role === "applicant"))
      throw new DomainError("FORBIDDEN", { reason: "not-yours" });
    const active = await roundRepository.findActive(tx);
    if (!active) throw new DomainError("NOT_THIS_ROUND", { year: now.getUTCFullYear() });
    const round = ZRoundConfig.parse(active.config);
    const found = tryWindowFor(round, input);
    if (!found.ok) throw found.error;
    const closed = windowError(now, found.window);
    if (closed) throw closed;
    if (await applicationRepository.findLiveForRound(tx, actor.user.id, round.year))
      throw new DomainError("APPLICATION_EXISTS");
    const app = await applicationRepository.insert(tx, {
      applicantId: actor.user.id,
      roundYear: round.year,
      windowId: found.window.id,
      ...input,
      state: "draft",
      at: now,
    });
    const employerId = await userRepository.findEmployerId(tx, actor.user.id);
    const created = employerId
      ? await applicationRepository.update(tx, app.id, { employerId, updatedAt: now })
      : app;
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "application.created",
      objectType: "application",
      objectId: app.id,
      data: { ...input, roundYear: round.year },
    });
    return created;
  });
}

/** Autosave of form fields; only known fields, only while the applicant may still edit. */
export async function saveForm(
  db: Db,
  actor: Actor,
  id: string,
  patch: unknown,
  now: Date,
): Promise<CommandResult<{ version: number }>> {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "applicant");
    // While correcting, only the fields the notice names, until its deadline.
    const correcting = app.state === "correction_requested";
    const notice = correcting ? await correctionRepository.findOpen(tx, app.id) : null;
    if (!isEditable(app.state) && !notice) throw new DomainError("FORBIDDEN", { reason: "not-editable" });
    if (notice && isDayOver(now, notice.deadline)) {
      throw new DomainError("DEADLINE_PASSED", { deadline: notice.deadline });
    }
    const parsed = ZFormPatch(formStepsFor(app.series as Series, app.level as Level)).safeParse(patch);
    if (!parsed.success)
      throw new DomainError("VALIDATION", {
        details: parsed.error.issues.map((i) => i.path.join(".")).join(", "),
      });
    if (notice) {
      const items = ZCorrectionItems.safeParse(notice.items);
      const allowed = items.success ? correctionScope(items.data).fieldIds : [];
      const outside = Object.keys(parsed.data).filter((k) => !allowed.includes(k));
      if (outside.length > 0) throw new DomainError("FORBIDDEN", { reason: "not-in-correction" });
    }
    const fields = Object.fromEntries(
      Object.entries(parsed.data).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const saved = await applicationRepository.mergeForm(tx, app.id, fields, now);
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "application.form-saved",
      objectType: "application",
      objectId: app.id,
      data: { fields: Object.keys(fields) },
    });
    return { version: saved!.version };
  });
}

/** Submit to the employer: the whole form valid, at least one material, a unit the applicant works for. */
export async function submitToEmployer(
  db: Db,
  actor: Actor,
  id: string,
  input: { employerId: string },
  now: Date,
  locale: Locale,
): Promise<CommandResult<ApplicationRecord>> {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "applicant");
    const employer = z.string().uuid().safeParse(input.employerId).success
      ? await organisationRepository.findById(tx, input.employerId)
      : null;
    if (employer?.kind !== "employer") throw new DomainError("NOT_FOUND");
    const current = await userRepository.findEmployerId(tx, actor.user.id);
    if (current && current !== employer.id) throw new DomainError("FORBIDDEN", { reason: "not-employed" });
    const problems = validateForm(
      formStepsFor(app.series as Series, app.level as Level),
      app.form,
      locale,
      shanghaiDate(now),
    );
    if (Object.keys(problems).length > 0)
      throw new DomainError("FORM_INCOMPLETE", { count: Object.keys(problems).length });
    if ((await materialRepository.findForApplication(tx, app.id, "achievement")).length === 0)
      throw new DomainError("MATERIALS_MISSING");
    if (!current) await userRepository.setEmployer(tx, actor.user.id, employer.id);
    const rules = await loadRules(tx, app.roundYear);
    const window = windowOf(rules.round, app.windowId);
    return apply(
      tx,
      app,
      { type: "submitToEmployer", at: now },
      {
        actor,
        now,
        patch: { employerId: employer.id },
        data: { employerId: employer.id },
        notices: [
          {
            to: "applicant",
            template: "submitted-to-employer",
            params: { unit: employer.name, by: window.recommendedPublicityDoneBy },
          },
          { to: "employer-hr", template: "employer-new-application", params: { name: actor.user.name } },
        ],
      },
    );
  });
}

export async function employerAccept(db: Db, actor: Actor, id: string, now: Date) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "employer");
    return apply(
      tx,
      app,
      { type: "employerAccept" },
      { actor, now, notices: [{ to: "applicant", template: "employer-accepted", params: {} }] },
    );
  });
}

export async function employerReturn(db: Db, actor: Actor, id: string, reason: string, now: Date) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "employer");
    return apply(
      tx,
      app,
      { type: "employerReturn", reason },
      {
        actor,
        now,
        data: { reason },
        notices: [
          { to: "applicant", template: "employer-returned", params: { reason: reason.slice(0, 60) } },
        ],
      },
    );
  });
}

/** The last day of a publicity starting on `start`, by the calendar the admin keeps. */
export async function previewPublicity(db: Db, app: ApplicationRecord, start: string) {
  const rules = await loadRules(db, app.roundYear);
  const days = rules.round.employerPublicityMinWorkingDays;
  return {
    start,
    end: publicityEnd(start, days, rules.calendar),
    days,
    closes: windowOf(rules.round, app.windowId).closes,
  };
}

export async function startPublicity(db: Db, actor: Actor, id: string, start: string, now: Date) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "employer");
    if (start < shanghaiDate(now)) throw new DomainError("VALIDATION", { details: "start" });
    const { end } = await previewPublicity(tx, app, start);
    return apply(
      tx,
      app,
      { type: "startPublicity", start, end },
      {
        actor,
        now,
        patch: { publicityStart: start, publicityEnd: end },
        data: { start, end },
        notices: [{ to: "applicant", template: "publicity-started", params: { start, end } }],
      },
    );
  });
}

export const ZObjectionInput = z.object({
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  content: z.string().trim().min(1).max(2000),
  upheld: z.enum(["yes", "no"]).transform((v) => v === "yes"),
  outcome: z.string().trim().min(1).max(2000),
});

export async function recordObjection(
  db: Db,
  actor: Actor,
  id: string,
  input: z.output<typeof ZObjectionInput>,
  now: Date,
) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "employer");
    const updated = await apply(
      tx,
      app,
      { type: "recordObjection", upheld: input.upheld, reason: input.outcome },
      {
        actor,
        now,
        data: { upheld: input.upheld, receivedOn: input.receivedOn, reason: input.outcome },
        notices: input.upheld
          ? [
              {
                to: "applicant",
                template: "objection-upheld",
                params: { reason: input.outcome.slice(0, 60) },
              },
            ]
          : [],
      },
    );
    await objectionRepository.insert(tx, {
      applicationId: app.id,
      ...input,
      recordedBy: actor.user.id,
      at: now,
    });
    return updated;
  });
}

export async function recommend(db: Db, actor: Actor, id: string, opinion: string, now: Date) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "employer");
    const scans = await materialRepository.findForApplication(tx, app.id, "employer-scan");
    const missingScans = attachmentsProblem(
      app.state,
      "recommend",
      scans.map((m) => m.kind),
    );
    if (missingScans) throw missingScans;
    const rules = await loadRules(tx, app.roundYear);
    const closes = windowOf(rules.round, app.windowId).closes;
    return apply(
      tx,
      app,
      { type: "recommend", at: now },
      {
        actor,
        now,
        patch: { recommendation: opinion },
        notices: [{ to: "applicant", template: "recommended", params: { closes } }],
      },
    );
  });
}

/** The manifest of a confirmation: every material's bytes and the form, so the receipt proves what was sent. */
export function manifestOf(
  app: ApplicationRecord,
  materials: Array<{ kind: string; position: number; fileSha256: string; caption: string }>,
) {
  const entries = [
    { label: "form", sha256: sha256(canonicalize(app.form) ?? "{}") },
    ...materials.map((m) => ({ label: `${m.kind}#${m.position}`, sha256: m.fileSha256 })),
  ];
  return { entries, hash: sha256(canonicalize({ applicationId: app.id, entries }) ?? "") };
}

/** Online submission: the stamped pages are there and the window is still open by the server's clock. */
export async function confirmSubmission(db: Db, actor: Actor, id: string, now: Date) {
  return command(db, async (tx) => {
    const app = await lockFor(tx, actor, id, "applicant");
    const materials = await materialRepository.findForApplication(tx, app.id);
    // A photo that could not be decoded counts as missing: the applicant must replace it.
    if (materials.some((m) => m.processing === "failed")) throw new DomainError("UPLOAD_UNREADABLE");
    const missing = attachmentsProblem(
      app.state,
      "confirm",
      materials.map((m) => m.kind),
    );
    if (missing) throw missing;
    const manifest = manifestOf(app, materials);
    return apply(
      tx,
      app,
      { type: "confirm", at: now },
      {
        actor,
        now,
        patch: { confirmedAt: now, receiptHash: manifest.hash },
        data: { receiptHash: manifest.hash },
        notices: [{ to: "applicant", template: "confirmed", params: {} }],
      },
    );
  });
}

export const ZEmployerRequestInput = z.object({
  name: z.string().trim().min(2).max(100),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/),
  contact: z.string().trim().min(2).max(100),
});

/** A unit not registered yet: recorded for the city bureau to register, audited. */
export async function requestEmployer(
  db: Db,
  actor: Actor,
  input: z.output<typeof ZEmployerRequestInput>,
  now: Date,
) {
  return command(db, async (tx) => {
    const id = await employerRequestRepository.insert(tx, { applicantId: actor.user.id, ...input, at: now });
    await appendAudit(tx, {
      at: now,
      actorUserId: actor.user.id,
      action: "employer-request.created",
      objectType: "employer-request",
      objectId: id,
      data: { name: input.name },
    });
    return id;
  });
}
