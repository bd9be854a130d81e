import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { type BatchState, batchStateLabels, type LevelGroup, levelGroupLabels } from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { publicCacheControl } from "~/lib/result-pages.server";
import { BUREAU_NAME, publicBatches } from "~/services/results.server";

export const meta: MetaFunction = () => [{ title: "评审结果公示 · 北京市职称评审申报系统" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => ({
  "Cache-Control": loaderHeaders.get("Cache-Control") ?? "no-store",
});

/**
 * The public result publicity (评审结果公示): senior batches in the city bureau's notice section
 * (市人社局 通知公告), intermediate and junior batches on the agencies' pages (评审机构公示). No login.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeOf(request);
  const batches = (await publicBatches(db())).map((b) => ({
    id: b.id,
    title: b.title,
    publisher: b.publisher === "bureau" ? BUREAU_NAME : (b.agencyName ?? ""),
    section: b.publisher === "bureau" ? ("bureau" as const) : ("agency" as const),
    levelGroup: levelGroupLabels[b.levelGroup as LevelGroup]?.[locale] ?? b.levelGroup,
    state: b.state,
    stateLabel: batchStateLabels[b.state as BatchState]?.[locale] ?? b.state,
    publicityStart: b.publicityStart,
    publicityEnd: b.publicityEnd,
    listed: b.listed,
  }));
  return data({ batches }, { headers: { "Cache-Control": publicCacheControl() } });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["batches"][number];

function BatchList({ rows, testId }: { rows: Row[]; testId: string }) {
  const { locale } = useI18n();
  const en = locale === "en";
  if (rows.length === 0) return <p className="meta">{en ? "Nothing published yet." : "暂无公示。"}</p>;
  return (
    <ul style={{ listStyle: "none", padding: 0, margin: 0 }} data-testid={testId}>
      {rows.map((b) => (
        <li key={b.id} style={{ padding: "8px 0", borderBottom: "1px solid var(--line)" }}>
          <a href={`/results/${b.id}`}>{b.title}</a>{" "}
          <span className={b.state === "publicity" ? "badge badge--open" : "badge badge--closed"}>
            {b.state === "publicity" ? (en ? "Under publicity" : "公示中") : en ? "Ended" : "已结束"}
          </span>
          <p className="meta">
            {b.publisher} ·{" "}
            {en
              ? `${b.publicityStart} – ${b.publicityEnd} · ${b.listed} listed`
              : `公示期 ${b.publicityStart} 至 ${b.publicityEnd} · 共 ${b.listed} 人`}
          </p>
        </li>
      ))}
    </ul>
  );
}

export default function PublicResults() {
  const { batches } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Evaluation results under publicity" : "评审结果公示"}
        lead={
          en
            ? "Each list is published for at least 5 working days. During the publicity anyone may file a complaint about a listed result; open a list to search it and to complain."
            : "评审结果按批次公示，公示期不少于5个工作日。公示期间，任何单位和个人均可对公示人员的评审结果提出投诉。打开公示名单可按姓名或单位查询并投诉。"
        }
      >
        <p>
          <a href="/complaints">{en ? "Follow a complaint" : "投诉处理查询"}</a> ·{" "}
          <a href="/verify">{en ? "Verify a certificate" : "证书核验"}</a>
        </p>
      </PageHeading>
      <div className="grid">
        <Card title={en ? "City HR bureau · notices (senior)" : "市人社局 通知公告（高级）"}>
          <BatchList rows={batches.filter((b) => b.section === "bureau")} testId="bureau-batches" />
        </Card>
        <Card title={en ? "Agency publicity (intermediate and junior)" : "评审机构公示（中级、初级）"}>
          <BatchList rows={batches.filter((b) => b.section === "agency")} testId="agency-batches" />
        </Card>
      </div>
    </>
  );
}
