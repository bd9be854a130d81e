import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ComplaintDecision } from "~/components/complaint-decision";
import { staffComplaintAction, staffComplaintLoader } from "~/lib/complaint-pages.server";

export const meta: MetaFunction = () => [{ title: "投诉复查 · 市人社局" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return staffComplaintLoader(request, params.id, "bureau");
}

export async function action({ request, params }: ActionFunctionArgs) {
  return staffComplaintAction(request, params.id, "bureau");
}

export default function BureauComplaintPage() {
  return (
    <ComplaintDecision complaint={useLoaderData<typeof loader>()} result={useActionData<typeof action>()} />
  );
}
