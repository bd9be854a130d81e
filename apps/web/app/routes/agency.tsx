import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { organisationRepository } from "@titles/db";
import {
  type ApplicationState,
  applicationStateLabels,
  type Level,
  levelLabels,
  type Series,
  seriesLabels,
  type Track,
  trackLabels,
} from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { agencyQueue, ZQueueFilter } from "~/services/agency.server";

export const meta: MetaFunction = () => [{ title: "评审机构工作台 · 北京市职称评审申报系统" }];

/** The states a filter offers, in the order of the process. */
const filterStates: ApplicationState[] = [
  "confirmed",
  "district_recommended",
  "correction_requested",
  "republicity_required",
  "approved",
  "complete",
  "returned",
  "abandoned",
];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = ZQueueFilter.safeParse(params);
  const filter = parsed.success ? parsed.data : {};
  const agencies = (
    await Promise.all(
      actor.roles
        .filter((r) => r.role === "agency" && r.organisationId)
        .map((r) => organisationRepository.findById(db(), r.organisationId!)),
    )
  ).filter((a) => a !== null);
  const entries = await agencyQueue(db(), actor, filter, now());
  const units = new Map<string, string>();
  for (const e of entries) if (e.employerId) units.set(e.employerId, e.employerName ?? "");
  const label = <K extends string>(labels: Record<K, Record<string, string>>, key: string) =>
    labels[key as K]?.[locale] ?? key;
  return {
    filter,
    invalidFilter: !parsed.success,
    agencies: agencies.map((a) => ({
      id: a.id,
      name: a.name,
      series: a.series.map((s) => label(seriesLabels, s)),
    })),
    series: [...new Set(agencies.flatMap((a) => a.series))],
    units: [...units].map(([id, name]) => ({ id, name })),
    states: filterStates.map((s) => ({ value: s, label: label(applicationStateLabels, s) })),
    levels: Object.keys(levelLabels).map((l) => ({ value: l, label: label(levelLabels, l) })),
    tracks: Object.keys(trackLabels).map((t) => ({ value: t, label: label(trackLabels, t) })),
    entries: entries.map((e) => ({
      ...e,
      seriesLabel: label(seriesLabels as Record<Series, Record<string, string>>, e.series),
      levelLabel: label(levelLabels as Record<Level, Record<string, string>>, e.level),
      trackLabel: label(trackLabels as Record<Track, Record<string, string>>, e.track),
      stateLabel: label(applicationStateLabels, e.state),
    })),
  };
}

export default function AgencyWorkspace() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const f = data.filter as Record<string, string | number | undefined>;
  const toReview = data.entries.filter((e) => e.state === "confirmed" || e.state === "district_recommended");
  return (
    <>
      <PageHeading
        title={t("role.agency")}
        lead={
          en
            ? "Confirmed applications of your series queue here, oldest first. Open one to review it against the checklist, send the one-time correction notice, approve or decline."
            : "本机构负责系列中已确认的申报按确认时间排队。打开申报，对照审核要点审核，一次性告知需补正的问题，或通过、不予受理。"
        }
      />
      <p data-testid="agency-panel-links">
        <a href="/agency/meetings">{en ? "Panel meetings" : "评审会议"}</a> ·{" "}
        <a href="/agency/experts">{en ? "Expert pool" : "专家库"}</a> ·{" "}
        <a href="/agency/committees">{en ? "Committees" : "评审委员会"}</a> ·{" "}
        <a href="/agency/defense">{en ? "Defense sessions" : "答辩安排"}</a> ·{" "}
        <a href="/agency/results">{en ? "Result publicity" : "评审结果公示"}</a>
      </p>
      {data.agencies.map((a) => (
        <p key={a.id} className="meta">
          {a.name} · {(en ? "Series: " : "负责系列：") + a.series.join(en ? ", " : "、")}
        </p>
      ))}
      <Card title={en ? "Filter and search" : "筛选与搜索"}>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="q">{en ? "Applicant or unit" : "申报人或单位"}</label>
            <input id="q" name="q" type="search" defaultValue={String(f.q ?? "")} maxLength={40} />
          </div>
          {(
            [
              ["state", en ? "State" : "状态", data.states],
              ["level", en ? "Level" : "级别", data.levels],
              ["track", en ? "Track" : "申报类型", data.tracks],
            ] as const
          ).map(([name, text, options]) => (
            <div className="field" key={name}>
              <label htmlFor={`f-${name}`}>{text}</label>
              <select id={`f-${name}`} name={name} defaultValue={String(f[name] ?? "")}>
                <option value="">{en ? "All" : "全部"}</option>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div className="field">
            <label htmlFor="f-unit">{en ? "Unit" : "单位"}</label>
            <select id="f-unit" name="unit" defaultValue={String(f.unit ?? "")}>
              <option value="">{en ? "All" : "全部"}</option>
              {data.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-waiting">{en ? "Waiting at least (days)" : "等待天数不少于"}</label>
            <input
              id="f-waiting"
              name="waiting"
              type="number"
              min={0}
              max={365}
              inputMode="numeric"
              defaultValue={f.waiting === undefined ? "" : String(f.waiting)}
            />
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--primary">
              {en ? "Apply" : "筛选"}
            </button>{" "}
            <a href="/agency">{en ? "Clear" : "清除"}</a>
          </div>
        </Form>
        {data.invalidFilter ? (
          <p role="alert" className="field__error">
            {en ? "Some filters were not understood and were ignored." : "部分筛选条件无效，已忽略。"}
          </p>
        ) : null}
      </Card>
      <Card
        title={
          en
            ? `Queue: ${data.entries.length} applications, ${toReview.length} to review`
            : `审核队列：共 ${data.entries.length} 件，待审核 ${toReview.length} 件`
        }
      >
        {data.entries.length === 0 ? (
          <p>{en ? "No application matches." : "没有符合条件的申报。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="agency-queue">
              <thead>
                <tr>
                  <th scope="col">{en ? "Applicant" : "申报人"}</th>
                  <th scope="col">{en ? "Unit" : "单位"}</th>
                  <th scope="col">{en ? "Series, level, track" : "系列、级别、类型"}</th>
                  <th scope="col">{en ? "State" : "状态"}</th>
                  <th scope="col">{en ? "Days waiting" : "等待天数"}</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <a href={`/agency/applications/${e.id}`}>{e.applicantName}</a>
                    </td>
                    <td>{e.employerName ?? "—"}</td>
                    <td>
                      {e.seriesLabel} · {e.levelLabel} · {e.trackLabel}
                    </td>
                    <td>
                      {e.stateLabel}
                      {e.correctionDeadline ? (
                        <span className="meta">
                          {" "}
                          ({en ? "correct by" : "补正截止"} {e.correctionDeadline})
                        </span>
                      ) : null}
                    </td>
                    <td>{e.daysWaiting}</td>
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
