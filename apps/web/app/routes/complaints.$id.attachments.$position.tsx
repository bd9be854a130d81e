import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError, messageFor } from "@titles/domain";
import { requireRole } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { complaintAttachmentFor } from "~/services/complaints.server";
import { fileStore } from "~/uploads/context.server";
import { statusFor } from "~/uploads/serve.server";

/** A complaint's attachment, for the staff who handle its batch only; never cached by shared caches. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  try {
    const file = await complaintAttachmentFor(db(), actor, params.id, params.position);
    const body = createReadableStreamFromReadable(fileStore().createReadStream(file.sha256));
    return new Response(body, {
      headers: {
        "Content-Type": file.mime,
        "Content-Length": String(file.size),
        "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.name || file.sha256)}`,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return new Response(`${messageFor(error, localeOf(request))}\n`, {
      status: statusFor(error),
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
