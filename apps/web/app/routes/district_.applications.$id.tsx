import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { applicationRepository } from "@titles/db";
import {
  type ApplicationState,
  applicationEventLabels,
  applicationStateLabels,
  type DomainError,
  messageFor,
  onSiteCheckOutcomeLabels,
  shanghaiDate,
  submissionDocumentLabels,
  submissionDocuments,
} from "@titles/domain";
import { Alert, Button, Card, type Locale, PageHeading, SelectField, TextField, useI18n } from "@titles/ui";
import { useState } from "react";
import { z } from "zod";
import { ApplicationHeader } from "~/components/application-header";
import { ApplicationHistory } from "~/components/application-history";
import { FormSections } from "~/components/form-sections";
import { MaterialList } from "~/components/material-list";
import { MaterialViewer } from "~/components/material-viewer";
import { formSections, summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { loadRules } from "~/services/applications.server";
import {
  districtDeadlineOf,
  districtRecordOf,
  receiveFile,
  recordDecision,
  recordOnSiteCheck,
  ZDecisionForm,
  ZOnSiteCheckForm,
} from "~/services/district.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "直通车申报 · 区人社局工作台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["district"]);
  const locale = localeOf(request);
  // A district bureau opens only the through-train files of its own district's units (403 otherwise).
  const app = await loadApplicationFor(db(), actor, params.id, "district", locale);
  const instant = now();
  const [record, events, rules, views] = await Promise.all([
    districtRecordOf(db(), app.id),
    applicationRepository.findEvents(db(), app.id),
    loadRules(db(), app.roundYear),
    listMaterials(db(), accessActor(actor), app.id),
  ]);
  const { review, onSiteCheck } = record;
  return {
    app: summarise(app, locale),
    state: app.state as ApplicationState,
    today: shanghaiDate(instant),
    due: districtDeadlineOf(rules.round, app.windowId, instant),
    confirmedAt: app.confirmedAt?.toISOString() ?? null,
    recommendation: app.recommendation,
    bureau: record.bureau,
    review: review
      ? {
          receivedAt: review.receivedAt.toISOString(),
          committeeDate: review.committeeDate,
          decision: review.decision,
          reason: review.reason,
          forwarded: review.forwardId !== null,
        }
      : null,
    onSiteCheck: onSiteCheck
      ? {
          ...onSiteCheck,
          outcomeLabel: onSiteCheckOutcomeLabels[onSiteCheck.outcome][locale],
        }
      : null,
    sections: formSections(app, locale),
    achievements: views.filter((v) => v.kind === "achievement"),
    stamped: submissionDocuments.map((kind) => ({
      kind,
      label: submissionDocumentLabels[kind][locale],
      materials: views.filter((v) => v.kind === kind),
    })),
    scans: views.filter((v) => v.kind === "employer-scan"),
    events: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      label: applicationEventLabels[e.event as keyof typeof applicationEventLabels]?.[locale] ?? e.event,
      to: applicationStateLabels[e.toState as ApplicationState]?.[locale] ?? e.toState,
      reason: typeof e.data.reason === "string" ? e.data.reason : null,
    })),
  };
}

/** Bad input gets the form's hint with the detail; any other refusal its own message. */
function problem(result: { ok: false; error: DomainError } | null, hint: string, locale: Locale): string {
  if (!result) return hint;
  const message = messageFor(result.error, locale);
  return result.error.code === "VALIDATION" ? `${hint} ${message}` : message;
}

