import { applicationRepository, type Db, meetingRepository, userRepository } from "@titles/db";
import { queryRows } from "@titles/db/testing";
import type { PanelUser } from "../outcome";

export interface CommitteeFixture {
  meetingId: string;
  chair: PanelUser & { name: string };
  experts: Array<PanelUser & { name: string }>;
  /** The applications on the agenda, in order. */
  applicationIds: string[];
}

let serial = 0;

/** A user with fixed personal data derived from `n` (the secrecy test compares two databases). */
async function person(db: Db, name: string, n: number, role: string): Promise<PanelUser & { name: string }> {
  const digits = String(n).padStart(4, "0");
  const row = await userRepository.insert(db, {
    name,
    idType: "mainland",
    idNumber: `11010119900101${digits}`,
    idNumberHash: `id-hash-${digits}`,
    phone: `1390000${digits}`,
    phoneHash: `phone-hash-${digits}`,
    passwordHash: "not-a-real-hash",
    phoneVerifiedAt: new Date("2021-01-01T00:00:00Z"),
  });
  await userRepository.grantRole(db, row.id, role, null);
  return { user: { id: row.id }, name };
}

/**
 * A committee meeting (kind `committee`, roll call not yet taken) with a chair, `experts` experts and
 * `applicants` applications on the agenda. Everything but the ids is the same on every run.
 */
export async function committeeFixture(
  db: Db,
  options: { experts: number; applicants: number; inclusive?: boolean; title?: string; serial?: number },
): Promise<CommitteeFixture> {
  serial += 1;
  const base = (options.serial ?? serial) * 1000;
  const chair = await person(db, "钱主任", base, "chair");
  const experts: Array<PanelUser & { name: string }> = [];
  for (let i = 1; i <= options.experts; i += 1) {
    experts.push(await person(db, `专家${String(i).padStart(2, "0")}`, base + i, "expert"));
  }
  const meeting = await meetingRepository.insert(db, {
    roundYear: 2021,
    series: "engineering",
    level: "senior",
    kind: "committee",
    title: options.title ?? "工程技术系列高级职称评审委员会会议",
    venue: "第一会议室",
    startsAt: new Date("2021-11-25T01:30:00Z"),
    agencyId: null,
    quorumInclusive: options.inclusive ?? true,
  });
  await meetingRepository.addMember(db, meeting.id, chair.user.id, "chair");
  for (const e of experts) await meetingRepository.addMember(db, meeting.id, e.user.id, "expert");
  const applicationIds: string[] = [];
  for (let i = 1; i <= options.applicants; i += 1) {
    const applicant = await person(db, `申报人${i}`, base + 500 + i, "applicant");
    const application = await applicationRepository.insert(db, {
      applicantId: applicant.user.id,
      roundYear: 2021,
      windowId: "2021-engineering",
      series: "engineering",
      level: "senior",
      track: "normal",
      state: "evaluating",
      at: new Date("2021-09-01T00:00:00Z"),
    });
    await meetingRepository.addApplication(db, meeting.id, application.id);
    applicationIds.push(application.id);
  }
  return { meetingId: meeting.id, chair, experts, applicationIds };
}

/** The tables a committee command writes to: "nothing written" compares two of these snapshots. */
export async function committeeTables(db: Db): Promise<string> {
  const parts: string[] = [];
  for (const table of ["meetings", "meeting_members", "ballots", "ballot_voters", "recusals", "audit_log"]) {
    const rows = await queryRows(db, `select * from ${table} order by 1, 2`);
    parts.push(`${table}:${JSON.stringify(rows)}`);
  }
  return parts.join("\n");
}
