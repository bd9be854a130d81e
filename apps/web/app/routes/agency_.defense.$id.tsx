import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  type ApplicationState,
  applicationStateLabels,
  isDomainError,
  type Level,
  levelLabels,
  messageFor,
  type Series,
  seriesLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { z } from "zod";
import { formatBeijingTime } from "~/documents/application-documents.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  assignApplicant,
  checkIn,
  defenseSessionDetail,
  publishRequirements,
} from "~/services/defense.server";

export const meta: MetaFunction = () => [{ title: "答辩场次 · 评审机构工作台" }];

const attendanceLabels: Record<string, { "zh-CN": string; en: string }> = {
  pending: { "zh-CN": "待签到", en: "Not checked in" },
  present: { "zh-CN": "已到场", en: "Present" },
  no_show: { "zh-CN": "缺席", en: "No-show" },
};

function notFound(error: unknown): never {
  if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const detail = await defenseSessionDetail(db(), actor, params.id, now()).catch(notFound);
  const label = <K extends string>(labels: Record<K, { "zh-CN": string; en: string }>, key: string) =>
    labels[key as K]?.[locale] ?? key;
  return {
    session: {
      ...detail.session,
      seriesLabel: label(
        seriesLabels as Record<Series, { "zh-CN": string; en: string }>,
        detail.session.series,
      ),
      levelLabel: label(levelLabels as Record<Level, { "zh-CN": string; en: string }>, detail.session.level),
      requirementsPublishedAt: detail.session.requirementsPublishedAt
        ? formatBeijingTime(new Date(detail.session.requirementsPublishedAt))
        : null,
    },
    assignments: detail.assignments.map((a) => ({
      applicationId: a.applicationId,
      applicantName: a.applicantName,
      employerName: a.employerName,
      slotStart: a.slotStart,
      attendance: a.attendance,
      attendanceLabel: label(attendanceLabels, a.attendance),
      checkedInAt: a.checkedInAt ? formatBeijingTime(new Date(a.checkedInAt)) : null,
    })),
    candidates: detail.candidates.map((c) => ({
      id: c.id,
      label: [
        c.applicantName,
        c.employerName ?? "",
        c.calledTo
          ? locale === "en"
            ? `called to ${c.calledTo.title} (${c.calledTo.date} ${c.calledTo.slotStart ?? ""})`
            : `已安排：${c.calledTo.title}（${c.calledTo.date} ${c.calledTo.slotStart ?? ""}）`
          : label(
              applicationStateLabels as Record<ApplicationState, { "zh-CN": string; en: string }>,
              c.state,
            ),
      ]
        .filter(Boolean)
        .join(" · "),
    })),
    checkInOpen: detail.checkInOpen,
  };
}

const ZIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), applicationId: z.string(), slotStart: z.string() }),
  z.object({ intent: z.literal("publish"), requirements: z.string() }),
  z.object({ intent: z.literal("check-in"), applicationId: z.string(), attendance: z.string() }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const en = locale === "en";
  const parsed = ZIntent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: en ? "Invalid request." : "请求无效。", intent: "", done: null };
  const input = parsed.data;
  const at = now();
  switch (input.intent) {
    case "assign": {
      const r = await assignApplicant(db(), actor, params.id, input, at);
      if (!r.ok) return { error: messageFor(r.error, locale), intent: input.intent, done: null };
      const recused = r.value.recused
        ? en
          ? ` ${r.value.recused} panelist(s) recused automatically (same unit).`
          : `已自动回避 ${r.value.recused} 名同单位专家。`
        : "";
      return {
        error: null,
        intent: input.intent,
        done:
          (en ? "Applicant called; the notice was sent by SMS." : "已安排，答辩通知已短信发送。") + recused,
      };
    }
    case "publish": {
      const r = await publishRequirements(db(), actor, params.id, input, at);
      if (!r.ok) return { error: messageFor(r.error, locale), intent: input.intent, done: null };
      return {
        error: null,
        intent: input.intent,
        done: en
          ? `Requirements published; ${r.value.texted} applicant(s) texted.`
          : `防疫要求已发布，已短信通知 ${r.value.texted} 名申报人。`,
      };
    }
    case "check-in": {
      const r = await checkIn(db(), actor, params.id, input, at);
      if (!r.ok) return { error: messageFor(r.error, locale), intent: input.intent, done: null };
      return { error: null, intent: input.intent, done: en ? "Check-in recorded." : "已登记签到。" };
    }
  }
}

