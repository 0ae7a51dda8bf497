/**
 * The seam every candidate source plugs into. A source reads what the workspace knows (the
 * collection, its taste, the cache) and appends pool rows (see `POOL_ROW_DDL`) to the staging
 * table `pool_candidates`; the pool stage then removes what is owned and keeps each candidate
 * once. API sources spend at most the requests they are given and answer from the cache first,
 * so a second run, or `--offline`, costs nothing.
 *
 * @module
 */

import type { Database } from "../../db/mod.ts";
import type { DiscogsClient } from "../../discogs/client.ts";

/** What every source gets. */
export interface SourceContext {
  db: Database;
  /** The staging table to append pool rows to. */
  target: string;
  currency: string;
  /** Cache only: no socket is opened. */
  offline: boolean;
  /** Set when online (never offline). */
  client?: DiscogsClient;
  /** Whether a Discogs token is set (known offline too, so the plan is the same). */
  authenticated: boolean;
  /** Pool files the collector gave (`--pool`). */
  files: string[];
  /** Other pressings of owned albums are wanted too (`--include-other-pressings`). */
  includeOtherPressings: boolean;
  /** Progress and plan lines (stderr). */
  info(message: string): void;
  /** The catalogue (`--catalog DIR`, default `data/catalog`) and its prefilter's bound. */
  catalog?: CatalogOptions;
}

/** Where the catalogue is and how many candidates its prefilter may keep. */
export interface CatalogOptions {
  /** Default `data/catalog`; a directory without a catalogue turns the source off, silently. */
  dir?: string;
  /** At most this many catalogue candidates (`--catalog-candidates`, default 5,000). */
  candidates?: number;
}

/** One API page a source means to read, best first. */
export interface PlannedRequest {
  path: string;
  /** Why it is asked for, in the collector's words ("style Dub (Reggae)", "label Greensleeves"). */
  why: string;
}

/** What a source contributed, as `run.json` records it. */
export interface SourceReport {
  /** Pool rows appended (before owned releases and duplicates are removed). */
  candidates: number;
  /** Requests sent to Discogs. */
  requests: number;
  /** Pages answered by the workspace cache. */
  fromCache: number;
  /** API pages its plan read (cached ones included): what it spent of its budget. */
  planned: number;
  /** Pages that failed (server errors, network): retried on the next run. */
  failed: number;
  /** Things the collector should know (shown on stderr, in run.json and the report). */
  warnings: string[];
  /** Free-form figures (files read, queries, seeds). */
  details?: Record<string, unknown>;
}

/** A candidate source. Register it in `sources/mod.ts`. */
export interface CandidateSource {
  /** Short id used in run.json and the pool's `sources` column ("files", "search"). */
  name: string;
  /** What it is, for --help, logs and README. */
  description: string;
  /** Whether it spends API requests (and so takes a share of the request budget). */
  usesApi: boolean;
  /**
   * Share of the request budget this source asks for, by the candidates a request is expected
   * to bring (0 when it cannot run, e.g. search without a token).
   */
  weight(ctx: SourceContext): number;
  /** Gather candidates, reading at most `budget` API pages (cached pages count too). */
  gather(ctx: SourceContext, budget: number): Promise<SourceReport>;
}

/** An empty report to fill in. */
export function emptyReport(): SourceReport {
  return { candidates: 0, requests: 0, fromCache: 0, planned: 0, failed: 0, warnings: [] };
}
