/**
 * `deno task ingest`: Discogs collection/wantlist exports → tables `collection`, `wantlist`,
 * `ingest_rejects`.
 *
 * @module
 */

import { stringFlag } from "../lib/cli/flags.ts";
import { DEFAULT_DB_PATH } from "../lib/db/mod.ts";
import { DiscogsClient } from "../lib/discogs/client.ts";
import {
  cachedPages,
  cachingPages,
  importCollection,
  importWantlist,
  type ReleaseInfo,
} from "../lib/discogs/user_lists.ts";
import { InputError } from "../lib/errors.ts";
import {
  describeReading,
  ingestApiRows,
  ingestExports,
  type IngestSummary,
} from "../lib/ingest/mod.ts";
import { main, type Stage } from "../lib/pipeline/stage.ts";
import { ALLOW_EMPTY_FLAG } from "./shared_flags.ts";

/** Rejected rows listed on stderr before summarising the rest. */
const REJECTS_LISTED = 20;

export const ingestStage: Stage = {
  name: "ingest",
  summary: "Load Discogs CSV exports into the collection and wantlist tables.",
  flags: {
    collection: {
      type: "string",
      description: "Discogs collection export (CSV)",
      valueName: "FILE",
    },
    wantlist: { type: "string", description: "Discogs wantlist export (CSV)", valueName: "FILE" },
    username: {
      type: "string",
      description: "import this Discogs user's collection through the API instead of a CSV",
      valueName: "NAME",
    },
    "wantlist-of": {
      type: "string",
      description: "import this Discogs user's wantlist through the API",
      valueName: "NAME",
    },
    offline: {
      type: "boolean",
      description:
        "never touch the network: --username/--wantlist-of and enrichment read the workspace cache only",
    },
    "allow-empty": ALLOW_EMPTY_FLAG,
  },
  async run({ db, log }, flags) {
    const collection = stringFlag(flags, "collection");
    const wantlist = stringFlag(flags, "wantlist");
    const username = stringFlag(flags, "username");
    const wantlistOf = stringFlag(flags, "wantlist-of");
    const allowEmpty = flags["allow-empty"] === true;
    if ((username && collection) || (wantlistOf && wantlist)) {
      throw new InputError(
        "give a collection (or wantlist) either as a CSV file or as a username, not both",
      );
    }
    let summary: IngestSummary;
    if (username || wantlistOf) {
      // Offline, no client is even made: pages come from the cache the last online import filled.
      const offline = flags.offline === true;
      const command = `deno task ingest${db.path === DEFAULT_DB_PATH ? "" : ` --db ${db.path}`}`;
      const pages = offline ? cachedPages(db, command) : cachingPages(db, DiscogsClient.fromEnv());
      const where = offline ? "cached from Discogs" : "on Discogs";
      const copies = username ? await importCollection(pages, username) : undefined;
      const wants = wantlistOf ? await importWantlist(pages, wantlistOf) : undefined;
      if (copies) log.info(`${copies.rows.length} copies in ${username}'s collection ${where}`);
      if (wants) log.info(`${wants.rows.length} releases in ${wantlistOf}'s wantlist ${where}`);
      const releases: ReleaseInfo[] = [...(wants?.releases ?? []), ...(copies?.releases ?? [])];
      summary = await ingestApiRows(db, {
        collection: copies?.rows,
        wantlist: wants?.rows,
        releases,
        collectionOf: username,
        wantlistOf,
        allowEmpty,
      });
      if (collection || wantlist) {
        const files = await ingestExports(db, { collection, wantlist, allowEmpty });
        summary = { ...files, rejects: [...summary.rejects, ...files.rejects] };
      }
    } else {
      summary = await ingestExports(db, { collection, wantlist, allowEmpty });
    }
    for (const reading of summary.readings ?? []) log.info(describeReading(reading));
    for (const reject of summary.rejects.slice(0, REJECTS_LISTED)) {
      log.warn(`${reject.source_file}:${reject.line}: skipped, ${reject.reason}`);
    }
    if (summary.rejects.length > REJECTS_LISTED) {
      log.warn(
        `... and ${
          summary.rejects.length - REJECTS_LISTED
        } more skipped rows (see table ingest_rejects)`,
      );
    }
    log.info(
      `collection: ${summary.collectionRows} copies of ${summary.collectionReleases} releases; ` +
        `wantlist: ${summary.wantlistRows} releases; ${summary.rejects.length} rows skipped`,
    );
    return {
      tables: {
        collection: summary.collectionRows,
        wantlist: summary.wantlistRows,
        ingest_rejects: await db.count("ingest_rejects"),
        // Written only by a username import (a CSV export has no basic_information).
        ...(username || wantlistOf ? { release_info: await db.count("release_info") } : {}),
      },
      inputs: [collection, wantlist].filter((p): p is string => p !== undefined),
      parameters: {
        collection: collection ?? null,
        wantlist: wantlist ?? null,
        username: username ?? null,
        wantlist_of: wantlistOf ?? null,
        offline: flags.offline === true,
        allow_empty: allowEmpty,
      },
      summary: {
        collection_rows: summary.collectionRows,
        wantlist_rows: summary.wantlistRows,
        rejected: summary.rejects.length,
      },
    };
  },
};

if (import.meta.main) {
  await main([ingestStage], { command: "ingest", summary: ingestStage.summary });
}
