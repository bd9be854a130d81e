import { submissionDocuments } from "./application-form";
import type { ApplicationState } from "./application-states";
import { isEditable } from "./application-timeline";
import { DomainError } from "./errors";
import type { Role } from "./roles";

export interface AccessActor {
  userId: string;
  roles: ReadonlyArray<{ role: string; organisationId: string | null }>;
}

export interface AccessApplication {
  applicantId: string;
  employerId: string | null;
  state: ApplicationState;
}

/**
 * Who may do what with an application:
 * - read: the applicant; HR of the unit it was submitted to (once it reached them);
 * - applicant: the applicant's own acts (edit, upload, submit, confirm);
 * - employer: HR acts of the unit it was submitted to.
 * Agency and district rules join with their issues.
 */
export type ApplicationAction = "read" | "applicant" | "employer";

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
      return own || employerHr ? null : new DomainError("FORBIDDEN", { reason: "not-yours" });
    case "applicant":
      return own ? null : new DomainError("FORBIDDEN", { reason: "not-yours" });
    case "employer":
      return employerHr ? null : new DomainError("FORBIDDEN", { reason: "not-your-unit" });
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

/**
 * Who may add, change or remove materials of a kind, and when: the applicant's achievements while the
 * application is editable, the stamped documents once it is recommended; HR's scans during its
 * publicity. After the window's last day (`windowClosed`, from `windowError`) nobody may.
 */
export function checkMaterialWrite(
  actor: AccessActor,
  app: AccessApplication & { windowClosed?: DomainError | null },
  kind: MaterialKind,
): DomainError | null {
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
