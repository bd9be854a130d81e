import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { applicationRepository, notificationRepository } from "@titles/db";
import {
  type ApplicationState,
  applicationEventLabels,
  applicationStateLabels,
  isEditable,
  isTerminal,
  latestPublicityStart,
  nextStepHint,
  type Track,
  timelineStage,
  timelineStages,
} from "@titles/domain";
import {
  Alert,
  Card,
  type MessageKey,
  PageHeading,
  ProcessSteps,
  timelineStageKeys,
  useI18n,
} from "@titles/ui";
import { ApplicationHeader } from "~/components/application-header";
import { DefenseNotice } from "~/components/defense-notice";
import { ResultNotice } from "~/components/result-notice";
import { summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { paymentViewFor } from "~/payments/payments.server";
import { loadRules, windowOf } from "~/services/applications.server";
import { resultNoticeFor } from "~/services/complaints.server";
import { defenseNoticeFor } from "~/services/defense.server";

export const meta: MetaFunction = () => [{ title: "我的申报状态 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "read", locale);
  const state = app.state as ApplicationState;
  const [events, rules] = await Promise.all([
    applicationRepository.findEvents(db(), app.id),
    loadRules(db(), app.roundYear),
  ]);
  const window = windowOf(rules.round, app.windowId);
  const own = app.applicantId === actor.user.id;
  const messages = own ? await notificationRepository.findForUser(db(), actor.user.id, 30) : [];
  // The fee order is the applicant's own business, once the agency approved.
  const payment =
    own && (state === "approved" || state === "complete")
      ? await paymentViewFor(db(), accessActor(actor), app.id, now())
      : null;
  // The defense session the applicant is called to, with its requirements once published.
  const defense = await defenseNoticeFor(db(), app);
  // An ended application shows the stage it ended in.
  const lastLive = [...events].reverse().find((e) => !isTerminal(e.toState as ApplicationState))?.toState as
    | ApplicationState
    | undefined;
  const stage = timelineStage(state) ?? (lastLive ? timelineStage(lastLive) : "fill") ?? "fill";
  return {
    app: summarise(app, locale),
    state,
    own,
    payment,
    defense,
    // The published result: publicity dates, the re-review link, the certificates module.
    result: await resultNoticeFor(db(), actor, app, now()),
    ended: isTerminal(state),
    editable: isEditable(state),
    stageIndex: timelineStages.indexOf(stage),
    hint: nextStepHint(state, locale, { track: app.track as Track }),
    dates: {
      opens: window.opens,
      closes: window.closes,
      recommendedSubmit: window.recommendedSubmitToEmployerBy,
      recommendedPublicity: window.recommendedPublicityDoneBy,
      latestPublicityStart: latestPublicityStart(
        window,
        rules.round.employerPublicityMinWorkingDays,
        rules.calendar,
      ),
      publicity: app.publicityStart ? `${app.publicityStart} – ${app.publicityEnd}` : null,
      districtDeadline: window.districtDeadline ?? null,
      confirmedAt: app.confirmedAt?.toISOString() ?? null,
    },
    receiptHash: app.receiptHash,
    correctionDeadline: app.correctionDeadline,
    events: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      event: applicationEventLabels[e.event as keyof typeof applicationEventLabels]?.[locale] ?? e.event,
      to: applicationStateLabels[e.toState as ApplicationState]?.[locale] ?? e.toState,
      reason: typeof e.data.reason === "string" ? e.data.reason : null,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      body: m.body,
      status: m.status,
      at: m.createdAt.toISOString(),
    })),
  };
}

function time(iso: string, locale: string) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
}

