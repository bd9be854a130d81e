import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ResultBatchPage } from "~/components/result-batch-page";
import { staffBatchAction, staffBatchLoader } from "~/lib/result-pages.server";

export const meta: MetaFunction = () => [{ title: "公示批次 · 市人社局" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return staffBatchLoader(request, params.id, "bureau");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return staffBatchAction(request, params.id, "bureau");
}

export default ResultBatchPage;
