import type { LoaderFunctionArgs } from "@remix-run/node";
import { materialRepository } from "@titles/db";
import { type Level, levelLabels, type Series, seriesLabels } from "@titles/domain";
import { contentDisposition, renderConfirmationReceipt } from "~/documents/application-documents.server";
import { loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { manifestOf } from "~/services/applications.server";

/** The receipt of a confirmation: server time and the manifest hash, recomputed from what is stored. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const app = await loadApplicationFor(db(), actor, params.id, "read", localeOf(request));
  if (!app.confirmedAt || !app.receiptHash) throw new Response("Not Found", { status: 404 });
  const materials = await materialRepository.findForApplication(db(), app.id);
  const manifest = manifestOf(app, materials);
  const bytes = await renderConfirmationReceipt({
    roundYear: app.roundYear,
    applicationId: app.id,
    applicantName: app.applicantName,
    seriesLabel: seriesLabels[app.series as Series]?.["zh-CN"] ?? app.series,
    levelLabel: levelLabels[app.level as Level]?.["zh-CN"] ?? app.level,
    employerName: app.employerName ?? "",
    confirmedAt: app.confirmedAt,
    // The hash recorded at confirmation; the entries listed are what is stored now.
    manifestSha256: app.receiptHash,
    entries: manifest.entries,
  });
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("confirmation-receipt", app.applicantName),
      "Cache-Control": "private, no-store",
    },
  });
}
