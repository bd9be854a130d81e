// Demo decisions for the result publicity (step 8): committee meetings already held, whose signed
// ballots passed the demo applicants 宋佳, 罗斌 and 许静 (intermediate) and sixty senior engineers, so a
// newcomer can make a result batch today, and the public list has enough rows to search and page.
import {
  addWorkingDays,
  defaultCalendar,
  idCheckChar,
  shanghaiDate,
  votesNeeded,
  ZRoundConfig,
} from "@titles/domain";
import { eq } from "drizzle-orm";
import { appendAudit } from "./audit";
import type { Db } from "./client";
import { lookupHash } from "./crypto";
import { type ApplicationRecord, applicationRepository } from "./repositories/applications";
import { meetingRepository } from "./repositories/meetings";
import { organisationRepository } from "./repositories/organisations";
import { roundRepository } from "./repositories/rounds";
import { userRepository } from "./repositories/users";
import { ballots, ballotVoters, committeeMembers, committees, meetingMembers, meetings } from "./schema";
import { DEMO_COMMITTEE_NAME } from "./seed-panels";

export const DEMO_DECIDED_MEETING_TITLE = "工程技术系列中级职称评审委员会第一次会议（演示·已举行）";
export const DEMO_SENIOR_COMMITTEE_NAME = "工程技术系列高级职称评审委员会（演示）";
export const DEMO_SENIOR_MEETING_TITLE = "工程技术系列高级职称评审委员会会议（演示·已举行）";

/** Employers of the senior demo engineers, besides the two demo units. */
const SENIOR_UNITS = [
  "北京市示例市政设计研究院",
  "北京示例轨道交通建设有限公司",
  "北京市示例电力工程公司",
  "北京示例智能制造科技有限公司",
] as const;

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕";
const GIVEN = [
  "建国",
  "晓东",
  "海燕",
  "志强",
  "丽娟",
  "文博",
  "思远",
  "雅琴",
  "鹏飞",
  "慧敏",
  "振华",
  "雪梅",
];
const SPECIALTIES = [
  "结构工程",
  "岩土工程",
  "给水排水",
  "建筑电气",
  "暖通空调",
  "道路与桥梁",
  "城市轨道交通",
  "电力系统",
];

/** Sixty senior engineers: names, phones and ID numbers nobody else uses (birth years 1968–1979). */
function seniorPeople() {
  return Array.from({ length: 60 }, (_, i) => {
    const body = `1101051${String(968 + (i % 12)).slice(-3)}${String(1 + (i % 12)).padStart(2, "0")}${String(
      10 + (i % 18),
    )}${String(401 + i).padStart(3, "0")}`;
    return {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
      idNumber: body + idCheckChar(body),
      phone: `139000004${String(i).padStart(2, "0")}`,
      specialty: SPECIALTIES[i % SPECIALTIES.length]!,
      unit: i % 6,
    };
  });
}

const at = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);

/**
 * A closed committee meeting whose every ballot was signed: all members present, the tally the same
 * for each applicant (passed). Ballot boxes are counters (decision 0010), so there is nothing else to fake.
 */
async function heldMeeting(
  tx: Db,
  input: {
    roundYear: number;
    level: string;
    title: string;
    day: string;
    committeeId: string;
    agencyId: string | null;
    chairId: string;
    memberIds: string[];
    applicationIds: string[];
  },
): Promise<void> {
  const meeting = await meetingRepository.insert(tx, {
    roundYear: input.roundYear,
    series: "engineering",
    level: input.level,
    kind: "committee",
    title: input.title,
    venue: "北京市人力资源和社会保障局 第一会议室",
    startsAt: at(input.day, "09:00"),
    agencyId: input.agencyId,
  });
  const seated = [input.chairId, ...input.memberIds];
  await tx
    .update(meetings)
    .set({
      committeeId: input.committeeId,
      state: "closed",
      quorumInclusive: true,
      membersAtRollCall: seated.length,
      presentAtRollCall: seated.length,
      rollCallAt: at(input.day, "09:05"),
      closedAt: at(input.day, "17:00"),
    })
    .where(eq(meetings.id, meeting.id));
  for (const [i, userId] of seated.entries()) {
    await tx.insert(meetingMembers).values({
      meetingId: meeting.id,
      userId,
      role: i === 0 ? "chair" : "expert",
      present: true,
    });
  }
  const voters = seated.length;
  const no = voters >= 10 ? 1 : 0;
  const abstain = voters >= 10 ? 1 : 0;
  for (const [i, applicationId] of input.applicationIds.entries()) {
    await meetingRepository.addApplication(tx, meeting.id, applicationId);
    const signedAt = new Date(at(input.day, "10:00").getTime() + i * 120_000);
    const [ballot] = await tx
      .insert(ballots)
      .values({
        meetingId: meeting.id,
        applicationId,
        state: "signed",
        voters,
        recusedPresent: 0,
        yes: voters - no - abstain,
        no,
        abstain,
        needed: votesNeeded(voters, true),
        passed: true,
        openedAt: new Date(signedAt.getTime() - 60_000),
        closedAt: signedAt,
        signedAt,
        signedBy: input.chairId,
      })
      .returning();
    await tx.insert(ballotVoters).values(seated.map((expertId) => ({ ballotId: ballot!.id, expertId })));
  }
}

