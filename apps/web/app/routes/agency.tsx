import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { organisationRepository } from "@titles/db";
import { type Series, seriesLabels } from "@titles/domain";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";

export const meta: MetaFunction = () => [{ title: "评审机构工作台 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency"]);
  const locale = localeOf(request);
  const agencies = await Promise.all(
    actor.roles
      .filter((r) => r.role === "agency" && r.organisationId)
      .map((r) => organisationRepository.findById(db(), r.organisationId!)),
  );
  return {
    agencies: agencies
      .filter((a) => a !== null)
      .map((a) => ({
        id: a.id,
        name: a.name,
        series: a.series.map((s) => seriesLabels[s as Series]?.[locale] ?? s),
      })),
  };
}

export default function AgencyWorkspace() {
  const { agencies } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeading
        title={t("role.agency")}
        lead={
          locale === "en"
            ? "Confirmed applications of your series queue here for the completeness review."
            : "本机构负责系列中已确认的申报将在此排队，供完整性审核。"
        }
      />
      {agencies.map((a) => (
        <Card key={a.id} title={a.name}>
          <p>
            {(locale === "en" ? "Series: " : "负责系列：") + a.series.join(locale === "en" ? ", " : "、")}
          </p>
        </Card>
      ))}
    </>
  );
}
