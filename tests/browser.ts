/**
 * The real browser the report tests drive: Debian's Chromium (tests/ensure_tools.ts installs it)
 * through playwright-core, or the binary named by `NEXTSPIN_CHROMIUM`.
 *
 * @module
 */

import { type Browser, chromium } from "playwright-core";
import { assert } from "../lib/testing/assert.ts";

/** Where the browser is. */
export const CHROMIUM = Deno.env.get("NEXTSPIN_CHROMIUM") ?? "/usr/bin/chromium";

/**
 * Launch Chromium headless, failing (never skipping) with what to do when it is missing.
 * Close it with `browser.close()`.
 */
export async function launchChromium(): Promise<Browser> {
  const found = await Deno.stat(CHROMIUM).then(() => true, () => false);
  assert(
    found,
    `no browser at ${CHROMIUM}: install it with \`apt-get install -y chromium\` ` +
      "(.ci/run does) or set NEXTSPIN_CHROMIUM to a Chromium binary",
  );
  return await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}
