// Demo data for defenses and the committee's secret ballot: the expert pool, a committee, a defense
// session already held (scores in), an upcoming one for the agency to fill, and the committee's meeting
// with two defended applicants, a review group's opinions and one automatic recusal.
import {
  addDays,
  addWorkingDays,
  compareDates,
  defaultCalendar,
  idCheckChar,
  type Scores,
  scoreSheetFor,
  shanghaiDate,
  weightedTotal,
  ZRoundConfig,
} from "@titles/domain";
import { and, eq } from "drizzle-orm";
import { appendAudit } from "./audit";
import type { Db } from "./client";
import { lookupHash } from "./crypto";
import { applicationRepository } from "./repositories/applications";
import { meetingRepository } from "./repositories/meetings";
import { organisationRepository } from "./repositories/organisations";
import { roundRepository } from "./repositories/rounds";
import { userRepository } from "./repositories/users";
import {
  committeeMembers,
  committees,
  defenseScores,
  experts,
  meetingApplications,
  meetings,
  reviewGroupMembers,
  reviewGroups,
  reviewOpinions,
} from "./schema";

export const DEMO_COMMITTEE_NAME = "工程技术系列中级职称评审委员会（演示）";
export const DEMO_COMMITTEE_MEETING_TITLE = "工程技术系列中级职称评审委员会会议（演示）";
export const DEMO_DEFENSE_HELD_TITLE = "工程技术系列中级答辩（演示·已举行）";
export const DEMO_DEFENSE_UPCOMING_TITLE = "工程技术系列中级答辩（演示）";

/** The named demo experts (printed logins) and their disciplines and units. */
const NAMED_EXPERTS: Array<{ phone: string; disciplines: string[]; unit: "unit2" | null; title: string }> = [
  { phone: "13800000007", disciplines: ["桥梁工程", "结构工程"], unit: null, title: "正高级工程师" },
  { phone: "13800000008", disciplines: ["岩土工程", "土木工程"], unit: null, title: "正高级工程师" },
  { phone: "13800000009", disciplines: ["结构工程", "建筑设计"], unit: null, title: "正高级工程师" },
  { phone: "13800000010", disciplines: ["土木工程", "结构工程"], unit: null, title: "正高级工程师" },
  // 陈晨 works for 北京市示例建筑设计研究院: recused automatically from its applicants (韩雨).
  { phone: "13800000021", disciplines: ["建筑电气", "暖通空调"], unit: "unit2", title: "高级工程师" },
  { phone: "13800000022", disciplines: ["给水排水", "岩土工程"], unit: null, title: "正高级工程师" },
];

/** More pool experts (not printed; they log in with the demo password too) so a draw has a pool. */
const POOL = [
  ["赵立新", ["结构工程"]],
  ["钱雅琴", ["建筑电气"]],
  ["孙建国", ["暖通空调", "给水排水"]],
  ["李慧敏", ["岩土工程"]],
  ["周永康", ["桥梁工程"]],
  ["吴秀兰", ["建筑设计"]],
  ["郑国华", ["土木工程", "结构工程"]],
  ["王晓燕", ["集成电路设计", "电子信息"]],
  ["冯志强", ["计算机技术"]],
  ["陈美玲", ["给水排水"]],
  ["褚卫东", ["结构工程", "岩土工程"]],
  ["卫红梅", ["建筑电气", "电子信息"]],
  ["蒋德明", ["机械工程"]],
  ["沈丽华", ["暖通空调"]],
] as const;

const poolIdNumber = (i: number) => {
  const body = `1101081970${String(1 + (i % 12)).padStart(2, "0")}15${String(301 + i).padStart(3, "0")}`;
  return body + idCheckChar(body);
};

