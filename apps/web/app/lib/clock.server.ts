import { env } from "~/env.server";

/**
 * The server's clock. Deadlines are decided by it, never by the browser. In tests (ALLOW_TEST_CLOCK,
 * which production refuses to start with) it can be moved, so a deadline can pass inside a test.
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function setTestClock(instant: Date | null): void {
  if (!env().ALLOW_TEST_CLOCK) throw new Error("the test clock is not enabled");
  offsetMs = instant ? instant.getTime() - Date.now() : 0;
}
