/**
 * `deno task pool`: the candidate pool (table `pool`) from pool files and the wantlist, minus
 * what the collection already owns.
 *
 * @module
 */

import { listFlag, stringFlag } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { buildPool } from "../lib/pool/mod.ts";

export const poolStage: Stage = {
  name: "pool",
  summary:
    "Gather candidate releases to recommend from pool files and the wantlist, minus what you own.",
  flags: {
    pool: {
      type: "string",
      multiple: true,
      description:
        "candidate releases: CSV or Parquet with artist, title and any of label, styles, have, want, price, year",
      valueName: "FILE",
    },
    "include-other-pressings": {
      type: "boolean",
      description: "keep other pressings of albums you already own",
    },
  },
  async run({ db, log }, flags) {
    const files = listFlag(flags, "pool");
    const summary = await buildPool(db, {
      files,
      includeOtherPressings: flags["include-other-pressings"] === true,
      currency: stringFlag(flags, "currency"),
    });
    for (const f of summary.files) {
      log.info(
        `${f.path}: ${f.rows} candidates (${f.currency})${
          f.skipped ? `, ${f.skipped} rows without artist/title skipped` : ""
        }`,
      );
    }
    log.info(
      `${summary.pool} candidates in the pool (${summary.candidates} gathered, ${summary.fromWantlist} from the wantlist, ` +
        `${summary.owned} already owned or duplicates removed)`,
    );
    return {
      tables: { pool: summary.pool },
      inputs: files,
      parameters: {
        pool: files,
        include_other_pressings: flags["include-other-pressings"] === true,
      },
      summary: {
        candidates: summary.candidates,
        from_wantlist: summary.fromWantlist,
        removed: summary.owned,
      },
    };
  },
};

if (import.meta.main) await main([poolStage], { command: "pool", summary: poolStage.summary });
