/**
 * The notebooks, end to end: each `notebooks/*.ipynb` is executed headlessly on the Deno Jupyter
 * kernel (`jupyter nbconvert --to notebook --execute`) against a temporary workspace — the first
 * notebook finds it empty and runs the pipeline on the bundled sample itself — and must finish
 * without a cell error, give every code cell an output, and show its tables (polars DataFrames:
 * `text/html`) and charts (`inline` from lib/plots: `image/svg+xml`). Jupyter and the `deno`
 * kernelspec are required: when missing the test fails and says how to install them (CI installs
 * them); a missing kernelspec is installed with `deno jupyter --install` first.
 *
 * Committed notebooks must carry no outputs (`deno task notebooks:strip`).
 *
 * @module
 */

import { join } from "node:path";
import { assert, assertEquals } from "../lib/testing/assert.ts";
import { listNotebooks, type Notebook, notebookProblems } from "../lib/notebooks/strip.ts";
import { outputWithDeadline } from "../lib/testing/deadline.ts";
import { REPO_ROOT, tempWorkspace } from "./helpers.ts";

/** What each notebook must show at least: tables and charts. */
const EXPECTED: Record<string, { tables: number; charts: number; mentions: string[] }> = {
  "complete_the_set.ipynb": {
    tables: 5,
    charts: 1,
    mentions: ["Sets by % complete", "Nearest to complete", "Cost to complete", "Missing from"],
  },
  "crate_intelligence.ipynb": {
    tables: 11,
    charts: 8,
    mentions: [
      "Crate Picks",
      "Smart Buys",
      "Collector's Essentials",
      "Deep Cuts",
      "Why",
      "held out of the rankings",
      "Suspect price",
    ],
  },
  "price_sensitivity.ipynb": {
    tables: 6,
    charts: 1,
    mentions: ["Kendall's tau", "Top-10 overlap", "Weight to use", "Best rank"],
  },
  "missing_links.ipynb": {
    tables: 7,
    charts: 1,
    mentions: ["max-min", "harmonic", "product", "Missing links as served", "links your"],
  },
  "value_trends.ipynb": {
    tables: 6,
    charts: 2,
    mentions: [
      "Value over time",
      "not enough history to forecast",
      "Backtest per method",
      "theil_sen",
      "Exact crate vs greedy",
    ],
  },
  "listening.ipynb": {
    tables: 6,
    charts: 2,
    mentions: ["Played, not owned", "Match rate", "Gems at W = 0 and W = 1", "Owned, never played"],
  },
  "taste_gems.ipynb": {
    tables: 4,
    charts: 0,
    mentions: ["recall@50", "tf-idf kNN (baseline)", "random (baseline)", "Overlap with default"],
  },
  "twin_crates.ipynb": {
    tables: 5,
    charts: 0,
    mentions: ["Similarity matrix", "Rarity weights", "Twin picks", "Trades", "in common"],
  },
};

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * A notebook's whole run (kernel start, the pipeline on the sample in the first notebook, every
 * cell) may take this long before nbconvert is killed; each cell alone has 300 s (nbconvert's
 * own limit).
 */
const NOTEBOOK_DEADLINE_MS = 900_000;
/** Quick Jupyter commands (versions, kernelspecs). */
const COMMAND_DEADLINE_MS = 120_000;

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  deadlineMs = COMMAND_DEADLINE_MS,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const out = await outputWithDeadline(command, {
      args,
      cwd: REPO_ROOT,
      env: { NO_COLOR: "1", ...env },
    }, deadlineMs);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${command}: not found` };
    }
    throw error;
  }
}

const INSTALL_HINT =
  "install Jupyter with `apt-get install -y jupyter-nbconvert python3-ipykernel " +
  "jupyter-client` (or `pip install nbconvert jupyter_client`), then `npx -y deno@2 jupyter --install`";

/** The `deno` kernelspec's argv, or null when Jupyter has none. */
async function denoKernel(): Promise<string[] | null> {
  const listed = await run("jupyter", ["kernelspec", "list", "--json"]);
  if (listed.code !== 0) return null;
  const specs = JSON.parse(listed.stdout).kernelspecs ?? {};
  return specs.deno?.spec?.argv ?? null;
}

/**
 * Check Jupyter and nbconvert are installed and the `deno` kernelspec points at a Deno that
 * exists, installing the kernelspec with this Deno when it does not. Throws a clear message
 * otherwise.
 */
