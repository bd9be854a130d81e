import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { materialRepository, organisationRepository, userRepository } from "@titles/db";
import {
  formStepsFor,
  isEditable,
  type Level,
  type MaterialCategory,
  materialCategoryLabels,
  messageFor,
  type Series,
  shanghaiDate,
  validateForm,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, TextField, useI18n } from "@titles/ui";
import { ApplicationHeader } from "~/components/application-header";
import { FormSections } from "~/components/form-sections";
import { formSections, summarise } from "~/lib/application-view.server";
import { loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import {
  loadRules,
  requestEmployer,
  submitToEmployer,
  windowOf,
  ZEmployerRequestInput,
} from "~/services/applications.server";

export const meta: MetaFunction = () => [{ title: "核对并提交 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  if (!isEditable(app.state as never)) throw redirect(`/applications/${app.id}`);
  const steps = formStepsFor(app.series as Series, app.level as Level);
  const problems = validateForm(steps, app.form, locale, shanghaiDate(now()));
  const q = new URL(request.url).searchParams.get("q")?.trim() ?? "";
  const employerId = await userRepository.findEmployerId(db(), actor.user.id);
  const employer = employerId ? await organisationRepository.findById(db(), employerId) : null;
  const rules = await loadRules(db(), app.roundYear);
  const window = windowOf(rules.round, app.windowId);
  const materials = await materialRepository.findForApplication(db(), app.id, "achievement");
  return {
    app: summarise(app, locale),
    sections: formSections(app, locale, problems),
    problemCount: Object.keys(problems).length,
    materials: materials.map((m) => ({
      id: m.id,
      category: m.category
        ? (materialCategoryLabels[m.category as MaterialCategory]?.[locale] ?? m.category)
        : "",
      caption: m.caption,
    })),
    employer: employer ? { id: employer.id, name: employer.name } : null,
    q,
    results:
      !employer && q
        ? (await organisationRepository.searchEmployers(db(), q)).map((o) => ({ id: o.id, name: o.name }))
        : [],
    advice: {
      submitBy: window.recommendedSubmitToEmployerBy,
      publicityBy: window.recommendedPublicityDoneBy,
      closes: window.closes,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const form = await request.formData();
  if (form.get("intent") === "request-unit") {
    const parsed = ZEmployerRequestInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      return {
        error:
          locale === "en"
            ? "Give the unit's full name, its 18-character unified social credit code and a contact."
            : "请填写单位全称、18 位统一社会信用代码和联系人。",
      };
    }
    const result = await requestEmployer(db(), actor, parsed.data, now());
    if (!result.ok) return { error: messageFor(result.error, locale) };
    return {
      requested: true,
      error: null,
    };
  }
  const employerId = String(form.get("employerId") ?? "");
  const result = await submitToEmployer(db(), actor, app.id, { employerId }, now(), locale);
  if (!result.ok) return { error: messageFor(result.error, locale) };
  throw redirect(`/applications/${app.id}/documents?submitted=1`);
}

export default function Review() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading title={en ? "Review and submit to your employer" : "核对信息并提交单位审核"}>
        <ApplicationHeader app={data.app} />
      </PageHeading>
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      {result && "requested" in result && result.requested ? (
        <Alert tone="success">
          {en
            ? "Your request to register the unit was sent to the city bureau. You can submit once it is registered."
            : "已提交单位注册申请，市人社局审核登记后即可选择该单位提交。"}
        </Alert>
      ) : null}
      <Alert tone="warning" title={en ? "Leave your employer time" : "请为单位预留时间"}>
        <p>
          {en
            ? `Your employer must publicise your application for at least 5 working days. Submit by ${data.advice.submitBy} and have the publicity finished by ${data.advice.publicityBy}; everything must be confirmed online by ${data.advice.closes}.`
            : `单位需对您的申报进行不少于 5 个工作日的公示。建议 ${data.advice.submitBy} 前提交单位审核，${data.advice.publicityBy} 前完成公示；${data.advice.closes} 前须完成网上确认。`}
        </p>
      </Alert>
      {data.problemCount > 0 ? (
        <Alert tone="error">
          {en
            ? `${data.problemCount} entries are missing or invalid.`
            : `还有 ${data.problemCount} 处未填写或填写有误。`}
        </Alert>
      ) : null}
      <FormSections sections={data.sections} editHref={(id) => `/applications/${data.app.id}/form/${id}`} />
      <Card title={en ? "Achievement materials" : "业绩成果材料"}>
        {data.materials.length === 0 ? (
          <p className="field__error">{en ? "No material uploaded yet." : "尚未上传业绩材料。"}</p>
        ) : (
          <ul>
            {data.materials.map((m) => (
              <li key={m.id}>
                {m.category} {m.caption}
              </li>
            ))}
          </ul>
        )}
        <a href={`/applications/${data.app.id}/materials`}>{en ? "Manage materials" : "管理业绩材料"}</a>
      </Card>
      <Card title={en ? "Your employer" : "工作单位"}>
        {data.employer ? (
          <Form method="post">
            <input type="hidden" name="employerId" value={data.employer.id} />
            <p>
              {en ? "You will submit to: " : "将提交至："}
              <strong>{data.employer.name}</strong>
            </p>
            <Button name="intent" value="submit" disabled={busy}>
              {en ? "Submit to employer" : "提交单位审核"}
            </Button>
          </Form>
        ) : (
          <>
            <Form method="get" role="search">
              <TextField
                name="q"
                label={en ? "Search your unit by name or credit code" : "按名称或统一社会信用代码搜索单位"}
                defaultValue={data.q}
              />
              <Button variant="secondary">{en ? "Search" : "搜索"}</Button>
            </Form>
            {data.results.length > 0 ? (
              <Form method="post">
                <fieldset>
                  <legend>{en ? "Choose your unit" : "选择您的工作单位"}</legend>
                  {data.results.map((o) => (
                    <label key={o.id} style={{ display: "block" }}>
                      <input type="radio" name="employerId" value={o.id} required /> {o.name}
                    </label>
                  ))}
                </fieldset>
                <Button name="intent" value="submit" disabled={busy}>
                  {en ? "Submit to employer" : "提交单位审核"}
                </Button>
              </Form>
            ) : data.q ? (
              <p>{en ? "No registered unit matches." : "没有找到匹配的已注册单位。"}</p>
            ) : null}
            <details>
              <summary>{en ? "My unit is not registered" : "我的单位尚未注册"}</summary>
              <Form method="post">
                <input type="hidden" name="intent" value="request-unit" />
                <TextField name="name" label={en ? "Unit name" : "单位全称"} required />
                <TextField
                  name="creditCode"
                  label={en ? "Unified social credit code" : "统一社会信用代码"}
                  required
                  maxLength={18}
                />
                <TextField
                  name="contact"
                  label={en ? "HR contact (name and phone)" : "人事联系人及电话"}
                  required
                />
                <Button variant="secondary">{en ? "Request registration" : "申请注册单位"}</Button>
              </Form>
            </details>
          </>
        )}
      </Card>
    </>
  );
}
