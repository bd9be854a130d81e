import type { ApplicationState } from "./application-states";
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
