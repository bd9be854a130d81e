import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, type ShouldRevalidateFunction, useFetcher, useLoaderData } from "@remix-run/react";
import {
  formStepsFor,
  isEditable,
  type Level,
  messageFor,
  type Series,
  shanghaiDate,
  validateFormStep,
} from "@titles/domain";
import { Button, Card, PageHeading, useI18n } from "@titles/ui";
import { useEffect, useRef, useState } from "react";
import { ApplicationHeader } from "~/components/application-header";
import { FormFieldInput } from "~/components/form-field";
import { summarise } from "~/lib/application-view.server";
import { loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { saveForm } from "~/services/applications.server";

export const meta: MetaFunction = () => [{ title: "填写申报信息 · 北京市职称评审申报系统" }];

/**
 * An autosave answers with the step's problems itself: reloading the page's data after it is not
 * needed, and harmful, since a late reload for this step could land after the applicant moved on to
 * the next one (every step is the same route).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "save" ? false : defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  if (!isEditable(app.state as never)) throw redirect(`/applications/${app.id}`);
  const steps = formStepsFor(app.series as Series, app.level as Level);
  const index = steps.findIndex((s) => s.id === params.step);
  if (index < 0) throw redirect(`/applications/${app.id}/form/${steps[0]!.id}`);
  const step = steps[index]!;
  // Errors show for fields already touched; a fresh form is not a wall of red.
  const touched = Object.keys(app.form);
  const errors = Object.fromEntries(
    Object.entries(validateFormStep(step, app.form, locale, shanghaiDate(now()))).filter(([name]) =>
      touched.includes(name),
    ),
  );
  return {
    app: summarise(app, locale),
    steps: steps.map((s) => ({ id: s.id, title: s.title[locale] })),
    index,
    step,
    values: app.form,
    errors,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const steps = formStepsFor(app.series as Series, app.level as Level);
  const index = steps.findIndex((s) => s.id === params.step);
  const step = steps[index];
  if (!step) throw new Response("Not Found", { status: 404 });
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const field of step.fields) {
    const v = form.get(field.name);
    // Only what changed is saved, so an untouched empty field stays untouched (and unflagged).
    if (typeof v === "string" && v !== (app.form[field.name] ?? "")) values[field.name] = v;
  }
  const result = await saveForm(db(), actor, app.id, values, now());
  if (!result.ok) return { saved: false, message: messageFor(result.error, locale), errors: {} };
  const merged = { ...app.form, ...values };
  const errors = Object.fromEntries(
    Object.entries(validateFormStep(step, merged, locale, shanghaiDate(now()))).filter(
      ([name]) => name in merged,
    ),
  );
  const intent = form.get("intent");
  if (intent === "next") {
    const next = steps[index + 1];
    throw redirect(next ? `/applications/${app.id}/form/${next.id}` : `/applications/${app.id}/materials`);
  }
  if (intent === "previous" && index > 0)
    throw redirect(`/applications/${app.id}/form/${steps[index - 1]!.id}`);
  return { saved: true, savedAt: now().toISOString(), errors, message: null };
}

export default function FormStepPage() {
  const { app, steps, index, step, values, errors: initialErrors } = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [dirty, setDirty] = useState(false);
  // After an autosave the server's latest check replaces what the page loaded with.
  const latest = fetcher.data?.errors as Record<string, string> | undefined;
  const errors: Record<string, string> = latest ?? initialErrors;

  // Autosave: a moment after the applicant stops typing, and whenever a field loses focus.
  function save() {
    if (!formRef.current) return;
    if (timer.current) clearTimeout(timer.current);
    const data = new FormData(formRef.current);
    data.set("intent", "save");
    fetcher.submit(data, { method: "post" });
    setDirty(false);
  }
  function scheduleSave() {
    setDirty(true);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(save, 800);
  }
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const status =
    fetcher.state !== "idle"
      ? en
        ? "Saving…"
        : "正在保存…"
      : fetcher.data?.saved
        ? `${en ? "Saved at" : "已自动保存"} ${new Date(fetcher.data.savedAt!).toLocaleTimeString(locale, { timeZone: "Asia/Shanghai" })}`
        : fetcher.data?.message
          ? fetcher.data.message
          : dirty
            ? en
              ? "Unsaved changes"
              : "有未保存的修改"
            : "";

  return (
    <>
      <PageHeading title={en ? "Fill in the application" : "填写申报信息"}>
        <ApplicationHeader
          app={app}
          current={`${en ? "Step" : "第"} ${index + 1} / ${steps.length}${en ? "" : " 步"}：${step.title[locale]}`}
        />
      </PageHeading>
      <nav aria-label={en ? "Form steps" : "填报步骤"} className="step-tabs">
        <ol>
          {steps.map((s, i) => (
            <li key={s.id}>
              <a
                href={`/applications/${app.id}/form/${s.id}`}
                aria-current={i === index ? "step" : undefined}
              >
                {i + 1}. {s.title}
              </a>
            </li>
          ))}
          <li>
            <a href={`/applications/${app.id}/materials`}>
              {steps.length + 1}. {en ? "Materials" : "业绩材料"}
            </a>
          </li>
          <li>
            <a href={`/applications/${app.id}/review`}>
              {steps.length + 2}. {en ? "Review and submit" : "核对并提交"}
            </a>
          </li>
        </ol>
      </nav>
      <Card title={step.title[locale]}>
        {/* Moving between steps is a plain document post: it cannot race an autosave still in flight. */}
        <Form
          method="post"
          reloadDocument
          ref={formRef}
          onChange={scheduleSave}
          onBlur={(event) => {
            // Leaving a field for one of the form's buttons: that submit saves everything itself.
            const to = event.relatedTarget;
            if (to instanceof HTMLButtonElement && formRef.current?.contains(to)) return;
            if (dirty) save();
          }}
          onSubmit={() => {
            if (timer.current) clearTimeout(timer.current);
          }}
          noValidate
        >
          {step.fields.map((field) => (
            <FormFieldInput
              key={field.name}
              field={field}
              value={values[field.name]}
              error={errors[field.name]}
            />
          ))}
          <p className="meta autosave-status" role="status" aria-live="polite" data-testid="autosave-status">
            {status}
          </p>
          <div className="button-row">
            {index > 0 ? (
              <Button name="intent" value="previous" variant="secondary">
                {en ? "Previous" : "上一步"}
              </Button>
            ) : null}
            <Button name="intent" value="next">
              {en ? "Save and continue" : "保存并继续"}
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
