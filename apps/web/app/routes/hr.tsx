import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { applicationRepository, userRepository } from "@titles/db";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { summarise } from "~/lib/application-view.server";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";

export const meta: MetaFunction = () => [{ title: "单位人事工作台 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["hr"]);
  const locale = localeOf(request);
  // HR acts for its own unit(s) only; the list comes from the grants, never from the request.
  const units = actor.roles.filter((r) => r.role === "hr" && r.organisationId);
  return {
    units: await Promise.all(
      units.map(async (u) => ({
        id: u.organisationId!,
        name: u.organisationName ?? "",
        inbox: (await applicationRepository.findForEmployer(db(), u.organisationId!)).map((a) => ({
          ...summarise(a, locale),
          updatedAt: a.updatedAt.toISOString(),
          publicity: a.publicityStart ? `${a.publicityStart} – ${a.publicityEnd}` : null,
        })),
        staff: (await userRepository.findByEmployer(db(), u.organisationId!)).map((s) => ({
          id: s.id,
          name: s.name,
        })),
      })),
    ),
  };
}

export default function HrWorkspace() {
  const { units } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={t("role.hr")}
        lead={
          en
            ? "Applications from your staff arrive here for review and publicity."
            : "本单位职工提交的职称申报在此审核、公示和推荐。"
        }
      />
      {units.map((unit) => (
        <div key={unit.id}>
          <Card title={`${unit.name} · ${en ? "Inbox" : "待办申报"}`}>
            {unit.inbox.length === 0 ? (
              <p>{en ? "No application has reached your unit yet." : "暂无提交到本单位的申报。"}</p>
            ) : (
              <div className="table-scroll">
                <table className="data" data-testid="hr-inbox">
                  <thead>
                    <tr>
                      <th scope="col">{en ? "Applicant" : "申报人"}</th>
                      <th scope="col">{en ? "Series and level" : "系列与级别"}</th>
                      <th scope="col">{en ? "State" : "状态"}</th>
                      <th scope="col">{en ? "Publicity" : "公示期"}</th>
                      <th scope="col">{en ? "Updated" : "更新时间"}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {unit.inbox.map((a) => (
                      <tr key={a.id}>
                        <td>
                          <a href={`/hr/applications/${a.id}`}>{a.applicantName}</a>
                        </td>
                        <td>
                          {a.seriesLabel} · {a.levelLabel}
                        </td>
                        <td>{a.stateLabel}</td>
                        <td>{a.publicity ?? "—"}</td>
                        <td>
                          {new Date(a.updatedAt).toLocaleString(locale, {
                            timeZone: "Asia/Shanghai",
                            hour12: false,
                          })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card title={en ? "Registered staff" : "本单位已注册的申报人"}>
            <ul data-testid="unit-staff">
              {unit.staff.map((s) => (
                <li key={s.id}>{s.name}</li>
              ))}
            </ul>
          </Card>
        </div>
      ))}
    </>
  );
}
