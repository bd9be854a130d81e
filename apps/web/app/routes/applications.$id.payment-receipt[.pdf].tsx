import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "@titles/domain";
import { accessActor, loadApplicationFor } from "~/lib/applications.server";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { localeOf } from "~/lib/i18n.server";
import { receiptFileFor } from "~/payments/payments.server";
import { receiptContentDisposition } from "~/payments/receipt.server";
import { fileStore } from "~/uploads/context.server";

/** The electronic receipt of the fee, as stored when the payment was applied; only for the applicant. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  const app = await loadApplicationFor(db(), actor, params.id, "applicant", localeOf(request));
  let receipt: Awaited<ReturnType<typeof receiptFileFor>>;
  try {
    receipt = await receiptFileFor(db(), accessActor(actor), app.id);
  } catch (error) {
    if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
    throw error;
  }
  return new Response(createReadableStreamFromReadable(fileStore().createReadStream(receipt.sha256)), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": receiptContentDisposition(receipt.applicantName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ETag: `"${receipt.sha256}"`,
    },
  });
}
