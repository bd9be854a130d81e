import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "~/trpc/init.server";
import { appRouter } from "~/trpc/router.server";

function handle({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // While the database is away the answer is 503; server.ts adds when to try again.
    createContext: () => createContext({ req: request }),
  });
}

export const loader = handle;
export const action = handle;
