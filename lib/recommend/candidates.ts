/**
 * Candidates for recommendation and the collection they are judged against, in one shape: the
 * embedder's features plus the market facts the value score needs.
 *
 * @module
 */

import type { ReleaseFeatures } from "../embed/features.ts";

/** A release that can be recommended (or is owned), with its market facts. */
export interface Candidate extends ReleaseFeatures {
  releaseId: number | null;
  artist: string;
  title: string;
  have: number | null;
  want: number | null;
  lowestPrice: number | null;
  /** Copies for sale when known (0 = none for sale; absent or null = not asked yet). */
  numForSale?: number | null;
  currency: string | null;
  /** Σ similarity of the twin collections that own it (`twin_picks`; absent: no twin owns it). */
  twinSupport?: number;
  /** Those twins, closest first. */
  twinOwners?: readonly string[];
  /**
   * The nearly-complete sets it is missing from, nearest to complete first (`set_missing`,
   * lib/complete/gaps.ts; absent: it finishes no set).
   */
  setGaps?: readonly SetGap[];
}

/** A nearly-complete set a record is missing from (`set_completion`). */
export interface SetGap {
  /** `artist`, `label` or `master`. */
  kind: string;
  id: number;
  name: string;
  /** What its records are called: `Moving Shadow 12"s from 1994`. */
  what: string;
  owned: number;
  total: number;
  /** Percent complete. */
  pct: number;
  missing: number;
  /** The record is on your wantlist. */
  inWantlist: boolean;
  /** The album the record is (`master:ID`, `work:artist|title`): one pressing of it is served. */
  albums: readonly string[];
}

/**
 * A collection release reduced to what a pool row carries (first artist, first label, first
 * format, no credits, no catalogue extras), so that the evaluation harness cannot spot hidden records by how
 * much richer their data is than the pool's.
 */
export function asPoolRow(c: Candidate): Candidate {
  return {
    ...c,
    artists: c.artists.slice(0, 1),
    labels: c.labels.slice(0, 1),
    formats: c.formats.slice(0, 1).map((f) => f.split(",")[0]),
    // Pool files carry no credits; a hidden record keeping its own would give it away.
    credits: [],
  };
}
