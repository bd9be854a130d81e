import { submissionDocumentLabels, submissionDocuments } from "./application-form";
import type { ApplicationState } from "./application-states";
import { isEditable } from "./application-timeline";
import type { Labels } from "./catalog";
import { DomainError } from "./errors";
import type { Role } from "./roles";

export interface AccessActor {
  userId: string;
  roles: ReadonlyArray<{
    role: string;
    organisationId: string | null;
    /** The series an agency handles. */
    organisationSeries?: readonly string[];
    /** The district of a district bureau. */
    organisationDistrict?: string | null;
  }>;
}

export interface AccessApplication {
  applicantId: string;
  employerId: string | null;
  state: ApplicationState;
  series?: string;
  track?: string;
  /** When the applicant confirmed the online submission (the file then reaches the agency or district). */
  confirmedAt?: Date | null;
  /** Through-train: the district bureau has forwarded it to the agency. */
  forwardedToAgency?: boolean;
  /** The district of the employer (the through-train's district bureau). */
  employerDistrict?: string | null;
}

/**
 * Who may do what with an application:
 * - read: the applicant; HR of the unit it was submitted to (once it reached them); the agency of its
 *   series once it reached the agency; the district bureau of its unit for a through-train file;
 * - applicant: the applicant's own acts (edit, upload, submit, confirm);
 * - employer: HR acts of the unit it was submitted to;
 * - agency: a reviewer of the agency handling its series, once the applicant confirmed (a through-train
 *   file only once its district bureau forwarded it);
 * - district: the district bureau of its unit, for a confirmed through-train file.
 */
export type ApplicationAction = "read" | "applicant" | "employer" | "agency" | "district";

/** The agency handling the series may see the file once it reached it. */
function agencyMay(actor: AccessActor, app: AccessApplication): boolean {
  if (!app.series || !app.confirmedAt) return false;
  if (app.track === "through-train" && !app.forwardedToAgency) return false;
  const series = app.series;
  return actor.roles.some((r) => r.role === "agency" && (r.organisationSeries ?? []).includes(series));
}

/** The district bureau of the unit may see a confirmed through-train file. */
function districtMay(actor: AccessActor, app: AccessApplication): boolean {
  if (app.track !== "through-train" || !app.confirmedAt || !app.employerDistrict) return false;
  return actor.roles.some((r) => r.role === "district" && r.organisationDistrict === app.employerDistrict);
}

function holds(actor: AccessActor, role: Role, organisationId?: string | null): boolean {
  return actor.roles.some(
    (r) => r.role === role && (organisationId === undefined || r.organisationId === organisationId),
  );
}

export function checkApplicationAccess(
  actor: AccessActor,
  app: AccessApplication,
  action: ApplicationAction,
): DomainError | null {
  const own = app.applicantId === actor.userId && holds(actor, "applicant");
  const employerHr = app.employerId !== null && app.state !== "draft" && holds(actor, "hr", app.employerId);
  switch (action) {
    case "read":
      return own || employerHr || agencyMay(actor, app) || districtMay(actor, app)
        ? null
        : new DomainError("FORBIDDEN", { reason: "not-yours" });
    case "applicant":
      return own ? null : new DomainError("FORBIDDEN", { reason: "not-yours" });
    case "employer":
      return employerHr ? null : new DomainError("FORBIDDEN", { reason: "not-your-unit" });
    case "agency":
      return agencyMay(actor, app) ? null : new DomainError("FORBIDDEN", { reason: "not-your-agency" });
    case "district":
      return districtMay(actor, app) ? null : new DomainError("FORBIDDEN", { reason: "not-your-district" });
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Achievement materials, the stamped documents of the online submission, and the employer's stamped
 * scans (the recommendation page and publicity notice as stamped by HR).
 */
export const materialKinds = ["achievement", ...submissionDocuments, "employer-scan"] as const;
export type MaterialKind = (typeof materialKinds)[number];

export const materialKindLabels: Readonly<Record<MaterialKind, Labels>> = {
  achievement: { "zh-CN": "业绩成果材料", en: "Achievement materials" },
  ...submissionDocumentLabels,
  "employer-scan": { "zh-CN": "单位推荐盖章扫描件", en: "Employer's stamped scans" },
};

/**
 * Who may add, change or remove materials of a kind, and when: the applicant's achievements while the
 * application is editable, the stamped documents once it is recommended; HR's scans during its
 * publicity. After the window's last day (`windowClosed`, from `windowError`) nobody may.
 */
export function checkMaterialWrite(
  actor: AccessActor,
  app: AccessApplication & {
    windowClosed?: DomainError | null;
    /**
     * While a correction notice is open (`correction_requested`): the material kinds its items name and
     * whether its deadline has passed. The correction deadline, not the window, then decides.
     */
    correction?: { materialKinds: readonly string[]; closed: DomainError | null } | null;
  },
  kind: MaterialKind,
): DomainError | null {
  if (app.state === "correction_requested" && kind !== "employer-scan") {
    const denied = checkApplicationAccess(actor, app, "applicant");
    if (denied) return denied;
    if (!app.correction?.materialKinds.includes(kind)) {
      return new DomainError("FORBIDDEN", { reason: "not-in-correction" });
    }
    return app.correction.closed;
  }
  if (kind === "employer-scan") {
    const notHr = checkApplicationAccess(actor, app, "employer");
    if (notHr) return notHr;
    if (app.windowClosed) return app.windowClosed;
    return app.state === "publicity" || app.state === "republicity_required"
      ? null
      : new DomainError("FORBIDDEN", { reason: "not-publicity" });
  }
  const denied = checkApplicationAccess(actor, app, "applicant");
  if (denied) return denied;
  if (app.windowClosed) return app.windowClosed;
  if (kind === "achievement") {
    return isEditable(app.state) ? null : new DomainError("FORBIDDEN", { reason: "not-editable" });
  }
  return app.state === "recommended" ? null : new DomainError("FORBIDDEN", { reason: "not-recommended" });
}

/**
 * What must be attached before an act, while the act is still possible in this state: HR's stamped
 * scans before its recommendation, the three stamped documents before the applicant confirms. Other
 * states are left to the state machine to refuse.
 */
export function attachmentsProblem(
  state: ApplicationState,
  act: "recommend" | "confirm",
  attachedKinds: readonly string[],
): DomainError | null {
  if (act === "recommend") {
    const publicising = state === "publicity" || state === "republicity_required";
    return publicising && !attachedKinds.includes("employer-scan")
      ? new DomainError("EMPLOYER_SCANS_MISSING")
      : null;
  }
  const missing = submissionDocuments.filter((kind) => !attachedKinds.includes(kind));
  return state === "recommended" && missing.length > 0
    ? new DomainError("SUBMISSION_DOCUMENTS_MISSING", { missing: missing.join(",") })
    : null;
}
