import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type Level, levelLabels, messageFor, type Series, seriesLabels } from "@titles/domain";
import { Alert, Button, Card, PageHeading, SelectField, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { listDefenseSessions, scheduleDefenseSession } from "~/services/defense.server";

export const meta: MetaFunction = () => [{ title: "答辩安排 · 评审机构工作台" }];

/** How many slot rows the form offers; empty rows are ignored. */
const SLOT_ROWS = 4;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const { dates, series, sessions } = await listDefenseSessions(db(), actor, now());
  return {
    dates,
    series: series.map((s) => ({ value: s, label: seriesLabels[s as Series]?.[locale] ?? s })),
    levels: (["intermediate", "deputy-senior", "senior"] as const).map((l) => ({
      value: l,
      label: levelLabels[l][locale],
    })),
    sessions: sessions.map((s) => ({
      ...s,
      seriesLabel: seriesLabels[s.series as Series]?.[locale] ?? s.series,
      levelLabel: levelLabels[s.level as Level]?.[locale] ?? s.level,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  const slots = Array.from({ length: SLOT_ROWS }, (_, i) => ({
    start: text(`slot${i}Start`).trim(),
    capacity: text(`slot${i}Capacity`).trim(),
  })).filter((s) => s.start !== "");
  const result = await scheduleDefenseSession(
    db(),
    actor,
    {
      series: text("series"),
      level: text("level"),
      title: text("title"),
      date: text("date"),
      venue: text("venue"),
      slots,
      requirements: text("requirements"),
    },
    now(),
  );
  if (!result.ok) return { error: messageFor(result.error, localeOf(request)) };
  return redirect(`/agency/defense/${result.value.id}?scheduled=1`);
}

export default function DefenseSessions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const { dates } = data;
  return (
    <>
      <PageHeading
        title={en ? "Defense sessions" : "答辩安排"}
        lead={
          en
            ? "Schedule the on-site defenses of intermediate and senior applicants, call applicants to a slot, publish each session's epidemic-prevention requirements and check applicants in on the day. Junior titles are evaluated without a defense."
            : "安排中级、高级职称申报人的现场答辩：确定场次和时段，通知申报人，发布每场的防疫要求，答辩当天签到。初级职称不组织答辩。"
        }
      />
      <p>
        <a href="/agency">{en ? "← Back to the workspace" : "← 返回工作台"}</a> ·{" "}
        <a href="/agency/meetings">{en ? "Panel meetings" : "评审会议"}</a>
      </p>
      <Card title={en ? `Dates of the ${dates.roundYear} round` : `${dates.roundYear}年度时间安排`}>
        <dl className="facts" data-testid="defense-dates">
          <dt>{en ? "Defenses" : "答辩时间"}</dt>
          <dd>
            {dates.window.from} {en ? "to" : "至"} {dates.window.to}
          </dd>
          <dt>{en ? "Evaluation finished by" : "评审工作完成"}</dt>
          <dd>{dates.evaluationEndsBy}</dd>
          <dt>{en ? "Result publicity finished by" : "结果公示完成"}</dt>
          <dd>{dates.publicityEndsBy}</dd>
        </dl>
      </Card>
      <Card title={en ? `Sessions (${data.sessions.length})` : `答辩场次（${data.sessions.length}）`}>
        {data.sessions.length === 0 ? (
          <p>{en ? "No session yet." : "暂无答辩场次。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="defense-sessions">
              <thead>
                <tr>
                  <th scope="col">{en ? "Session" : "场次"}</th>
                  <th scope="col">{en ? "Date, venue" : "日期、地点"}</th>
                  <th scope="col">{en ? "Slots (called / places)" : "时段（已安排／名额）"}</th>
                  <th scope="col">{en ? "Panel" : "答辩专家"}</th>
                  <th scope="col">{en ? "Epidemic requirements" : "防疫要求"}</th>
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <a href={`/agency/defense/${s.id}`}>{s.title}</a>
                      <div className="meta">
                        {s.seriesLabel} · {s.levelLabel}
                      </div>
                    </td>
                    <td>
                      {s.date}
                      {s.past ? (en ? " (held)" : "（已举行）") : ""}
                      <div className="meta">{s.venue}</div>
                    </td>
                    <td>
                      {s.slots.map((slot) => (
                        <div key={slot.start}>
                          {slot.start} · {slot.filled}/{slot.capacity}
                        </div>
                      ))}
                      {s.noShows > 0 ? (
                        <div className="meta">{en ? `${s.noShows} no-show(s)` : `缺席 ${s.noShows} 人`}</div>
                      ) : null}
                    </td>
                    <td>{en ? `${s.panelSize} experts` : `${s.panelSize} 人`}</td>
                    <td>
                      {s.requirementsPublishedAt
                        ? en
                          ? "Published"
                          : "已发布"
                        : en
                          ? "Not published"
                          : "未发布"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={en ? "Schedule a session" : "新建答辩场次"}>
        {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
        <Form method="post" data-testid="defense-form">
          <SelectField label={en ? "Series" : "系列"} name="series" options={data.series} />
          <SelectField
            label={en ? "Level" : "级别"}
            name="level"
            defaultValue="intermediate"
            options={data.levels}
          />
          <div className="field">
            <label htmlFor="d-title">{en ? "Title" : "场次名称"}</label>
            <input id="d-title" name="title" required minLength={2} maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor="d-date">{en ? "Date" : "答辩日期"}</label>
            <input
              id="d-date"
              name="date"
              type="date"
              required
              defaultValue={dates.suggestedDate}
              aria-describedby="d-date-hint"
            />
            <p className="hint" id="d-date-hint">
              {en
                ? `Between ${dates.window.from} and ${dates.window.to}.`
                : `须在 ${dates.window.from} 至 ${dates.window.to} 之间。`}
            </p>
          </div>
          <div className="field">
            <label htmlFor="d-venue">{en ? "Venue" : "答辩地点"}</label>
            <input id="d-venue" name="venue" required minLength={2} maxLength={200} />
          </div>
          <fieldset>
            <legend>{en ? "Slots (start time and places)" : "时段（开始时间和名额）"}</legend>
            {Array.from({ length: SLOT_ROWS }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed rows of the form
              <div className="field-row" key={i}>
                <label htmlFor={`d-slot${i}`}>{en ? `Slot ${i + 1} starts` : `时段${i + 1}开始时间`}</label>
                <input
                  id={`d-slot${i}`}
                  name={`slot${i}Start`}
                  type="time"
                  defaultValue={i === 0 ? "09:00" : i === 1 ? "14:00" : ""}
                />
                <label htmlFor={`d-cap${i}`}>{en ? `Slot ${i + 1} places` : `时段${i + 1}名额`}</label>
                <input
                  id={`d-cap${i}`}
                  name={`slot${i}Capacity`}
                  type="number"
                  min={1}
                  max={50}
                  defaultValue={i < 2 ? "6" : ""}
                />
              </div>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="d-req">
              {en ? "Epidemic-prevention requirements (draft)" : "防疫要求（草稿）"}
            </label>
            <textarea id="d-req" name="requirements" rows={3} maxLength={2000} />
            <p className="hint">
              {en
                ? "Applicants see them once you publish them on the session's page."
                : "在场次页面发布后，申报人才能看到并收到短信。"}
            </p>
          </div>
          <Button type="submit" disabled={busy}>
            {en ? "Schedule" : "创建场次"}
          </Button>
        </Form>
      </Card>
    </>
  );
}
