import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** WCAG 2.1 A and AA: what the issue asks of every page. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Only these impacts fail the suite; moderate and minor ones are for a later pass. */
const BLOCKING = new Set(["serious", "critical"]);

export interface AccessibleOptions {
  /** Rule ids not run on this page — each needs a comment at the call site saying why. */
  disableRules?: string[];
}

/**
 * Runs axe on the page as it is now and fails with every serious or critical violation: its id, what
 * it asks for and the first elements it found, so the fix can start from the message alone. Returns how
 * many blocking rules failed (0 when the page is fine).
 */
export async function expectAccessible(page: Page, label: string, options: AccessibleOptions = {}) {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  const { violations } = await builder.analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ""));
  const report = blocking.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(" "))
      .join(" | ");
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length}×) → ${targets}`;
  });
  // Soft, so one run lists every page's problems rather than stopping at the first page.
  expect.soft(report, `${label} (${new URL(page.url()).pathname}) has accessibility violations`).toEqual([]);
  return blocking.length;
}
