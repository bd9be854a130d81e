import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ResultBatchListPage } from "~/components/result-batch-page";
import { staffListAction, staffListLoader } from "~/lib/result-pages.server";

export const meta: MetaFunction = () => [{ title: "公示批次 · 评审机构工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return staffListLoader(request, "agency");
}

export async function action({ request }: ActionFunctionArgs) {
  return staffListAction(request, "agency");
}

export default ResultBatchListPage;
