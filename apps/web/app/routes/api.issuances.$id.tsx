import type { LoaderFunctionArgs } from "@remix-run/node";
import { messageFor } from "@titles/domain";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { issuanceProgress } from "~/services/certificates.server";
import { statusFor } from "~/uploads/serve.server";

/** The progress of a bulk issuance, polled every second by the batch page while it runs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["admin", "agency"]);
  const result = await issuanceProgress(db(), actor, params.id ?? "");
  if (!result.ok) {
    return Response.json(
      { error: result.error.code, message: messageFor(result.error, localeOf(request)) },
      { status: statusFor(result.error) },
    );
  }
  return Response.json(result.value, { headers: { "Cache-Control": "private, no-store" } });
}
