import { type Db, meetingRepository } from "@titles/db";
import { dossierAccess, type MeetingSeat } from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import type { Actor } from "./access";

/**
 * A panel document: the annotations of one applicant's dossier (one version of it) in one meeting.
 * `meeting:<meetingId>:application:<applicationId>:v<version>`.
 */
export interface DocRef {
  meetingId: string;
  applicationId: string;
  version: number;
}

const DOC = /^meeting:([0-9a-f-]{36}):application:([0-9a-f-]{36}):v([1-9][0-9]{0,3})$/;
const ZUuid = z.string().uuid();

export function docName(ref: DocRef): string {
  return `meeting:${ref.meetingId}:application:${ref.applicationId}:v${ref.version}`;
}

/** The document a name stands for, or null when it is not one (any other string is refused). */
export function parseDocName(name: unknown): DocRef | null {
  if (typeof name !== "string" || name.length > 120) return null;
  const m = DOC.exec(name);
  if (!m || !ZUuid.safeParse(m[1]).success || !ZUuid.safeParse(m[2]).success) return null;
  return { meetingId: m[1]!, applicationId: m[2]!, version: Number(m[3]) };
}

export type DocAccess =
  | { ok: true; role: MeetingSeat; readOnly: boolean }
  | { ok: false; code: "NOT_A_MEMBER" | "NOT_ON_AGENDA" | "RECUSED"; message: string };

const refusals = {
  NOT_A_MEMBER: { "zh-CN": "您不是该评审会的成员。", en: "You are not a member of this meeting." },
  NOT_ON_AGENDA: {
    "zh-CN": "该申报不在本次评审会的议程中。",
    en: "This application is not on the meeting's agenda.",
  },
  RECUSED: {
    "zh-CN": "您已回避该申报人，不能查看或批注其材料。",
    en: "You are recused from this applicant and cannot see or annotate the dossier.",
  },
} as const;

/**
 * Whether `actor` may open an applicant's dossier and its annotations in a meeting (the rule is
 * `dossierAccess` in @titles/domain). Checked on join, on every message and for the dossier file itself.
 */
export async function checkDocAccess(
  db: Db,
  actor: Pick<Actor, "user">,
  ref: Pick<DocRef, "meetingId" | "applicationId">,
  locale: Locale,
): Promise<DocAccess> {
  return (await membersDocAccess(db, ref))(actor.user.id, locale);
}

/**
 * The rule for every member of the meeting from one query: what a live document re-checks its sockets
 * against. Someone no longer a member (or never one) is refused like any outsider.
 */
export async function membersDocAccess(
  db: Db,
  ref: Pick<DocRef, "meetingId" | "applicationId">,
): Promise<(userId: string, locale: Locale) => DocAccess> {
  const { onAgenda, members } = await meetingRepository.docAccessFactsOfMembers(
    db,
    ref.meetingId,
    ref.applicationId,
  );
  return (userId, locale) => {
    const member = members.get(userId);
    const access = dossierAccess({ role: member?.role ?? null, onAgenda, recused: member?.recused ?? false });
    return access.ok ? access : { ...access, message: refusals[access.code][locale] };
  };
}