const ZIntent = z.object({ intent: z.enum(["receive", "on-site-check", "decision"]) });

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["district"]);
  const locale = localeOf(request);
  const en = locale === "en";
  const app = await loadApplicationFor(db(), actor, params.id, "district", locale);
  const form = Object.fromEntries(await request.formData());
  const intent = ZIntent.safeParse(form);
  if (!intent.success) return { error: en ? "Invalid request." : "请求无效。", intent: null };
  const at = now();
  if (intent.data.intent === "receive") {
    const result = await receiveFile(db(), actor, app.id, at);
    if (!result.ok) return { error: messageFor(result.error, locale), intent: "receive" };
  } else if (intent.data.intent === "on-site-check") {
    const input = ZOnSiteCheckForm.safeParse(form);
    const result = input.success ? await recordOnSiteCheck(db(), actor, app.id, input.data, at) : null;
    if (!result?.ok) {
      const hint = en
        ? "Give the date of the check, the staff who made it and its outcome; for a failed check, what was found."
        : "请填写核查日期、核查人员和核查结论；核查未通过的，请写明发现的问题。";
      return { error: problem(result, hint, locale), intent: "on-site-check" };
    }
  } else {
    const input = ZDecisionForm.safeParse(form);
    const result = input.success ? await recordDecision(db(), actor, app.id, input.data, at) : null;
    if (!result?.ok) {
      const hint = en
        ? "Give the date of the committee meeting and its decision; when not recommended, the reason the applicant will be told."
        : "请填写推委会会议日期和推荐意见；不予推荐的，请写明告知申报人的理由。";
      return { error: problem(result, hint, locale), intent: "decision" };
    }
  }
  throw redirect(`/district/applications/${app.id}`);
}

function time(iso: string, locale: string) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false });
}