export default function ApplicationStatus() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const en = locale === "en";
  const { app, dates, state } = data;
  return (
    <>
      <PageHeading title={en ? "My application status" : "我的申报状态"}>
        <ApplicationHeader app={app} />
      </PageHeading>
      <Alert tone={data.ended ? "warning" : "info"} title={en ? "What happens next" : "下一步"}>
        <p data-testid="next-step">{data.hint}</p>
      </Alert>
      {data.own ? (
        <div className="button-row" style={{ marginBottom: 16 }}>
          {data.editable ? (
            <>
              <a className="button button--primary" href={`/applications/${app.id}/form/personal`}>
                {en ? "Edit the form" : "填写申报信息"}
              </a>
              <a className="button button--secondary" href={`/applications/${app.id}/materials`}>
                {en ? "Materials" : "业绩材料"}
              </a>
              <a className="button button--secondary" href={`/applications/${app.id}/review`}>
                {en ? "Review and submit" : "核对并提交单位"}
              </a>
            </>
          ) : null}
          {state !== "draft" ? (
            <a className="button button--secondary" href={`/applications/${app.id}/documents`}>
              {en ? "Forms to print" : "下载打印材料"}
            </a>
          ) : null}
          {state === "correction_requested" && data.correctionDeadline ? (
            <a className="button button--primary" href={`/applications/${app.id}/correction`}>
              {en ? `Correct by ${data.correctionDeadline}` : `补正材料（${data.correctionDeadline} 前）`}
            </a>
          ) : null}
          {state === "recommended" ? (
            <a className="button button--primary" href={`/applications/${app.id}/confirm`}>
              {en ? "Upload stamped pages and confirm" : "上传盖章材料并确认申报"}
            </a>
          ) : null}
          {data.receiptHash ? (
            <a className="button button--secondary" href={`/applications/${app.id}/receipt.pdf`}>
              {en ? "Confirmation receipt" : "下载确认回执"}
            </a>
          ) : null}
        </div>
      ) : null}
      {data.payment ? (
        <Card title={en ? "Evaluation fee" : "评审费缴纳"}>
          <dl className="dates" data-testid="payment-card">
            <dt>{en ? "Amount" : "应缴金额"}</dt>
            <dd>{en ? `¥${data.payment.amountYuan}` : `${data.payment.amountYuan} 元`}</dd>
            <dt>{en ? "Pay by" : "缴费截止"}</dt>
            <dd>{data.payment.dueDate} 24:00</dd>
            <dt>{en ? "Status" : "状态"}</dt>
            <dd>
              {data.payment.status === "paid"
                ? en
                  ? "Paid"
                  : "已缴费"
                : data.payment.overdue
                  ? en
                    ? "Overdue"
                    : "已逾期"
                  : en
                    ? "Awaiting payment"
                    : "待缴费"}
            </dd>
          </dl>
          <p className="button-row">
            <a
              className={`button button--${data.payment.status === "open" && !data.payment.overdue ? "primary" : "secondary"}`}
              href={`/applications/${app.id}/payment`}
            >
              {data.payment.status === "paid"
                ? en
                  ? "Payment and electronic receipt"
                  : "缴费信息及电子票据"
                : en
                  ? "Pay the fee"
                  : "去缴费"}
            </a>
          </p>
        </Card>
      ) : null}
      {data.defense ? <DefenseNotice notice={data.defense} /> : null}
      <ResultNotice notice={data.result} />
      <div className="grid">
        <Card title={en ? "Progress" : "办理进度"}>
          <ProcessSteps
            current={data.stageIndex}
            steps={timelineStages.map((stage) => ({
              key: timelineStageKeys[stage],
              date:
                stage === "employer"
                  ? `${en ? "by" : "建议"} ${dates.recommendedSubmit}`
                  : stage === "publicity"
                    ? (dates.publicity ?? `${en ? "by" : "建议"} ${dates.recommendedPublicity}`)
                    : stage === "confirm"
                      ? `${en ? "by" : "截止"} ${dates.closes}`
                      : undefined,
            }))}
          />
        </Card>
        <Card title={t("dashboard.dates")}>
          <dl className="dates">
            <dt>{en ? "Application window" : "申报时间"}</dt>
            <dd>
              {dates.opens} – {dates.closes}
            </dd>
            <dt>{en ? "Submit to employer (recommended)" : "建议提交单位审核"}</dt>
            <dd>{dates.recommendedSubmit}</dd>
            <dt>{en ? "Finish publicity (recommended)" : "建议完成单位公示"}</dt>
            <dd>{dates.recommendedPublicity}</dd>
            <dt>{en ? "Latest start of a 5-working-day publicity" : "单位公示最晚开始日期"}</dt>
            <dd data-testid="latest-publicity-start">{dates.latestPublicityStart}</dd>
            {dates.publicity ? (
              <>
                <dt>{en ? "Publicity" : "公示期"}</dt>
                <dd>{dates.publicity}</dd>
              </>
            ) : null}
            {dates.districtDeadline ? (
              <>
                <dt>{en ? "Files to the district bureau" : "材料报送区人社局截止"}</dt>
                <dd>{dates.districtDeadline}</dd>
              </>
            ) : null}
            <dt>{en ? "Upload and confirm by" : "上传并确认申报截止"}</dt>
            <dd>{dates.closes} 24:00</dd>
            {data.correctionDeadline ? (
              <>
                <dt>{en ? "Correct and resubmit by" : "补正截止日期"}</dt>
                <dd data-testid="correction-deadline">{data.correctionDeadline}</dd>
              </>
            ) : null}
            {dates.confirmedAt ? (
              <>
                <dt>{en ? "Confirmed at" : "确认申报时间"}</dt>
                <dd>{time(dates.confirmedAt, locale)}</dd>
              </>
            ) : null}
          </dl>
        </Card>
      </div>
      <div className="grid">
        <Card title={en ? "History" : "办理记录"}>
          {data.events.length === 0 ? (
            <p>{en ? "Not submitted yet." : "尚未提交。"}</p>
          ) : (
            <ol className="timeline-events">
              {data.events.map((e) => (
                <li key={e.id}>
                  <span className="meta">{time(e.at, locale)}</span> {e.event} → <strong>{e.to}</strong>
                  {e.reason ? <p>{e.reason}</p> : null}
                </li>
              ))}
            </ol>
          )}
        </Card>
        {data.own ? (
          <Card title={en ? "SMS sent to you" : "短信通知记录"}>
            {data.messages.length === 0 ? <p>{t("sms.empty")}</p> : null}
            <ul className="timeline-events" data-testid="sms-history">
              {data.messages.map((m) => (
                <li key={m.id}>
                  <span className="meta">
                    {time(m.at, locale)} · {t(`status.${m.status}` as MessageKey)}
                  </span>
                  <p>{m.body}</p>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
