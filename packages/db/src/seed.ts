import {
  addDays,
  dayNumber,
  officialCalendarYears,
  type RoundConfig,
  round2021,
  shanghaiDate,
  yearOf,
  ZRoundConfig,
} from "@titles/domain";
import type { Db } from "./client";
import { lookupHash } from "./crypto";
import { organisationRepository } from "./repositories/organisations";
import { calendarRepository, roundRepository } from "./repositories/rounds";
import { userRepository } from "./repositories/users";

export interface DemoLogin {
  role: string;
  label: string;
  name: string;
  phone: string;
  idNumber: string;
}

/** Everyone shares one demo password; the start script prints it with the logins. */
export const DEMO_PASSWORD = "Titles-Demo-2021";

const ORGS = [
  {
    key: "unit1",
    kind: "employer",
    name: "北京示例科技有限公司",
    creditCode: "91110108MA00000001",
    district: "haidian",
  },
  {
    key: "unit2",
    kind: "employer",
    name: "北京市示例建筑设计研究院",
    creditCode: "12110000400000002X",
    district: "chaoyang",
  },
  {
    key: "agencyEng",
    kind: "agency",
    name: "北京市工程技术系列职称评审服务机构",
    series: ["engineering", "natural-science-research", "social-science-research"],
  },
  {
    key: "agencyEcon",
    kind: "agency",
    name: "北京市经济系列职称评审服务机构",
    series: ["economics", "accounting"],
  },
  { key: "haidian", kind: "district-bureau", name: "海淀区人力资源和社会保障局", district: "haidian" },
  { key: "chaoyang", kind: "district-bureau", name: "朝阳区人力资源和社会保障局", district: "chaoyang" },
  { key: "city", kind: "city-bureau", name: "北京市人力资源和社会保障局" },
  { key: "pool", kind: "expert-pool", name: "北京市职称评审专家库" },
] as const;

type OrgKey = (typeof ORGS)[number]["key"];

const PEOPLE: Array<{
  role: string;
  label: string;
  name: string;
  phone: string;
  idNumber: string;
  org?: OrgKey;
  employer?: OrgKey;
  extraRoles?: Array<{ role: string; org?: OrgKey }>;
}> = [
  {
    role: "applicant",
    label: "申报人 Applicant",
    name: "张伟",
    phone: "13800000001",
    idNumber: "110108198503120011",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (B)",
    name: "李娜",
    phone: "13800000002",
    idNumber: "110105199001010029",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (C, 公示已结束)",
    name: "赵敏",
    phone: "13800000012",
    idNumber: "110108198008080120",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (D, 待机构审核)",
    name: "孙浩",
    phone: "13800000015",
    idNumber: "110108198603150138",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (E, 待机构审核)",
    name: "马琳",
    phone: "13800000016",
    idNumber: "110105198704160141",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (F, 待机构审核)",
    name: "黄磊",
    phone: "13800000017",
    idNumber: "110108198805170153",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (G, 直通车待区接收)",
    name: "周杰",
    phone: "13800000018",
    idNumber: "11010819790618017X",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (H, 已完成，待专家评审)",
    name: "林峰",
    phone: "13800000019",
    idNumber: "11010819840212016X",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (I, 已完成，待专家评审)",
    name: "高雪",
    phone: "13800000020",
    idNumber: "110105198503130173",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (J, 评审中，待委员会投票)",
    name: "唐宁",
    phone: "13800000023",
    idNumber: "11010819880808201X",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (K, 评审中，待委员会投票)",
    name: "韩雨",
    phone: "13800000024",
    idNumber: "110105198909092023",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (L, 评审通过，待结果公示)",
    name: "宋佳",
    phone: "13800000025",
    idNumber: "110108199102140219",
    employer: "unit1",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (M, 评审通过，待结果公示)",
    name: "罗斌",
    phone: "13800000026",
    idNumber: "110105198903210244",
    employer: "unit2",
  },
  {
    role: "applicant",
    label: "申报人 Applicant (N, 已获电子证书)",
    name: "许静",
    phone: "13800000027",
    idNumber: "110108198611070250",
    employer: "unit1",
  },
  {
    role: "hr",
    label: "单位人事 Employer HR",
    name: "王芳",
    phone: "13800000003",
    idNumber: "110101197806150032",
    org: "unit1",
  },
  {
    role: "hr",
    label: "单位人事 Employer HR (B)",
    name: "刘洋",
    phone: "13800000004",
    idNumber: "110102198209200047",
    org: "unit2",
  },
  {
    role: "agency",
    label: "评审机构 Agency",
    name: "赵强",
    phone: "13800000005",
    idNumber: "110108197001010053",
    org: "agencyEng",
  },
  {
    role: "agency",
    label: "评审机构(经济) Agency",
    name: "冯涛",
    phone: "13800000014",
    idNumber: "11010819760808012X",
    org: "agencyEcon",
  },
  {
    role: "district",
    label: "区人社局 District",
    name: "孙丽",
    phone: "13800000006",
    idNumber: "110108197102020066",
    org: "haidian",
  },
  {
    role: "district",
    label: "区人社局(朝阳) District",
    name: "何平",
    phone: "13800000013",
    idNumber: "110105197609090136",
    org: "chaoyang",
  },
  {
    role: "expert",
    label: "评审专家 Expert",
    name: "周明",
    phone: "13800000007",
    idNumber: "110108197203030079",
    org: "pool",
  },
  {
    role: "expert",
    label: "评审专家 Expert",
    name: "吴刚",
    phone: "13800000008",
    idNumber: "110108197304040081",
    org: "pool",
  },
  {
    role: "expert",
    label: "评审专家 Expert",
    name: "郑敏",
    phone: "13800000009",
    idNumber: "110108197405050094",
    org: "pool",
  },
  {
    role: "expert",
    label: "评审专家 Expert (委员会委员)",
    name: "陈晨",
    phone: "13800000021",
    idNumber: "110108197611112030",
    org: "pool",
  },
  {
    role: "expert",
    label: "评审专家 Expert (委员会委员)",
    name: "王磊",
    phone: "13800000022",
    idNumber: "110108197712122043",
    org: "pool",
  },
  {
    role: "chair",
    label: "主任委员 Chair",
    name: "钱华",
    phone: "13800000010",
    idNumber: "110108197506060101",
    org: "pool",
    extraRoles: [{ role: "expert", org: "pool" }],
  },
  {
    role: "admin",
    label: "市人社局 Admin",
    name: "陈静",
    phone: "13800000011",
    idNumber: "110108196907070111",
    org: "city",
  },
];

