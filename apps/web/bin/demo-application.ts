// A demo application past its employer publicity, so a newcomer can walk the rest of the process today
// (HR recommends, the applicant uploads the stamped pages and confirms) without waiting five working days.
import {
  appendAudit,
  applicationRepository,
  type Db,
  fileRepository,
  lookupHash,
  materialRepository,
  meetingRepository,
  organisationRepository,
  roundRepository,
  userRepository,
} from "@titles/db";
import type { FileStore } from "@titles/db/files";
import { addWorkingDays, defaultCalendar, publicityEnd, shanghaiDate, ZRoundConfig } from "@titles/domain";
import sharp from "sharp";
import { manifestOf } from "../app/services/applications.server";

const DEMO_APPLICANT_PHONE = "13800000012";

const form: Record<string, string> = {
  gender: "female",
  education: "master",
  school: "同济大学",
  major: "结构工程",
  graduatedOn: "2012-07-01",
  workStartedOn: "2012-08-01",
  department: "结构设计所",
  post: "结构专业负责人",
  specialty: "建筑结构",
  currentTitle: "junior",
  currentTitleOn: "2015-12-01",
  duties: "负责住宅及公共建筑结构设计、校审，参与施工配合。",
  achievements: "参与完成北京某医院门诊楼结构设计，获市优秀工程勘察设计奖三等奖。",
  papers: "2",
  projects: "北京某医院门诊楼、某中学教学楼结构设计",
  engineeringField: "construction",
};