async function requireJupyter(): Promise<void> {
  const nbconvert = await run("jupyter", ["nbconvert", "--version"]);
  if (nbconvert.code !== 0) {
    throw new Error(
      `jupyter nbconvert is not available (${nbconvert.stderr.trim().split("\n").at(-1)}): ` +
        INSTALL_HINT,
    );
  }
  let argv = await denoKernel();
  const usable = async (spec: string[] | null) =>
    spec !== null && await Deno.stat(spec[0]).then(() => true, () => false);
  if (!(await usable(argv))) {
    const installed = await run(Deno.execPath(), ["jupyter", "--install"]);
    argv = await denoKernel();
    if (!(await usable(argv))) {
      throw new Error(
        `the Deno Jupyter kernelspec is missing and \`deno jupyter --install\` did not add it ` +
          `(exit ${installed.code}: ${installed.stderr.trim()}): ${INSTALL_HINT}`,
      );
    }
  }
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  text?: string | string[];
}

const text = (v: unknown): string =>
  Array.isArray(v)
    ? v.join("")
    : typeof v === "object" && v !== null
    ? JSON.stringify(v)
    : String(v ?? "");

/** Why nbconvert failed: its own report of the failing cell (source and error), trimmed. */
function failure(stderr: string): string {
  const at = stderr.indexOf("An error occurred while executing the following cell");
  const report = at >= 0 ? stderr.slice(at) : stderr;
  // deno-lint-ignore no-control-regex
  return report.replace(/\x1b\[[0-9;]*m/g, "").trim().slice(0, 4000);
}

Deno.test("committed notebooks have no outputs and use the Deno kernel", async () => {
  const paths = await listNotebooks();
  assertEquals(
    paths.map((p) => p.split("/").at(-1)).sort(),
    Object.keys(EXPECTED).sort(),
    "the notebooks under notebooks/",
  );
  for (const path of paths) {
    const nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    assertEquals(
      notebookProblems(nb),
      [],
      `${path}: run \`deno task notebooks:strip\` before committing`,
    );
    assert(nb.cells[0].cell_type === "markdown", `${path} starts with a markdown cell`);
    assert(
      /Tables it needs/i.test(text(nb.cells[0].source)),
      `${path}: the first cell says which tables it needs`,
    );
  }
});

Deno.test({
  name: "every notebook runs headlessly on the Deno kernel and shows its tables and charts",
  // The kernel and nbconvert are child processes that outlive single steps' resource checks.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await requireJupyter();
    const ws = await tempWorkspace();
    const outDir = join(ws.dir, "executed");
    const env = { NEXTSPIN_DB: ws.db, NEXTSPIN_OUT: ws.out };
    try {
      for (const path of await listNotebooks()) {
        const name = path.split("/").at(-1)!;
        await t.step(name, async () => {
          const result = await run(
            "jupyter",
            [
              "nbconvert",
              "--to",
              "notebook",
              "--execute",
              "--ExecutePreprocessor.timeout=300",
              path,
              "--output-dir",
              outDir,
            ],
            env,
            NOTEBOOK_DEADLINE_MS,
          );
          assertEquals(result.code, 0, `${name} failed:\n${failure(result.stderr)}`);
          const nb = JSON.parse(await Deno.readTextFile(join(outDir, name))) as Notebook;
          const code = nb.cells.filter((c) => c.cell_type === "code");
          const outputs = code.flatMap((c) => (c.outputs ?? []) as Output[]);
          const errors = outputs.filter((o) => o.output_type === "error");
          assertEquals(
            errors.map((e) => `${e.ename}: ${e.evalue}`),
            [],
            `${name} has cell errors`,
          );
          code.forEach((c, i) =>
            assert(
              (c.outputs ?? []).length > 0,
              `${name}: code cell ${i + 1} shows nothing:\n${text(c.source).slice(0, 300)}`,
            )
          );
          const rich = outputs.filter((o) => o.data);
          const tables = rich.filter((o) =>
            "text/html" in o.data! && "application/vnd.dataresource+json" in o.data!
          );
          const charts = rich.filter((o) => text(o.data!["image/svg+xml"]).startsWith("<svg"));
          const expected = EXPECTED[name];
          assert(
            tables.length >= expected.tables,
            `${name}: ${tables.length} polars tables, expected at least ${expected.tables}`,
          );
          assert(
            charts.length >= expected.charts,
            `${name}: ${charts.length} SVG charts, expected at least ${expected.charts}`,
          );
          for (const table of tables) {
            assert(text(table.data!["text/html"]).includes("<td>"), `${name}: an empty table`);
          }
          const shown = rich.map((o) => Object.values(o.data!).map(text).join("\n")).join("\n");
          for (const word of expected.mentions) {
            assert(shown.includes(word), `${name}: the outputs never mention "${word}"`);
          }
        });
      }
      // The workspace the notebooks used is the temporary one, built by the first notebook.
      assert(await Deno.stat(ws.db).then(() => true, () => false), "the pipeline ran into it");
    } finally {
      await ws.cleanup();
    }
  },
});
