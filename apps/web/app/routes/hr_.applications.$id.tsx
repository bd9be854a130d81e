import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { applicationRepository, objectionRepository } from "@titles/db";
import {
  type ApplicationState,
  addDays,
  applicationEventLabels,
  applicationStateLabels,
  isDayOver,
  isIsoDate,
  messageFor,
  shanghaiDate,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { z } from "zod";
import { ApplicationHeader } from "~/components/application-header";
import { ApplicationHistory } from "~/components/application-history";
import { FormSections } from "~/components/form-sections";
import { MaterialList } from "~/components/material-list";
import { MaterialUploader } from "~/components/material-uploader";
import { MaterialViewer } from "~/components/material-viewer";
import { formSections, summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  employerAccept,
  employerReturn,
  previewPublicity,
  recommend,
  recordObjection,
  startPublicity,
  ZObjectionInput,
} from "~/services/applications.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "审核申报 · 单位人事工作台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["hr"]);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "employer", locale);
  const start = new URL(request.url).searchParams.get("start");
  const today = shanghaiDate(now());
  const [objections, events] = await Promise.all([
    objectionRepository.findForApplication(db(), app.id),
    applicationRepository.findEvents(db(), app.id),
  ]);
  const preview =
    start && isIsoDate(start) && start >= today ? await previewPublicity(db(), app, start) : null;
  const views = await listMaterials(db(), accessActor(actor), app.id);
  return {
    app: summarise(app, locale),
    state: app.state as ApplicationState,
    today,
    sections: formSections(app, locale),
    views: views.filter((v) => v.kind !== "employer-scan"),
    scans: views.filter((v) => v.kind === "employer-scan"),
    objections: objections.map((o) => ({
      id: o.id,
      receivedOn: o.receivedOn,
      content: o.content,
      upheld: o.upheld,
      outcome: o.outcome,
    })),
    publicity: app.publicityStart ? { start: app.publicityStart, end: app.publicityEnd! } : null,
    publicityOver: app.publicityEnd ? isDayOver(now(), app.publicityEnd) : false,
    recommendFrom: app.publicityEnd ? addDays(app.publicityEnd, 1) : null,
    recommendation: app.recommendation,
    preview,
    events: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      label: applicationEventLabels[e.event as keyof typeof applicationEventLabels]?.[locale] ?? e.event,
      to: applicationStateLabels[e.toState as ApplicationState]?.[locale] ?? e.toState,
    })),
  };
}

const ZIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept") }),
  z.object({ intent: z.literal("return"), reason: z.string().trim().min(2).max(2000) }),
  z.object({ intent: z.literal("start-publicity"), start: z.string().refine(isIsoDate) }),
  z.object({ intent: z.literal("objection") }).passthrough(),
  z.object({ intent: z.literal("recommend"), opinion: z.string().trim().min(2).max(2000) }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["hr"]);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "employer", locale);
  const form = Object.fromEntries(await request.formData());
  const parsed = ZIntent.safeParse(form);
  const en = locale === "en";
  if (!parsed.success) {
    const hint: Record<string, string> = {
      return: en ? "Please give the reason for returning it." : "请填写退回理由。",
      recommend: en ? "Please write the recommendation opinion." : "请填写推荐意见。",
      "start-publicity": en ? "Please choose the first day of the publicity." : "请选择公示开始日期。",
    };
    return { error: hint[String(form.intent)] ?? (en ? "Invalid request." : "请求无效。") };
  }
  const input = parsed.data;
  const at = now();
  const result =
    input.intent === "accept"
      ? await employerAccept(db(), actor, app.id, at)
      : input.intent === "return"
        ? await employerReturn(db(), actor, app.id, input.reason, at)
        : input.intent === "start-publicity"
          ? await startPublicity(db(), actor, app.id, input.start, at)
          : input.intent === "recommend"
            ? await recommend(db(), actor, app.id, input.opinion, at)
            : await (async () => {
                const objection = ZObjectionInput.safeParse(form);
                if (!objection.success) return null;
                return recordObjection(db(), actor, app.id, objection.data, at);
              })();
  if (result === null) {
    return {
      error: en
        ? "Give the date received, the objection, the finding and the outcome."
        : "请填写异议收到日期、异议内容、核实结论和处理结果。",
    };
  }
  if (!result.ok) return { error: messageFor(result.error, locale) };
  throw redirect(`/hr/applications/${app.id}`);
}

