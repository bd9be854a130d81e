import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportLoader } from "~/services/dashboard.server";

/** The round's dashboard as a workbook: breakdown, funnel, daily confirmations. City or district bureau only. */
export function loader({ request }: LoaderFunctionArgs) {
  return exportLoader(request, "xlsx");
}
