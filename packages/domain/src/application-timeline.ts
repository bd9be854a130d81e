import { type ApplicationState, isTerminal } from "./application-states";

/** The nine stages of the notice, as the applicant sees them. */
export const timelineStages = [
  "fill",
  "employer",
  "publicity",
  "confirm",
  "review",
  "pay",
  "defense",
  "result",
  "certificate",
] as const;
export type TimelineStage = (typeof timelineStages)[number];

/** The stage a state belongs to; an end state belongs to none (show the stage it ended in). */
export function timelineStage(state: ApplicationState): TimelineStage | null {
  if (isTerminal(state)) return null;
  switch (state) {
    case "draft":
    case "employer_returned":
      return "fill";
    case "submitted":
    case "employer_accepted":
      return "employer";
    case "publicity":
      return "publicity";
    case "recommended":
      return "confirm";
    case "confirmed":
    case "correction_requested":
    case "republicity_required":
    case "district_review":
    case "district_recommended":
      return "review";
    case "approved":
      return "pay";
    case "complete":
    case "defense_scheduled":
    case "evaluating":
      return "defense";
    case "passed":
    case "result_publicity":
      return "result";
    case "final":
    case "certified":
      return "certificate";
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** Whether the applicant may still change the form and the achievement materials. */
export function isEditable(state: ApplicationState): boolean {
  return state === "draft" || state === "employer_returned";
}
