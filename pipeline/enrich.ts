/**
 * `deno task enrich`: Discogs release data for every record in the collection and wantlist →
 * tables `releases`, `price_history`, `enrich_rejects` (raw responses in `http_cache`).
 *
 * @module
 */

import { basename } from "node:path";
import { listFlag, stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_CURRENCY } from "../lib/discogs/cache.ts";
import { DEFAULT_DB_PATH } from "../lib/db/mod.ts";
import { fetchMissingReleases } from "../lib/enrich/live.ts";
import {
  buildReleases,
  checkCurrency,
  describeDuration,
  fetchLaterCommand,
  importJsonl,
  parseMaxAge,
  recordImportRejects,
} from "../lib/enrich/mod.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { ALLOW_EMPTY_FLAG } from "./shared_flags.ts";

/** Problems listed on stderr before summarising the rest. */
const LISTED = 20;

export const enrichStage: Stage = {
  name: "enrich",
  summary:
    "Enrich every release with Discogs data (have/want, lowest price, for sale, genres, styles, labels).",
  flags: {
    "from-jsonl": {
      type: "string",
      multiple: true,
      description: "import recorded GET /releases/{id} bodies, one JSON object per line",
      valueName: "FILE",
    },
    currency: {
      type: "string",
      description: "marketplace currency (Discogs curr_abbr) of prices",
      default: DEFAULT_CURRENCY,
      valueName: "CODE",
      check: checkCurrency,
    },
    offline: {
      type: "boolean",
      description: "never touch the network: enrich from the cache only",
    },
    "skip-enrich": {
      type: "boolean",
      description: "make no per-release market requests now: build releases from the cache and " +
        "the username import's basic_information (genres, styles), fetch market data later",
    },
    "max-age": {
      type: "string",
      description: "re-fetch cached releases older than this (e.g. 12h, 7d, never); " +
        "without it, market data older than 7 days is refreshed and known 404s are kept",
      valueName: "AGE",
      check: parseMaxAge,
    },
    "allow-empty": ALLOW_EMPTY_FLAG,
  },
  async run({ db, log }, flags) {
    const currency = checkCurrency(stringFlag(flags, "currency") ?? DEFAULT_CURRENCY);
    const files = listFlag(flags, "from-jsonl");
    let imported = 0;
    let cached = 0;
    let importRejects = 0;
    for (const file of files) {
      const result = await importJsonl(db, file, currency);
      await recordImportRejects(db, result.rejects, `jsonl:${basename(file)}`);
      imported += result.imported;
      cached += result.cached;
      importRejects += result.rejects.length;
      for (const r of result.rejects.slice(0, LISTED)) {
        log.warn(`${file}:${r.line}: skipped, ${r.reason}`);
      }
      if (result.rejects.length > LISTED) {
        log.warn(`... and ${result.rejects.length - LISTED} more (see enrich_rejects)`);
      }
      log.info(
        `${file}: ${result.imported} release bodies (${result.cached} new or changed, ` +
          `${result.imported - result.cached} already cached: no new snapshot)`,
      );
    }
    const offline = flags.offline === true;
    const skip = flags["skip-enrich"] === true;
    const maxAge = stringFlag(flags, "max-age");
    const maxAgeMs = maxAge === undefined ? undefined : parseMaxAge(maxAge);
    const live = offline || skip
      ? undefined
      : await fetchMissingReleases(db, { currency, maxAgeMs, log });
    const built = await buildReleases(db, currency, { allowEmpty: flags["allow-empty"] === true });
    const warnings: string[] = [];
    if (built.keptPrevious) {
      warnings.push(
        `no collection or wantlist to enrich, so the previous ${built.releases} releases are kept ` +
          "(--allow-empty empties them)",
      );
    }
    for (const r of built.rejects.slice(0, LISTED)) {
      log.warn(`release ${r.release_id}: ${r.reason}`);
    }
    if (built.missing.length > 0) {
      if (skip) {
        log.info(
          `--skip-enrich: ${built.missing.length} of ${
            built.needed ?? built.missing.length
          } releases have no market data yet${
            built.fromBasicInformation > 0
              ? ` (${built.fromBasicInformation} have genres and styles from the username import)`
              : ""
          }; fetch it later with ` +
            `\`${fetchLaterCommand(String(flags.db ?? DEFAULT_DB_PATH), currency)}\` ` +
            `(${describeDuration(built.missing.length)}, resumable), then \`deno task score\` ` +
            "ranks them",
        );
      } else {
        const shown = built.missing.slice(0, LISTED).join(", ");
        log.warn(
          `${built.missing.length} releases have no Discogs data yet: ${shown}${
            built.missing.length > LISTED ? ", ..." : ""
          }${offline ? " (--offline: run without it to fetch them)" : ""}`,
        );
      }
    }
    const fromCache = built.enriched;
    log.info(
      `${built.enriched} releases enriched (${currency}); ` +
        (built.fromBasicInformation > 0
          ? `${built.fromBasicInformation} from basic_information without market data; `
          : "") +
        `${built.missing.length} missing, ` +
        `${built.notFound.length} not found on Discogs, ${
          built.rejects.length + importRejects
        } rejected; ` +
        `${built.snapshotsAdded} new price snapshots`,
    );
    return {
      tables: {
        releases: built.releases,
        price_history: await db.count("price_history"),
        enrich_rejects: await db.count("enrich_rejects"),
      },
      inputs: files,
      warnings,
      parameters: {
        currency,
        from_jsonl: files,
        offline,
        skip_enrich: skip,
        max_age: maxAge ?? null,
      },
      summary: {
        imported,
        imported_new: cached,
        from_cache: fromCache,
        from_basic_information: built.fromBasicInformation,
        missing: built.missing.length,
        not_found: built.notFound.length,
        rejected: built.rejects.length + importRejects,
        price_snapshots_added: built.snapshotsAdded,
        ...(live ? { live } : {}),
      },
    };
  },
};

if (import.meta.main) {
  await main([enrichStage], { command: "enrich", summary: enrichStage.summary });
}
