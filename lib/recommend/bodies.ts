/**
 * A collection given as recorded release bodies (JSONL), for evaluating on collections other
 * than the workspace's.
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { creditsOfBody } from "../discogs/credits.ts";
import { releasesFromJsonl } from "../discogs/release.ts";
import type { Candidate } from "./candidates.ts";

/** Read a JSONL of `GET /releases/{id}` bodies as candidates (unusable lines are skipped). */
export async function candidatesFromBodies(path: string, currency = "USD"): Promise<Candidate[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    throw new InputError(`${path}: file not found or unreadable`);
  }
  const lines = text.split("\n");
  const out: Candidate[] = releasesFromJsonl(text, currency).map(({ release: r, line }) => ({
    key: `release:${r.releaseId}`,
    releaseId: r.releaseId,
    artist: r.artist ?? "",
    title: r.title ?? "",
    artists: r.artists,
    labels: r.labels,
    genres: r.genres,
    styles: r.styles,
    year: r.year,
    country: r.country,
    formats: r.formats,
    have: r.have,
    want: r.want,
    lowestPrice: r.lowestPrice,
    currency: r.currency,
    masterId: r.masterId,
    catno: r.catalogNumbers[0] ?? null,
    credits: creditsOfBody(JSON.parse(lines[line - 1])),
  }));
  if (out.length === 0) throw new InputError(`${path}: no usable release bodies`);
  return out;
}
