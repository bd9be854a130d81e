import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { type ApplicationState, formStepsFor, isEditable, type Level, type Series } from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { ApplicationHeader } from "~/components/application-header";
import { MaterialList } from "~/components/material-list";
import { MaterialUploader } from "~/components/material-uploader";
import { summarise } from "~/lib/application-view.server";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { listMaterials } from "~/services/materials.server";

export const meta: MetaFunction = () => [{ title: "业绩材料 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", locale);
  if (!isEditable(app.state as ApplicationState)) throw redirect(`/applications/${app.id}`);
  const steps = formStepsFor(app.series as Series, app.level as Level);
  return {
    app: summarise(app, locale),
    lastStep: steps.at(-1)!.id,
    materials: await listMaterials(db(), accessActor(actor), app.id, "achievement"),
  };
}

export default function Materials() {
  const { app, materials, lastStep } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading
        title={en ? "Achievement materials" : "上传业绩成果材料"}
        lead={
          en
            ? "Photograph your papers, project documents, awards, patents and certificates page by page, or upload PDFs. Give each a category and a caption."
            : "请逐页拍照或上传 PDF：论文、项目、获奖、专利、证书等，并为每份材料选择类别、填写说明。"
        }
      >
        <ApplicationHeader app={app} />
      </PageHeading>
      <Card title={en ? "Upload" : "上传"}>
        <MaterialUploader
          applicationId={app.id}
          kind="achievement"
          onAttached={() => revalidator.revalidate()}
        />
      </Card>
      <Card title={en ? "Your materials" : "材料列表"}>
        <MaterialList
          key={materials.map((m) => m.id).join()}
          applicationId={app.id}
          kind="achievement"
          materials={materials}
          editable
        />
      </Card>
      <div className="button-row">
        <a className="button button--secondary" href={`/applications/${app.id}/form/${lastStep}`}>
          {en ? "Back to the form" : "返回填写信息"}
        </a>
        <a className="button button--primary" href={`/applications/${app.id}/review`}>
          {en ? "Continue to review" : "下一步：核对并提交"}
        </a>
      </div>
    </>
  );
}
