/**
 * The repository's static checks, as tests, so `deno task test` (and `.ci/run`'s "N passed, N
 * failed") fails on any of them: `deno check` over every module and entry point (`deno test` alone
 * type-checks only test files and what they import, which left the pipeline and bench entry
 * points unchecked), `deno lint` and `deno fmt --check`.
 *
 * @module
 */

import { join } from "node:path";
import denoConfig from "../deno.json" with { type: "json" };
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { spawnWithDeadline } from "../lib/testing/deadline.ts";
import { listNotebooks, type Notebook } from "../lib/notebooks/strip.ts";
import { REPO_ROOT } from "./helpers.ts";

/** Each check takes ~10 s on a quiet machine; CI machines are shared. */
const CHECK_DEADLINE_MS = 300_000;

/** Every folder of TypeScript modules and entry points. */
const SOURCE_DIRS = ["lib/", "pipeline/", "bench/", "tests/"];

/**
 * The report's browser script, which `deno bundle` builds at report time: plain JavaScript (so
 * not itself type-checked), but checking it type-checks every module it imports.
 */
const BROWSER_ENTRY = "lib/report/browser.js";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Run `deno <args>` from the repository root (with `stdin` piped in when given), under a deadline. */
async function deno(
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnWithDeadline(
    Deno.execPath(),
    {
      args,
      cwd: REPO_ROOT,
      env: { NO_COLOR: "1" },
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    },
    CHECK_DEADLINE_MS,
    `deno ${args.join(" ")}`,
  );
  if (stdin !== undefined) {
    const writer = child.process.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** What a failed check printed, enough to act on without flooding the log. */
const report = (out: { stdout: string; stderr: string }) =>
  `${out.stdout}${out.stderr}`.trim().slice(0, 8000);

/** The repository's own modules a notebook's code cells import (relative specifiers). */
async function notebookImports(): Promise<string[]> {
  const modules = new Set<string>();
  for (const path of await listNotebooks()) {
    const nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : String(cell.source);
      for (const m of source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        modules.add(join("notebooks", m[1]));
      }
    }
  }
  return [...modules].sort();
}

Deno.test("deno check: every module and entry point type-checks", async () => {
  const imported = await notebookImports();
  assert(imported.length > 0, "found the modules the notebooks import");
  const out = await deno(["check", "--quiet", ...SOURCE_DIRS, BROWSER_ENTRY, ...imported]);
  assertEquals(out.code, 0, `deno check failed:\n${report(out)}`);
});

Deno.test("deno lint: no lint errors", async () => {
  const out = await deno(["lint", "--quiet"]);
  assertEquals(out.code, 0, `deno lint failed:\n${report(out)}`);
});

Deno.test("deno fmt --check: every file is formatted", async () => {
  // Notebooks are compared below instead: Deno 2's `fmt --check` reports a formatted .ipynb as
  // unformatted (with an empty diff) unless its incremental cache already saw it formatted, so
  // the check would fail on a clean CI machine and pass on a developer's.
  // `--ignore` replaces the configuration's `fmt.exclude`, so it repeats it.
  const ignore = [...denoConfig.fmt.exclude, "notebooks/"].join(",");
  const out = await deno(["fmt", "--check", "--quiet", `--ignore=${ignore}`]);
  assertEquals(out.code, 0, `deno fmt --check failed (run \`npx -y deno@2 fmt\`):\n${report(out)}`);
  const unformatted: string[] = [];
  for (const path of await listNotebooks()) {
    const text = await Deno.readTextFile(path);
    const formatted = await deno(["fmt", "--ext", "ipynb", "-"], text);
    assertEquals(formatted.code, 0, `deno fmt could not format ${path}:\n${report(formatted)}`);
    if (formatted.stdout !== text) unformatted.push(path);
  }
  assertEquals(unformatted, [], "notebooks deno fmt would change (run `npx -y deno@2 fmt`)");
});
