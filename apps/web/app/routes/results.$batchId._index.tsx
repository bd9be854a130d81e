import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { complaintWindowError, isDomainError, type Series, seriesLabels } from "@titles/domain";
import { Button, Card, PageHeading, useI18n } from "@titles/ui";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { publicCacheControl } from "~/lib/result-pages.server";
import { BUREAU_NAME, publicBatchPage } from "~/services/results.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `${d.batch.title} · 评审结果公示` : "评审结果公示" },
];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({
  "Cache-Control": loaderHeaders.get("Cache-Control") ?? "no-store",
});

/**
 * One published list, public: 50 a page, searchable by name or unit (one query for the page and one
 * count), and while the publicity runs a “投诉” link per row. Never an ID number: the entries are a
 * snapshot of name, unit, series, specialty and qualification only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = localeOf(request);
  const url = new URL(request.url);
  const page = await publicBatchPage(db(), params.batchId, {
    q: url.searchParams.get("q") ?? undefined,
    page: url.searchParams.get("page") ?? undefined,
  }).catch((error) => {
    if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
    throw error;
  });
  const b = page.batch;
  const windowError = complaintWindowError(now(), {
    state: b.state,
    publicityStart: b.publicityStart || null,
    publicityEnd: b.publicityEnd || null,
  });
  const open = windowError === undefined;
  const notYet = windowError?.code === "COMPLAINT_WINDOW_NOT_OPEN";
  return data(
    {
      batch: {
        id: b.id,
        title: b.title,
        publisher: b.publisher === "bureau" ? BUREAU_NAME : (b.agencyName ?? ""),
        state: b.state,
        publicityStart: b.publicityStart,
        publicityEnd: b.publicityEnd,
      },
      open,
      notYet,
      rows: page.rows.map((r) => ({
        id: r.id,
        position: r.position,
        name: r.name,
        unit: r.unitName || "—",
        series: seriesLabels[r.series as Series]?.[locale] ?? r.series,
        specialty: r.specialty || "—",
        qualification: r.qualification,
        // Upheld after a complaint: the listing stays (it was published) but says the result was withdrawn.
        overturned: r.outcome === "overturned",
      })),
      total: page.total,
      page: page.page,
      pages: page.pages,
      q: page.q,
    },
    { headers: { "Cache-Control": publicCacheControl() } },
  );
}

// A table on wide screens, a card per person on a phone.
const css = `
.result-cards { display: none; list-style: none; padding: 0; margin: 0; }
.result-cards li { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 0 0 8px; background: #fff; }
.result-cards .result-name { font-weight: 700; font-size: 1.05rem; }
@media (max-width: 640px) {
  .result-table { display: none; }
  .result-cards { display: block; }
}
.pager { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-top: 12px; }
`;

/** The qualification obtained, or — struck through — the one withdrawn after an upheld complaint. */
function Qualification({ row }: { row: { qualification: string; overturned: boolean } }) {
  const { locale } = useI18n();
  if (!row.overturned) return <>{row.qualification}</>;
  return (
    <>
      <s>{row.qualification}</s>{" "}
      <span className="badge badge--closed" data-testid="entry-overturned">
        {locale === "en" ? "Withdrawn after re-review" : "经复查撤销"}
      </span>
    </>
  );
}

