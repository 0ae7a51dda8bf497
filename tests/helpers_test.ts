/**
 * The shared test helpers' deadlines: a task subprocess that hangs is killed and reported, so a
 * hung task fails its test rather than stalling CI.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "../lib/testing/assert.ts";
import { DeadlineError } from "../lib/testing/deadline.ts";
import { runModule } from "./helpers.ts";

Deno.test("runModule kills a task that outlives its deadline and names it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nextspin-hang-" });
  try {
    const module = `${dir}/hang.ts`;
    await Deno.writeTextFile(
      module,
      "console.error('waiting forever');\nsetInterval(() => {}, 60_000);\n",
    );
    const error = await assertRejects(
      () => runModule(module, ["--db", "x.duckdb"], {}, { deadlineMs: 1000 }),
      DeadlineError,
    );
    assertStringIncludes(
      error.message,
      `deno run -A ${module} --db x.duckdb did not finish within 1 s; killed it (SIGKILL)`,
    );
    assertStringIncludes(error.message, "waiting forever");
    assertEquals(error.status?.signal, "SIGKILL");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runModule returns a finished task's exit code and output", async () => {
  const result = await runModule("pipeline/score.ts", ["--help"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout + result.stderr, "--price-weight");
});
