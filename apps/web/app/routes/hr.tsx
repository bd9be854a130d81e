import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { userRepository } from "@titles/db";
import { Card, PageHeading, useI18n } from "@titles/ui";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";

export const meta: MetaFunction = () => [{ title: "单位人事工作台 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["hr"]);
  // HR acts for its own unit(s) only; the list comes from the grants, never from the request.
  const units = actor.roles.filter((r) => r.role === "hr" && r.organisationId);
  return {
    units: await Promise.all(
      units.map(async (u) => ({
        id: u.organisationId!,
        name: u.organisationName ?? "",
        staff: (await userRepository.findByEmployer(db(), u.organisationId!)).map((s) => ({
          id: s.id,
          name: s.name,
        })),
      })),
    ),
  };
}

export default function HrWorkspace() {
  const { units } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeading
        title={t("role.hr")}
        lead={
          locale === "en"
            ? "Applications from your staff arrive here for review and publicity."
            : "本单位职工提交的职称申报在此审核、公示和推荐。"
        }
      />
      {units.map((unit) => (
        <Card key={unit.id} title={unit.name}>
          <p>{locale === "en" ? "Registered applicants of this unit:" : "本单位已注册的申报人："}</p>
          <ul data-testid="unit-staff">
            {unit.staff.map((s) => (
              <li key={s.id}>{s.name}</li>
            ))}
          </ul>
        </Card>
      ))}
    </>
  );
}
