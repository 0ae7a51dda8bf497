/**
 * The report's browser script, built from source at report time: `browser.js` (the page's
 * controls) imports the ranking straight from lib/score/ranking.ts (and through it the formulas of
 * lib/score/formulas.ts), and `deno bundle` turns that graph into one classic script to inline. So
 * the slider in the page runs the very functions the score stage ran — one source of truth, no
 * copy to drift.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { UserFacingError } from "../errors.ts";
import { DeadlineError, outputWithDeadline } from "../testing/deadline.ts";

const ENTRY = fileURLToPath(new URL("./browser.js", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Make script text safe to place between `<script>` and `</script>`: the HTML parser ends the
 * element at the first `</script`, whatever JavaScript context it sits in, and `<!--` can switch
 * it into an escaped state. `<\/` and `<\!` mean the same in JS strings, regexes and comments.
 */
export function inlineScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** A bundle takes a few seconds; one still running after this has hung and is killed. */
const BUNDLE_DEADLINE_MS = 180_000;

let cached: Promise<string> | undefined;

async function bundle(): Promise<string> {
  const output = await outputWithDeadline(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform", "browser", "--format", "iife", ENTRY],
    // From the repository root so the bundle's source comments name repo-relative paths.
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1" },
  }, BUNDLE_DEADLINE_MS).catch((error) => {
    if (error instanceof DeadlineError) {
      throw new UserFacingError(`could not build the report's browser script: ${error.message}`);
    }
    throw error;
  });
  const stderr = new TextDecoder().decode(output.stderr).trim();
  if (!output.success) {
    throw new UserFacingError(`could not build the report's browser script: ${stderr}`);
  }
  return inlineScriptText(new TextDecoder().decode(output.stdout));
}

/**
 * The bundled browser script (an IIFE), ready to inline. Built once per process: the source does
 * not change while a process runs.
 */
export function clientScript(): Promise<string> {
  cached ??= bundle().catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
