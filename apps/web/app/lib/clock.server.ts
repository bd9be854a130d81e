import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { env } from "~/env.server";

/**
 * The server's clock. Deadlines are decided by it, never by the browser. In tests (ALLOW_TEST_CLOCK,
 * which production refuses to start with) it can be moved, so a deadline can pass inside a test.
 * With several web processes behind a proxy (the topology test) the moved clock is shared through
 * TEST_CLOCK_FILE: the process that is told to move it writes the offset there, every process reads it.
 */
let offsetMs = 0;

// undefined: not looked up yet; null: no shared clock file (always so outside the test mode).
let clockFile: string | null | undefined;
let clockStamp = "";

function sharedClockFile(): string | null {
  if (clockFile === undefined) {
    try {
      const config = env();
      clockFile = config.ALLOW_TEST_CLOCK ? (config.TEST_CLOCK_FILE ?? null) : null;
    } catch {
      clockFile = null;
    }
  }
  return clockFile;
}

function readSharedOffset(file: string): void {
  try {
    const stat = statSync(file);
    const stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    if (stamp === clockStamp) return;
    clockStamp = stamp;
    const value = Number(readFileSync(file, "utf8"));
    offsetMs = Number.isFinite(value) ? value : 0;
  } catch {
    clockStamp = "";
    offsetMs = 0;
  }
}

export function now(): Date {
  const file = sharedClockFile();
  if (file) readSharedOffset(file);
  return new Date(Date.now() + offsetMs);
}

export function setTestClock(instant: Date | null): void {
  if (!env().ALLOW_TEST_CLOCK) throw new Error("the test clock is not enabled");
  offsetMs = instant ? instant.getTime() - Date.now() : 0;
  const file = sharedClockFile();
  if (file) {
    // Written aside and renamed: a reader never sees half a number.
    writeFileSync(`${file}.${process.pid}`, String(offsetMs));
    renameSync(`${file}.${process.pid}`, file);
  }
}
