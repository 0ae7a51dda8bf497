/**
 * `deno task notebooks:strip [--check] [FILE.ipynb ...]`: notebooks are committed without
 * outputs. Strips every code cell's outputs, execution count and execution timing metadata in
 * place (default: every `notebooks/*.ipynb`), keeping the Deno kernelspec. With `--check` nothing
 * is written: it lists notebooks that still carry outputs (or the wrong kernel) and exits 1.
 *
 * @module
 */

import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { writeTextAtomically } from "../fs/atomic.ts";
import { REPO_ROOT } from "./workspace.ts";

/** The kernelspec every notebook uses (`deno jupyter --install` registers it). */
export const DENO_KERNELSPEC = { name: "deno", display_name: "Deno", language: "typescript" };

/** A notebook, as far as stripping needs it (nbformat 4). */
export interface Notebook {
  cells: {
    cell_type: string;
    source: string | string[];
    metadata?: Record<string, unknown>;
    outputs?: unknown[];
    execution_count?: number | null;
    [key: string]: unknown;
  }[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** A copy of `nb` without outputs, execution counts or execution timings. */
export function stripNotebook(nb: Notebook): Notebook {
  const cells = nb.cells.map((cell) => {
    const metadata = { ...(cell.metadata ?? {}) };
    delete metadata.execution;
    delete metadata.ExecuteTime;
    if (cell.cell_type !== "code") return { ...cell, metadata };
    return { ...cell, metadata, outputs: [], execution_count: null };
  });
  const metadata = { ...nb.metadata };
  delete metadata.widgets;
  return { ...nb, cells, metadata };
}

/** What is wrong with a committed notebook: outputs left in, or a kernel other than Deno's. */
export function notebookProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    if ((cell.outputs ?? []).length > 0) {
      problems.push(`cell ${i + 1} has ${cell.outputs!.length} output(s)`);
    }
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`cell ${i + 1} has an execution count`);
    }
  });
  const spec = nb.metadata.kernelspec as Record<string, unknown> | undefined;
  if (
    !spec || spec.name !== DENO_KERNELSPEC.name || spec.language !== DENO_KERNELSPEC.language ||
    spec.display_name !== DENO_KERNELSPEC.display_name
  ) {
    problems.push(
      `kernelspec is ${JSON.stringify(spec)}, expected ${JSON.stringify(DENO_KERNELSPEC)}`,
    );
  }
  return problems;
}

/** Serialize as Jupyter does (one-space indent, trailing newline) so diffs stay small. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Every `.ipynb` under the repository's `notebooks/` folder, sorted. */
export async function listNotebooks(dir: string = join(REPO_ROOT, "notebooks")): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) found.push(join(dir, entry.name));
  }
  return found.sort();
}

const USAGE = "Usage: deno task notebooks:strip [--check] [FILE.ipynb ...]";

async function cli(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { check: { type: "boolean" }, help: { type: "boolean" } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const check = parsed.values.check === true;
  const files = parsed.positionals;
  const paths = files.length ? files : await listNotebooks();
  let bad = 0;
  for (const path of paths) {
    const text = await Deno.readTextFile(path);
    const nb = JSON.parse(text) as Notebook;
    const name = relative(Deno.cwd(), path) || path;
    if (check) {
      const problems = notebookProblems(nb);
      if (problems.length) {
        bad++;
        console.error(`${name}: ${problems.join("; ")}`);
      }
      continue;
    }
    const stripped = serializeNotebook(stripNotebook(nb));
    if (stripped !== text) {
      await writeTextAtomically(path, stripped);
      console.log(`stripped ${name}`);
    }
  }
  if (check && bad) {
    console.error(`${bad} notebook(s) need \`deno task notebooks:strip\``);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await cli(Deno.args));
