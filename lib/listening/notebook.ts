/**
 * The listening notebook's way to a workspace with plays: when it has none, a made-up demo
 * history (demo.ts) is imported with `deno task listen --offline`, and the notebook says so.
 *
 * @module
 */

import { join } from "node:path";
import { Database } from "../db/mod.ts";
import { UserFacingError } from "../errors.ts";
import { REPO_ROOT, type WorkspacePaths } from "../notebooks/workspace.ts";
import { demoExport } from "./demo.ts";

/** Import the demo history into `paths` when it has no `listening` table. True when it did. */
export async function ensureListening(paths: WorkspacePaths): Promise<boolean> {
  const db = await Database.open(paths.db, { readOnly: true });
  let text: string;
  try {
    if (await db.tableExists("listening")) return false;
    text = await demoExport(db);
  } finally {
    db.close();
  }
  const dir = await Deno.makeTempDir({ prefix: "nextspin-demo-plays-" });
  try {
    const file = join(dir, "Streaming_History_Audio_demo.json");
    await Deno.writeTextFile(file, text);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(REPO_ROOT, "pipeline/listen.ts"),
        "--db",
        paths.db,
        "--out",
        paths.out,
        "--file",
        file,
        "--offline",
      ],
      cwd: REPO_ROOT,
      env: { NO_COLOR: "1", NEXTSPIN_QUIET: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new UserFacingError(
        `importing the demo plays failed (exit ${output.code}):\n` +
          new TextDecoder().decode(output.stderr).trim().slice(-2000),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return true;
}