interface ObjectionView {
  id: string;
  receivedOn: string;
  content: string;
  upheld: boolean;
  outcome: string;
}

function ObjectionList({ objections }: { objections: ObjectionView[] }) {
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <ul>
      {objections.map((o) => (
        <li key={o.id}>
          {o.receivedOn} · {o.content} →{" "}
          {o.upheld ? (en ? "upheld" : "异议成立") : en ? "dismissed" : "异议不成立"}：{o.outcome}
        </li>
      ))}
    </ul>
  );
}

export default function HrApplication() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  const { state, app } = data;
  const revalidator = useRevalidator();
  return (
    <>
      <PageHeading title={en ? "Review an application" : "审核职称申报"}>
        <ApplicationHeader app={app} />
      </PageHeading>
      <p>
        <a href="/hr">{en ? "← Back to the inbox" : "← 返回待办申报"}</a>
      </p>
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}

      {state === "submitted" || state === "employer_accepted" ? (
        <Card title={en ? "Decision" : "审核"}>
          {state === "submitted" ? (
            <Form method="post">
              <p>
                {en
                  ? "Check the form, the duties and the materials against your records."
                  : "请对照单位掌握的情况，严格审核申报信息表、履职情况和业绩材料。"}
              </p>
              <Button name="intent" value="accept" disabled={busy}>
                {en ? "Accept for publicity" : "审核通过，准备公示"}
              </Button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="return" />
            <div className="field">
              <label htmlFor="reason">{en ? "Reason for returning it" : "退回理由"}</label>
              <textarea id="reason" name="reason" rows={3} maxLength={2000} />
            </div>
            <Button variant="danger" disabled={busy}>
              {en ? "Return to the applicant" : "退回申报人修改"}
            </Button>
          </Form>
        </Card>
      ) : null}

      {state === "employer_accepted" || state === "republicity_required" ? (
        <Card title={en ? "Start the publicity" : "开始单位公示"}>
          <Form method="get">
            <TextField
              name="start"
              type="date"
              label={en ? "First day of the publicity" : "公示开始日期"}
              hint={
                en
                  ? "At least 5 working days, by the official holiday calendar."
                  : "公示期不少于 5 个工作日，按法定节假日安排计算。"
              }
              defaultValue={data.preview?.start ?? data.today}
              required
            />
            <Button variant="secondary">{en ? "Calculate the end date" : "计算公示结束日期"}</Button>
          </Form>
          {data.preview ? (
            <Form method="post">
              <input type="hidden" name="intent" value="start-publicity" />
              <input type="hidden" name="start" value={data.preview.start} />
              <Alert tone="info">
                <p data-testid="publicity-preview">
                  {en
                    ? `Publicity from ${data.preview.start} to ${data.preview.end} (${data.preview.days} working days).`
                    : `公示期：${data.preview.start} 至 ${data.preview.end}（${data.preview.days} 个工作日）。`}
                </p>
                {data.preview.end >= data.preview.closes ? (
                  <p>
                    {en
                      ? `This ends too late: the applicant must confirm online by ${data.preview.closes}.`
                      : `结束过晚：申报人须在 ${data.preview.closes} 前完成网上确认。`}
                  </p>
                ) : null}
              </Alert>
              <Button disabled={busy}>{en ? "Confirm and start" : "确认开始公示"}</Button>
            </Form>
          ) : null}
        </Card>
      ) : null}

      {state === "publicity" || (state === "republicity_required" && data.publicity) ? (
        <>
          <Card title={en ? "Publicity" : "公示情况"}>
            <p>
              {en ? "Publicity: " : "公示期："}
              <strong>
                {data.publicity?.start} – {data.publicity?.end}
              </strong>
            </p>
            {data.objections.length > 0 ? (
              <ObjectionList objections={data.objections} />
            ) : (
              <p>{en ? "No objection recorded." : "暂无异议记录。"}</p>
            )}
            <details>
              <summary>{en ? "Record an objection" : "登记异议"}</summary>
              <Form method="post">
                <input type="hidden" name="intent" value="objection" />
                <TextField
                  name="receivedOn"
                  type="date"
                  label={en ? "Received on" : "收到日期"}
                  defaultValue={data.today}
                  required
                />
                <div className="field">
                  <label htmlFor="content">{en ? "The objection" : "异议内容"}</label>
                  <textarea id="content" name="content" rows={3} maxLength={2000} required />
                </div>
                <fieldset className="field">
                  <legend>{en ? "Finding" : "核实结论"}</legend>
                  <label>
                    <input type="radio" name="upheld" value="no" defaultChecked />{" "}
                    {en ? "Dismissed: the application continues" : "异议不成立，继续办理"}
                  </label>
                  <label>
                    <input type="radio" name="upheld" value="yes" />{" "}
                    {en ? "Upheld: the application stops" : "异议成立，终止申报"}
                  </label>
                </fieldset>
                <div className="field">
                  <label htmlFor="outcome">{en ? "Outcome and reasons" : "处理结果及理由"}</label>
                  <textarea id="outcome" name="outcome" rows={3} maxLength={2000} required />
                </div>
                <Button variant="secondary" disabled={busy}>
                  {en ? "Record" : "登记"}
                </Button>
              </Form>
            </details>
          </Card>
          <Card title={en ? "Recommendation" : "推荐意见"}>
            {data.publicityOver ? (
              <>
                <h3>{en ? "Stamped scans" : "盖章扫描件"}</h3>
                <p className="meta">
                  {en
                    ? "Scan the application form with your recommendation and the publicity material, stamped by HR or the unit."
                    : "请上传加盖人事部门印章（或单位公章）的申报信息表推荐意见页和公示材料扫描件。"}
                </p>
                <MaterialUploader
                  applicationId={data.app.id}
                  kind="employer-scan"
                  onAttached={() => revalidator.revalidate()}
                />
                <MaterialList
                  key={data.scans.map((m) => m.id).join()}
                  applicationId={data.app.id}
                  kind="employer-scan"
                  materials={data.scans}
                  editable
                />
              </>
            ) : null}
            {data.publicityOver ? (
              <Form method="post">
                <input type="hidden" name="intent" value="recommend" />
                <div className="field">
                  <label htmlFor="opinion">{en ? "Recommendation opinion" : "单位推荐意见"}</label>
                  <textarea id="opinion" name="opinion" rows={4} maxLength={2000} required />
                </div>
                <p className="meta">
                  {en
                    ? "Stamp the printed form and publicity material with the HR or unit seal and give them back to the applicant."
                    : "请在申报信息表和公示材料上加盖人事部门印章（或单位公章）后交申报人上传。"}
                </p>
                <Button disabled={busy}>{en ? "Recommend" : "提交推荐意见"}</Button>
              </Form>
            ) : (
              <Alert tone="info">
                {en
                  ? `The publicity runs until ${data.publicity?.end}. The recommendation can be written from ${data.recommendFrom}.`
                  : `公示期至 ${data.publicity?.end}，${data.recommendFrom} 起可填写推荐意见。`}
              </Alert>
            )}
          </Card>
        </>
      ) : null}

      {state !== "publicity" && data.objections.length > 0 ? (
        <Card title={en ? "Objections" : "异议记录"}>
          <ObjectionList objections={data.objections} />
        </Card>
      ) : null}
      {data.recommendation ? (
        <Card title={en ? "Recommendation" : "推荐意见"}>
          <p>{data.recommendation}</p>
        </Card>
      ) : null}

      <FormSections sections={data.sections} />
      <Card title={en ? "Materials" : "申报材料"}>
        <MaterialViewer
          applicationId={app.id}
          testId="hr-materials"
          groups={[{ key: "all", items: data.views }]}
        />
      </Card>
      <Card title={en ? "History" : "办理记录"}>
        <ApplicationHistory events={data.events} />
      </Card>
    </>
  );
}
