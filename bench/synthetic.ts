/**
 * Seeded synthetic Discogs data for benchmarks: a collection export CSV in the standard
 * 13-column layout and the matching `GET /releases/{id}` bodies as JSONL. Distributions follow
 * real collections: log-normal have (median ~300), want correlated with have, log-normal prices
 * (median ~$15), Zipf-like artist and label popularity, and artists that stay within a home genre
 * and a few home styles, so collections have taste structure. Genres and styles are the real
 * Discogs taxonomy from `../shared/fixtures/pools/`.
 *
 * @example
 * ```ts
 * const { csvPath, jsonlPath } = await generateCollection({ records: 10_000, seed: 1, dir: "/tmp/x" });
 * ```
 *
 * @module
 */

import { join } from "node:path";
import { seededRandom as mulberry32 } from "../lib/embed/projection.ts";

/** The project's seeded PRNG (mulberry32), so synthetic data and models share one definition. */
export { mulberry32 };

/** A standard normal draw (Box–Muller). */
function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** A log-normal draw with the given median and log-space spread. */
export function logNormal(rng: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Index drawn from a Zipf-like distribution over n items (item 0 most popular). */
export function zipf(rng: () => number, n: number, exponent = 1.1): number {
  // Inverse-CDF of a continuous power law, good enough for popularity skew.
  const u = rng();
  const x = Math.pow(1 - u * (1 - Math.pow(n, 1 - exponent)), 1 / (1 - exponent));
  return Math.min(n - 1, Math.max(0, Math.floor(x) - 1));
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

const fixture = (path: string) => new URL(`../../shared/fixtures/pools/${path}`, import.meta.url);

async function readColumn(file: string): Promise<string[]> {
  const lines = (await Deno.readTextFile(fixture(file))).trim().split(/\r?\n/).slice(1);
  return lines.map((l) => l.replace(/^"|"$/g, "").replaceAll('""', '"')).filter(Boolean);
}

/** The Discogs taxonomy with each style given a home genre (seeded, since the files have none). */
export async function loadTaxonomy(
  seed = 7,
): Promise<{ genres: string[]; stylesByGenre: Map<string, string[]> }> {
  const genres = await readColumn("discogs_genres.csv");
  const styles = await readColumn("discogs_styles.csv");
  const rng = mulberry32(seed);
  const stylesByGenre = new Map(genres.map((g) => [g, [] as string[]]));
  for (const style of styles) stylesByGenre.get(pick(rng, genres))!.push(style);
  return { genres, stylesByGenre };
}

/** One synthetic artist: a home genre and 1–3 home styles. */
export interface SyntheticArtist {
  id: number;
  name: string;
  genre: string;
  styles: string[];
}

const SYLLABLES = [
  "ka",
  "ro",
  "mi",
  "dub",
  "zen",
  "lo",
  "tek",
  "na",
  "vi",
  "sha",
  "bass",
  "jun",
  "gle",
  "ra",
  "so",
];
const CONDITIONS = [
  "Mint (M)",
  "Near Mint (NM or M-)",
  "Very Good Plus (VG+)",
  "Very Good (VG)",
  "Good Plus (G+)",
];
const FORMATS = [
  ["Vinyl", ['12"', "33 ⅓ RPM"]],
  ["Vinyl", ["LP", "Album"]],
  ["Vinyl", ["LP", "Album", "RE"]],
  ["Vinyl", ['7"', "45 RPM", "Single"]],
  ["CD", ["Album"]],
  ["Vinyl", ['12"', "EP"]],
] as const;
const COUNTRIES = [
  "UK",
  "US",
  "Germany",
  "Jamaica",
  "France",
  "Netherlands",
  "Japan",
  "Italy",
  "Belgium",
  "Canada",
];

function name(rng: () => number, parts: number): string {
  let s = "";
  for (let i = 0; i < parts; i++) s += pick(rng, SYLLABLES);
  return s[0].toUpperCase() + s.slice(1);
}

/** Build artists and labels for a world of roughly `records` releases. */
export function makeWorld(
  rng: () => number,
  taxonomy: { genres: string[]; stylesByGenre: Map<string, string[]> },
  records: number,
): { artists: SyntheticArtist[]; labels: string[] } {
  const artistCount = Math.max(20, Math.round(records / 6));
  // A few genres dominate real collections: draw home genres Zipf-like too.
  const genreOrder = [...taxonomy.genres].sort(() => rng() - 0.5);
  const artists: SyntheticArtist[] = [];
  for (let i = 0; i < artistCount; i++) {
    const genre = genreOrder[zipf(rng, genreOrder.length, 1.3)];
    const pool = taxonomy.stylesByGenre.get(genre)!;
    const n = 1 + Math.floor(rng() * 3);
    const styles = [...new Set(Array.from({ length: n }, () => pool[zipf(rng, pool.length, 1.2)]))];
    const base = `${name(rng, 2)} ${name(rng, 2)}`;
    // About 4% of Discogs artist names carry a disambiguation suffix.
    artists.push({
      id: 100000 + i,
      name: rng() < 0.04 ? `${base} (${2 + Math.floor(rng() * 5)})` : base,
      genre,
      styles,
    });
  }
  const labels = Array.from(
    { length: Math.max(10, Math.round(records / 15)) },
    () => `${name(rng, 2)} Records`,
  );
  return { artists, labels };
}

/** A `GET /releases/{id}` body for a synthetic release. */
export function generateReleaseBody(
  rng: () => number,
  id: number,
  artist: SyntheticArtist,
  label: string,
  year: number,
): Record<string, unknown> {
  const have = Math.max(1, Math.round(logNormal(rng, 300, 1.4)));
  const want = Math.max(0, Math.round(have * logNormal(rng, 0.5, 0.9)));
  const price = rng() < 0.03 ? null : Math.round(logNormal(rng, 15, 0.9) * 100) / 100;
  const numForSale = price === null ? 0 : Math.max(1, Math.round(have * logNormal(rng, 0.02, 0.8)));
  const [formatName, descriptions] = pick(rng, FORMATS);
  const styles = artist.styles.filter(() => rng() < 0.85);
  const title = `${name(rng, 2)} ${name(rng, 3)}`;
  return {
    id,
    status: "Accepted",
    year,
    uri: `https://www.discogs.com/release/${id}`,
    artists: [{ name: artist.name, anv: "", join: "", id: artist.id }],
    labels: [{
      name: label,
      catno: `${label.slice(0, 3).toUpperCase()}${id % 1000}`,
      id: 5000 + (id % 997),
    }],
    formats: [{ name: formatName, qty: "1", descriptions: [...descriptions] }],
    community: {
      have,
      want,
      rating: { count: Math.round(have / 20), average: Math.round((3 + rng() * 2) * 100) / 100 },
    },
    num_for_sale: numForSale,
    lowest_price: price,
    master_id: rng() < 0.7 ? 900000 + Math.floor(id / 2) : 0,
    title,
    country: pick(rng, COUNTRIES),
    genres: [artist.genre],
    styles: styles.length > 0 ? styles : artist.styles.slice(0, 1),
    thumb: `https://i.discogs.com/synthetic/${id}-150.jpg`,
    images: [{
      type: "primary",
      uri: `https://i.discogs.com/synthetic/${id}.jpg`,
      uri150: `https://i.discogs.com/synthetic/${id}-150.jpg`,
    }],
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header of a standard Discogs collection export. */
export const EXPORT_HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes";

/** Options for {@link generateCollection}. */
export interface GenerateOptions {
  records: number;
  seed: number;
  dir: string;
}

/**
 * Write `collection.csv` (`records` rows, ~1% of releases owned twice) and `releases.jsonl`
 * (one body per distinct release) into `dir`.
 */
export async function generateCollection(
  options: GenerateOptions,
): Promise<{ csvPath: string; jsonlPath: string; releases: number }> {
  const rng = mulberry32(options.seed);
  const taxonomy = await loadTaxonomy();
  const { artists, labels } = makeWorld(rng, taxonomy, options.records);
  const csv: string[] = [EXPORT_HEADER];
  const jsonl: string[] = [];
  const owned: number[] = [];
  const lineOf = new Map<number, string>();
  let nextId = 1_000_000;
  while (csv.length - 1 < options.records) {
    const duplicate = owned.length > 0 && rng() < 0.01;
    const id = duplicate ? pick(rng, owned) : (nextId += 1 + Math.floor(rng() * 40));
    const artist = artists[zipf(rng, artists.length)];
    const label = labels[zipf(rng, labels.length)];
    const year = 1960 + Math.floor(rng() * 65);
    if (!duplicate) {
      owned.push(id);
      const body = generateReleaseBody(rng, id, artist, label, year);
      jsonl.push(JSON.stringify(body));
      const formats = (body.formats as { name: string; descriptions: string[] }[])[0];
      const added = new Date(Date.UTC(2010, 0, 1) + Math.floor(rng() * 15 * 365 * 86400) * 1000);
      const line = [
        `${label.slice(0, 3).toUpperCase()}${id % 1000}`,
        artist.name,
        String(body.title),
        label,
        [
          formats.name === "Vinyl" ? formats.descriptions[0] : formats.name,
          ...formats.descriptions.slice(1),
        ].join(", "),
        rng() < 0.1 ? String(1 + Math.floor(rng() * 5)) : "",
        rng() < 0.05 ? "0" : String(year),
        String(id),
        "Uncategorized",
        added.toISOString().replace("T", " ").slice(0, 19),
        rng() < 0.6 ? pick(rng, CONDITIONS) : "",
        rng() < 0.6 ? pick(rng, CONDITIONS) : "",
        rng() < 0.05 ? "bought at a record fair, " + name(rng, 2) : "",
      ].map(csvCell).join(",");
      lineOf.set(id, line);
      csv.push(line);
    } else {
      csv.push(lineOf.get(id)!);
    }
  }
  await Deno.mkdir(options.dir, { recursive: true });
  const csvPath = join(options.dir, "collection.csv");
  const jsonlPath = join(options.dir, "releases.jsonl");
  await Deno.writeTextFile(csvPath, csv.join("\n") + "\n");
  await Deno.writeTextFile(jsonlPath, jsonl.join("\n") + "\n");
  return { csvPath, jsonlPath, releases: jsonl.length };
}
