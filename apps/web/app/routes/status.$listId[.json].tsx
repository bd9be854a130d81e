import type { LoaderFunctionArgs } from "@remix-run/node";
import { messageFor } from "@titles/domain";
import { issuerKey } from "~/certificates/keys.server";
import { env } from "~/env.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { publicCacheControl } from "~/lib/result-pages.server";
import { statusListOf } from "~/services/certificates.server";
import { statusFor } from "~/uploads/serve.server";

/**
 * The signed Bitstring Status List credential of our certificates (public): a revoked certificate's bit
 * is set. Verifiers may cache it for a minute, so a revocation shows within 60 s.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const result = await statusListOf(
    { db: db(), key: issuerKey(), baseUrl: env().PUBLIC_URL },
    params.listId ?? "",
    now(),
  );
  if (!result.ok) {
    return Response.json(
      { error: result.error.code, message: messageFor(result.error, localeOf(request)) },
      { status: statusFor(result.error) },
    );
  }
  return new Response(JSON.stringify(result.value), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": publicCacheControl(),
      "Access-Control-Allow-Origin": "*",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
