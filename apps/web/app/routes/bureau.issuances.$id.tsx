import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { messageFor } from "@titles/domain";
import { triggerCertificateIssuance } from "~/jobs/certificate-issuance.server";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { startIssuance } from "~/services/certificates.server";

/**
 * Starts (or resumes) the bulk issuance of a batch's certificates (`:id` is the batch). The batch page
 * posts here with a fetcher and polls the progress; the job does the work.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const at = now();
  const result = await startIssuance(db(), actor, params.id ?? "", at);
  if (!result.ok) return { ok: false as const, error: messageFor(result.error, localeOf(request)) };
  triggerCertificateIssuance(at);
  return { ok: true as const, status: result.value };
}

/** A plain GET (a reload after posting) goes back to the batch. */
export function loader({ params }: ActionFunctionArgs) {
  return redirect(`/bureau/results/${params.id ?? ""}`);
}
