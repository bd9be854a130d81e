import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import type { Labels } from "@titles/domain";
import { Alert, Button, Card, type Locale, PageHeading, SelectField, useI18n } from "@titles/ui";
import { ConfirmationCurveView, FunnelChartView } from "~/components/dashboard-charts";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { dashboardRequest, loadDashboard, type Subtotal } from "~/services/dashboard.server";

export const meta: MetaFunction = () => [{ title: "本轮统计 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope, scopeLabel, roundYear, roundYears } = await dashboardRequest(request);
  const dashboard = await loadDashboard(db(), { roundYear, scope }, now());
  // Only the city bureau publishes senior results; a district bureau reads the statistics of its district.
  return { dashboard, scopeLabel, roundYears, publishesResults: scope.kind === "city" };
}

const percent = (part: number, whole: number, locale: Locale) =>
  whole > 0
    ? (part / whole).toLocaleString(locale, {
        style: "percent",
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      })
    : "—";

function SubtotalTable({
  caption,
  heading,
  rows,
  locale,
}: {
  caption: string;
  heading: string;
  rows: Subtotal[];
  locale: Locale;
}) {
  const en = locale === "en";
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="card__title" style={{ textAlign: "left", fontSize: "1rem" }}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">{en ? "Applications" : "申报数"}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" style={{ background: "none", fontWeight: "normal" }}>
                {r.label[locale]}
              </th>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function BureauDashboard() {
  const { dashboard, scopeLabel, roundYears, publishesResults } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const label = (l: Labels) => l[locale];
  const submitted = dashboard.funnel[0]?.count ?? 0;
  const stageCount = (stage: string) => dashboard.funnel.find((f) => f.stage === stage)?.count ?? 0;
  const query = `?year=${dashboard.roundYear}`;
  const confirmedTotal = dashboard.daily.at(-1)?.cumulative ?? 0;

  return (
    <>
      <PageHeading
        title={t("bureau.title")}
        lead={
          en
            ? `The ${dashboard.roundYear} round · ${label(scopeLabel)} · figures as of ${dashboard.takenAtBeijing} (Beijing time, server clock)`
            : `${dashboard.roundYear} 年度评审 · ${label(scopeLabel)} · 统计时间 ${dashboard.takenAtBeijing}（北京时间，以服务器时间为准）`
        }
      />
      <Card>
        <div className="button-row" style={{ alignItems: "flex-end", flexWrap: "wrap" }}>
          <form method="get" className="button-row" style={{ alignItems: "flex-end", flexWrap: "wrap" }}>
            <SelectField
              label={en ? "Round" : "评审年度"}
              name="year"
              defaultValue={String(dashboard.roundYear)}
              options={roundYears.map((y) => ({ value: String(y), label: en ? String(y) : `${y} 年度` }))}
            />
            <Button variant="secondary">{en ? "Show" : "查看"}</Button>
          </form>
          <a className="button button--secondary" href={`/bureau/export.csv${query}`} download>
            {en ? "Download CSV" : "下载 CSV"}
          </a>
          <a className="button button--secondary" href={`/bureau/export.xlsx${query}`} download>
            {en ? "Download Excel (XLSX)" : "下载 Excel（XLSX）"}
          </a>
          {publishesResults ? (
            <a className="button button--secondary" href="/bureau/results" data-testid="bureau-results-link">
              {en ? "Result publicity" : "评审结果公示"}
            </a>
          ) : null}
        </div>
        <p className="meta">
          {en
            ? "The CSV is UTF-8 with a byte-order mark; its header row is Chinese with the English in parentheses."
            : "CSV 为带 BOM 的 UTF-8 编码，可直接用 Excel 打开；表头为中文，括号内为英文。"}
        </p>
      </Card>

      <div className="grid" data-testid="dashboard-summary">
        <Card title={en ? "Applications" : "申报总数"}>
          <p style={{ fontSize: "2rem", margin: 0 }}>{dashboard.total}</p>
        </Card>
        <Card title={en ? "Confirmed (so far)" : "确认申报（累计）"}>
          <p style={{ fontSize: "2rem", margin: 0 }}>{stageCount("confirmed")}</p>
        </Card>
        <Card title={en ? "Complete (paid)" : "已完成申报（已缴费）"}>
          <p style={{ fontSize: "2rem", margin: 0 }}>{stageCount("complete")}</p>
        </Card>
      </div>

      {dashboard.total === 0 ? (
        <Alert tone="info">{en ? "No application in this round yet." : "本年度尚无申报。"}</Alert>
      ) : null}

      <Card title={en ? "Funnel" : "申报漏斗"}>
        <p className="meta">
          {en
            ? "Each application counts in every stage it has passed, including those that later ended (given up, declined)."
            : "每份申报计入其已经过的每个环节，之后终止（视为放弃、审核未通过等）的申报也计入。"}
        </p>
        <FunnelChartView
          data={dashboard.funnel.map((f) => ({ label: label(f.label), count: f.count }))}
          placeholder={
            en ? "Loading the chart… the table below has the numbers." : "图表加载中……数据见下表。"
          }
        />
        <div className="table-scroll">
          <table className="data" data-testid="funnel-table">
            <caption className="visually-hidden">{en ? "Funnel" : "申报漏斗"}</caption>
            <thead>
              <tr>
                <th scope="col">{en ? "Stage" : "环节"}</th>
                <th scope="col">{en ? "Applications" : "申报数"}</th>
                <th scope="col">{en ? "Share of submitted" : "占提交单位审核比例"}</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.funnel.map((f) => (
                <tr key={f.stage}>
                  <th scope="row" style={{ background: "none", fontWeight: "normal" }}>
                    {label(f.label)}
                  </th>
                  <td>{f.count}</td>
                  <td>{percent(f.count, submitted, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card title={en ? "Confirmations per day" : "每日确认申报"}>
        <p className="meta">
          {en
            ? `By the day (Beijing time) each application was first confirmed; ${confirmedTotal} in all.`
            : `按申报人首次确认申报的日期（北京时间）统计，共 ${confirmedTotal} 份。`}
        </p>
        {dashboard.daily.length === 0 ? (
          <p>{en ? "No day to show yet." : "暂无可显示的日期。"}</p>
        ) : (
          <>
            <ConfirmationCurveView
              data={dashboard.daily}
              labels={{
                count: en ? "Confirmed that day" : "当日确认",
                cumulative: en ? "Cumulative" : "累计确认",
              }}
              placeholder={
                en ? "Loading the chart… the table below has the numbers." : "图表加载中……数据见下表。"
              }
            />
            <details>
              <summary>
                {en
                  ? `The numbers per day (${dashboard.daily.length} days)`
                  : `每日数据表（共 ${dashboard.daily.length} 天）`}
              </summary>
              <div className="table-scroll">
                <table className="data" data-testid="daily-table">
                  <caption className="visually-hidden">
                    {en ? "Confirmations per day" : "每日确认申报"}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{en ? "Date" : "日期"}</th>
                      <th scope="col">{en ? "Confirmed that day" : "当日确认"}</th>
                      <th scope="col">{en ? "Cumulative" : "累计确认"}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard.daily.map((d) => (
                      <tr key={d.day}>
                        <th scope="row" style={{ background: "none", fontWeight: "normal" }}>
                          {d.day}
                        </th>
                        <td>{d.count}</td>
                        <td>{d.cumulative}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </Card>

      <Card title={en ? "Subtotals" : "分项合计"}>
        <div className="grid">
          <SubtotalTable
            caption={en ? "By series" : "按系列"}
            heading={en ? "Series" : "系列"}
            rows={dashboard.bySeries}
            locale={locale}
          />
          <SubtotalTable
            caption={en ? "By level" : "按级别"}
            heading={en ? "Level" : "级别"}
            rows={dashboard.byLevel}
            locale={locale}
          />
          <SubtotalTable
            caption={en ? "By track" : "按通道"}
            heading={en ? "Track" : "通道"}
            rows={dashboard.byTrack}
            locale={locale}
          />
          <SubtotalTable
            caption={en ? "By state" : "按状态"}
            heading={en ? "State" : "状态"}
            rows={dashboard.byState}
            locale={locale}
          />
        </div>
      </Card>

      <Card title={en ? "By series, level, track and state" : "按系列、级别、通道和状态统计"}>
        <div className="table-scroll">
          <table className="data" data-testid="breakdown-table">
            <caption className="visually-hidden">
              {en ? "By series, level, track and state" : "按系列、级别、通道和状态统计"}
            </caption>
            <thead>
              <tr>
                <th scope="col">{en ? "Series" : "系列"}</th>
                <th scope="col">{en ? "Level" : "级别"}</th>
                <th scope="col">{en ? "Track" : "通道"}</th>
                <th scope="col">{en ? "State" : "状态"}</th>
                <th scope="col">{en ? "Applications" : "申报数"}</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.rows.map((r) => (
                <tr key={`${r.series}/${r.level}/${r.track}/${r.state}`}>
                  <td>{label(r.labels.series)}</td>
                  <td>{label(r.labels.level)}</td>
                  <td>{label(r.labels.track)}</td>
                  <td>{label(r.labels.state)}</td>
                  <td>{r.count}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  {en ? "Total" : "合计"}
                </th>
                <td data-testid="breakdown-total">{dashboard.total}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </Card>
    </>
  );
}

/** Refusals and bad rounds say why, in place (the root boundary shows the reason only for 403). */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t, locale } = useI18n();
  const reason = isRouteErrorResponse(error) ? (error.data as { reason?: string } | null)?.reason : undefined;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="narrow">
      <h1>{status === 403 ? t("forbidden.title") : t("bureau.title")}</h1>
      <div className="alert alert--error" role="alert">
        <p>{reason ?? t("error.title")}</p>
      </div>
      {status === 403 ? (
        <a href="/dashboard">{t("forbidden.back")}</a>
      ) : (
        <a href="/bureau">{locale === "en" ? "Back to the current round" : "返回当前评审年度"}</a>
      )}
    </div>
  );
}