/** Idempotent: does nothing once the decided demo meeting exists, or before the panels demo is seeded. */
export async function seedDemoDecisions(
  db: Db,
  options: {
    lookupKey: string;
    hashPassword: (password: string) => Promise<string>;
    password: string;
    now: Date;
  },
): Promise<void> {
  const active = await roundRepository.findActive(db);
  if (!active) return;
  const round = ZRoundConfig.parse(active.config);
  if (await meetingRepository.findByTitle(db, round.year, DEMO_DECIDED_MEETING_TITLE)) return;
  const [committee] = await db.select().from(committees).where(eq(committees.name, DEMO_COMMITTEE_NAME));
  if (!committee) return;
  const { lookupKey, now } = options;
  const person = async (phone: string) =>
    (await userRepository.findCredentialsByLookupHash(db, lookupHash(lookupKey, phone)))?.user ?? null;
  const decided: ApplicationRecord[] = [];
  for (const phone of ["13800000025", "13800000026", "13800000027"]) {
    const user = await person(phone);
    const app = user ? await applicationRepository.findLiveForRound(db, user.id, round.year) : null;
    if (app?.state !== "passed") return;
    decided.push(app);
  }
  const members = await db
    .select()
    .from(committeeMembers)
    .where(eq(committeeMembers.committeeId, committee.id));
  const chair = members.find((m) => m.role === "chair");
  if (!chair) return;
  const today = shanghaiDate(now);
  const employers = await organisationRepository.findByKind(db, "employer");
  const poolUsers: string[] = [];
  for (let i = 0; i < 20; i++) {
    const user = await person(`139000003${String(i).padStart(2, "0")}`);
    if (user) poolUsers.push(user.id);
  }
  const passwordHash = await options.hashPassword(options.password);

  await db.transaction(async (tx) => {
    // 许静's result has been through a whole publicity by today; 宋佳's and 罗斌's wait for one.
    await heldMeeting(tx, {
      roundYear: round.year,
      level: "intermediate",
      title: DEMO_DECIDED_MEETING_TITLE,
      day: addWorkingDays(today, -14, defaultCalendar),
      committeeId: committee.id,
      agencyId: committee.agencyId,
      chairId: chair.userId,
      memberIds: members.filter((m) => m.role !== "chair").map((m) => m.userId),
      applicationIds: decided.map((a) => a.id),
    });

    // The senior committee: the demo chair, the four named members and twenty from the pool.
    const [senior] = await tx
      .insert(committees)
      .values({
        roundYear: round.year,
        series: "engineering",
        level: "senior",
        name: DEMO_SENIOR_COMMITTEE_NAME,
        organisedBy: "series",
        inclusive: true,
        agencyId: committee.agencyId,
      })
      .returning();
    const seniorMembers = [...new Set([chair.userId, ...members.map((m) => m.userId), ...poolUsers])];
    for (const userId of seniorMembers) {
      await tx.insert(committeeMembers).values({
        committeeId: senior!.id,
        userId,
        role: userId === chair.userId ? "chair" : "member",
        termStart: chair.termStart,
        termEnd: chair.termEnd,
      });
    }

    const units = [...employers.map((e) => e.id)];
    for (const name of SENIOR_UNITS) {
      const found = await organisationRepository.findByName(tx, "employer", name);
      units.push(
        (
          found ??
          (await organisationRepository.insert(tx, {
            kind: "employer",
            name,
            creditCode: null,
            district: null,
            series: [],
          }))
        ).id,
      );
    }
    const window = round.windows.find((w) => w.tracks.includes("regular"));
    const decidedOn = addWorkingDays(today, -2, defaultCalendar);
    const seniorApps: string[] = [];
    for (const p of seniorPeople()) {
      const idNumberHash = lookupHash(lookupKey, p.idNumber);
      const user =
        (await userRepository.findCredentialsByLookupHash(tx, idNumberHash))?.user ??
        (await userRepository.insert(tx, {
          name: p.name,
          idType: "mainland",
          idNumber: p.idNumber,
          idNumberHash,
          phone: p.phone,
          phoneHash: lookupHash(lookupKey, p.phone),
          passwordHash,
          phoneVerifiedAt: now,
        }));
      await userRepository.grantRole(tx, user.id, "applicant", null);
      const employerId = units[p.unit % units.length]!;
      await userRepository.setEmployer(tx, user.id, employerId);
      const app = await applicationRepository.insert(tx, {
        applicantId: user.id,
        roundYear: round.year,
        windowId: window?.id ?? "",
        series: "engineering",
        level: "senior",
        track: "regular",
        state: "passed",
        at: at(addWorkingDays(decidedOn, -60, defaultCalendar), "10:00"),
      });
      await applicationRepository.update(tx, app.id, {
        form: { specialty: p.specialty },
        employerId,
        updatedAt: now,
      });
      await applicationRepository.appendEvent(tx, {
        applicationId: app.id,
        at: at(decidedOn, "17:30"),
        actorUserId: null,
        event: "ballotResult",
        fromState: "evaluating",
        toState: "passed",
        data: { seeded: true },
      });
      seniorApps.push(app.id);
    }
    await heldMeeting(tx, {
      roundYear: round.year,
      level: "senior",
      title: DEMO_SENIOR_MEETING_TITLE,
      day: decidedOn,
      committeeId: senior!.id,
      agencyId: committee.agencyId,
      chairId: chair.userId,
      memberIds: seniorMembers.filter((id) => id !== chair.userId),
      applicationIds: seniorApps,
    });

    await appendAudit(tx, {
      at: now,
      actorUserId: null,
      action: "seed.demo-decisions",
      objectType: "committee",
      objectId: senior!.id,
      data: { intermediate: decided.length, senior: seniorApps.length },
    });
  });
}