async function samplePage(title: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1600"><rect width="1200" height="1600" fill="#fbfaf5"/><text x="100" y="200" font-size="64" font-family="Noto Serif CJK SC, serif">${title}</text><text x="100" y="320" font-size="36" font-family="Noto Serif CJK SC, serif">演示材料 · 北京市职称评审</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

export async function seedDemoApplication(
  db: Db,
  files: FileStore,
  lookupKey: string,
  now: Date,
): Promise<void> {
  const found = await userRepository.findCredentialsByLookupHash(
    db,
    lookupHash(lookupKey, DEMO_APPLICANT_PHONE),
  );
  const active = await roundRepository.findActive(db);
  if (!found || !active) return;
  const round = ZRoundConfig.parse(active.config);
  if (await applicationRepository.findLiveForRound(db, found.user.id, round.year)) return;
  const employerId = await userRepository.findEmployerId(db, found.user.id);
  const window = round.windows[0]!;
  const today = shanghaiDate(now);
  const start = addWorkingDays(today, -5, defaultCalendar);
  const end = publicityEnd(start, round.employerPublicityMinWorkingDays, defaultCalendar);
  const page = await samplePage("论文首页：高层建筑结构抗震分析");
  const stored = await files.putBuffer(page);

  await db.transaction(async (tx) => {
    const app = await applicationRepository.insert(tx, {
      applicantId: found.user.id,
      roundYear: round.year,
      windowId: window.id,
      series: "engineering",
      level: "intermediate",
      track: "regular",
      state: "publicity",
      at: now,
    });
    await applicationRepository.update(tx, app.id, {
      form,
      employerId,
      publicityStart: start,
      publicityEnd: end,
      updatedAt: now,
    });
    await fileRepository.upsert(tx, {
      sha256: stored.sha256,
      size: stored.size,
      mime: "image/jpeg",
      width: 1200,
      height: 1600,
      pages: null,
    });
    await materialRepository.insert(tx, {
      applicationId: app.id,
      kind: "achievement",
      category: "papers",
      caption: "高层建筑结构抗震分析（《建筑结构》2020 年第 5 期）",
      fileSha256: stored.sha256,
      thumbnailSha256: null,
      originalName: "paper.jpg",
      uploadedBy: found.user.id,
      at: now,
    });
    const steps: Array<[string, string, string]> = [
      ["submitToEmployer", "draft", "submitted"],
      ["employerAccept", "submitted", "employer_accepted"],
      ["startPublicity", "employer_accepted", "publicity"],
    ];
    for (const [event, fromState, toState] of steps) {
      await applicationRepository.appendEvent(tx, {
        applicationId: app.id,
        at: now,
        actorUserId: null,
        event,
        fromState,
        toState,
        data: event === "startPublicity" ? { start, end } : {},
      });
    }
    await appendAudit(tx, {
      at: now,
      actorUserId: null,
      action: "seed.demo-application",
      objectType: "application",
      objectId: app.id,
      data: { state: "publicity", publicityStart: start, publicityEnd: end },
    });
  });
}

/** Applicants whose applications wait in the agency's queue (confirmed), one per demo walk-through. */
const CONFIRMED_DEMO: Array<{
  phone: string;
  specialty: string;
  school: string;
  level: "intermediate" | "senior";
  track: "regular" | "through-train";
  /**
   * `complete`: reviewed, approved and paid, on the agenda of the demo panel meeting. `evaluating`:
   * defended, on the agenda of the demo committee meeting. `passed`: the committee voted for it at an
   * earlier meeting (its signed ballot comes with the results demo), waiting for the result publicity.
   */
  state?: "complete" | "evaluating" | "passed";
}> = [
  {
    phone: "13800000015",
    specialty: "暖通空调",
    school: "北京建筑大学",
    level: "intermediate",
    track: "regular",
  },
  {
    phone: "13800000016",
    specialty: "给水排水",
    school: "天津大学",
    level: "intermediate",
    track: "regular",
  },
  {
    phone: "13800000017",
    specialty: "建筑电气",
    school: "华北电力大学",
    level: "intermediate",
    track: "regular",
  },
  // A through-train file of a haidian unit, waiting for the district bureau's intake.
  {
    phone: "13800000018",
    specialty: "集成电路设计",
    school: "清华大学",
    level: "senior",
    track: "through-train",
  },
  // Complete (approved and paid): the agenda of the demo panel meeting.
  {
    phone: "13800000019",
    specialty: "桥梁工程",
    school: "东南大学",
    level: "intermediate",
    track: "regular",
    state: "complete",
  },
  {
    phone: "13800000020",
    specialty: "岩土工程",
    school: "同济大学",
    level: "intermediate",
    track: "regular",
    state: "complete",
  },
  // Defended (scores in), on the agenda of the demo committee meeting for the secret ballot.
  {
    phone: "13800000023",
    specialty: "建筑结构",
    school: "北京交通大学",
    level: "intermediate",
    track: "regular",
    state: "evaluating",
  },
  {
    phone: "13800000024",
    specialty: "建筑电气",
    school: "北京建筑大学",
    level: "intermediate",
    track: "regular",
    state: "evaluating",
  },
  // Passed at the committee's earlier meeting: the agency's result publicity to make (宋佳, 罗斌), and one
  // whose publicity is over, with a certificate (许静) — see demo-results.ts.
  {
    phone: "13800000025",
    specialty: "给水排水",
    school: "北京工业大学",
    level: "intermediate",
    track: "regular",
    state: "passed",
  },
  {
    phone: "13800000026",
    specialty: "工程测量",
    school: "武汉大学",
    level: "intermediate",
    track: "regular",
    state: "passed",
  },
  {
    phone: "13800000027",
    specialty: "建筑结构",
    school: "天津大学",
    level: "intermediate",
    track: "regular",
    state: "passed",
  },
];

/**
 * Confirmed applications (employer publicity done, stamped pages uploaded, receipt issued), so a
 * newcomer can walk the agency's review today: the correction notice, the approval and the payment.
 */
export async function seedConfirmedDemoApplications(
  db: Db,
  files: FileStore,
  lookupKey: string,
  now: Date,
): Promise<void> {
  const active = await roundRepository.findActive(db);
  if (!active) return;
  const round = ZRoundConfig.parse(active.config);
  const today = shanghaiDate(now);
  const start = addWorkingDays(today, -8, defaultCalendar);
  const end = publicityEnd(start, round.employerPublicityMinWorkingDays, defaultCalendar);
  const confirmedAt = new Date(now.getTime() - 86_400_000);
  const pages = {
    achievement: await files.putBuffer(await samplePage("项目验收报告：某办公楼机电工程")),
    "employer-scan": await files.putBuffer(await samplePage("单位推荐意见（盖章）")),
    "stamped-form": await files.putBuffer(await samplePage("职称申报信息表（盖章）")),
    "signed-pledge": await files.putBuffer(await samplePage("诚信承诺书（签字）")),
    "publicity-material": await files.putBuffer(await samplePage("公示材料（盖章）")),
  };
  for (const demo of CONFIRMED_DEMO) {
    const found = await userRepository.findCredentialsByLookupHash(db, lookupHash(lookupKey, demo.phone));
    if (!found) continue;
    if (await applicationRepository.findLiveForRound(db, found.user.id, round.year)) continue;
    const employerId = await userRepository.findEmployerId(db, found.user.id);
    const window = round.windows.find((w) => w.tracks.includes(demo.track));
    if (!window) continue;
    // The steps so far, on the days they would have happened.
    const on = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00+08:00`);
    const timeline: Record<string, Date> = {
      submitToEmployer: on(addWorkingDays(start, -2, defaultCalendar), 10),
      employerAccept: on(addWorkingDays(start, -1, defaultCalendar), 15),
      startPublicity: on(start, 9),
      recommend: on(addWorkingDays(end, 1, defaultCalendar), 10),
      confirm: confirmedAt,
    };
    await db.transaction(async (tx) => {
      const app = await applicationRepository.insert(tx, {
        applicantId: found.user.id,
        roundYear: round.year,
        windowId: window.id,
        series: "engineering",
        level: demo.level,
        track: demo.track,
        state: demo.state ?? "confirmed",
        at: timeline.submitToEmployer!,
      });
      for (const [kind, stored] of Object.entries(pages)) {
        await fileRepository.upsert(tx, {
          sha256: stored.sha256,
          size: stored.size,
          mime: "image/jpeg",
          width: 1200,
          height: 1600,
          pages: null,
        });
        await materialRepository.insert(tx, {
          applicationId: app.id,
          kind,
          category: kind === "achievement" ? "projects" : null,
          caption: kind === "achievement" ? "某办公楼机电工程项目验收报告" : "",
          fileSha256: stored.sha256,
          thumbnailSha256: null,
          originalName: `${kind}.jpg`,
          uploadedBy: found.user.id,
          at: now,
        });
      }
      const filled = {
        ...form,
        specialty: demo.specialty,
        school: demo.school,
        // The through-train lets outstanding people apply above the next level.
        currentTitle: demo.level === "senior" ? "intermediate" : form.currentTitle!,
      };
      // In the order confirmation reads them (kind, then position), or the receipt would not verify.
      const receipt = manifestOf(
        { ...app, form: filled },
        await materialRepository.findForApplication(tx, app.id),
      );
      await applicationRepository.update(tx, app.id, {
        form: filled,
        employerId,
        publicityStart: start,
        publicityEnd: end,
        recommendation: "经公示无异议，同意推荐。",
        confirmedAt,
        receiptHash: receipt.hash,
        updatedAt: now,
      });
      const steps: Array<[string, string, string]> = [
        ["submitToEmployer", "draft", "submitted"],
        ["employerAccept", "submitted", "employer_accepted"],
        ["startPublicity", "employer_accepted", "publicity"],
        ["recommend", "publicity", "recommended"],
        ["confirm", "recommended", "confirmed"],
        ...(demo.state
          ? ([
              ["approve", "confirmed", "approved"],
              ["pay", "approved", "complete"],
            ] as Array<[string, string, string]>)
          : []),
        ...(demo.state === "evaluating" || demo.state === "passed"
          ? ([
              ["scheduleDefense", "complete", "defense_scheduled"],
              ["startEvaluation", "defense_scheduled", "evaluating"],
            ] as Array<[string, string, string]>)
          : []),
        ...(demo.state === "passed"
          ? ([["ballotResult", "evaluating", "passed"]] as Array<[string, string, string]>)
          : []),
      ];
      for (const [event, fromState, toState] of steps) {
        await applicationRepository.appendEvent(tx, {
          applicationId: app.id,
          at: timeline[event] ?? now,
          actorUserId: null,
          event,
          fromState,
          toState,
          data: event === "startPublicity" ? { start, end } : {},
        });
      }
      await appendAudit(tx, {
        at: now,
        actorUserId: null,
        action: "seed.demo-application",
        objectType: "application",
        objectId: app.id,
        data: { state: demo.state ?? "confirmed", receiptHash: receipt.hash },
      });
    });
  }
}

const PANEL_MEETING_TITLE = "工程技术系列中级职称评审会（演示）";

/**
 * A review meeting of the engineering intermediate committee with the demo chair and experts, the two
 * complete demo applications on its agenda, and one declared recusal (郑敏 from 高雪), so a newcomer can
 * open the panel and annotate a dossier together with another expert.
 */
export async function seedDemoMeeting(db: Db, lookupKey: string, now: Date): Promise<void> {
  const active = await roundRepository.findActive(db);
  if (!active) return;
  const year = ZRoundConfig.parse(active.config).year;
  if (await meetingRepository.findByTitle(db, year, PANEL_MEETING_TITLE)) return;
  const person = async (phone: string) =>
    (await userRepository.findCredentialsByLookupHash(db, lookupHash(lookupKey, phone)))?.user ?? null;
  const chair = await person("13800000010");
  const experts = await Promise.all(["13800000007", "13800000008", "13800000009"].map(person));
  const agenda = await Promise.all(["13800000019", "13800000020"].map(person));
  if (!chair || experts.some((e) => !e) || agenda.some((a) => !a)) return;
  const apps: Array<{ id: string }> = [];
  for (const applicant of agenda) {
    const app = await applicationRepository.findLiveForRound(db, applicant!.id, year);
    if (app?.state === "complete") apps.push(app);
  }
  if (apps.length !== agenda.length) return;
  const agency = (await organisationRepository.findByKind(db, "agency")).find((o) =>
    o.series.includes("engineering"),
  );
  const tomorrow = addWorkingDays(shanghaiDate(now), 1, defaultCalendar);
  await db.transaction(async (tx) => {
    const meeting = await meetingRepository.insert(tx, {
      roundYear: year,
      series: "engineering",
      level: "intermediate",
      kind: "review",
      title: PANEL_MEETING_TITLE,
      venue: "北京市人力资源和社会保障局 第三会议室",
      startsAt: new Date(`${tomorrow}T09:00:00+08:00`),
      agencyId: agency?.id ?? null,
    });
    await meetingRepository.addMember(tx, meeting.id, chair.id, "chair");
    for (const expert of experts) await meetingRepository.addMember(tx, meeting.id, expert!.id, "expert");
    for (const app of apps) await meetingRepository.addApplication(tx, meeting.id, app.id);
    // 郑敏 declared a conflict with 高雪 (a co-author of one of her papers).
    await meetingRepository.recuse(tx, {
      meetingId: meeting.id,
      applicationId: apps[1]!.id,
      expertId: experts[2]!.id,
      source: "declared",
      reason: "曾与申报人合作发表论文",
    });
    await appendAudit(tx, {
      at: now,
      actorUserId: null,
      action: "seed.demo-meeting",
      objectType: "meeting",
      objectId: meeting.id,
      data: { applications: apps.length, members: experts.length + 1 },
    });
  });
}
