import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { applicationRepository, correctionRepository, findAuditForObject, userRepository } from "@titles/db";
import {
  type ApplicationState,
  applicationEventLabels,
  type CorrectionItem,
  formStepsFor,
  type Level,
  materialKindLabels,
  materialKinds,
  messageFor,
  reviewChecklistFor,
  type Series,
  ZCorrectionItems,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { z } from "zod";
import { FormSections } from "~/components/form-sections";
import { MaterialViewer } from "~/components/material-viewer";
import { formSections, summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  approve,
  decline,
  judgeMaterialChange,
  requestCorrection,
  suggestedCorrectionDeadline,
  ZCorrectionInput,
} from "~/services/agency.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "审核申报 · 评审机构工作台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "agency", locale);
  const [materials, notices, audit, events] = await Promise.all([
    listMaterials(db(), accessActor(actor), app.id),
    correctionRepository.findForApplication(db(), app.id),
    findAuditForObject(db(), "application", app.id),
    applicationRepository.findEvents(db(), app.id),
  ]);
  const people = await userRepository.findByIds(db(), [
    ...new Set(audit.map((a) => a.actorUserId).filter((id): id is string => id !== null)),
  ]);
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const fields = formStepsFor(app.series as Series, app.level as Level).flatMap((s) => s.fields);
  const fieldLabel = (id: string) => fields.find((f) => f.name === id)?.label[locale] ?? id;
  const targetLabel = (item: CorrectionItem) =>
    item.target.type === "field"
      ? `${locale === "en" ? "Field" : "字段"}：${fieldLabel(item.target.fieldId)}`
      : `${locale === "en" ? "Material" : "材料"}：${materialKindLabels[item.target.kind]?.[locale] ?? item.target.kind}`;
  const state = app.state as ApplicationState;
  const resubmitted = notices.some((n) => n.resubmittedAt !== null);
  return {
    app: summarise(app, locale),
    state,
    track: app.track,
    confirmedAt: app.confirmedAt?.toISOString() ?? null,
    receiptHash: app.receiptHash,
    correctionDeadline: app.correctionDeadline,
    suggestedDeadline: await suggestedCorrectionDeadline(db(), app, now()),
    canReview: state === "confirmed" || state === "district_recommended",
    canJudge: (state === "confirmed" || state === "district_recommended") && resubmitted,
    recommendation: app.recommendation,
    sections: formSections(app, locale),
    materials: materialKinds.map((kind) => ({
      kind,
      label: materialKindLabels[kind]?.[locale] ?? kind,
      items: materials.filter((m) => m.kind === kind),
    })),
    checklist: reviewChecklistFor(app.series as Series, app.level as Level).map((c) => ({
      id: c.id,
      label: c.label[locale],
      concerns: c.concerns,
    })),
    fieldOptions: fields.map((f) => ({ value: f.name, label: f.label[locale] })),
    kindOptions: materialKinds.map((k) => ({ value: k, label: materialKindLabels[k]?.[locale] ?? k })),
    notices: notices.map((n) => {
      const items = ZCorrectionItems.safeParse(n.items);
      return {
        id: n.id,
        seq: n.seq,
        deadline: n.deadline,
        sentAt: n.sentAt.toISOString(),
        resubmittedAt: n.resubmittedAt?.toISOString() ?? null,
        judgement: n.judgement,
        introduced: n.introducedMaterialIds.length,
        items: items.success
          ? items.data.map((i) => ({ target: targetLabel(i), problem: i.problem, needed: i.needed }))
          : [],
      };
    }),
    events: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      label: applicationEventLabels[e.event as keyof typeof applicationEventLabels]?.[locale] ?? e.event,
    })),
    audit: audit.map((a) => ({
      seq: a.seq,
      at: a.at.toISOString(),
      action: a.action,
      actor: a.actorUserId ? (nameOf.get(a.actorUserId) ?? "—") : locale === "en" ? "System" : "系统",
    })),
  };
}

const ZIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("correction") }).passthrough(),
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("decline"), reason: z.string().trim().min(2).max(2000) }),
  z.object({ intent: z.literal("material-change") }),
]);