export default function PublicBatch() {
  const d = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  const b = d.batch;
  const link = (page: number) => {
    const params = new URLSearchParams();
    if (d.q) params.set("q", d.q);
    if (page > 1) params.set("page", String(page));
    const qs = params.toString();
    return `/results/${b.id}${qs ? `?${qs}` : ""}`;
  };
  const complain = (entryId: string) => `/results/${b.id}/complaint?entry=${entryId}`;
  return (
    <>
      <style>{css}</style>
      <PageHeading title={b.title}>
        <p>
          {b.publisher} ·{" "}
          <span
            className={b.state === "publicity" ? "badge badge--open" : "badge badge--closed"}
            data-testid="public-batch-state"
          >
            {b.state === "publicity" ? (en ? "Under publicity" : "公示中") : en ? "Ended" : "已结束"}
          </span>
        </p>
        <p data-testid="public-batch-dates">
          {en
            ? `Publicity: ${b.publicityStart} – ${b.publicityEnd} (until 24:00 Beijing time).`
            : `公示期：${b.publicityStart} 至 ${b.publicityEnd}（最后一日24时止）。`}
        </p>
      </PageHeading>
      <p>
        <a href="/results">{en ? "← All lists" : "← 返回公示列表"}</a> ·{" "}
        <a href={`/results/${b.id}/list.pdf`} data-testid="public-list-pdf">
          {en ? "Printable list (PDF)" : "公示名单（PDF，可打印）"}
        </a>
      </p>
      <Card title={en ? "How to complain" : "如何投诉"}>
        <p data-testid="how-to-complain">
          {d.open
            ? en
              ? `Until the end of ${b.publicityEnd}, anyone may complain about a listed result: choose “Complain” on the person's row, state the facts, leave a contact phone and add evidence if you have it. You get a reference number to follow the complaint.`
              : `公示期内（至 ${b.publicityEnd} 24时），任何单位和个人对公示人员的评审结果有异议的，可点击该人员所在行的“投诉”，写明事实和理由，留下联系电话，并可上传证明材料。提交后获得投诉编号，可凭编号和手机号查询处理结果。`
            : d.notYet
              ? en
                ? `Complaints are accepted from ${b.publicityStart} 00:00 until the end of ${b.publicityEnd} (Beijing time).`
                : `投诉受理时间为 ${b.publicityStart} 0时至 ${b.publicityEnd} 24时（北京时间）。`
              : en
                ? `The publicity ended on ${b.publicityEnd}; complaints are no longer accepted.`
                : `本批次公示已于 ${b.publicityEnd} 结束，不再受理投诉。`}{" "}
          <a href="/complaints">{en ? "Follow a complaint" : "投诉处理查询"}</a>
        </p>
      </Card>
      <Card title={en ? `List (${d.total})` : `公示名单（共 ${d.total} 人）`}>
        <Form method="get" className="filters" role="search">
          <div className="field">
            <label htmlFor="q">{en ? "Name or unit" : "姓名或工作单位"}</label>
            <input id="q" name="q" type="search" defaultValue={d.q} maxLength={40} />
          </div>
          <div className="filters__actions">
            <Button variant="secondary">{en ? "Search" : "查询"}</Button>
          </div>
        </Form>
        {d.q ? (
          <p className="meta" data-testid="search-summary">
            {en ? `${d.total} found for “${d.q}”.` : `“${d.q}”共查到 ${d.total} 人。`}{" "}
            <a href={`/results/${b.id}`}>{en ? "Show all" : "显示全部"}</a>
          </p>
        ) : null}
        {d.rows.length === 0 ? (
          <p className="meta">{en ? "No one matches." : "没有符合条件的人员。"}</p>
        ) : (
          <>
            <div className="table-scroll result-table">
              <table className="data" data-testid="public-entries">
                <thead>
                  <tr>
                    <th scope="col">{en ? "No." : "序号"}</th>
                    <th scope="col">{en ? "Name" : "姓名"}</th>
                    <th scope="col">{en ? "Unit" : "工作单位"}</th>
                    <th scope="col">{en ? "Series" : "系列"}</th>
                    <th scope="col">{en ? "Specialty" : "专业"}</th>
                    <th scope="col">{en ? "Qualification obtained" : "取得资格"}</th>
                    {d.open ? <th scope="col">{en ? "Complaint" : "投诉"}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((r) => (
                    <tr key={r.id} data-entry={r.id}>
                      <td>{r.position}</td>
                      <td>{r.name}</td>
                      <td>{r.unit}</td>
                      <td>{r.series}</td>
                      <td>{r.specialty}</td>
                      <td>
                        <Qualification row={r} />
                      </td>
                      {d.open ? (
                        <td>
                          {r.overturned ? (
                            "—"
                          ) : (
                            <a
                              href={complain(r.id)}
                              aria-label={en ? `Complain about ${r.name}` : `投诉 ${r.name}`}
                            >
                              {en ? "Complain" : "投诉"}
                            </a>
                          )}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="result-cards" data-testid="public-entry-cards">
              {d.rows.map((r) => (
                <li key={r.id}>
                  <span className="result-name">
                    {r.position}. {r.name}
                  </span>
                  <p className="meta">{r.unit}</p>
                  <p className="meta">
                    {r.series} · {r.specialty} ·{" "}
                    <strong>
                      <Qualification row={r} />
                    </strong>
                  </p>
                  {d.open && !r.overturned ? (
                    <p className="meta">
                      <a href={complain(r.id)}>{en ? "Complain" : "投诉"}</a>
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
        {d.pages > 1 ? (
          <nav className="pager" aria-label={en ? "Pages" : "分页"} data-testid="pager">
            {d.page > 1 ? <a href={link(d.page - 1)}>{en ? "← Previous" : "← 上一页"}</a> : null}
            <span>{en ? `Page ${d.page} of ${d.pages}` : `第 ${d.page} 页，共 ${d.pages} 页`}</span>
            {d.page < d.pages ? <a href={link(d.page + 1)}>{en ? "Next →" : "下一页 →"}</a> : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
