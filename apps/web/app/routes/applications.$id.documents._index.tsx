import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { latestPublicityStart } from "@titles/domain";
import { Alert, Card, PageHeading, useI18n } from "@titles/ui";
import { ApplicationHeader } from "~/components/application-header";
import { documentKindLabels, documentKinds } from "~/documents/application-documents.server";
import { summarise } from "~/lib/application-view.server";
import { loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { loadRules, windowOf } from "~/services/applications.server";

export const meta: MetaFunction = () => [{ title: "下载打印材料 · 北京市职称评审申报系统" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const locale = localeOf(request);
  const app = await loadApplicationFor(db(), actor, params.id, "read", locale);
  const rules = await loadRules(db(), app.roundYear);
  const window = windowOf(rules.round, app.windowId);
  return {
    app: summarise(app, locale),
    submitted: new URL(request.url).searchParams.has("submitted"),
    draft: app.state === "draft",
    documents: documentKinds.map((kind) => ({
      kind,
      label: locale === "en" ? documentKindLabels[kind].en : documentKindLabels[kind].zh,
    })),
    advice: {
      publicityBy: window.recommendedPublicityDoneBy,
      latestStart: latestPublicityStart(window, rules.round.employerPublicityMinWorkingDays, rules.calendar),
      closes: window.closes,
      days: rules.round.employerPublicityMinWorkingDays,
    },
  };
}

export default function Documents() {
  const data = useLoaderData<typeof loader>();
  const { locale } = useI18n();
  const en = locale === "en";
  return (
    <>
      <PageHeading title={en ? "Forms to print and sign" : "下载打印申报材料"}>
        <ApplicationHeader app={data.app} />
      </PageHeading>
      {data.submitted ? (
        <Alert tone="success">{en ? "Submitted to your employer." : "已提交工作单位审核。"}</Alert>
      ) : null}
      <Alert tone="warning" title={en ? "Your employer needs time" : "请及时交单位公示"}>
        <p data-testid="publicity-warning">
          {en
            ? `Your employer must publicise your application for at least ${data.advice.days} working days. It should start by ${data.advice.latestStart} at the latest (recommended: finished by ${data.advice.publicityBy}); you must upload the stamped pages and confirm by ${data.advice.closes}.`
            : `单位需进行不少于 ${data.advice.days} 个工作日的公示，最晚须于 ${data.advice.latestStart} 开始（建议 ${data.advice.publicityBy} 前完成）；您须在 ${data.advice.closes} 前上传盖章材料并确认申报。`}
        </p>
      </Alert>
      <Card
        title={
          en
            ? "Download, print, sign the pledge and hand them to your employer"
            : "下载打印，在诚信承诺书上签字后交工作单位"
        }
      >
        {data.draft ? (
          <p>{en ? "Available after you submit to your employer." : "提交单位审核后可下载。"}</p>
        ) : (
          <ul>
            {data.documents.map((d) => (
              <li key={d.kind}>
                <a href={`/applications/${data.app.id}/documents/${d.kind}`} download>
                  {d.label} (PDF)
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
