import { existsSync } from "node:fs";

/** Debian's Chromium (Playwright cannot download its own browser here); says what is missing. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      "Chromium not found. Install Debian's browser and CJK fonts: `apt-get install -y chromium fonts-noto-cjk` (or set CHROMIUM_PATH).",
    );
  }
  return found;
}
