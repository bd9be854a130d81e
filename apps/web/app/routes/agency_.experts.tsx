import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { type Series, seriesLabels } from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { listExperts, ZExpertFilter } from "~/services/committees.server";

export const meta: MetaFunction = () => [{ title: "专家库 · 评审机构工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = ZExpertFilter.safeParse(params);
  const filter = parsed.success ? parsed.data : {};
  const pool = await listExperts(db(), actor, filter);
  const seriesLabel = (s: string) => seriesLabels[s as Series]?.[locale] ?? s;
  return {
    filter,
    disciplines: pool.disciplines,
    allSeries: pool.series === null,
    experts: pool.experts.map((e) => ({
      id: e.userId,
      name: e.name,
      series: seriesLabel(e.series),
      disciplines: e.disciplines,
      unit: e.unitName,
      title: e.title,
      active: e.active,
    })),
  };
}

export default function ExpertPool() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Expert pool" : "专家库"}
        lead={
          en
            ? "The experts who may be drawn into committees, review groups and defense panels of your series. The list is confidential."
            : "可抽取参加本机构负责系列评审委员会、评议组和答辩小组的专家。专家名单不公开。"
        }
      />
      <p>
        <a href="/agency">{en ? "← Back to the workspace" : "← 返回工作台"}</a> ·{" "}
        <a href="/agency/committees">{en ? "Committees" : "评审委员会"}</a> ·{" "}
        <a href="/agency/meetings">{en ? "Meetings" : "评审会议"}</a>
      </p>
      <Card title={en ? "Filter" : "筛选"}>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="f-discipline">{en ? "Discipline" : "专业"}</label>
            <select id="f-discipline" name="discipline" defaultValue={data.filter.discipline ?? ""}>
              <option value="">{en ? "All" : "全部"}</option>
              {data.disciplines.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--primary">
              {en ? "Apply" : "筛选"}
            </button>{" "}
            <a href="/agency/experts">{en ? "Clear" : "清除"}</a>
          </div>
        </Form>
      </Card>
      <Card title={en ? `${data.experts.length} experts` : `共 ${data.experts.length} 名专家`}>
        {data.experts.length === 0 ? (
          <p>{en ? "No expert matches." : "没有符合条件的专家。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="expert-pool">
              <thead>
                <tr>
                  <th scope="col">{en ? "Name" : "姓名"}</th>
                  <th scope="col">{en ? "Series" : "系列"}</th>
                  <th scope="col">{en ? "Disciplines" : "专业"}</th>
                  <th scope="col">{en ? "Unit" : "工作单位"}</th>
                  <th scope="col">{en ? "Title" : "职称"}</th>
                </tr>
              </thead>
              <tbody>
                {data.experts.map((e) => (
                  <tr key={e.id}>
                    <td>
                      {e.name}
                      {e.active ? null : <span className="meta"> ({en ? "inactive" : "已停用"})</span>}
                    </td>
                    <td>{e.series}</td>
                    <td>{e.disciplines.join("、") || "—"}</td>
                    <td>{e.unit ?? "—"}</td>
                    <td>{e.title || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