export default function DistrictFile() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const en = locale === "en";
  const { app, state, review, onSiteCheck, due } = data;
  const [recommended, setRecommended] = useState<"yes" | "no">("yes");
  const reviewing = state === "district_review";
  const viewable = [...data.achievements, ...data.stamped.flatMap((s) => s.materials), ...data.scans];
  return (
    <>
      <PageHeading title={en ? "Through-train file" : "直通车申报材料"}>
        <ApplicationHeader app={app} />
      </PageHeading>
      <p>
        <a href="/district">{en ? "← Back to the workspace" : "← 返回区人社局工作台"}</a>
      </p>
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}

      <Card title={en ? "At the district bureau" : "区人社局办理情况"}>
        <dl className="dates" data-testid="district-record">
          <dt>{en ? "District deadline" : "报送区人社局截止"}</dt>
          <dd>
            {due ? due.deadline : "—"}
            {due && state === "confirmed"
              ? ` · ${due.daysLeft > 0 ? t("home.daysLeft", { days: due.daysLeft }) : en ? "deadline passed" : "已过报送期限"}`
              : ""}
          </dd>
          <dt>{en ? "Confirmed online" : "网上确认申报"}</dt>
          <dd>{data.confirmedAt ? time(data.confirmedAt, locale) : "—"}</dd>
          <dt>{en ? "Received" : "接收材料"}</dt>
          <dd>
            {review ? `${time(review.receivedAt, locale)}${data.bureau ? ` · ${data.bureau}` : ""}` : "—"}
          </dd>
          <dt>{en ? "On-site check" : "现场核查"}</dt>
          <dd>
            {onSiteCheck
              ? `${onSiteCheck.date} · ${onSiteCheck.staff.join("、")} · ${onSiteCheck.outcomeLabel}${onSiteCheck.findings ? ` · ${onSiteCheck.findings}` : ""}`
              : "—"}
          </dd>
          <dt>{en ? "Recommendation committee" : "推委会推荐意见"}</dt>
          <dd>
            {review?.decision
              ? `${review.committeeDate} · ${
                  review.decision === "recommended"
                    ? en
                      ? "recommended"
                      : "推荐"
                    : `${en ? "not recommended: " : "不予推荐："}${review.reason ?? ""}`
                }`
              : "—"}
          </dd>
          <dt>{en ? "Forwarded to the agency" : "报送评审机构"}</dt>
          <dd>
            {review?.forwarded
              ? en
                ? "yes"
                : "已报送"
              : review?.decision === "recommended"
                ? en
                  ? "waiting"
                  : "待报送"
                : "—"}
          </dd>
        </dl>
      </Card>

      {state === "confirmed" ? (
        <Card title={en ? "Intake" : "接收材料"}>
          <Form method="post">
            <p>
              {en
                ? "Receive the file once the paper application form, the signed pledge and the publicity material have reached the bureau."
                : "申报人报送的申报信息表、诚信承诺书和公示材料送达后，请接收材料，进入审核。"}
            </p>
            <Button name="intent" value="receive" disabled={busy}>
              {en ? "Receive the file" : "接收材料"}
            </Button>
          </Form>
        </Card>
      ) : null}

      {reviewing ? (
        <Card title={en ? "On-site check" : "现场核查"}>
          <Form method="post">
            <input type="hidden" name="intent" value="on-site-check" />
            <TextField
              name="date"
              type="date"
              label={en ? "Date of the check" : "核查日期"}
              defaultValue={onSiteCheck?.date ?? data.today}
              required
            />
            <TextField
              name="staff"
              label={en ? "Staff who checked" : "核查人员"}
              hint={en ? "Names, separated by commas." : "多人请用顿号或逗号分隔。"}
              defaultValue={onSiteCheck?.staff.join("、")}
              maxLength={600}
              required
            />
            <SelectField
              name="outcome"
              label={en ? "Outcome" : "核查结论"}
              defaultValue={onSiteCheck?.outcome ?? "passed"}
              options={[
                { value: "passed", label: en ? "Passed" : "现场核查通过" },
                { value: "failed", label: en ? "Failed" : "现场核查未通过" },
              ]}
              required
            />
            <div className="field">
              <label htmlFor="findings">{en ? "Findings" : "核查情况"}</label>
              <p className="field__hint" id="findings-hint">
                {en ? "Required when the check failed." : "核查未通过的，请写明发现的问题。"}
              </p>
              <textarea
                id="findings"
                name="findings"
                rows={3}
                maxLength={2000}
                aria-describedby="findings-hint"
                defaultValue={onSiteCheck?.findings ?? ""}
              />
            </div>
            <Button variant={onSiteCheck ? "secondary" : "primary"} disabled={busy}>
              {onSiteCheck
                ? en
                  ? "Correct the check"
                  : "更正核查记录"
                : en
                  ? "Record the check"
                  : "登记现场核查"}
            </Button>
          </Form>
        </Card>
      ) : null}

      {reviewing && onSiteCheck ? (
        <Card title={en ? "Recommendation committee" : "推委会推荐意见"}>
          <Form method="post">
            <input type="hidden" name="intent" value="decision" />
            <TextField
              name="decidedOn"
              type="date"
              label={en ? "Date of the committee meeting" : "推委会会议日期"}
              defaultValue={data.today}
              required
            />
            <fieldset style={{ border: 0, padding: 0, margin: "0 0 16px" }}>
              <legend style={{ fontWeight: 600, marginBottom: 4 }}>{en ? "Decision" : "推荐意见"}</legend>
              <label style={{ display: "block", padding: "4px 0" }}>
                <input
                  type="radio"
                  name="recommended"
                  value="yes"
                  checked={recommended === "yes"}
                  onChange={() => setRecommended("yes")}
                />{" "}
                {en ? "Recommended" : "推荐"}
              </label>
              <label style={{ display: "block", padding: "4px 0" }}>
                <input
                  type="radio"
                  name="recommended"
                  value="no"
                  checked={recommended === "no"}
                  onChange={() => setRecommended("no")}
                />{" "}
                {en ? "Not recommended" : "不予推荐"}
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor="reason">
                {en ? "Reason (told to the applicant)" : "不予推荐理由（将告知申报人）"}
              </label>
              <textarea id="reason" name="reason" rows={3} maxLength={2000} required={recommended === "no"} />
            </div>
            <Button disabled={busy}>{en ? "Record the decision" : "登记推荐意见"}</Button>
          </Form>
        </Card>
      ) : null}

      {data.recommendation ? (
        <Card title={en ? "Employer's recommendation" : "单位推荐意见"}>
          <p>{data.recommendation}</p>
        </Card>
      ) : null}

      <FormSections sections={data.sections} />

      <Card title={en ? "Materials" : "申报材料"}>
        <MaterialViewer
          applicationId={app.id}
          testId="district-materials"
          groups={[{ key: "all", items: viewable }]}
        />
        <h3>{en ? "Achievements" : "业绩成果材料"}</h3>
        <MaterialList
          applicationId={app.id}
          kind="achievement"
          materials={data.achievements}
          editable={false}
        />
        {data.stamped.map((s) => (
          <div key={s.kind}>
            <h3>{s.label}</h3>
            <MaterialList applicationId={app.id} kind={s.kind} materials={s.materials} editable={false} />
          </div>
        ))}
        <h3>{en ? "Employer's stamped scans" : "单位盖章扫描件"}</h3>
        <MaterialList applicationId={app.id} kind="employer-scan" materials={data.scans} editable={false} />
      </Card>

      <Card title={en ? "History" : "办理记录"}>
        <ApplicationHistory events={data.events} />
      </Card>
    </>
  );
}
