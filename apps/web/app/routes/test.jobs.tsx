import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/env.server";
import { registeredJobRunner, ZJobName } from "~/jobs/runner.server";
import { now } from "~/lib/clock.server";

const ZJobsInput = z.object({ name: ZJobName });

/**
 * Test-only: runs a named job now through the job queue, judged by the (possibly moved) server
 * clock, and answers with its result once it has finished. Answers 404 unless ALLOW_TEST_CLOCK is
 * set, which the production configuration refuses.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (!env().ALLOW_TEST_CLOCK) throw new Response("Not Found", { status: 404 });
  const input = ZJobsInput.safeParse(await request.json().catch(() => null));
  if (!input.success) {
    return Response.json(
      { ok: false, error: `name must be one of: ${ZJobName.options.join(", ")}` },
      { status: 400 },
    );
  }
  const runner = await registeredJobRunner();
  if (!runner) {
    return Response.json({ ok: false, error: "no job runner in this process" }, { status: 503 });
  }
  // This module's clock is the one /test/clock moves; the worker may live in another module copy.
  const at = now();
  try {
    const result = await runner.runNow(input.data.name, { now: at });
    return Response.json({
      ok: true,
      name: input.data.name,
      runner: runner.kind,
      now: at.toISOString(),
      result,
    });
  } catch (error) {
    return Response.json(
      { ok: false, name: input.data.name, error: error instanceof Error ? error.message : String(error) },
      { status: 500 },
    );
  }
}

export function loader() {
  throw new Response("Not Found", { status: 404 });
}
