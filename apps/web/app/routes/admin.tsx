import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { calendarRepository, verifyAuditChain } from "@titles/db";
import { Alert, Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";

export const meta: MetaFunction = () => [{ title: "市人社局管理 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const [calendar, audit] = await Promise.all([calendarRepository.findAll(db()), verifyAuditChain(db())]);
  return {
    calendar: calendar.map((c) => ({ year: c.year, holidays: c.holidays.length, workdays: c.workdays })),
    audit,
  };
}

export default function AdminWorkspace() {
  const { calendar, audit } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={t("role.admin")}
        lead={en ? "Rounds, calendars and the audit log." : "评审年度、节假日表与审计日志。"}
      />
      <Card title={t("bureau.title")}>
        <p>
          {en
            ? "Counts per series, level, track and state, the funnel and the daily confirmations; CSV and Excel export."
            : "按系列、级别、通道和状态的申报统计、申报漏斗和每日确认曲线，可导出 CSV 和 Excel。"}
        </p>
        <a href="/bureau">{t("bureau.title")} →</a>
      </Card>
      <Card title={en ? "Audit log" : "审计日志"}>
        {audit.ok ? (
          <Alert tone="success">
            {en ? `Chain intact: ${audit.count} records.` : `审计链完整，共 ${audit.count} 条记录。`}
          </Alert>
        ) : (
          <Alert tone="error">
            {en
              ? `Chain broken at record ${audit.brokenAt}: ${audit.reason}`
              : `审计链在第 ${audit.brokenAt} 条记录处断开：${audit.reason}`}
          </Alert>
        )}
      </Card>
      <Card title={en ? "Official holiday tables" : "法定节假日表"}>
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{en ? "Year" : "年份"}</th>
                <th scope="col">{en ? "Days off" : "放假天数"}</th>
                <th scope="col">{en ? "Weekend days worked" : "调休上班日"}</th>
              </tr>
            </thead>
            <tbody>
              {calendar.map((c) => (
                <tr key={c.year}>
                  <td>{c.year}</td>
                  <td>{c.holidays}</td>
                  <td>{c.workdays.join("、")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