/** The correction form: a checklist row ticked as a problem, or the extra row, becomes an item. */
function itemsFrom(form: FormData, checklist: ReturnType<typeof reviewChecklistFor>): unknown[] {
  const items: unknown[] = [];
  for (const c of checklist) {
    if (form.get(`flag-${c.id}`) !== "on") continue;
    items.push({
      target: c.concerns,
      checklistItemId: c.id,
      problem: String(form.get(`problem-${c.id}`) ?? "").trim(),
      needed: String(form.get(`needed-${c.id}`) ?? "").trim(),
    });
  }
  const extraTarget = String(form.get("extra-target") ?? "");
  if (extraTarget) {
    const [type, value] = extraTarget.split(":");
    items.push({
      target: type === "field" ? { type: "field", fieldId: value } : { type: "material", kind: value },
      problem: String(form.get("extra-problem") ?? "").trim(),
      needed: String(form.get("extra-needed") ?? "").trim(),
    });
  }
  return items;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "agency", locale);
  const form = await request.formData();
  const parsed = ZIntent.safeParse(Object.fromEntries(form));
  const en = locale === "en";
  if (!parsed.success) {
    return {
      error:
        form.get("intent") === "decline"
          ? en
            ? "Please give the reason."
            : "请填写不予受理的理由。"
          : en
            ? "Invalid request."
            : "请求无效。",
    };
  }
  const at = now();
  const intent = parsed.data.intent;
  if (intent === "correction") {
    const input = {
      items: itemsFrom(form, reviewChecklistFor(app.series as Series, app.level as Level)),
      deadline: form.get("deadline"),
    };
    const parsed = ZCorrectionInput.safeParse(input);
    if (!parsed.success) {
      const deadline = parsed.error.issues.some((i) => i.path[0] === "deadline");
      return {
        error: deadline
          ? en
            ? "Please choose the correction deadline."
            : "请选择补正截止日期。"
          : en
            ? "Mark at least one problem, and for each say what is wrong and what is needed."
            : "请至少标记一个问题，并逐项填写存在的问题和需要补正的内容。",
      };
    }
    const result = await requestCorrection(db(), actor, app.id, parsed.data, at);
    return result.ok
      ? { done: en ? "The correction notice was sent." : "一次性告知已发送。" }
      : { error: messageFor(result.error, locale) };
  }
  const result =
    intent === "approve"
      ? await approve(db(), actor, app.id, at)
      : intent === "material-change"
        ? await judgeMaterialChange(db(), actor, app.id, at)
        : await decline(db(), actor, app.id, parsed.data.reason, at);
  if (!result.ok) return { error: messageFor(result.error, locale) };
  const done = {
    approve: en ? "Approved; the fee order was sent." : "已审核通过，已通知缴费。",
    "material-change": en
      ? "Judged a material change: the employer publicises again."
      : "已认定为实质性变更，单位需重新公示。",
    decline: en ? "Declined; the applicant was told why." : "已不予受理，并告知申报人理由。",
  } as const;
  return { done: done[intent] };
}

