import { assertEquals, assertRejects } from "../testing/assert.ts";
import { sha256File, writeAtomically, writeTextAtomically } from "./atomic.ts";

Deno.test("a failed write keeps the previous file and removes the temporary one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/run.json`;
    await writeTextAtomically(path, "old");
    await assertRejects(
      () =>
        writeAtomically(path, async (tmp) => {
          await Deno.writeTextFile(tmp, "half");
          throw new Error("disk full");
        }),
      Error,
      "disk full",
    );
    assertEquals(await Deno.readTextFile(path), "old");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["run.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256File hashes the file's bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x`, "abc");
    assertEquals(
      await sha256File(`${dir}/x`),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