/** Idempotent: does nothing once the demo committee exists. */
export async function seedDemoPanels(
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
  const [existing] = await db.select().from(committees).where(eq(committees.name, DEMO_COMMITTEE_NAME));
  if (existing) return;
  const { lookupKey, now } = options;
  const person = async (phone: string) =>
    (await userRepository.findCredentialsByLookupHash(db, lookupHash(lookupKey, phone)))?.user ?? null;
  const named = await Promise.all(NAMED_EXPERTS.map((e) => person(e.phone)));
  const [tang, han] = await Promise.all([person("13800000023"), person("13800000024")]);
  const [lin, gao] = await Promise.all([person("13800000019"), person("13800000020")]);
  if (named.some((u) => !u) || !tang || !han) return;
  const tangApp = await applicationRepository.findLiveForRound(db, tang.id, round.year);
  const hanApp = await applicationRepository.findLiveForRound(db, han.id, round.year);
  if (tangApp?.state !== "evaluating" || hanApp?.state !== "evaluating") return;
  const orgs = await organisationRepository.findByKind(db, "agency");
  const agency = orgs.find((o) => o.series.includes("engineering"));
  const unit2 = (await organisationRepository.findByKind(db, "employer")).find(
    (o) => o.name === "北京市示例建筑设计研究院",
  );
  const pool = (await organisationRepository.findByKind(db, "expert-pool"))[0];
  const passwordHash = await options.hashPassword(options.password);
  const today = shanghaiDate(now);
  const at = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);
  type User = NonNullable<(typeof named)[number]>;
  const [zhou, wu, zheng, qian, chen, wang] = named as [User, User, User, User, User, User];

  await db.transaction(async (tx) => {
    // The pool.
    for (const [i, e] of NAMED_EXPERTS.entries()) {
      await tx
        .insert(experts)
        .values({
          userId: named[i]!.id,
          series: "engineering",
          disciplines: e.disciplines,
          unitId: e.unit === "unit2" ? (unit2?.id ?? null) : null,
          title: e.title,
        })
        .onConflictDoNothing();
    }
    for (const [i, [name, disciplines]] of POOL.entries()) {
      const idNumber = poolIdNumber(i);
      const phone = `139000003${String(i).padStart(2, "0")}`;
      const idNumberHash = lookupHash(lookupKey, idNumber);
      const user =
        (await userRepository.findCredentialsByLookupHash(tx, idNumberHash))?.user ??
        (await userRepository.insert(tx, {
          name,
          idType: "mainland",
          idNumber,
          idNumberHash,
          phone,
          phoneHash: lookupHash(lookupKey, phone),
          passwordHash,
          phoneVerifiedAt: now,
        }));
      await userRepository.grantRole(tx, user.id, "expert", pool?.id ?? null);
      await tx
        .insert(experts)
        .values({
          userId: user.id,
          series: "engineering",
          disciplines: [...disciplines],
          unitId: i % 5 === 0 ? (unit2?.id ?? null) : null,
          title: i % 2 === 0 ? "正高级工程师" : "高级工程师",
        })
        .onConflictDoNothing();
    }

    // The committee: five members, terms within three years.
    const [committee] = await tx
      .insert(committees)
      .values({
        roundYear: round.year,
        series: "engineering",
        level: "intermediate",
        name: DEMO_COMMITTEE_NAME,
        organisedBy: "series",
        inclusive: true,
        agencyId: agency?.id ?? null,
      })
      .returning();
    const termStart = addDays(today, -365);
    const termEnd = addDays(today, 365 * 2);
    for (const [user, role] of [
      [qian, "chair"],
      [zhou, "member"],
      [zheng, "member"],
      [chen, "member"],
      [wang, "member"],
    ] as const) {
      await tx
        .insert(committeeMembers)
        .values({ committeeId: committee!.id, userId: user.id, role, termStart, termEnd });
    }

    // The defense already held yesterday: both applicants present, three panelists' sheets submitted.
    const yesterday = addWorkingDays(today, -1, defaultCalendar);
    const held = await meetingRepository.insert(tx, {
      roundYear: round.year,
      series: "engineering",
      level: "intermediate",
      kind: "defense",
      title: DEMO_DEFENSE_HELD_TITLE,
      venue: "北京市职称评审中心 答辩室 2",
      startsAt: at(yesterday, "09:00"),
      agencyId: agency?.id ?? null,
    });
    await tx
      .update(meetings)
      .set({
        slots: [{ start: "09:00", capacity: 4 }],
        state: "closed",
        closedAt: at(yesterday, "12:00"),
        requirements: "请出示北京健康宝绿码，全程佩戴口罩，入场测温。",
        requirementsPublishedAt: at(addWorkingDays(yesterday, -3, defaultCalendar), "10:00"),
      })
      .where(eq(meetings.id, held.id));
    await meetingRepository.addMember(tx, held.id, wu.id, "chair");
    await meetingRepository.addMember(tx, held.id, zhou.id, "expert");
    await meetingRepository.addMember(tx, held.id, zheng.id, "expert");
    const sheet = scoreSheetFor("engineering");
    const sheets: Array<[string, string, Scores]> = [
      [tangApp.id, wu.id, { theory: 86, achievements: 90, "problem-solving": 84, presentation: 88 }],
      [tangApp.id, zhou.id, { theory: 82, achievements: 88, "problem-solving": 85, presentation: 80 }],
      [tangApp.id, zheng.id, { theory: 88, achievements: 86, "problem-solving": 83, presentation: 85 }],
      [hanApp.id, wu.id, { theory: 60, achievements: 55, "problem-solving": 58, presentation: 65 }],
      [hanApp.id, zhou.id, { theory: 62, achievements: 52, "problem-solving": 55, presentation: 60 }],
      [hanApp.id, zheng.id, { theory: 58, achievements: 57, "problem-solving": 54, presentation: 62 }],
    ];
    for (const app of [tangApp, hanApp]) {
      await meetingRepository.addApplication(tx, held.id, app.id);
      await tx
        .update(meetingApplications)
        .set({ slotStart: "09:00", attendance: "present", checkedInAt: at(yesterday, "08:40") })
        .where(
          and(eq(meetingApplications.meetingId, held.id), eq(meetingApplications.applicationId, app.id)),
        );
    }
    for (const [applicationId, expertId, scores] of sheets) {
      await tx.insert(defenseScores).values({
        meetingId: held.id,
        applicationId,
        expertId,
        scores,
        total: weightedTotal(sheet, scores),
        submittedAt: at(yesterday, "11:30"),
        updatedAt: at(yesterday, "11:30"),
      });
    }

    // An upcoming session for the agency to fill (林峰 and 高雪 are complete and need a defense).
    // Inside the round's defense months, as the agency itself could schedule it.
    const soonest = addWorkingDays(today, 3, defaultCalendar);
    const upcomingDay =
      compareDates(soonest, round.defenseMonths.from) < 0 ? round.defenseMonths.from : soonest;
    const upcoming = await meetingRepository.insert(tx, {
      roundYear: round.year,
      series: "engineering",
      level: "intermediate",
      kind: "defense",
      title: DEMO_DEFENSE_UPCOMING_TITLE,
      venue: "北京市职称评审中心 答辩室 1",
      startsAt: at(upcomingDay, "09:00"),
      agencyId: agency?.id ?? null,
    });
    await tx
      .update(meetings)
      .set({
        slots: [
          { start: "09:00", capacity: 6 },
          { start: "14:00", capacity: 6 },
        ],
        requirements: "请于答辩前一日14时后在北京健康宝查询状态；入场时出示绿码并测温，全程佩戴口罩。",
      })
      .where(eq(meetings.id, upcoming.id));
    await meetingRepository.addMember(tx, upcoming.id, wu.id, "chair");
    await meetingRepository.addMember(tx, upcoming.id, zhou.id, "expert");
    await meetingRepository.addMember(tx, upcoming.id, zheng.id, "expert");

    // The committee's meeting tomorrow: the chair takes the roll call and runs the ballots in the panel.
    const tomorrow = addWorkingDays(today, 1, defaultCalendar);
    const meeting = await meetingRepository.insert(tx, {
      roundYear: round.year,
      series: "engineering",
      level: "intermediate",
      kind: "committee",
      title: DEMO_COMMITTEE_MEETING_TITLE,
      venue: "北京市人力资源和社会保障局 第一会议室",
      startsAt: at(tomorrow, "14:00"),
      agencyId: agency?.id ?? null,
    });
    await tx
      .update(meetings)
      .set({ committeeId: committee!.id, quorumInclusive: committee!.inclusive })
      .where(eq(meetings.id, meeting.id));
    await meetingRepository.addMember(tx, meeting.id, qian.id, "chair");
    for (const user of [zhou, zheng, chen, wang])
      await meetingRepository.addMember(tx, meeting.id, user.id, "expert");
    await meetingRepository.addApplication(tx, meeting.id, tangApp.id);
    await meetingRepository.addApplication(tx, meeting.id, hanApp.id);
    const automatic = await meetingRepository.applyAutomaticRecusals(tx, meeting.id);

    const [group] = await tx
      .insert(reviewGroups)
      .values({ meetingId: meeting.id, name: "结构与机电评议组", discipline: "结构工程" })
      .returning();
    for (const user of [zhou, zheng, wang]) {
      await tx.insert(reviewGroupMembers).values({ groupId: group!.id, userId: user.id });
    }
    await tx.insert(reviewOpinions).values([
      {
        groupId: group!.id,
        applicationId: tangApp.id,
        recommendation: "support",
        opinion: "业绩与申报专业相符，主持完成的结构设计项目获奖，答辩表现良好，建议通过。",
        writtenBy: zhou.id,
        writtenAt: at(yesterday, "16:00"),
      },
      {
        groupId: group!.id,
        applicationId: hanApp.id,
        recommendation: "oppose",
        opinion: "代表性业绩与申报专业关联度不高，答辩中对专业问题回答不充分，建议暂不通过。",
        writtenBy: zhou.id,
        writtenAt: at(yesterday, "16:00"),
      },
    ]);

    await appendAudit(tx, {
      at: now,
      actorUserId: null,
      action: "seed.demo-panels",
      objectType: "meeting",
      objectId: meeting.id,
      data: {
        committee: committee!.id,
        defenseHeld: held.id,
        defenseUpcoming: upcoming.id,
        automaticRecusals: automatic.length,
        poolExperts: POOL.length + NAMED_EXPERTS.length,
        upcomingCandidates: [lin, gao].filter(Boolean).length,
      },
    });
  });
}
