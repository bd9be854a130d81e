import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  type Level,
  levelLabels,
  type MeetingState,
  meetingStateLabels,
  messageFor,
  type Series,
  seriesLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, SelectField, useI18n } from "@titles/ui";
import { formatBeijingTime } from "~/documents/application-documents.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { listCommittees } from "~/services/committees.server";
import { createCommitteeMeeting, listMeetings } from "~/services/meetings.server";

export const meta: MetaFunction = () => [{ title: "评审会议 · 评审机构工作台" }];

const kindLabels: Record<string, { "zh-CN": string; en: string }> = {
  review: { "zh-CN": "评审", en: "Review" },
  defense: { "zh-CN": "答辩", en: "Defense" },
  committee: { "zh-CN": "评审委员会会议", en: "Committee meeting" },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const [meetings, committees] = await Promise.all([listMeetings(db(), actor), listCommittees(db(), actor)]);
  return {
    meetings: meetings.map((m) => ({
      id: m.id,
      title: m.title,
      kind: kindLabels[m.kind]?.[locale] ?? m.kind,
      startsAt: formatBeijingTime(m.startsAt),
      venue: m.venue,
      state: meetingStateLabels[m.state as MeetingState]?.[locale] ?? m.state,
      series: seriesLabels[m.series as Series]?.[locale] ?? m.series,
      level: levelLabels[m.level as Level]?.[locale] ?? m.level,
      committeeName: m.committeeName,
      members: m.members,
      agenda: m.agenda,
    })),
    committees: committees.map((c) => ({ id: c.id, name: c.name, members: c.members })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const form = await request.formData();
  const result = await createCommitteeMeeting(db(), actor, Object.fromEntries(form), now());
  if (!result.ok) return { error: messageFor(result.error, localeOf(request)) };
  return redirect(`/agency/meetings/${result.value.id}`);
}

export default function Meetings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Panel meetings" : "评审会议"}
        lead={
          en
            ? "Review sessions, defense sessions and committee meetings of your agency. Open one to seat experts, draw from the pool, set the agenda and order recusals."
            : "本机构的评审、答辩和评审委员会会议。打开会议可安排专家、随机抽取专家、设置议程和决定回避。"
        }
      />
      <p>
        <a href="/agency">{en ? "← Back to the workspace" : "← 返回工作台"}</a> ·{" "}
        <a href="/agency/committees">{en ? "Committees" : "评审委员会"}</a> ·{" "}
        <a href="/agency/experts">{en ? "Expert pool" : "专家库"}</a>
      </p>
      <Card title={en ? `Meetings (${data.meetings.length})` : `会议（${data.meetings.length}）`}>
        {data.meetings.length === 0 ? (
          <p>{en ? "No meeting yet." : "暂无会议。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="meetings">
              <thead>
                <tr>
                  <th scope="col">{en ? "Meeting" : "会议"}</th>
                  <th scope="col">{en ? "Kind" : "类型"}</th>
                  <th scope="col">{en ? "When, where" : "时间、地点"}</th>
                  <th scope="col">{en ? "Series, level" : "系列、级别"}</th>
                  <th scope="col">{en ? "Members / agenda" : "成员／议程"}</th>
                  <th scope="col">{en ? "State" : "状态"}</th>
                </tr>
              </thead>
              <tbody>
                {data.meetings.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <a href={`/agency/meetings/${m.id}`}>{m.title}</a>
                      {m.committeeName ? <div className="meta">{m.committeeName}</div> : null}
                    </td>
                    <td>{m.kind}</td>
                    <td>
                      {m.startsAt}
                      <div className="meta">{m.venue || "—"}</div>
                    </td>
                    <td>
                      {m.series} · {m.level}
                    </td>
                    <td>
                      {m.members} / {m.agenda}
                    </td>
                    <td>{m.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={en ? "Call a committee meeting" : "召开评审委员会会议"}>
        {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
        {data.committees.length === 0 ? (
          <p>
            {en ? "Set up a committee first: " : "请先组建评审委员会："}
            <a href="/agency/committees">{en ? "Committees" : "评审委员会"}</a>
          </p>
        ) : (
          <Form method="post" data-testid="meeting-form">
            <SelectField
              label={en ? "Committee" : "评审委员会"}
              name="committeeId"
              options={data.committees.map((c) => ({
                value: c.id,
                label: `${c.name}（${c.members}${en ? " members" : "人"}）`,
              }))}
            />
            <div className="field">
              <label htmlFor="m-title">{en ? "Title (optional)" : "会议名称（可不填）"}</label>
              <input id="m-title" name="title" maxLength={120} />
            </div>
            <div className="field">
              <label htmlFor="m-venue">{en ? "Venue" : "会议地点"}</label>
              <input id="m-venue" name="venue" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="m-starts">{en ? "Date and time (Beijing)" : "会议时间（北京时间）"}</label>
              <input id="m-starts" name="startsAt" type="datetime-local" required />
            </div>
            <Button disabled={busy}>{en ? "Create the meeting" : "创建会议"}</Button>
          </Form>
        )}
      </Card>
    </>
  );
}
