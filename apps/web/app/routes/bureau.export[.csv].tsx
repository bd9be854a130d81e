import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportLoader } from "~/services/dashboard.server";

/** The round's counts by series, level, track and state as CSV (UTF-8 with BOM). City or district bureau only. */
export function loader({ request }: LoaderFunctionArgs) {
  return exportLoader(request, "csv");
}
