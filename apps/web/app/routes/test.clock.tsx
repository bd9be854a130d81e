import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/env.server";
import { setTestClock } from "~/lib/clock.server";

const ZClockInput = z.object({ now: z.string().datetime({ offset: true }).nullable() });

/**
 * Test-only: moves the server's clock so the e2e suite can step past a deadline. Answers 404 unless
 * ALLOW_TEST_CLOCK is set, which the production configuration refuses.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (!env().ALLOW_TEST_CLOCK) throw new Response("Not Found", { status: 404 });
  const input = ZClockInput.parse(await request.json());
  setTestClock(input.now ? new Date(input.now) : null);
  return Response.json({ ok: true, now: input.now });
}

export function loader() {
  throw new Response("Not Found", { status: 404 });
}
