/** The roles a review meeting's members hold; observers read the dossiers but never write. */
export type MeetingSeat = "chair" | "expert" | "observer";

/** What the dossier rule needs to know about one person, one meeting and one application. */
export interface DossierAccessFacts {
  /** Their role in the meeting; null (or anything else) when they are not a member. */
  role: string | null;
  onAgenda: boolean;
  recused: boolean;
}

export type DossierAccess =
  | { ok: true; role: MeetingSeat; readOnly: boolean }
  | { ok: false; code: "NOT_A_MEMBER" | "NOT_ON_AGENDA" | "RECUSED" };

/**
 * Who may open an applicant's dossier and its annotations in a meeting: a member of that meeting, for
 * an application on its agenda, who is not recused from that applicant. Observers read but never write.
 */
export function dossierAccess({ role, onAgenda, recused }: DossierAccessFacts): DossierAccess {
  if (role !== "chair" && role !== "expert" && role !== "observer")
    return { ok: false, code: "NOT_A_MEMBER" };
  if (!onAgenda) return { ok: false, code: "NOT_ON_AGENDA" };
  if (recused) return { ok: false, code: "RECUSED" };
  return { ok: true, role, readOnly: role === "observer" };
}
