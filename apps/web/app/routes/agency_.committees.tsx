import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  addDays,
  series as allSeries,
  type Level,
  levelLabels,
  levels,
  messageFor,
  type Series,
  seriesLabels,
  shanghaiDate,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  activePool,
  committeeFor,
  createCommittee,
  listCommittees,
  seriesScope,
} from "~/services/committees.server";

export const meta: MetaFunction = () => [{ title: "评审委员会 · 评审机构工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const scope = seriesScope(actor);
  const seriesOptions: string[] = scope ?? [...allSeries];
  const wanted = new URL(request.url).searchParams.get("series") ?? "";
  const chosen = seriesOptions.includes(wanted) ? wanted : (seriesOptions[0] ?? "");
  const [committees, pool] = await Promise.all([
    listCommittees(db(), actor),
    chosen ? activePool(db(), actor, chosen) : [],
  ]);
  const details = await Promise.all(committees.map((c) => committeeFor(db(), actor, c.id)));
  const today = shanghaiDate(now());
  const seriesLabel = (s: string) => seriesLabels[s as Series]?.[locale] ?? s;
  return {
    chosen,
    seriesOptions: seriesOptions.map((s) => ({ value: s, label: seriesLabel(s) })),
    levelOptions: levels.map((l) => ({ value: l, label: levelLabels[l][locale] })),
    defaultTerm: { start: today, end: addDays(today, 365 * 3 - 1) },
    pool: pool.map((e) => ({
      id: e.userId,
      name: e.name,
      disciplines: e.disciplines.join("、"),
      unit: e.unitName ?? "—",
      title: e.title,
    })),
    committees: committees.map((c, i) => ({
      id: c.id,
      name: c.name,
      roundYear: c.roundYear,
      series: seriesLabel(c.series),
      level: levelLabels[c.level as Level]?.[locale] ?? c.level,
      organisedBy: c.organisedBy,
      specialty: c.specialty,
      inclusive: c.inclusive,
      members: c.members,
      chairName: c.chairName,
      list: (details[i]?.members ?? []).map((m) => ({
        userId: m.userId,
        name: m.name,
        role: m.role,
        term: `${m.termStart} ~ ${m.termEnd}`,
        unit: m.unitName ?? "—",
      })),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const chair = text("chair");
  const termStart = text("termStart");
  const termEnd = text("termEnd");
  const members = form.getAll("member").map((value) => {
    const userId = String(value);
    return {
      userId,
      role: userId === chair ? "chair" : "member",
      termStart: text(`termStart-${userId}`) || termStart,
      termEnd: text(`termEnd-${userId}`) || termEnd,
    };
  });
  const result = await createCommittee(
    db(),
    actor,
    {
      name: text("name"),
      series: text("series"),
      level: text("level"),
      organisedBy: text("organisedBy"),
      specialty: text("specialty"),
      inclusive: form.get("inclusive") === "on",
      members,
    },
    now(),
  );
  if (!result.ok) return { problems: [...new Set(result.problems.map((p) => messageFor(p, locale)))] };
  return {
    done: locale === "en" ? `Committee “${result.value.name}” set up.` : `已组建“${result.value.name}”。`,
  };
}

export default function Committees() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Evaluation committees" : "评审委员会"}
        lead={
          en
            ? "A committee has an odd number of members; a senior committee needs at least 25 per series or 11 per specialty. Terms last at most three years."
            : "评审委员会人数为单数；高级评审委员会按系列组建的不少于25人，按专业组建的不少于11人。专家任期不超过3年。"
        }
      />
      <p>
        <a href="/agency">{en ? "← Back to the workspace" : "← 返回工作台"}</a> ·{" "}
        <a href="/agency/experts">{en ? "Expert pool" : "专家库"}</a> ·{" "}
        <a href="/agency/meetings">{en ? "Meetings" : "评审会议"}</a>
      </p>
      {result && "done" in result ? <Alert tone="success">{result.done}</Alert> : null}

      <Card title={en ? `Committees (${data.committees.length})` : `评审委员会（${data.committees.length}）`}>
        {data.committees.length === 0 ? (
          <p>{en ? "No committee yet." : "尚未组建评审委员会。"}</p>
        ) : (
          <ul className="plain-list" data-testid="committees">
            {data.committees.map((c) => (
              <li key={c.id}>
                <details>
                  <summary>
                    <strong>{c.name}</strong> · {c.roundYear} · {c.series} · {c.level} ·{" "}
                    {en ? `${c.members} members` : `${c.members} 人`} · {en ? "chair" : "主任委员"}{" "}
                    {c.chairName ?? "—"} ·{" "}
                    {c.organisedBy === "specialty"
                      ? `${en ? "per specialty" : "按专业"}${c.specialty ? `（${c.specialty}）` : ""}`
                      : en
                        ? "per series"
                        : "按系列"}{" "}
                    ·{" "}
                    {c.inclusive
                      ? en
                        ? "two thirds inclusive"
                        : "三分之二含本数"
                      : en
                        ? "exclusive"
                        : "不含本数"}
                  </summary>
                  <table className="data">
                    <thead>
                      <tr>
                        <th scope="col">{en ? "Name" : "姓名"}</th>
                        <th scope="col">{en ? "Role" : "职务"}</th>
                        <th scope="col">{en ? "Term" : "任期"}</th>
                        <th scope="col">{en ? "Unit" : "工作单位"}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.list.map((m) => (
                        <tr key={m.userId}>
                          <td>{m.name}</td>
                          <td>{m.role === "chair" ? (en ? "Chair" : "主任委员") : en ? "Member" : "委员"}</td>
                          <td>{m.term}</td>
                          <td>{m.unit}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={en ? "Set up a committee" : "组建评审委员会"}>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="pick-series">
              {en ? "Series (chooses the pool below)" : "系列（决定下方可选专家）"}
            </label>
            <select id="pick-series" name="series" defaultValue={data.chosen}>
              {data.seriesOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {en ? "Show the pool" : "显示专家"}
            </button>
          </div>
        </Form>
        <Form method="post" data-testid="committee-form">
          <input type="hidden" name="series" value={data.chosen} />
          {result && "problems" in result && result.problems ? (
            <Alert tone="error" title={en ? "Nothing was saved:" : "未保存，请修改以下问题："}>
              <ul data-testid="committee-problems">
                {result.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <div className="field">
            <label htmlFor="c-name">{en ? "Name" : "名称"}</label>
            <input id="c-name" name="name" required maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor="c-level">{en ? "Level" : "级别"}</label>
            <select id="c-level" name="level" defaultValue="intermediate">
              {data.levelOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{en ? "Organised" : "组建方式"}</legend>
            <label>
              <input type="radio" name="organisedBy" value="series" defaultChecked />{" "}
              {en ? "per series" : "按系列"}
            </label>{" "}
            <label>
              <input type="radio" name="organisedBy" value="specialty" /> {en ? "per specialty" : "按专业"}
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="c-specialty">
              {en ? "Specialty (when per specialty)" : "专业（按专业组建时填写）"}
            </label>
            <input id="c-specialty" name="specialty" maxLength={60} />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" name="inclusive" defaultChecked />{" "}
              {en
                ? "Exactly two thirds counts (以上, inclusive; uncheck for older rules that exclude it)"
                : "“三分之二以上”含本数（旧规定不含本数的，请取消勾选）"}
            </label>
          </div>
          <div className="field">
            <label htmlFor="c-term-start">{en ? "Term from (default)" : "任期开始（默认）"}</label>
            <input id="c-term-start" name="termStart" type="date" defaultValue={data.defaultTerm.start} />
          </div>
          <div className="field">
            <label htmlFor="c-term-end">{en ? "Term to (default)" : "任期结束（默认）"}</label>
            <input id="c-term-end" name="termEnd" type="date" defaultValue={data.defaultTerm.end} />
          </div>
          <div className="table-scroll">
            <table className="data" data-testid="committee-pool">
              <thead>
                <tr>
                  <th scope="col">{en ? "Member" : "委员"}</th>
                  <th scope="col">{en ? "Chair" : "主任委员"}</th>
                  <th scope="col">{en ? "Expert" : "专家"}</th>
                  <th scope="col">{en ? "Term (blank: default)" : "任期（空则用默认）"}</th>
                </tr>
              </thead>
              <tbody>
                {data.pool.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <input type="checkbox" name="member" value={e.id} aria-label={`${e.name}`} />
                    </td>
                    <td>
                      <input
                        type="radio"
                        name="chair"
                        value={e.id}
                        aria-label={`${e.name} ${en ? "chair" : "主任委员"}`}
                      />
                    </td>
                    <td>
                      {e.name}{" "}
                      <span className="meta">
                        {e.disciplines} · {e.unit}
                      </span>
                    </td>
                    <td>
                      <input name={`termStart-${e.id}`} type="date" aria-label={en ? "from" : "开始"} />
                      {" ~ "}
                      <input name={`termEnd-${e.id}`} type="date" aria-label={en ? "to" : "结束"} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Button disabled={busy}>{en ? "Set up the committee" : "组建评审委员会"}</Button>
        </Form>
      </Card>
    </>
  );
}
