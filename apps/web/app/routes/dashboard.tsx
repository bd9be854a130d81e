import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { applicationRepository } from "@titles/db";
import {
  type ApplicationState,
  nextStepHint,
  type Role,
  roleLabels,
  type Track,
  timelineStage,
  timelineStages,
} from "@titles/domain";
import {
  Alert,
  Card,
  type MessageKey,
  PageHeading,
  ProcessSteps,
  timelineStageKeys,
  useI18n,
} from "@titles/ui";
import { WindowList } from "~/components/window-list";
import { summarise } from "~/lib/application-view.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { activeRound, windowSummaries } from "~/lib/round.server";

export const meta: MetaFunction = () => [{ title: "我的工作台 · 北京市职称评审申报系统" }];

/** Each role's workspace and the one thing it does next. */
const workspaces: Record<Role, { href: string; next: { "zh-CN": string; en: string } }> = {
  applicant: {
    href: "/dashboard",
    next: {
      "zh-CN":
        "在申报时间内选择系列、级别并填报申报信息，然后提交工作单位审核（单位需公示不少于 5 个工作日）。",
      en: "During the window, choose series and level, fill in the application, then submit it to your employer (its publicity takes at least 5 working days).",
    },
  },
  hr: {
    href: "/hr",
    next: {
      "zh-CN": "审核本单位职工提交的申报，组织公示并填写推荐意见。",
      en: "Review your staff's applications, run the publicity and write the recommendation.",
    },
  },
  agency: {
    href: "/agency",
    next: {
      "zh-CN": "审核已确认的申报材料，必要时一次性告知补正内容。",
      en: "Review confirmed applications and send one correction notice where needed.",
    },
  },
  district: {
    href: "/district",
    next: {
      "zh-CN": "接收本区“直通车”申报材料，组织推委会推荐。",
      en: "Receive the district's through-train files and run the recommendation committee.",
    },
  },
  expert: {
    href: "/expert",
    next: {
      "zh-CN": "进入专家工作台查看您参加的评审会议。",
      en: "Open the panel to see the meetings you sit in.",
    },
  },
  chair: {
    href: "/expert",
    next: {
      "zh-CN": "在专家工作台主持评审会议：点名、投票与签署结果。",
      en: "Preside over meetings in the panel: roll call, ballots and signing.",
    },
  },
  admin: {
    href: "/admin",
    next: {
      "zh-CN": "维护评审年度、申报时间与节假日表，核验审计日志。",
      en: "Maintain rounds, windows and holiday tables; verify the audit log.",
    },
  },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const welcome = new URL(request.url).searchParams.has("welcome");
  const isApplicant = actor.roles.some((r) => r.role === "applicant");
  const applications = isApplicant ? await applicationRepository.findByApplicant(db(), actor.user.id) : [];
  const windows = isApplicant
    ? windowSummaries(await activeRound(), new Date(), locale).filter((w) => w.status !== "closed")
    : [];
  return {
    welcome,
    isApplicant,
    windows,
    applications: applications.map((a) => summarise(a, locale)),
    // Where the newest application stands; a new applicant is at the first stage.
    stageIndex: (() => {
      const stage = applications[0] ? timelineStage(applications[0].state as ApplicationState) : "fill";
      return stage ? timelineStages.indexOf(stage) : -1;
    })(),
    name: actor.user.name,
    roles: actor.roles.map((grant) => {
      const role = grant.role as Role;
      return {
        role,
        label: roleLabels[role]?.[locale] ?? grant.role,
        organisation: grant.organisationName,
        href: workspaces[role]?.href ?? "/dashboard",
        next:
          role === "applicant" && applications[0]
            ? nextStepHint(applications[0].state as ApplicationState, locale, {
                track: applications[0].track as Track,
              })
            : (workspaces[role]?.next[locale] ?? ""),
      };
    }),
  };
}

export default function Dashboard() {
  const { name, roles, welcome, isApplicant, windows, applications, stageIndex } =
    useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeading title={t("dashboard.title")} lead={t("dashboard.welcome", { name })} />
      {welcome ? <Alert tone="success">{t("register.title")} ✓</Alert> : null}
      <Card title={t("dashboard.roles")}>
        <ul className="roles">
          {roles.map((r) => (
            <li key={`${r.role}-${r.organisation}`}>
              {r.label}
              {r.organisation ? ` · ${r.organisation}` : ""}
            </li>
          ))}
        </ul>
      </Card>
      {isApplicant ? (
        <Card title={locale === "en" ? "My applications" : "我的申报"}>
          {applications.length === 0 ? (
            <a className="button button--primary" href="/applications/new">
              {locale === "en" ? "Start an application" : "新建职称申报"}
            </a>
          ) : (
            <ul data-testid="my-applications">
              {applications.map((a) => (
                <li key={a.id}>
                  <a href={`/applications/${a.id}`}>
                    {a.seriesLabel} · {a.levelLabel} · {a.trackLabel}
                  </a>{" "}
                  <span className="badge badge--upcoming">{a.stateLabel}</span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/certificates" data-testid="certificates-link">
              {locale === "en" ? "Professional qualification certificates →" : "专业技术人员资格证书 →"}
            </a>
          </p>
        </Card>
      ) : null}
      {isApplicant ? (
        <div className="grid">
          <Card title={t("home.process")}>
            <ProcessSteps
              current={stageIndex}
              steps={timelineStages.map((stage) => ({ key: timelineStageKeys[stage] }))}
            />
          </Card>
          <Card title={t("dashboard.dates")}>
            <WindowList windows={windows} />
          </Card>
        </div>
      ) : null}
      <div className="grid">
        {roles.map((r) => (
          <Card key={`${r.role}-${r.organisation}-next`} title={`${r.label} · ${t("dashboard.next")}`}>
            <p>{r.next}</p>
            {r.href !== "/dashboard" ? <a href={r.href}>{t(`role.${r.role}` as MessageKey)} →</a> : null}
            {r.role === "admin" || r.role === "district" ? (
              <p>
                <a href="/bureau">{t("bureau.title")} →</a>
              </p>
            ) : null}
            {r.role === "admin" ? (
              <p>
                <a href="/bureau/certificates">
                  {locale === "en" ? "Electronic certificates →" : "电子职称证书管理 →"}
                </a>
              </p>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  );
}
