import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  type ApplicationState,
  applicationStateLabels,
  type BallotState,
  ballotStateLabels,
  type DomainError,
  isDomainError,
  type Level,
  levelLabels,
  type MeetingState,
  meetingStateLabels,
  messageFor,
  type RecusalSource,
  recusalSourceLabels,
  type Series,
  seriesLabels,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, SelectField, useI18n } from "@titles/ui";
import { z } from "zod";
import { formatBeijingTime } from "~/documents/application-documents.server";
import { applyEvaluationResults } from "~/jobs/evaluation-results.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { activePool } from "~/services/committees.server";
import {
  addMember,
  addToAgenda,
  createReviewGroup,
  drawIntoMeeting,
  meetingDetail,
  meetingFor,
  orderRecusal,
  removeMember,
  verifyDraw,
} from "~/services/meetings.server";

export const meta: MetaFunction = () => [{ title: "评审会议 · 评审机构工作台" }];

const kindLabels: Record<string, { "zh-CN": string; en: string }> = {
  review: { "zh-CN": "评审", en: "Review" },
  defense: { "zh-CN": "答辩", en: "Defense" },
  committee: { "zh-CN": "评审委员会会议", en: "Committee meeting" },
};

const roleLabels: Record<string, { "zh-CN": string; en: string }> = {
  chair: { "zh-CN": "主任委员", en: "Chair" },
  expert: { "zh-CN": "专家", en: "Expert" },
  observer: { "zh-CN": "列席", en: "Observer" },
};

function notFound(error: unknown): never {
  if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
  throw error;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const at = now();
  const meeting = await meetingFor(db(), actor, params.id).catch(notFound);
  // A closed meeting's signed results reach the applications now, not at the job's next pass.
  if (meeting.state === "closed") await applyEvaluationResults(db(), at, { meetingId: meeting.id });
  const detail = await meetingDetail(db(), actor, meeting.id, at);
  const pool = await activePool(db(), actor, meeting.series);
  const seated = new Set(detail.members.map((m) => m.userId));
  const names = new Map([
    ...pool.map((e) => [e.userId, e.name] as const),
    ...detail.members.map((m) => [m.userId, m.name] as const),
  ]);
  const label = <K extends string>(labels: Record<K, { "zh-CN": string; en: string }>, key: string) =>
    labels[key as K]?.[locale] ?? key;
  const m = detail.meeting;
  return {
    meeting: {
      id: m.id,
      title: m.title,
      kind: m.kind,
      kindLabel: label(kindLabels, m.kind),
      state: m.state,
      stateLabel: label(meetingStateLabels as Record<MeetingState, { "zh-CN": string; en: string }>, m.state),
      startsAt: formatBeijingTime(m.startsAt),
      venue: m.venue,
      series: label(seriesLabels as Record<Series, { "zh-CN": string; en: string }>, m.series),
      level: label(levelLabels as Record<Level, { "zh-CN": string; en: string }>, m.level),
      rollCallAt: m.rollCallAt ? formatBeijingTime(m.rollCallAt) : null,
      closedAt: m.closedAt ? formatBeijingTime(m.closedAt) : null,
      minutesArchived: m.minutesSha256 !== null,
    },
    committee: detail.committee ? { id: detail.committee.id, name: detail.committee.name } : null,
    quorum: detail.quorum,
    members: detail.members.map((x) => ({
      userId: x.userId,
      name: x.name,
      role: x.role,
      roleLabel: label(roleLabels, x.role),
      unit: x.unitName ?? "—",
      disciplines: x.disciplines.join("、") || "—",
      present: x.present,
    })),
    experts: detail.members
      .filter((x) => x.role === "chair" || x.role === "expert")
      .map((x) => ({ id: x.userId, name: x.name })),
    available: pool
      .filter((e) => !seated.has(e.userId))
      .map((e) => ({
        id: e.userId,
        name: e.name,
        disciplines: e.disciplines.join("、"),
        unit: e.unitName ?? "—",
      })),
    draws: detail.draws.map((d) => ({
      id: d.id,
      seed: d.seed,
      size: d.size,
      disciplines: d.requiredDisciplines.join("、") || "—",
      drawn: d.drawnIds.map((id) => names.get(id) ?? id),
      at: formatBeijingTime(d.drawnAt),
      pool: d.poolIds.length,
    })),
    agenda: detail.agenda.map((a) => {
      const ballot = detail.ballots.find((b) => b.applicationId === a.applicationId) ?? null;
      return {
        id: a.applicationId,
        name: a.applicantName,
        unit: a.employerName ?? "—",
        stateLabel: label(
          applicationStateLabels as Record<ApplicationState, { "zh-CN": string; en: string }>,
          a.state,
        ),
        defense: detail.defenseScores[a.applicationId] ?? null,
        opinions: detail.opinions
          .filter((o) => o.applicationId === a.applicationId)
          .map((o) => ({ group: o.groupName, recommendation: o.recommendation, opinion: o.opinion })),
        ballot: ballot
          ? {
              state: label(
                ballotStateLabels as Record<BallotState, { "zh-CN": string; en: string }>,
                ballot.state,
              ),
              open: ballot.state === "open",
              yes: ballot.yes,
              no: ballot.no,
              abstain: ballot.abstain,
              blank: ballot.blank,
              voters: ballot.voters,
              needed: ballot.needed,
              passed: ballot.passed,
              signedAt: ballot.signedAt ? formatBeijingTime(ballot.signedAt) : null,
              signedBy: ballot.signedByName,
            }
          : null,
      };
    }),
    candidates: detail.candidates.map((a) => ({
      id: a.applicationId,
      name: a.applicantName,
      unit: a.employerName ?? "—",
      stateLabel: label(
        applicationStateLabels as Record<ApplicationState, { "zh-CN": string; en: string }>,
        a.state,
      ),
    })),
    recusals: detail.recusals.map((r) => ({
      id: r.id,
      expert: r.expertName,
      applicant: detail.agenda.find((a) => a.applicationId === r.applicationId)?.applicantName ?? "—",
      source: label(recusalSourceLabels as Record<RecusalSource, { "zh-CN": string; en: string }>, r.source),
      reason: r.reason,
    })),
    reviewGroups: detail.reviewGroups.map((g) => ({
      id: g.id,
      name: g.name,
      discipline: g.discipline,
      members: g.members.map((x) => x.name),
    })),
  };
}

const ZIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add-member"), userId: z.string(), role: z.string().optional() }),
  z.object({ intent: z.literal("remove-member"), userId: z.string() }),
  z.object({
    intent: z.literal("draw"),
    size: z.string(),
    disciplines: z.string().optional(),
    seed: z.string().optional(),
  }),
  z.object({ intent: z.literal("verify-draw"), drawId: z.string() }),
  z.object({ intent: z.literal("add-agenda"), applicationId: z.string() }),
  z.object({
    intent: z.literal("recuse"),
    expertId: z.string(),
    applicationId: z.string(),
    reason: z.string(),
  }),
  z.object({ intent: z.literal("review-group"), name: z.string(), discipline: z.string().optional() }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const en = locale === "en";
  const form = await request.formData();
  const parsed = ZIntent.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: en ? "Invalid request." : "请求无效。", intent: "" };
  const input = parsed.data;
  const at = now();
  const id = params.id;
  const fail = (error: DomainError) => ({ error: messageFor(error, locale), intent: input.intent });
  switch (input.intent) {
    case "add-member": {
      const r = await addMember(db(), actor, id, { userId: input.userId, role: input.role || "expert" }, at);
      return r.ok
        ? { done: en ? "Expert seated." : "已增加会议专家。", intent: input.intent }
        : fail(r.error);
    }
    case "remove-member": {
      const r = await removeMember(db(), actor, id, input.userId, at);
      return r.ok
        ? { done: en ? "Member removed." : "已移除会议成员。", intent: input.intent }
        : fail(r.error);
    }
    case "draw": {
      const r = await drawIntoMeeting(db(), actor, id, input, at);
      if (!r.ok) return fail(r.error);
      return {
        done: en
          ? `Drew ${r.value.draw.drawnIds.length} experts with seed ${r.value.draw.seed}.`
          : `已随机抽取 ${r.value.draw.drawnIds.length} 名专家，随机种子 ${r.value.draw.seed}。`,
        intent: input.intent,
      };
    }
    case "verify-draw": {
      const r = await verifyDraw(db(), actor, id, input.drawId);
      if (!r.ok) return fail(r.error);
      return r.value.matches
        ? {
            done: en
              ? `Checked: the seed ${r.value.seed} draws the same experts again.`
              : `复核一致：以随机种子 ${r.value.seed} 重新抽取，结果与记录相同。`,
            intent: input.intent,
            drawId: r.value.drawId,
          }
        : {
            error: en
              ? `The repeated draw differs from the record (the pool has changed since).`
              : "复核不一致：重新抽取的结果与记录不同（专家库信息已变更）。",
            intent: input.intent,
          };
    }
    case "add-agenda": {
      const r = await addToAgenda(db(), actor, id, input.applicationId, at);
      return r.ok
        ? {
            done: en
              ? `Added to the agenda; ${r.value.recused} automatic recusals.`
              : `已列入议程，自动回避 ${r.value.recused} 人次。`,
            intent: input.intent,
          }
        : fail(r.error);
    }
    case "recuse": {
      const r = await orderRecusal(db(), actor, id, input, at);
      return r.ok ? { done: en ? "Recusal ordered." : "已决定回避。", intent: input.intent } : fail(r.error);
    }
    case "review-group": {
      const r = await createReviewGroup(
        db(),
        actor,
        id,
        {
          name: input.name,
          discipline: input.discipline ?? "",
          memberIds: form.getAll("memberIds").map(String),
        },
        at,
      );
      return r.ok
        ? { done: en ? "Review group set up." : "已组建评议组。", intent: input.intent }
        : fail(r.error);
    }
  }
}