export default function AgencyDossier() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const { app } = data;
  const time = (iso: string) =>
    new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
  return (
    <>
      <PageHeading title={en ? "Review an application" : "审核职称申报"}>
        <p>
          <strong>{app.applicantName}</strong> · {app.employerName ?? "—"} · {app.seriesLabel} ·{" "}
          {app.levelLabel} · {app.trackLabel}
        </p>
        <p>
          {en ? "State: " : "当前状态："}
          <strong data-testid="dossier-state">{app.stateLabel}</strong>
          {data.confirmedAt ? ` · ${en ? "confirmed" : "确认申报于"} ${time(data.confirmedAt)}` : ""}
          {data.correctionDeadline ? ` · ${en ? "correct by" : "补正截止"} ${data.correctionDeadline}` : ""}
        </p>
      </PageHeading>
      <p>
        <a href="/agency">{en ? "← Back to the queue" : "← 返回审核队列"}</a>
      </p>
      {result && "error" in result ? <Alert tone="error">{result.error}</Alert> : null}
      {result && "done" in result ? <Alert tone="success">{result.done}</Alert> : null}

      {data.notices.length > 0 ? (
        <Card title={en ? "Correction notices" : "补正告知记录"}>
          {data.notices.map((n) => (
            <div key={n.id} data-testid={`notice-${n.seq}`}>
              <p>
                <strong>{en ? `Notice ${n.seq}` : `第 ${n.seq} 次告知`}</strong> · {en ? "sent" : "发送于"}{" "}
                {time(n.sentAt)} · {en ? "deadline" : "截止"} {n.deadline} ·{" "}
                {n.resubmittedAt
                  ? `${en ? "resubmitted" : "已补正提交"} ${time(n.resubmittedAt)}${
                      n.introduced ? ` (${en ? "new materials" : "新增材料"} ${n.introduced})` : ""
                    }`
                  : en
                    ? "waiting for the applicant"
                    : "等待申报人补正"}
                {n.judgement === "material-change" ? ` · ${en ? "material change" : "实质性变更"}` : ""}
              </p>
              <ol>
                {n.items.map((i, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: items have no id of their own
                  <li key={k}>
                    {i.target} — {i.problem}；{en ? "needed" : "需补正"}：{i.needed}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </Card>
      ) : null}

      {data.canReview ? (
        <>
          <Card title={en ? "Checklist and the one-time correction notice" : "审核要点与一次性告知"}>
            <Form method="post">
              <input type="hidden" name="intent" value="correction" />
              <p>
                {en
                  ? "Go through every point. Mark each problem with what is wrong and what is needed: all of them go to the applicant in one notice. A second notice is only possible for material the correction itself adds."
                  : "请逐项审核。对有问题的要点勾选并写明问题和需补正的内容，所有问题一次性告知申报人；此后只能就补正中新增的材料再次告知。"}
              </p>
              <fieldset>
                <legend>{en ? "Checklist" : "审核要点"}</legend>
                {data.checklist.map((c) => (
                  <div key={c.id} className="checklist-item">
                    <label>
                      <input type="checkbox" name={`flag-${c.id}`} /> {c.label}
                    </label>
                    <div className="checklist-detail">
                      <input
                        name={`problem-${c.id}`}
                        aria-label={`${c.label} · ${en ? "what is wrong" : "存在的问题"}`}
                        placeholder={en ? "What is wrong" : "存在的问题"}
                        maxLength={500}
                      />
                      <input
                        name={`needed-${c.id}`}
                        aria-label={`${c.label} · ${en ? "what is needed" : "需补正的内容"}`}
                        placeholder={en ? "What is needed" : "需补正的内容"}
                        maxLength={500}
                      />
                    </div>
                  </div>
                ))}
              </fieldset>
              <fieldset>
                <legend>{en ? "Another problem" : "其他问题"}</legend>
                <div className="field">
                  <label htmlFor="extra-target">{en ? "Concerns" : "涉及"}</label>
                  <select id="extra-target" name="extra-target" defaultValue="">
                    <option value="">{en ? "(none)" : "（无）"}</option>
                    <optgroup label={en ? "Form fields" : "申报表字段"}>
                      {data.fieldOptions.map((f) => (
                        <option key={f.value} value={`field:${f.value}`}>
                          {f.label}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label={en ? "Materials" : "材料"}>
                      {data.kindOptions.map((k) => (
                        <option key={k.value} value={`material:${k.value}`}>
                          {k.label}
                        </option>
                      ))}
                    </optgroup>
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="extra-problem">{en ? "What is wrong" : "存在的问题"}</label>
                  <input id="extra-problem" name="extra-problem" maxLength={500} />
                </div>
                <div className="field">
                  <label htmlFor="extra-needed">{en ? "What is needed" : "需补正的内容"}</label>
                  <input id="extra-needed" name="extra-needed" maxLength={500} />
                </div>
              </fieldset>
              <div className="field">
                <label htmlFor="deadline">{en ? "Correction deadline" : "补正截止日期"}</label>
                <input
                  id="deadline"
                  name="deadline"
                  type="date"
                  defaultValue={data.suggestedDeadline}
                  required
                />
                <p className="field__hint">
                  {en
                    ? "Suggested: five working days. If the applicant does not resubmit by then, the application is given up."
                    : "默认为 5 个工作日。逾期未补正提交的，视为放弃申报。"}
                </p>
              </div>
              <Button disabled={busy}>{en ? "Send the correction notice" : "发送一次性告知"}</Button>
            </Form>
          </Card>
          <Card title={en ? "Decision" : "审核结论"}>
            <Form method="post">
              <p>
                {en
                  ? "Every point is in order: approve, and the applicant is asked to pay the fee."
                  : "各项要点均符合要求：审核通过，并通知申报人缴纳评审费。"}
              </p>
              <Button name="intent" value="approve" disabled={busy}>
                {en ? "Approve" : "审核通过"}
              </Button>
            </Form>
            {data.canJudge ? (
              <Form method="post">
                <p>
                  {en
                    ? "The correction changed the substance of the application: the employer must publicise it again before the applicant may upload the correction."
                    : "补正内容构成实质性变更：须由单位重新公示后，申报人方可上传补正材料。"}
                </p>
                <Button name="intent" value="material-change" variant="secondary" disabled={busy}>
                  {en ? "Judge a material change" : "认定为实质性变更"}
                </Button>
              </Form>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="decline" />
              <div className="field">
                <label htmlFor="reason">{en ? "Reason for declining" : "不予受理的理由"}</label>
                <textarea id="reason" name="reason" rows={3} maxLength={2000} />
              </div>
              <Button variant="danger" disabled={busy}>
                {en ? "Decline" : "不予受理"}
              </Button>
            </Form>
          </Card>
        </>
      ) : null}

      {data.recommendation ? (
        <Card title={en ? "Employer's recommendation" : "单位推荐意见"}>
          <p>{data.recommendation}</p>
        </Card>
      ) : null}
      <FormSections sections={data.sections} />
      <Card title={en ? "Materials and stamped pages" : "申报材料与盖章材料"}>
        <MaterialViewer
          applicationId={app.id}
          testId="dossier-documents"
          groups={data.materials.map((g) => ({ key: g.kind, label: g.label, items: g.items }))}
        />
        {data.receiptHash ? (
          <p className="meta">
            {en ? "Receipt hash of the confirmed submission: " : "确认申报回执摘要："}
            <code>{data.receiptHash.slice(0, 16)}…</code>
          </p>
        ) : null}
      </Card>
      <Card title={en ? "Audit trail" : "审计记录"}>
        <ol className="timeline-events" data-testid="audit-trail">
          {data.audit.map((a) => (
            <li key={a.seq}>
              <span className="meta">{time(a.at)}</span> {a.actor} · <code>{a.action}</code>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
