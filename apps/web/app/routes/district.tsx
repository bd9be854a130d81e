import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { activeRound } from "~/lib/round.server";

export const meta: MetaFunction = () => [{ title: "区人社局工作台 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["district"]);
  const round = await activeRound();
  return {
    bureaus: actor.roles.filter((r) => r.role === "district").map((r) => r.organisationName ?? ""),
    deadlines: round?.windows.filter((w) => w.districtDeadline).map((w) => w.districtDeadline!) ?? [],
  };
}

export default function DistrictWorkspace() {
  const { bureaus, deadlines } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeading
        title={t("role.district")}
        lead={
          locale === "en"
            ? "Through-train files of your district arrive here."
            : "本区“直通车”申报材料将在此接收、审核并提交推委会。"
        }
      />
      {bureaus.map((b) => (
        <Card key={b} title={b}>
          {deadlines.map((d) => (
            <p key={d}>{t("home.district", { date: d })}</p>
          ))}
        </Card>
      ))}
    </>
  );
}