export default function DefenseSession() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const s = data.session;
  const feedback = (intent: string) =>
    result?.intent === intent ? (
      result.error ? (
        <Alert tone="error">{result.error}</Alert>
      ) : result.done ? (
        <Alert tone="success">{result.done}</Alert>
      ) : null
    ) : null;
  const open = s.slots.filter((slot) => slot.filled < slot.capacity);
  return (
    <>
      <PageHeading title={s.title} lead={`${s.seriesLabel} · ${s.levelLabel} · ${s.date} · ${s.venue}`} />
      <p>
        <a href="/agency/defense">{en ? "← All defense sessions" : "← 全部答辩场次"}</a> ·{" "}
        <a href={`/agency/meetings/${s.id}`}>
          {en ? "Defense panel (experts, draw, recusals)" : "答辩专家（抽取、回避）"}
        </a>
      </p>
      {search.get("scheduled") ? (
        <Alert tone="success">{en ? "Session scheduled." : "答辩场次已创建。"}</Alert>
      ) : null}
      {result?.intent === "" && result.error ? <Alert tone="error">{result.error}</Alert> : null}
      <Card title={en ? "Slots" : "时段"}>
        <ul data-testid="defense-slots">
          {s.slots.map((slot) => (
            <li key={slot.start}>
              {slot.start} ·{" "}
              {en
                ? `${slot.filled} of ${slot.capacity} places`
                : `已安排 ${slot.filled}／${slot.capacity} 人`}
            </li>
          ))}
        </ul>
        <p className="meta">
          {en ? `Panel: ${s.panelSize} experts` : `答辩专家：${s.panelSize} 人`}
          {s.noShows > 0 ? (en ? ` · ${s.noShows} no-show(s)` : ` · 缺席 ${s.noShows} 人`) : ""}
        </p>
      </Card>
      <Card title={en ? `Applicants (${data.assignments.length})` : `答辩人（${data.assignments.length}）`}>
        {feedback("check-in")}
        {data.assignments.length === 0 ? (
          <p>{en ? "Nobody called yet." : "尚未安排申报人。"}</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="defense-applicants">
              <thead>
                <tr>
                  <th scope="col">{en ? "Applicant" : "申报人"}</th>
                  <th scope="col">{en ? "Slot" : "时段"}</th>
                  <th scope="col">{en ? "Attendance" : "签到"}</th>
                  {data.checkInOpen ? <th scope="col">{en ? "Check in" : "登记"}</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.assignments.map((a) => (
                  <tr key={a.applicationId}>
                    <td>
                      {a.applicantName}
                      <div className="meta">{a.employerName ?? "—"}</div>
                    </td>
                    <td>{a.slotStart ?? "—"}</td>
                    <td data-testid="attendance">
                      {a.attendanceLabel}
                      {a.checkedInAt ? <div className="meta">{a.checkedInAt}</div> : null}
                    </td>
                    {data.checkInOpen ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="check-in" />
                          <input type="hidden" name="applicationId" value={a.applicationId} />
                          <Button type="submit" name="attendance" value="present" disabled={busy}>
                            {en ? `${a.applicantName} present` : `${a.applicantName} 到场`}
                          </Button>{" "}
                          <Button
                            type="submit"
                            name="attendance"
                            value="no_show"
                            variant="secondary"
                            disabled={busy}
                          >
                            {en ? `${a.applicantName} no-show` : `${a.applicantName} 缺席`}
                          </Button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.checkInOpen ? null : (
          <p className="meta">{en ? `Check-in opens on ${s.date}.` : `签到于答辩当天（${s.date}）开放。`}</p>
        )}
      </Card>
      {s.past ? null : (
        <Card title={en ? "Call an applicant" : "安排申报人"}>
          {feedback("assign")}
          {data.candidates.length === 0 ? (
            <p>
              {en
                ? "No complete application of this series and level waits for a defense."
                : "暂无本系列、本级别待安排答辩的申报。"}
            </p>
          ) : open.length === 0 ? (
            <p>{en ? "Every slot is full." : "各时段均已满。"}</p>
          ) : (
            <Form method="post" data-testid="assign-form">
              <input type="hidden" name="intent" value="assign" />
              <div className="field">
                <label htmlFor="a-app">{en ? "Applicant" : "申报人"}</label>
                <select id="a-app" name="applicationId" required>
                  {data.candidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="a-slot">{en ? "Slot" : "时段"}</label>
                <select id="a-slot" name="slotStart" required>
                  {open.map((slot) => (
                    <option key={slot.start} value={slot.start}>
                      {slot.start}（
                      {en
                        ? `${slot.capacity - slot.filled} left`
                        : `余 ${slot.capacity - slot.filled} 个名额`}
                      ）
                    </option>
                  ))}
                </select>
              </div>
              <Button type="submit" disabled={busy}>
                {en ? "Call and notify" : "安排并通知"}
              </Button>
            </Form>
          )}
        </Card>
      )}
      <Card title={en ? "Epidemic-prevention requirements" : "防疫要求"}>
        {feedback("publish")}
        <p data-testid="requirements-state">
          {s.requirementsPublishedAt
            ? en
              ? `Published ${s.requirementsPublishedAt}`
              : `已于 ${s.requirementsPublishedAt} 发布`
            : en
              ? "Not published: applicants do not see them yet."
              : "未发布：申报人尚不可见。"}
        </p>
        {s.past ? (
          <p>{s.requirements || "—"}</p>
        ) : (
          <Form method="post" data-testid="publish-form">
            <input type="hidden" name="intent" value="publish" />
            <div className="field">
              <label htmlFor="p-req">{en ? "Requirements" : "防疫要求内容"}</label>
              <textarea
                id="p-req"
                name="requirements"
                rows={4}
                maxLength={2000}
                required
                defaultValue={s.requirements}
              />
            </div>
            <Button type="submit" disabled={busy}>
              {en ? "Publish and text the applicants" : "发布并短信通知申报人"}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
