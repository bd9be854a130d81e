import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  contentDisposition,
  type DocumentKind,
  documentKinds,
  renderDocument,
} from "~/documents/application-documents.server";
import { loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { now } from "~/lib/clock.server";
import { db } from "~/lib/db.server";
import { documentDataFor } from "~/lib/documents.server";
import { localeOf } from "~/lib/i18n.server";

/** The printable forms, once the application has been submitted to the employer (applicant and its HR). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const app = await loadApplicationFor(db(), actor, params.id, "read", localeOf(request));
  const kind = params.kind as DocumentKind;
  if (!documentKinds.includes(kind) || app.state === "draft")
    throw new Response("Not Found", { status: 404 });
  const bytes = await renderDocument(kind, await documentDataFor(db(), app, now()));
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(kind, app.applicantName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
