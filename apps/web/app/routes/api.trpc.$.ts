import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { RETRY_AFTER_SECONDS } from "~/lib/unavailable.server";
import { createContext } from "~/trpc/init.server";
import { appRouter } from "~/trpc/router.server";

function handle({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext({ req: request }),
    // While the database is away (503), the client is told when to try again.
    responseMeta: ({ errors }) =>
      errors.some((e) => e.code === "SERVICE_UNAVAILABLE")
        ? { headers: new Headers({ "Retry-After": String(RETRY_AFTER_SECONDS) }) }
        : {},
  });
}

export const loader = handle;
export const action = handle;
