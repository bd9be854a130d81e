import type { LoaderFunctionArgs } from "@remix-run/node";
import { messageFor } from "@titles/domain";
import { statusListUrl } from "~/certificates/credential.server";
import { env } from "~/env.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { credentialOf, STATUS_LIST_ID } from "~/services/certificates.server";
import { statusFor } from "~/uploads/serve.server";

/**
 * The certificate as a W3C Verifiable Credential (`eddsa-jcs-2022`), for whoever holds the QR token: the
 * credential names the holder, so the number alone is not enough. Its revocation status is in the
 * status list the Link header points to.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t");
  const result = await credentialOf(db(), params.number ?? "", token ? token.slice(0, 100) : null);
  if (!result.ok) {
    return Response.json(
      { error: result.error.code, message: messageFor(result.error, localeOf(request)) },
      { status: statusFor(result.error), headers: { "Cache-Control": "no-store" } },
    );
  }
  return new Response(JSON.stringify(result.value, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      Link: `<${statusListUrl(env().PUBLIC_URL, STATUS_LIST_ID)}>; rel="status"`,
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