export default function MeetingPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const m = data.meeting;
  const scheduled = m.state === "scheduled";
  const committee = m.kind === "committee";
  const flash = (intent: string) =>
    result && result.intent === intent ? (
      "error" in result && result.error ? (
        <Alert tone="error">{result.error}</Alert>
      ) : "done" in result ? (
        <Alert tone="success">{result.done}</Alert>
      ) : null
    ) : null;
  return (
    <>
      <PageHeading title={m.title}>
        <p>
          {m.kindLabel} · {m.series} · {m.level}
          {data.committee ? ` · ${data.committee.name}` : ""}
        </p>
        <p>
          {m.startsAt} · {m.venue || "—"} · {en ? "State: " : "状态："}
          <strong data-testid="meeting-state">{m.stateLabel}</strong>
          {m.closedAt ? ` · ${en ? "closed" : "结束于"} ${m.closedAt}` : ""}
        </p>
      </PageHeading>
      <p>
        <a href="/agency/meetings">{en ? "← All meetings" : "← 返回会议列表"}</a>
        {committee && m.state === "closed" ? (
          <>
            {" · "}
            <a href={`/agency/meetings/${m.id}/minutes.pdf`} data-testid="minutes-link">
              {en ? "Minutes (PDF)" : "会议纪要（PDF）"}
            </a>
            {m.minutesArchived ? <span className="meta">（{en ? "archived" : "已归档"}）</span> : null}
          </>
        ) : null}
      </p>
      {result && result.intent === "" && "error" in result ? (
        <Alert tone="error">{result.error}</Alert>
      ) : null}

      <Card title={en ? "Roll call and quorum" : "点名与法定人数"}>
        <p data-testid="quorum">
          {en
            ? `${data.quorum.members} members; at least ${data.quorum.needed} must be present (two thirds${data.quorum.inclusive ? ", inclusive" : ", exclusive"}).`
            : `委员 ${data.quorum.members} 人，出席不少于 ${data.quorum.needed} 人方为有效（三分之二${data.quorum.inclusive ? "，含本数" : "，不含本数"}）。`}{" "}
          {data.quorum.present === null
            ? en
              ? "The chair has not taken the roll call yet."
              : "主任委员尚未点名。"
            : en
              ? `Present at roll call: ${data.quorum.present}${m.rollCallAt ? ` (${m.rollCallAt})` : ""}.`
              : `点名出席 ${data.quorum.present} 人${m.rollCallAt ? `（${m.rollCallAt}）` : ""}。`}
        </p>
      </Card>

      <Card title={en ? `Members (${data.members.length})` : `会议成员（${data.members.length}）`}>
        {flash("remove-member")}
        <div className="table-scroll">
          <table className="data" data-testid="meeting-members">
            <thead>
              <tr>
                <th scope="col">{en ? "Name" : "姓名"}</th>
                <th scope="col">{en ? "Role" : "身份"}</th>
                <th scope="col">{en ? "Unit" : "工作单位"}</th>
                <th scope="col">{en ? "Disciplines" : "专业"}</th>
                <th scope="col">{en ? "Roll call" : "点名"}</th>
                {scheduled ? <th scope="col">{en ? "Action" : "操作"}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.members.map((x) => (
                <tr key={x.userId}>
                  <td>{x.name}</td>
                  <td>{x.roleLabel}</td>
                  <td>{x.unit}</td>
                  <td>{x.disciplines}</td>
                  <td>
                    {x.present === null
                      ? "—"
                      : x.present
                        ? en
                          ? "Present"
                          : "出席"
                        : en
                          ? "Absent"
                          : "缺席"}
                  </td>
                  {scheduled ? (
                    <td>
                      {committee && x.role === "chair" ? (
                        "—"
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove-member" />
                          <input type="hidden" name="userId" value={x.userId} />
                          <Button variant="secondary" disabled={busy}>
                            {en ? "Remove" : "移除"}
                          </Button>
                        </Form>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {scheduled ? (
          <Form method="post" className="filters">
            {flash("add-member")}
            <input type="hidden" name="intent" value="add-member" />
            <SelectField
              label={en ? "Add an expert of the pool" : "从专家库增加专家"}
              name="userId"
              options={data.available.map((e) => ({
                value: e.id,
                label: `${e.name}（${e.disciplines} · ${e.unit}）`,
              }))}
            />
            <SelectField
              label={en ? "As" : "身份"}
              name="role"
              defaultValue="expert"
              options={[
                { value: "expert", label: en ? "Expert" : "专家" },
                { value: "observer", label: en ? "Observer" : "列席" },
              ]}
            />
            <div className="filters__actions">
              <Button disabled={busy || data.available.length === 0}>{en ? "Add" : "增加"}</Button>
            </div>
          </Form>
        ) : null}
      </Card>

      <Card title={en ? "Random draw from the pool" : "从专家库随机抽取专家"}>
        {flash("draw")}
        {flash("verify-draw")}
        {scheduled ? (
          <Form method="post" className="filters" data-testid="draw-form">
            <input type="hidden" name="intent" value="draw" />
            <div className="field">
              <label htmlFor="draw-size">{en ? "How many" : "抽取人数"}</label>
              <input id="draw-size" name="size" type="number" min={1} max={49} required inputMode="numeric" />
            </div>
            <div className="field">
              <label htmlFor="draw-disciplines">
                {en ? "Disciplines to cover (、-separated)" : "须覆盖的专业（以“、”分隔）"}
              </label>
              <input id="draw-disciplines" name="disciplines" maxLength={500} />
            </div>
            <div className="field">
              <label htmlFor="draw-seed">
                {en ? "Seed (blank: a fresh random one)" : "随机种子（留空则随机生成）"}
              </label>
              <input id="draw-seed" name="seed" maxLength={64} />
            </div>
            <div className="filters__actions">
              <Button disabled={busy}>{en ? "Draw" : "抽取"}</Button>
            </div>
          </Form>
        ) : null}
        <p className="meta">
          {en
            ? "Experts of the units of the applicants on the agenda and experts already seated are not drawn. The same seed over the same pool draws the same experts."
            : "议程中申报人所在单位的专家和已在会议中的专家不参加抽取。相同随机种子和专家库得到相同结果，可随时复核。"}
        </p>
        {data.draws.length === 0 ? null : (
          <table className="data" data-testid="draws">
            <thead>
              <tr>
                <th scope="col">{en ? "Drawn at" : "抽取时间"}</th>
                <th scope="col">{en ? "Seed" : "随机种子"}</th>
                <th scope="col">{en ? "Size, disciplines" : "人数、专业"}</th>
                <th scope="col">{en ? "Drawn" : "抽取结果"}</th>
                <th scope="col">{en ? "Check" : "复核"}</th>
              </tr>
            </thead>
            <tbody>
              {data.draws.map((d) => (
                <tr key={d.id}>
                  <td>{d.at}</td>
                  <td>
                    <code>{d.seed}</code>
                  </td>
                  <td>
                    {d.size} · {d.disciplines} · {en ? `pool ${d.pool}` : `专家库 ${d.pool} 人`}
                  </td>
                  <td>{d.drawn.join("、")}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="verify-draw" />
                      <input type="hidden" name="drawId" value={d.id} />
                      <Button variant="secondary" disabled={busy}>
                        {en ? "Check" : "复核"}
                      </Button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      {committee ? (
        <Card title={en ? `Agenda (${data.agenda.length})` : `议程（${data.agenda.length} 人）`}>
          {flash("add-agenda")}
          {data.agenda.length === 0 ? (
            <p>{en ? "Nobody on the agenda yet." : "议程中暂无申报人。"}</p>
          ) : (
            <div className="table-scroll">
              <table className="data" data-testid="agenda">
                <thead>
                  <tr>
                    <th scope="col">{en ? "Applicant" : "申报人"}</th>
                    <th scope="col">{en ? "Review group" : "评议组意见"}</th>
                    <th scope="col">{en ? "Defense score" : "答辩成绩"}</th>
                    <th scope="col">{en ? "Ballot" : "表决"}</th>
                    <th scope="col">{en ? "Result" : "结果"}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.agenda.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {a.name}
                        <div className="meta">
                          {a.unit} · {a.stateLabel}
                        </div>
                      </td>
                      <td>
                        {a.opinions.length === 0
                          ? "—"
                          : a.opinions.map((o) => (
                              <div key={o.group}>
                                {o.group}：
                                {o.recommendation === "support"
                                  ? en
                                    ? "support"
                                    : "建议通过"
                                  : en
                                    ? "oppose"
                                    : "建议不通过"}
                                <div className="meta">{o.opinion}</div>
                              </div>
                            ))}
                      </td>
                      <td>
                        {!a.defense
                          ? "—"
                          : (a.defense.score ??
                            (a.defense.attendance === "no_show"
                              ? en
                                ? "No-show"
                                : "未参加答辩"
                              : en
                                ? "Not scored"
                                : "未评分"))}
                        {a.defense ? (
                          <div className="meta">
                            {en ? `${a.defense.count} sheets` : `${a.defense.count} 份评分`}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        {a.ballot ? (
                          <>
                            {a.ballot.state}
                            {a.ballot.open ? null : (
                              <div className="meta" data-testid="tally">
                                {en
                                  ? `yes ${a.ballot.yes}, no ${a.ballot.no}, abstain ${a.ballot.abstain}, blank ${a.ballot.blank}; ${a.ballot.voters} voters, ${a.ballot.needed ?? "—"} needed`
                                  : `同意 ${a.ballot.yes}，不同意 ${a.ballot.no}，弃权 ${a.ballot.abstain}，未投 ${a.ballot.blank}；应投 ${a.ballot.voters}，需 ${a.ballot.needed ?? "—"} 票`}
                              </div>
                            )}
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        {a.ballot?.passed == null
                          ? "—"
                          : a.ballot.passed
                            ? en
                              ? "Passed"
                              : "通过"
                            : en
                              ? "Not passed"
                              : "未通过"}
                        {a.ballot?.signedAt ? (
                          <div className="meta">
                            {en ? "signed" : "签署"} {a.ballot.signedBy ?? ""} {a.ballot.signedAt}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {scheduled ? (
            <>
              <h3>{en ? "Applicants who may join the agenda" : "可列入议程的申报人"}</h3>
              {data.candidates.length === 0 ? (
                <p className="meta">
                  {en
                    ? "None: intermediate and senior applicants join after their defense, junior ones once complete."
                    : "暂无。中级、高级申报人完成答辩后、初级申报人缴费完成后方可列入。"}
                </p>
              ) : (
                <ul className="plain-list" data-testid="agenda-candidates">
                  {data.candidates.map((c) => (
                    <li key={c.id}>
                      <Form method="post">
                        <input type="hidden" name="intent" value="add-agenda" />
                        <input type="hidden" name="applicationId" value={c.id} />
                        {c.name} · {c.unit} · {c.stateLabel}{" "}
                        <Button variant="secondary" disabled={busy}>
                          {en ? "Add to the agenda" : "列入议程"}
                        </Button>
                      </Form>
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : null}
        </Card>
      ) : null}

      <Card title={en ? `Recusals (${data.recusals.length})` : `回避（${data.recusals.length}）`}>
        {flash("recuse")}
        {data.recusals.length === 0 ? (
          <p>{en ? "No recusal." : "暂无回避。"}</p>
        ) : (
          <table className="data" data-testid="recusals">
            <thead>
              <tr>
                <th scope="col">{en ? "Expert" : "专家"}</th>
                <th scope="col">{en ? "Applicant" : "申报人"}</th>
                <th scope="col">{en ? "Source" : "回避类型"}</th>
                <th scope="col">{en ? "Reason" : "理由"}</th>
              </tr>
            </thead>
            <tbody>
              {data.recusals.map((r) => (
                <tr key={r.id}>
                  <td>{r.expert}</td>
                  <td>{r.applicant}</td>
                  <td>{r.source}</td>
                  <td>{r.reason || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {m.state !== "closed" && data.agenda.length > 0 ? (
          <Form method="post" data-testid="recusal-form">
            <input type="hidden" name="intent" value="recuse" />
            <SelectField
              label={en ? "Expert" : "专家"}
              name="expertId"
              options={data.experts.map((e) => ({ value: e.id, label: e.name }))}
            />
            <SelectField
              label={en ? "Applicant" : "申报人"}
              name="applicationId"
              options={data.agenda.map((a) => ({ value: a.id, label: a.name }))}
            />
            <div className="field">
              <label htmlFor="r-reason">{en ? "Reason" : "回避理由"}</label>
              <textarea id="r-reason" name="reason" maxLength={500} rows={2} />
            </div>
            <Button disabled={busy}>{en ? "Order the recusal" : "决定回避"}</Button>
          </Form>
        ) : null}
      </Card>

      <Card
        title={en ? `Review groups (${data.reviewGroups.length})` : `评议组（${data.reviewGroups.length}）`}
      >
        {flash("review-group")}
        {data.reviewGroups.length === 0 ? (
          <p>{en ? "No review group yet." : "尚未组建评议组。"}</p>
        ) : (
          <ul className="plain-list" data-testid="review-groups">
            {data.reviewGroups.map((g) => (
              <li key={g.id}>
                <strong>{g.name}</strong>
                {g.discipline ? ` · ${g.discipline}` : ""} · {g.members.join("、")}
              </li>
            ))}
          </ul>
        )}
        {m.state !== "closed" ? (
          <Form method="post" data-testid="review-group-form">
            <input type="hidden" name="intent" value="review-group" />
            <div className="field">
              <label htmlFor="g-name">{en ? "Name" : "评议组名称"}</label>
              <input id="g-name" name="name" required maxLength={60} />
            </div>
            <div className="field">
              <label htmlFor="g-discipline">{en ? "Discipline" : "专业"}</label>
              <input id="g-discipline" name="discipline" maxLength={40} />
            </div>
            <fieldset className="field">
              <legend>{en ? "Experts (at least 3)" : "成员（至少3名专家）"}</legend>
              {data.experts.map((e) => (
                <label key={e.id} className="checkbox">
                  <input type="checkbox" name="memberIds" value={e.id} /> {e.name}
                </label>
              ))}
            </fieldset>
            <Button disabled={busy}>{en ? "Set up the group" : "组建评议组"}</Button>
          </Form>
        ) : null}
      </Card>
    </>
  );
}
