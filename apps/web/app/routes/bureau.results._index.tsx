import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ResultBatchListPage } from "~/components/result-batch-page";
import { staffListAction, staffListLoader } from "~/lib/result-pages.server";

export const meta: MetaFunction = () => [{ title: "评审结果公示 · 市人社局" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return staffListLoader(request, "bureau");
}

export async function action({ request }: ActionFunctionArgs) {
  return staffListAction(request, "bureau");
}

export default ResultBatchListPage;
