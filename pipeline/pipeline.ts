/**
 * `deno task pipeline`: every stage in order (ingest → enrich → score → trends → complete → pool →
 * embed → recommend → charts → report) with the union of their
 * flags. With no input flags it runs offline on the bundled sample in `data/sample/`.
 *
 * @module
 */

import type { FlagValues } from "../lib/cli/flags.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { ingestStage } from "./ingest.ts";
import { enrichStage } from "./enrich.ts";
import { scoreStage } from "./score.ts";
import { trendsStage } from "./trends.ts";
import { listenStage } from "./listen.ts";
import { poolStage } from "./pool.ts";
import { embedStage } from "./embed.ts";
import { recommendStage } from "./recommend.ts";
import { completeStage } from "./complete.ts";
import { chartsStage } from "./charts.ts";
import { reportStage } from "./report.ts";
import { twinsStage } from "./twins.ts";

/** The stages `deno task pipeline` runs, in order. */
export const PIPELINE_STAGES: Stage[] = [
  ingestStage,
  enrichStage,
  scoreStage,
  trendsStage,
  // Before the pool: the `sets` source adds the missing records of nearly-complete sets.
  completeStage,
  poolStage,
  embedStage,
  recommendStage,
  chartsStage,
  reportStage,
];

/** Other collections given (`--with…`): the twins stage runs too, before the pool. */
export const PIPELINE_STAGES_WITH_TWINS: Stage[] = PIPELINE_STAGES.flatMap((s) =>
  s === poolStage ? [twinsStage, s] : [s]
);

/** The stages for these arguments: the twins stage only when its flags (or --help) are given. */
export function pipelineStagesFor(args: readonly string[]): Stage[] {
  const twins = args.some((a) => /^--(with|with-file|with-dir|twin-budget|help)(=|$)/.test(a));
  const stages = twins ? PIPELINE_STAGES_WITH_TWINS : PIPELINE_STAGES;
  // A listening history given (`--file`, a live account): the listen stage runs before the pool,
  // whose `listening` source adds the played-not-owned pressings.
  const listen = args.some((a) => LISTEN_ARGS.test(a));
  return listen ? stages.flatMap((s) => s === poolStage ? [listenStage, s] : [s]) : stages;
}

/** The flags that bring the listen stage into the pipeline. */
const LISTEN_ARGS =
  /^--(file|match-budget|spotify|spotify-login|spotify-port|lastfm-user|lastfm-pages|help)(=|$)/;

/** The bundled sample (see data/sample/README.md). */
export const SAMPLE = {
  collection: "data/sample/collection.csv",
  releases: "data/sample/releases.jsonl",
  pool: ["data/sample/pool.csv", "data/sample/pool_listings.csv"],
} as const;

/** Without any input flag, point the stages at the bundled sample and stay offline. */
export function withSampleDefaults(flags: FlagValues): FlagValues {
  const ownInput = ["collection", "wantlist", "username", "wantlist-of"].some((f) =>
    flags[f] !== undefined
  );
  if (ownInput) return flags;
  return {
    ...flags,
    collection: SAMPLE.collection,
    "from-jsonl": [...((flags["from-jsonl"] as string[] | undefined) ?? []), SAMPLE.releases],
    pool: flags.pool ?? [...SAMPLE.pool],
    // The sample's pool files come from datasets without Discogs ids (data/sample/README.md).
    "serve-without-id": true,
    ...("offline" in enrichStage.flags ? { offline: true } : {}),
  };
}

if (import.meta.main) {
  await main(pipelineStagesFor(Deno.args), {
    command: "pipeline",
    summary:
      "Run ingest → enrich → score → trends → complete → pool → embed → recommend → charts → report. With no --collection/--wantlist/--username it runs offline on the bundled sample.",
    prepare: withSampleDefaults,
  });
}