export const demoLogins: DemoLogin[] = PEOPLE.map(({ role, label, name, phone, idNumber }) => ({
  role,
  label,
  name,
  phone,
  idNumber,
}));

export interface SeedOptions {
  hashPassword: (password: string) => Promise<string>;
  lookupKey: string;
  now: Date;
}

/** Shifts every YYYY-MM-DD date in a configuration by whole days. */
function shiftDates<T>(value: T, days: number): T {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10) as T;
  }
  if (Array.isArray(value)) return value.map((v) => shiftDates(v, days)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, days)])) as T;
  }
  return value;
}

/**
 * The demo round: the 2021 configuration with every window moved to have opened a week ago (each
 * keeps its length and advice dates), so a newcomer can walk the process today. The 2021 round
 * itself is kept, inactive, as the reference.
 */
export function demoRound(now: Date): RoundConfig {
  const opens = addDays(shanghaiDate(now), -7);
  const base = round2021.windows[0]!.opens;
  const roundShift = dayNumber(opens) - dayNumber(base);
  return ZRoundConfig.parse({
    ...shiftDates(round2021, roundShift),
    year: yearOf(opens),
    windows: round2021.windows.map((w) => shiftDates(w, dayNumber(opens) - dayNumber(w.opens))),
  });
}

/** Idempotent: running it again adds nothing that is already there. */
export async function seedDemo(db: Db, options: SeedOptions): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of officialCalendarYears) {
      const existing = (await calendarRepository.findAll(tx)).find((t) => t.year === table.year);
      if (!existing)
        await calendarRepository.upsert(tx, {
          year: table.year,
          holidays: [...table.holidays],
          workdays: [...table.workdays],
        });
    }
    await roundRepository.upsert(tx, 2021, round2021, false);
    const demo = demoRound(options.now);
    if (demo.year === 2021) throw new Error("the demo round would overwrite the 2021 reference round");
    await roundRepository.upsert(tx, demo.year, demo, true);

    const orgIds = new Map<OrgKey, string>();
    for (const org of ORGS) {
      const found = await organisationRepository.findByName(tx, org.kind, org.name);
      const row =
        found ??
        (await organisationRepository.insert(tx, {
          kind: org.kind,
          name: org.name,
          creditCode: "creditCode" in org ? org.creditCode : null,
          district: "district" in org ? org.district : null,
          series: "series" in org ? [...org.series] : [],
        }));
      orgIds.set(org.key, row.id);
    }

    const passwordHash = await options.hashPassword(DEMO_PASSWORD);
    for (const person of PEOPLE) {
      const idNumberHash = lookupHash(options.lookupKey, person.idNumber);
      const existing = await userRepository.findCredentialsByLookupHash(tx, idNumberHash);
      const user =
        existing?.user ??
        (await userRepository.insert(tx, {
          name: person.name,
          idType: "mainland",
          idNumber: person.idNumber,
          idNumberHash,
          phone: person.phone,
          phoneHash: lookupHash(options.lookupKey, person.phone),
          passwordHash,
          phoneVerifiedAt: options.now,
        }));
      const grants = [{ role: person.role, org: person.org }, ...(person.extraRoles ?? [])];
      for (const grant of grants) {
        await userRepository.grantRole(tx, user.id, grant.role, grant.org ? orgIds.get(grant.org)! : null);
      }
      if (person.employer) await userRepository.setEmployer(tx, user.id, orgIds.get(person.employer)!);
    }
  });
}
