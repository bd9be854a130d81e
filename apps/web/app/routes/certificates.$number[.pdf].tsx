import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { messageFor } from "@titles/domain";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { certificatePdfOf } from "~/services/certificates.server";
import { fileStore } from "~/uploads/context.server";
import { statusFor } from "~/uploads/serve.server";

/** The holder's certificate PDF (the bureau may open any); stored once at issue, so its hash is the ETag. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const found = await certificatePdfOf(db(), actor, params.number ?? "");
  if (!found.ok) {
    return new Response(`${messageFor(found.error, localeOf(request))}\n`, {
      status: statusFor(found.error),
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    });
  }
  const { number, sha256 } = found.value;
  const etag = `"${sha256}"`;
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": `attachment; filename="certificate-${number}.pdf"; filename*=UTF-8''${encodeURIComponent(`电子职称证书-${number}.pdf`)}`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    ETag: etag,
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(createReadableStreamFromReadable(fileStore().createReadStream(sha256)), { headers });
}
