import { assert, assertEquals, assertRejects, assertStringIncludes } from "./assert.ts";
import {
  DeadlineError,
  formatDeadline,
  outputWithDeadline,
  spawnWithDeadline,
  waitUntil,
  withDeadline,
} from "./deadline.ts";

/** A child that never ends on its own: a timer keeps its event loop alive. */
const HANG = ["eval", "console.error('hanging on purpose'); setInterval(() => {}, 60_000)"];

Deno.test("a hanging child is killed with SIGKILL at its deadline and the failure names it", async () => {
  const error = await assertRejects(
    () => outputWithDeadline(Deno.execPath(), { args: HANG }, 1000),
    DeadlineError,
  );
  assertStringIncludes(error.message, "deno eval console.error('hanging on purpose')");
  assertStringIncludes(error.message, "did not finish within 1 s; killed it (SIGKILL)");
  assertStringIncludes(error.message, "hanging on purpose", "its stderr is shown");
  assertEquals(error.status?.signal, "SIGKILL");
  assertEquals(error.status?.success, false);
});

Deno.test("a spawned child past its deadline fails whoever awaits its status", async () => {
  const child = spawnWithDeadline(
    Deno.execPath(),
    { args: HANG, stdout: "null", stderr: "null" },
    500,
    "the hanging helper",
  );
  const error = await assertRejects(() => child.status(), DeadlineError);
  assertEquals(
    error.message,
    "the hanging helper did not finish within 500 ms; killed it (SIGKILL)",
  );
  assert(child.timedOut);
});

Deno.test("a child that ends in time is not touched, whatever its exit code", async () => {
  const output = await outputWithDeadline(
    Deno.execPath(),
    { args: ["eval", "console.log('done'); Deno.exit(3)"] },
    120_000,
  );
  assertEquals(output.code, 3);
  assertEquals(new TextDecoder().decode(output.stdout), "done\n");
});

Deno.test("waiting on something other than a child gives up at its deadline", async () => {
  const never = new Promise<never>(() => {});
  const error = await assertRejects(
    () => withDeadline(never, 50, "the fake server's answer"),
    DeadlineError,
  );
  assertEquals(error.message, "the fake server's answer: no result within 50 ms");
  assertEquals(await withDeadline(Promise.resolve(7), 1000, "seven"), 7);
  await assertRejects(
    () => waitUntil(() => false, "70 requests", 50),
    DeadlineError,
    "gave up waiting for 70 requests after 50 ms",
  );
  let ready = false;
  setTimeout(() => (ready = true), 10);
  await waitUntil(() => ready, "ready", 10_000);
  assertEquals([formatDeadline(1500), formatDeadline(300_000)], ["1.5 s", "300 s"]);
});
