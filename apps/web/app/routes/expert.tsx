import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { env } from "~/env.server";
import { requireRole } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "评审专家 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["expert", "chair"]);
  return { panelUrl: env().PANEL_URL };
}

export default function ExpertWorkspace() {
  const { panelUrl } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t("role.expert")} lead={t("panel.lobby")} />
      <Card>
        <a className="button button--primary" href={panelUrl}>
          {t("app.panel")} →
        </a>
      </Card>
    </>
  );
}
