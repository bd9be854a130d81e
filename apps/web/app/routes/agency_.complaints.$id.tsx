import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { isDomainError, messageFor } from "@titles/domain";
import { ComplaintDecision } from "~/components/complaint-decision";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { complaintPage, decideComplaint } from "~/services/complaints.server";

export const meta: MetaFunction = () => [{ title: "投诉复查 · 评审机构工作台" }];

function notFound(error: unknown): never {
  if (isDomainError(error) && (error.code === "COMPLAINT_NOT_FOUND" || error.code === "NOT_FOUND"))
    throw new Response("Not Found", { status: 404 });
  throw error;
}

// The agency decides the complaints on its own batches; the city bureau may open any of them here too.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  return complaintPage(db(), actor, params.id, now(), localeOf(request)).catch(notFound);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const locale = localeOf(request);
  const form = await request.formData();
  const result = await decideComplaint(
    db(),
    actor,
    params.id,
    { outcome: form.get("outcome"), reason: form.get("reason") },
    now(),
  );
  if (!result.ok) return { error: messageFor(result.error, locale), done: null };
  const en = locale === "en";
  return {
    error: null,
    done:
      result.value.state === "upheld"
        ? en
          ? "Upheld. The complainant and the applicant have been told by SMS."
          : "已记录：投诉成立。处理结果已短信告知投诉人和申报人。"
        : en
          ? "Dismissed. The complainant and the applicant have been told by SMS."
          : "已记录：投诉不成立。处理结果已短信告知投诉人和申报人。",
  };
}

export default function AgencyComplaintPage() {
  return (
    <ComplaintDecision complaint={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />
  );
}
