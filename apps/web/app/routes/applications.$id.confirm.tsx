import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { messageFor, submissionDocumentLabels, submissionDocuments, windowStatus } from "@titles/domain";
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
import { confirmSubmission, loadRules, windowOf } from "~/services/applications.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "上传盖章材料并确认申报 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  if (app.state !== "recommended") throw redirect(`/applications/${app.id}`);
  const rules = await loadRules(db(), app.roundYear);
  const window = windowOf(rules.round, app.windowId);
  // The server's clock decides; the page only reports it.
  const open = windowStatus(now(), window) === "open";
  const materials = await listMaterials(db(), accessActor(actor), app.id);
  return {
    app: summarise(app, locale),
    open,
    closes: window.closes,
    documents: submissionDocuments.map((kind) => ({
      kind,
      label: submissionDocumentLabels[kind][locale],
      materials: materials.filter((m) => m.kind === kind),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  const result = await confirmSubmission(db(), actor, app.id, now());
  if (!result.ok) return { error: messageFor(result.error, locale) };
  throw redirect(`/applications/${app.id}?confirmed=1`);
}

export default function Confirm() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Upload the stamped pages and confirm" : "上传盖章材料并确认申报"}
        lead={
          en
            ? "Photograph the stamped application form, the signed pledge and the stamped publicity material page by page."
            : "请将盖章的申报信息表、签字的诚信承诺书和盖章的公示材料逐页拍照上传，然后确认申报。"
        }
      >
        <ApplicationHeader app={data.app} />
      </PageHeading>
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}
      {data.open ? (
        <Alert tone="warning">
          {en
            ? `Uploads and confirmation close at the end of ${data.closes} (Beijing time). After that nothing can be uploaded or confirmed.`
            : `上传和确认截止于 ${data.closes} 24:00（北京时间），截止后将不能再上传和确认。`}
        </Alert>
      ) : (
        <Alert tone="error" title={en ? "The window has closed" : "申报已截止"}>
          <p data-testid="window-closed">
            {en
              ? `The application window closed at the end of ${data.closes}; nothing can be uploaded or confirmed any more.`
              : `本申报时间已于 ${data.closes} 24:00 截止，不能再上传材料或确认申报。`}
          </p>
        </Alert>
      )}
      {data.documents.map((d) => (
        <Card key={d.kind} title={d.label}>
          {data.open ? (
            <MaterialUploader
              applicationId={data.app.id}
              kind={d.kind}
              onAttached={() => revalidator.revalidate()}
            />
          ) : null}
          <MaterialList
            key={d.materials.map((m) => m.id).join()}
            applicationId={data.app.id}
            kind={d.kind}
            materials={d.materials}
            editable={data.open}
          />
        </Card>
      ))}
      {data.open ? (
        <Form method="post">
          <Button disabled={busy}>{en ? "Confirm the application" : "确认申报"}</Button>
        </Form>
      ) : null}
    </>
  );
}
