import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { sessionRepository } from "@titles/db";
import { Button, Card, PageHeading, useI18n } from "@titles/ui";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";

export const meta: MetaFunction = () => [{ title: "账户与安全 · 北京市职称评审申报系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  return { name: actor.user.name, sessions: await sessionRepository.countForUser(db(), actor.user.id) };
}

export default function Account() {
  const { name, sessions } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <div className="narrow">
      <PageHeading title={t("account.title")} lead={name} />
      <Card>
        <p>{t("account.sessions", { count: sessions })}</p>
        <Form method="post" action="/logout">
          <input type="hidden" name="scope" value="everywhere" />
          <Button variant="danger">{t("account.logoutEverywhere")}</Button>
        </Form>
      </Card>
    </div>
  );
}
