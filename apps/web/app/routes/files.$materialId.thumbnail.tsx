import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveMaterialFile } from "~/uploads/serve.server";

/** The 320 px JPEG preview of a photo material. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  serveMaterialFile(request, params.materialId, "thumbnail");
