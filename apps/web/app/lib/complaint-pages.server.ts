import { isDomainError, messageFor, type Role } from "@titles/domain";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { complaintPage, decideComplaint } from "~/services/complaints.server";

/**
 * The staff complaint page's loader and action, shared by the agency's and the city bureau's routes. The
 * agency decides the complaints on its own batches; the city bureau decides those on senior batches and
 * may decide any other (the service checks which complaint the actor may see).
 */
const rolesOf: Record<"agency" | "bureau", Role[]> = { agency: ["agency", "admin"], bureau: ["admin"] };

function notFound(error: unknown): never {
  if (isDomainError(error) && (error.code === "COMPLAINT_NOT_FOUND" || error.code === "NOT_FOUND"))
    throw new Response("Not Found", { status: 404 });
  throw error;
}

export async function staffComplaintLoader(
  request: Request,
  id: string | undefined,
  side: "agency" | "bureau",
) {
  const actor = await requireRole(request, rolesOf[side]);
  return complaintPage(db(), actor, id, now(), localeOf(request)).catch(notFound);
}

export async function staffComplaintAction(
  request: Request,
  id: string | undefined,
  side: "agency" | "bureau",
) {
  const actor = await requireRole(request, rolesOf[side]);
  const locale = localeOf(request);
  const form = await request.formData();
  const result = await decideComplaint(
    db(),
    actor,
    id,
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
