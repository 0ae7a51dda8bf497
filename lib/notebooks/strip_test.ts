import { assertEquals } from "../testing/assert.ts";
import { outputWithDeadline } from "../testing/deadline.ts";
import {
  DENO_KERNELSPEC,
  type Notebook,
  notebookProblems,
  serializeNotebook,
  stripNotebook,
} from "./strip.ts";

const executed = (): Notebook => ({
  cells: [
    { cell_type: "markdown", source: "# Title", metadata: {} },
    {
      cell_type: "code",
      source: "1 + 1",
      metadata: { execution: { "iopub.status.busy": "2026-01-01" }, tags: ["keep"] },
      execution_count: 3,
      outputs: [{ output_type: "execute_result", data: { "text/plain": "2" } }],
    },
  ],
  metadata: { kernelspec: { ...DENO_KERNELSPEC }, widgets: {} },
  nbformat: 4,
  nbformat_minor: 5,
});

Deno.test("stripNotebook drops outputs, execution counts and timings, keeps the rest", () => {
  const stripped = stripNotebook(executed());
  assertEquals(stripped.cells[1].outputs, []);
  assertEquals(stripped.cells[1].execution_count, null);
  assertEquals(stripped.cells[1].metadata, { tags: ["keep"] });
  assertEquals(stripped.cells[0], { cell_type: "markdown", source: "# Title", metadata: {} });
  assertEquals(stripped.metadata, { kernelspec: DENO_KERNELSPEC });
  assertEquals(notebookProblems(stripped), []);
  // Stripping twice changes nothing: committed notebooks are stable.
  assertEquals(serializeNotebook(stripNotebook(stripped)), serializeNotebook(stripped));
});

Deno.test("notebookProblems names cells with outputs and a kernel other than Deno's", () => {
  assertEquals(notebookProblems(executed()), [
    "cell 2 has 1 output(s)",
    "cell 2 has an execution count",
  ]);
  const python = { ...stripNotebook(executed()), metadata: { kernelspec: { name: "python3" } } };
  assertEquals(notebookProblems(python).length, 1);
});

Deno.test("notebooks:strip --check fails on a notebook with outputs; strip fixes it in place", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/nb.ipynb`;
    await Deno.writeTextFile(path, JSON.stringify(executed()));
    const strip = (...args: string[]) =>
      outputWithDeadline(Deno.execPath(), {
        args: ["run", "-A", new URL("./strip.ts", import.meta.url).pathname, ...args, path],
      }, 120_000);
    const check = await strip("--check");
    assertEquals(check.code, 1);
    assertEquals(new TextDecoder().decode(check.stderr).includes("cell 2 has 1 output(s)"), true);
    assertEquals((await strip()).code, 0);
    assertEquals((await strip("--check")).code, 0);
    const nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    assertEquals(nb.cells[1].outputs, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
