import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDomainError } from "@titles/domain";
import { db } from "~/lib/db.server";
import { publicCacheControl } from "~/lib/result-pages.server";
import { publicBatchList } from "~/services/results.server";
import { fileStore } from "~/uploads/context.server";

/**
 * The printable list of a published batch, public: the PDF archived when the batch was published,
 * byte for byte (the list as published, even after a complaint changed a result).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const list = await publicBatchList(db(), fileStore(), params.batchId).catch((error) => {
    if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not Found", { status: 404 });
    throw error;
  });
  const name = encodeURIComponent(`${list.title}.pdf`);
  return new Response(Buffer.from(list.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="result-list.pdf"; filename*=UTF-8''${name}`,
      "Cache-Control": publicCacheControl(),
      ETag: `"${list.sha256}"`,
    },
  });
}
