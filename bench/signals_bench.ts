/**
 * `deno task bench signals [--db WS] [--bodies FILE]… [--export FILE]… [--pool FILE]…
 * [--catalog DIR] [--weight W] [--folds N] [--signals a,b] [--skip-off]`: the gem signals
 * measured on and off (`measureSignals`, lib/recommend/signals/measure.ts) on the workspace
 * collection and each named one, against the workspace pool or pool files (read as
 * `deno task evaluate` reads them): every signal at 0, then each alone at `--weight` (0.1).
 * A quality sweep, not a timing: it writes `data/bench/signals.json` and prints recall@50 and MRR.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DEFAULT_CATALOG_DIR } from "../lib/catalog/schema.ts";
import { Database } from "../lib/db/mod.ts";
import { gatherEvaluation } from "../lib/recommend/evaluate_run.ts";
import { measureSignals } from "../lib/recommend/signals/measure.ts";
import { GEM_SIGNALS } from "../lib/recommend/signals/mod.ts";
import { loadCatalogRelations } from "../lib/recommend/signals/relations.ts";
import { printTable, writeBenchResult } from "./report.ts";

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string", default: "data/nextspin.duckdb" },
      bodies: { type: "string", multiple: true, default: [] },
      export: { type: "string", multiple: true, default: [] },
      pool: { type: "string", multiple: true, default: [] },
      catalog: { type: "string", default: DEFAULT_CATALOG_DIR },
      weight: { type: "string", default: "0.1" },
      folds: { type: "string", default: "5" },
      signals: { type: "string" },
      "skip-off": { type: "boolean" },
    },
  });
  if (!(await Deno.stat(values.db!).then(() => true, () => false))) {
    // Nothing to measure on: say so rather than fail the rest of a `deno task bench` run.
    console.log(`no workspace at ${values.db}: run \`deno task pipeline\` first (or give --db)`);
    return { skipped: `no workspace at ${values.db}` };
  }
  const db = await Database.open(values.db!, { readOnly: true });
  try {
    const inputs = await gatherEvaluation(db, {
      folds: Number(values.folds),
      seed: 42,
      bodyFiles: values.bodies!,
      exportFiles: values.export!,
      poolFiles: values.pool!,
      catalog: values.catalog!,
      realUser: false,
      stages: [],
      windowMs: 1000,
      info: (line) => console.error(line),
    });
    const relations = await loadCatalogRelations(db, values.catalog!, [
      ...inputs.pool,
      ...inputs.usable.flatMap((c) => c.candidates),
    ]);
    const measured = measureSignals(
      inputs.usable.map((c) => [c.name, c.candidates]),
      inputs.pool,
      {
        weight: Number(values.weight),
        folds: Number(values.folds),
        signals: values.signals?.split(",") ?? GEM_SIGNALS.map((s) => s.name),
        relations,
        skipOff: values["skip-off"],
      },
    );
    printTable(
      ["collection", "variant", "recall@50", "MRR"],
      measured.map((m) => [m.collection, m.variant, m.recall.toFixed(3), m.mrr.toFixed(4)]),
    );
    const result = { weight: Number(values.weight), folds: Number(values.folds), measured };
    console.log(`\nwrote ${await writeBenchResult("signals", result)}`);
    return result;
  } finally {
    db.close();
  }
}

/** `deno task bench signals`. */
export const signalsBenchmark = {
  name: "signals",
  description: "gem signals on and off on the evaluation harness (recall@50, MRR)",
  run,
};
