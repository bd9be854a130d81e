import type { LoaderFunctionArgs } from "@remix-run/node";
import { serveMaterialFile } from "~/uploads/serve.server";

/** A material's stored file, for people who may read its application. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  serveMaterialFile(request, params.materialId, "file");
