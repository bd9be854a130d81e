import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { meetingMinutes } from "~/services/meetings.server";
import { fileStore } from "~/uploads/context.server";

/**
 * The minutes (会议纪要) of a closed committee meeting, for the agency that ran it and the city
 * bureau: built and archived on the first download, the archived bytes ever after.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["agency", "admin"]);
  const result = await meetingMinutes(db(), fileStore(), actor, params.id, now());
  if (!result.ok) {
    const status = result.error.code === "NOT_FOUND" || result.error.code === "MEETING_KIND" ? 404 : 409;
    throw new Response(status === 404 ? "Not Found" : result.error.message, { status });
  }
  const name = encodeURIComponent("会议纪要.pdf");
  return new Response(Buffer.from(result.value.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="minutes.pdf"; filename*=UTF-8''${name}`,
      "Cache-Control": "private, no-store",
      ETag: `"${result.value.sha256}"`,
    },
  });
}
