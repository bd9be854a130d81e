import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type Clock = typeof import("./clock.server");

/** A fresh copy of the clock and its configuration: another web process, as far as the clock can tell. */
async function process_(): Promise<Clock> {
  vi.resetModules();
  return import("./clock.server");
}

describe("the test clock shared by several web processes (TEST_CLOCK_FILE)", () => {
  const folder = mkdtempSync(join(tmpdir(), "titles-clock-"));
  beforeAll(() => {
    vi.stubEnv("ALLOW_TEST_CLOCK", "true");
    vi.stubEnv("TEST_CLOCK_FILE", join(folder, "clock"));
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(folder, { recursive: true, force: true });
  });

  it("a move told to one process is the time of the other, and so is putting it back", async () => {
    const first = await process_();
    const second = await process_();
    const later = new Date("2031-03-01T01:00:00Z");
    first.setTestClock(later);
    expect(Math.abs(second.now().getTime() - later.getTime())).toBeLessThan(1000);
    second.setTestClock(null);
    expect(Math.abs(first.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it("is ignored without ALLOW_TEST_CLOCK: a production process never reads the file", async () => {
    const testing = await process_();
    testing.setTestClock(new Date("2031-03-01T01:00:00Z"));
    vi.stubEnv("ALLOW_TEST_CLOCK", "false");
    const production = await process_();
    expect(Math.abs(production.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(() => production.setTestClock(new Date())).toThrow("not enabled");
  });
});
