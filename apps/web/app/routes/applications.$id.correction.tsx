import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { correctionRepository } from "@titles/db";
import {
  correctionScope,
  formStepsFor,
  type Level,
  type MaterialKind,
  materialKindLabels,
  messageFor,
  type Series,
  ZCorrectionItems,
} from "@titles/domain";
import { Alert, Button, Card, PageHeading, useI18n } from "@titles/ui";
import { ApplicationHeader } from "~/components/application-header";
import { MaterialList } from "~/components/material-list";
import { MaterialUploader } from "~/components/material-uploader";
import { summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { resubmitCorrection } from "~/services/agency.server";
import { saveForm } from "~/services/applications.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "补正申报材料 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const notice =
    app.state === "correction_requested" ? await correctionRepository.findOpen(db(), app.id) : null;
  if (!notice) throw redirect(`/applications/${app.id}`);
  const items = ZCorrectionItems.safeParse(notice.items);
  const list = items.success ? items.data : [];
  const scope = correctionScope(list);
  const fields = formStepsFor(app.series as Series, app.level as Level).flatMap((s) => s.fields);
  const materials = await listMaterials(db(), accessActor(actor), app.id);
  return {
    app: summarise(app, locale),
    deadline: notice.deadline,
    seq: notice.seq,
    items: list.map((i) => ({
      target:
        i.target.type === "field"
          ? (fields.find((f) => f.name === (i.target as { fieldId: string }).fieldId)?.label[locale] ??
            i.target.fieldId)
          : (materialKindLabels[i.target.kind]?.[locale] ?? i.target.kind),
      problem: i.problem,
      needed: i.needed,
    })),
    fields: fields
      .filter((f) => scope.fieldIds.includes(f.name))
      .map((f) => ({
        name: f.name,
        label: f.label[locale],
        type: f.type,
        value: app.form[f.name] ?? "",
        options: f.options?.map((o) => ({ value: o.value, label: o.label[locale] })) ?? [],
        maxLength: f.maxLength ?? null,
      })),
    kinds: scope.materialKinds.map((kind) => ({
      kind,
      label: materialKindLabels[kind]?.[locale] ?? kind,
      materials: materials.filter((m) => m.kind === kind),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const form = await request.formData();
  const intent = form.get("intent");
  const en = locale === "en";
  if (intent === "save") {
    const fields: Record<string, string> = {};
    for (const [k, v] of form) if (k.startsWith("field:")) fields[k.slice(6)] = String(v);
    const result = await saveForm(db(), actor, app.id, fields, now());
    return result.ok ? { done: en ? "Saved." : "已保存。" } : { error: messageFor(result.error, locale) };
  }
  if (intent === "resubmit") {
    const result = await resubmitCorrection(db(), actor, app.id, now(), locale);
    if (result.ok) throw redirect(`/applications/${app.id}?resubmitted=1`);
    return { error: messageFor(result.error, locale) };
  }
  return { error: en ? "Invalid request." : "请求无效。" };
}

export default function Correction() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const { locale } = useI18n();
  const en = locale === "en";
  const { app } = data;
  return (
    <>
      <PageHeading
        title={en ? "Correct the application" : "补正申报材料"}
        lead={
          en
            ? `The evaluation agency lists every problem at once below. Fix them all and resubmit by ${data.deadline}; after that day the application counts as given up.`
            : `评审机构已将需补正的问题一次性列出。请逐项补正，并于 ${data.deadline} 前重新提交；逾期视为放弃申报。`
        }
      >
        <ApplicationHeader app={app} />
      </PageHeading>
      {result && "error" in result ? <Alert tone="error">{result.error}</Alert> : null}
      {result && "done" in result ? <Alert tone="success">{result.done}</Alert> : null}
      <Card title={en ? `What to correct (notice ${data.seq})` : `需补正的问题（第 ${data.seq} 次告知）`}>
        <ol data-testid="correction-items">
          {data.items.map((i, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no id of their own
            <li key={k}>
              <strong>{i.target}</strong>：{i.problem}
              <br />
              {en ? "Needed: " : "需补正："}
              {i.needed}
            </li>
          ))}
        </ol>
      </Card>
      {data.fields.length > 0 ? (
        <Card title={en ? "Fields to correct" : "修改申报信息"}>
          <Form method="post">
            <input type="hidden" name="intent" value="save" />
            {data.fields.map((f) => (
              <div className="field" key={f.name}>
                <label htmlFor={`c-${f.name}`}>{f.label}</label>
                {f.type === "textarea" ? (
                  <textarea
                    id={`c-${f.name}`}
                    name={`field:${f.name}`}
                    defaultValue={f.value}
                    rows={4}
                    maxLength={f.maxLength ?? undefined}
                  />
                ) : f.type === "select" ? (
                  <select id={`c-${f.name}`} name={`field:${f.name}`} defaultValue={f.value}>
                    {f.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`c-${f.name}`}
                    name={`field:${f.name}`}
                    type={f.type === "date" ? "date" : f.type === "number" ? "number" : "text"}
                    defaultValue={f.value}
                    maxLength={f.maxLength ?? undefined}
                  />
                )}
              </div>
            ))}
            <Button variant="secondary" disabled={busy}>
              {en ? "Save the changes" : "保存修改"}
            </Button>
          </Form>
        </Card>
      ) : null}
      {data.kinds.map((k) => (
        <Card key={k.kind} title={`${en ? "Replace or add: " : "补充或更换："}${k.label}`}>
          <MaterialUploader
            applicationId={app.id}
            kind={k.kind as MaterialKind}
            onAttached={() => revalidator.revalidate()}
          />
          <MaterialList
            key={k.materials.map((m) => m.id).join()}
            applicationId={app.id}
            kind={k.kind as MaterialKind}
            materials={k.materials}
            editable
            onChange={() => revalidator.revalidate()}
          />
        </Card>
      ))}
      <Card title={en ? "Resubmit" : "重新提交"}>
        <Form method="post">
          <input type="hidden" name="intent" value="resubmit" />
          <p>
            {en
              ? "When every item is corrected, resubmit. The agency reviews it again; a new notice is only possible for material you add now."
              : "全部问题补正后请重新提交，评审机构将再次审核；此后只会就本次新增的材料再次告知。"}
          </p>
          <Button disabled={busy}>{en ? "Resubmit the correction" : "提交补正"}</Button>
        </Form>
      </Card>
    </>
  );
}
