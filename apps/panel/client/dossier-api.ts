import { isTrpcError, trpc } from "./api";

export type DossierMeta = Awaited<ReturnType<typeof trpc.dossier.get.query>>;

export type DossierResult = { ok: true; dossier: DossierMeta } | { ok: false; code: string; message: string };

/** The latest built version of an applicant's dossier for this meeting; a refusal or absence as a value. */
export async function fetchDossier(meetingId: string, applicationId: string): Promise<DossierResult> {
  try {
    return { ok: true, dossier: await trpc.dossier.get.query({ meetingId, applicationId }) };
  } catch (error) {
    if (isTrpcError(error))
      return { ok: false, code: error.data?.code ?? "INTERNAL", message: error.message };
    throw error;
  }
}

/** The Yjs document of one dossier version in one meeting (see server/meeting-access.ts `docName`). */
export function dossierDocName(meetingId: string, applicationId: string, version: number): string {
  return `meeting:${meetingId}:application:${applicationId}:v${version}`;
}
