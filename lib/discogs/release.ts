/**
 * Turning one raw `GET /releases/{id}` body into the facts Next Spin uses. Bodies arrive from
 * the live API, from recordings, and from other people's tools — R and pandas re-serialisations
 * turn one-element arrays into scalars, nulls into `{}`, numbers into strings — so every field is
 * read defensively: a quirk is normalised, and only a body with no usable release id is rejected.
 *
 * @example
 * ```ts
 * const result = normalizeRelease(JSON.parse(line), "USD", new Date());
 * if ("release" in result) console.log(result.release.styles);
 * else console.warn(result.reject);
 * ```
 *
 * @module
 */

/** A release as stored in the `releases` table. */
export interface Release {
  releaseId: number;
  masterId: number | null;
  title: string | null;
  artists: string[];
  artist: string | null;
  year: number | null;
  country: string | null;
  genres: string[];
  styles: string[];
  labels: string[];
  catalogNumbers: string[];
  formats: string[];
  have: number | null;
  want: number | null;
  ratingAverage: number | null;
  ratingCount: number | null;
  lowestPrice: number | null;
  numForSale: number | null;
  currency: string;
  thumbnailUrl: string | null;
  coverUrl: string | null;
  discogsUrl: string;
  fetchedAt: Date;
}

/** A normalised release, or the reason the body cannot be used. */
export type NormalizeResult = { release: Release } | { reject: string };

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{}` (an R/pandas null) and `[]` count as absent. */
function isEmpty(value: Json): boolean {
  return value === null || value === undefined ||
    (isObject(value) && Object.keys(value).length === 0) ||
    (Array.isArray(value) && value.length === 0);
}

/** A one-element array stands for its element (R's scalar/array confusion). */
function unwrap(value: Json): Json {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

/** A list of things: arrays as they are, a scalar as a one-element list, absent as empty. */
export function asList(value: Json): Json[] {
  if (isEmpty(value)) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => !isEmpty(v));
}

/** A finite number from a number or a numeric string; anything else is null. */
export function asNumber(value: Json): number | null {
  const v = unwrap(value);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** A count: a non-negative whole number, or null. */
export function asCount(value: Json): number | null {
  const n = asNumber(value);
  return n !== null && n >= 0 && Number.isInteger(n) ? n : null;
}

/** A trimmed non-empty string (numbers are written out), or null. */
export function asText(value: Json): string | null {
  const v = unwrap(value);
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

function texts(value: Json): string[] {
  return asList(value).map(asText).filter((t): t is string => t !== null);
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Discogs' disambiguation suffix: `Dillinja (2)` → `Dillinja`; ANV marker `Name*` → `Name`. */
export function withoutDiscogsSuffix(name: string): string {
  return name.replace(/ \(\d+\)$/, "").replace(/\*$/, "");
}

function artistsOf(body: Record<string, Json>): { names: string[]; display: string | null } {
  const entries = asList(body.artists).map((a) => (isObject(a) ? a : { name: a }));
  const names = entries.map((a) => asText(a.name)).filter((n): n is string => n !== null)
    .map(withoutDiscogsSuffix);
  let display = "";
  entries.forEach((a, i) => {
    const name = asText(a.name);
    if (name === null) return;
    display += withoutDiscogsSuffix(name);
    if (i < entries.length - 1) {
      const join = asText(a.join);
      display += join === null || join === "," ? ", " : ` ${join} `;
    }
  });
  return { names, display: display.trim() || asText(body.artists_sort) };
}

function formatsOf(body: Record<string, Json>): string[] {
  return asList(body.formats).filter(isObject).map((f) => {
    const qty = asCount(f.qty);
    const name = asText(f.name);
    const parts = [
      name && qty !== null && qty > 1 ? `${qty}×${name}` : name,
      ...texts(f.descriptions),
      asText(f.text),
    ];
    return parts.filter((p): p is string => p !== null).join(", ");
  }).filter((f) => f !== "");
}

function imagesOf(body: Record<string, Json>): { thumbnail: string | null; cover: string | null } {
  const images = asList(body.images).filter(isObject);
  const primary = images.find((i) => asText(i.type) === "primary") ?? images[0];
  return {
    thumbnail: asText(body.thumb) ??
      (primary ? asText(primary.uri150) ?? asText(primary.uri) : null),
    cover: primary ? asText(primary.uri) ?? asText(primary.resource_url) : asText(body.cover_image),
  };
}

/**
 * Normalise one release body. `currency` is the currency its prices were requested in
 * (`curr_abbr`), `fetchedAt` when the body was fetched or recorded.
 */
export function normalizeRelease(body: Json, currency: string, fetchedAt: Date): NormalizeResult {
  if (!isObject(body)) return { reject: "not a JSON object" };
  const releaseId = asCount(body.id);
  if (releaseId === null || releaseId === 0) {
    return {
      reject: body.id === undefined
        ? 'no "id" field'
        : `"id" ${JSON.stringify(body.id)} is not a release id`,
    };
  }
  const community = isObject(body.community) ? body.community : {};
  const rating = isObject(community.rating) ? community.rating : {};
  const labels = asList(body.labels).filter(isObject);
  const { names, display } = artistsOf(body);
  const { thumbnail, cover } = imagesOf(body);
  const masterId = asCount(body.master_id);
  const year = asCount(body.year);
  const lowestPrice = asNumber(body.lowest_price);
  return {
    release: {
      releaseId,
      masterId: masterId === 0 ? null : masterId,
      title: asText(body.title),
      artists: names,
      artist: display,
      year: year === 0 ? null : year,
      country: asText(body.country),
      genres: distinct(texts(body.genres)),
      styles: distinct(texts(body.styles)),
      labels: distinct(
        labels.map((l) => asText(l.name)).filter((n): n is string => n !== null).map(
          withoutDiscogsSuffix,
        ),
      ),
      catalogNumbers: distinct(
        labels.map((l) => asText(l.catno)).filter((c): c is string =>
          c !== null && c.toLowerCase() !== "none"
        ),
      ),
      formats: formatsOf(body),
      have: asCount(community.have),
      want: asCount(community.want),
      ratingAverage: asNumber(rating.average),
      ratingCount: asCount(rating.count),
      lowestPrice: lowestPrice !== null && lowestPrice >= 0 ? lowestPrice : null,
      numForSale: asCount(body.num_for_sale),
      currency,
      thumbnailUrl: thumbnail,
      coverUrl: cover,
      discogsUrl: asText(body.uri) ?? `https://www.discogs.com/release/${releaseId}`,
      fetchedAt,
    },
  };
}

/**
 * Normalised releases from JSONL text (one `GET /releases/{id}` body per line), with their
 * 1-based line numbers; lines that are blank, not JSON or not usable are skipped.
 */
export function releasesFromJsonl(
  text: string,
  currency: string,
  fetchedAt = new Date(),
): { release: Release; line: number }[] {
  const out: { release: Release; line: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return;
    }
    const result = normalizeRelease(body, currency, fetchedAt);
    if ("release" in result) out.push({ release: result.release, line: i + 1 });
  });
  return out;
}
