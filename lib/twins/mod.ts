/**
 * Twin crate diggers: which other collections are most like yours (weighing rare shared records
 * over common ones, see `similarity.ts`), what the closest of them own that you do not (twin
 * picks) and what you could trade both ways (their wantlist against your shelves, your wantlist
 * against theirs, by master so any pressing matches).
 *
 * Tables: `twin_collections` (their lists), `twin_sources` (who was compared or skipped and
 * why), `twins`, `twin_picks`, `trades`. Twin picks also become pool candidates (source
 * `twins`) and a recommendation list (`twin_pick`) served and priced like the others.
 *
 * @example
 * ```ts
 * const community = await gatherCommunity(db, { names: [], files: [], dirs: ["exports/"] });
 * const summary = await buildTwins(db, community, { offline: true });
 * console.log(summary.twins[0].reason);
 * ```
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import { cachedGet } from "../discogs/cached_get.ts";
import { DEFAULT_CURRENCY, releaseKey } from "../discogs/cache.ts";
import type { DiscogsClient } from "../discogs/client.ts";
import { normalizeRelease } from "../discogs/release.ts";
import type { ReleaseFeatures } from "../embed/features.ts";
import { InputError } from "../errors.ts";
import { PRICE_MAX_AGE_MS } from "../pool/shortlist.ts";
import { describeToken } from "../recommend/explain.ts";
import { meanSd } from "../recommend/lists.ts";
import { fitTaste, tasteFit } from "../recommend/taste.ts";
import { valueScore } from "../score/formulas.ts";
import { formatCount, formatPrice } from "../score/why.ts";
import { type Community, TWIN_COLLECTIONS_DDL, TWIN_SOURCES_DDL } from "./community.ts";
import { artistKeys, artistParts, foldName, labelKeys, masterKeys } from "./keys.ts";
import { compareCollections, type Comparison, type Holding, RARE_HAVE } from "./similarity.ts";

export * from "./community.ts";
export * from "./keys.ts";
export * from "./similarity.ts";

/** Twins whose collections make twin picks: the closest few, not everyone who shares a label. */
export const PICK_TWINS = 10;

/** A collection this close or closer is a twin worth taking picks from. */
export const MIN_TWIN_SIMILARITY = 0.005;

/**
 * The twin-pick blend: closeness × count of the owning twins leads, taste fit to your shelves
 * and value refine (each a z-score over the picks; an unknown value counts as the average).
 */
export const PICK_WEIGHTS = { support: 1, taste: 0.5, value: 0.25 } as const;

/** One record of any list, with the facts the comparison and the picks use. */
export interface TwinRecord {
  collection: string;
  list: "collection" | "wantlist";
  releaseId: number;
  masterId: number | null;
  masterKey: string;
  artist: string | null;
  title: string | null;
  label: string | null;
  format: string | null;
  year: number | null;
  country: string | null;
  genres: string[];
  styles: string[];
  have: number | null;
  want: number | null;
  lowestPrice: number | null;
  numForSale: number | null;
  currency: string | null;
  thumbnailUrl: string | null;
  mediaCondition: string | null;
  sleeveCondition: string | null;
}

/** Your own lists are `collection = YOU`. */
export const YOU = "\u0000you";

const FACT_SOURCES: Record<string, string> = {
  releases: `SELECT release_id, master_id, have, want, lowest_price, num_for_sale, currency,
    genres, styles, year, country, thumbnail_url, 1 AS prio FROM releases`,
  release_info: `SELECT release_id, master_id, NULL::INTEGER, NULL::INTEGER, NULL::DOUBLE,
    NULL::INTEGER, NULL::VARCHAR, genres, styles, year, NULL::VARCHAR, thumbnail_url, 2
    FROM release_info`,
  pool: `SELECT release_id, master_id, have, want, lowest_price, num_for_sale, currency,
    genres, styles, year, country, thumbnail_url, 3 FROM pool WHERE release_id IS NOT NULL`,
};

/** What the workspace knows of each release (enriched first, then imports, then the pool). */
async function factsTable(db: Database): Promise<void> {
  const parts: string[] = [];
  for (const [table, sql] of Object.entries(FACT_SOURCES)) {
    if (await db.tableExists(table)) parts.push(sql);
  }
  parts.push(`SELECT NULL::BIGINT, NULL::BIGINT, NULL::INTEGER, NULL::INTEGER, NULL::DOUBLE,
    NULL::INTEGER, NULL::VARCHAR, []::VARCHAR[], []::VARCHAR[], NULL::INTEGER, NULL::VARCHAR,
    NULL::VARCHAR, 9`);
  await db.run(`CREATE OR REPLACE TEMP TABLE twin_facts AS
    WITH f (release_id, master_id, have, want, lowest_price, num_for_sale, currency, genres,
            styles, year, country, thumbnail_url, prio) AS (${parts.join(" UNION ALL ")})
    SELECT release_id,
      first(master_id ORDER BY prio) FILTER (WHERE master_id IS NOT NULL AND master_id > 0)
        AS master_id,
      first(have ORDER BY prio) FILTER (WHERE have IS NOT NULL) AS have,
      first(want ORDER BY prio) FILTER (WHERE want IS NOT NULL) AS want,
      first(lowest_price ORDER BY prio) FILTER (WHERE lowest_price IS NOT NULL) AS lowest_price,
      first(num_for_sale ORDER BY prio) FILTER (WHERE num_for_sale IS NOT NULL) AS num_for_sale,
      first(currency ORDER BY prio) FILTER (WHERE currency IS NOT NULL) AS currency,
      first(genres ORDER BY prio) FILTER (WHERE len(genres) > 0) AS genres,
      first(styles ORDER BY prio) FILTER (WHERE len(styles) > 0) AS styles,
      first(year ORDER BY prio) FILTER (WHERE year IS NOT NULL) AS year,
      first(country ORDER BY prio) FILTER (WHERE country IS NOT NULL) AS country,
      first(thumbnail_url ORDER BY prio) FILTER (WHERE thumbnail_url IS NOT NULL) AS thumbnail_url
    FROM f WHERE release_id IS NOT NULL GROUP BY release_id`);
}

type Row = Record<string, unknown>;

const RECORD_COLUMNS = `l.release_id, coalesce(l.master_id, f.master_id) AS master_id,
  coalesce(l.artist_display, l.artist) AS artist, l.title, l.label, l.format,
  coalesce(l.released_year, f.year) AS year, f.country,
  coalesce(f.genres, l.genres, []::VARCHAR[]) AS genres,
  coalesce(f.styles, l.styles, []::VARCHAR[]) AS styles,
  f.have, f.want, f.lowest_price, f.num_for_sale, f.currency, f.thumbnail_url,
  l.media_condition, l.sleeve_condition`;

function toRecord(r: Row, collection: string, list: "collection" | "wantlist") {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    collection,
    list,
    releaseId: Number(r.release_id),
    masterId: num(r.master_id),
    masterKey: "",
    artist: (r.artist as string) ?? null,
    title: (r.title as string) ?? null,
    label: (r.label as string) ?? null,
    format: (r.format as string) ?? null,
    year: num(r.year),
    country: (r.country as string) ?? null,
    genres: (r.genres as string[]) ?? [],
    styles: (r.styles as string[]) ?? [],
    have: num(r.have),
    want: num(r.want),
    lowestPrice: num(r.lowest_price),
    numForSale: num(r.num_for_sale),
    currency: (r.currency as string) ?? null,
    thumbnailUrl: (r.thumbnail_url as string) ?? null,
    mediaCondition: (r.media_condition as string) ?? null,
    sleeveCondition: (r.sleeve_condition as string) ?? null,
  } satisfies TwinRecord;
}

/** Every list's records (yours as {@link YOU}), with master keys resolved across all of them. */
export async function loadRecords(db: Database): Promise<TwinRecord[]> {
  if (!(await db.tableExists("collection"))) {
    throw new InputError(
      `the workspace ${db.path} has no \`collection\` table yet: run \`deno task ingest\` ` +
        "with your own collection first (twins are compared with it)",
    );
  }
  await factsTable(db);
  const records: TwinRecord[] = [];
  const noConditions = "NULL::VARCHAR AS media_condition, NULL::VARCHAR AS sleeve_condition";
  const own = await db.all<Row>(`SELECT ${RECORD_COLUMNS} FROM (
      SELECT release_id, NULL::BIGINT AS master_id, artist, artist_display, title, label,
        format, released_year, NULL::VARCHAR[] AS genres, NULL::VARCHAR[] AS styles,
        media_condition, sleeve_condition, source_line FROM collection) l
    LEFT JOIN twin_facts f USING (release_id) ORDER BY l.source_line, l.release_id`);
  records.push(...own.map((r) => toRecord(r, YOU, "collection")));
  if (await db.tableExists("wantlist")) {
    const wants = await db.all<Row>(`SELECT ${RECORD_COLUMNS} FROM (
        SELECT release_id, NULL::BIGINT AS master_id, artist, artist_display, title, label,
          format, released_year, NULL::VARCHAR[] AS genres, NULL::VARCHAR[] AS styles,
          ${noConditions}, source_line FROM wantlist) l
      LEFT JOIN twin_facts f USING (release_id) ORDER BY l.source_line, l.release_id`);
    records.push(...wants.map((r) => toRecord(r, YOU, "wantlist")));
  }
  if (await db.tableExists("twin_collections")) {
    const theirs = await db.all<Row>(`SELECT l.collection, l.list, ${RECORD_COLUMNS}
      FROM twin_collections l LEFT JOIN twin_facts f USING (release_id)
      ORDER BY l.collection, l.list, l.source_line, l.release_id`);
    records.push(
      ...theirs.map((r) => toRecord(r, r.collection as string, r.list as "collection")),
    );
  }
  await db.run("DROP TABLE IF EXISTS twin_facts");
  const keys = masterKeys(records);
  records.forEach((r, i) => (r.masterKey = keys[i]));
  return records;
}

/** A record as a similarity {@link Holding}. */
export function holdingOf(r: TwinRecord): Holding {
  return {
    releaseId: r.releaseId,
    masterKey: r.masterKey,
    artists: artistKeys(r.artist),
    labels: labelKeys(r.label),
  };
}

/** Discogs haves by release and by master key, from what the workspace knows. */
export function rarityOf(records: readonly TwinRecord[]) {
  const have = new Map<number, number>();
  const masterHave = new Map<string, number>();
  for (const r of records) {
    if (r.have === null) continue;
    have.set(r.releaseId, r.have);
    masterHave.set(r.masterKey, Math.max(masterHave.get(r.masterKey) ?? 0, r.have));
  }
  return { have, masterHave };
}

/** Compare your collection with every other collection among `records`. */
export function compareAll(records: readonly TwinRecord[]): Comparison[] {
  const owned = (name: string) =>
    records.filter((r) => r.collection === name && r.list === "collection").map(holdingOf);
  const names = [
    ...new Set(
      records.filter((r) => r.collection !== YOU && r.list === "collection")
        .map((r) => r.collection),
    ),
  ].sort();
  return compareCollections(
    owned(YOU),
    names.map((name) => ({ name, holdings: owned(name) })),
    rarityOf(records),
  );
}

/** One row of the `twins` table. */
export interface TwinRow {
  rank: number;
  collection: string;
  source: string;
  similarity: number;
  release_similarity: number;
  master_similarity: number;
  artist_similarity: number;
  label_similarity: number;
  records: number;
  shared: number;
  shared_rare: number;
  shared_artists: number;
  shared_labels: number;
  rare_examples: string[];
  shelves: string[];
  picks: number;
  offers: number;
  asks: number;
  reason: string;
}

const titled = (r: { artist: string | null; title: string | null }) =>
  `${r.artist ?? "?"} — ${r.title ?? "?"}`;

/** "you both own 12 records fewer than 200 people have, e.g. …; 30 records in common, …". */
function reasonOf(
  c: Comparison,
  mine: Map<string, TwinRecord>,
  names: {
    artists: Map<string, string>;
    labels: Map<string, string>;
    /** How many of your records each artist and label key has. */
    owned: Map<string, number>;
  },
  shelves: string[],
): { reason: string; examples: string[] } {
  const parts: string[] = [];
  const rare = c.shared.master.filter((x) => x.have !== null && x.have < RARE_HAVE);
  const examples = (rare.length > 0 ? rare : c.shared.master).slice(0, 3).map((x) => {
    const r = mine.get(x.key);
    return r ? `${titled(r)}${x.have !== null ? ` (${formatCount(x.have)} have)` : ""}` : x.key;
  });
  if (rare.length > 0) {
    parts.push(
      `you both own ${rare.length} record${rare.length === 1 ? "" : "s"} fewer than ${RARE_HAVE} ` +
        `people have, e.g. ${examples.join("; ")}`,
    );
  } else if (c.sharedRecords > 0) {
    parts.push(
      `you both own ${c.sharedRecords} record${c.sharedRecords === 1 ? "" : "s"}, the rarest ` +
        examples.join("; "),
    );
  }
  if (c.sharedRecords > 0 && rare.length > 0 && c.sharedRecords > rare.length) {
    parts.push(`${c.sharedRecords} records in common in all`);
  }
  // The rarest first; among equally rare ones, those you own most records of.
  const top = (items: { key: string; weight: number }[], map: Map<string, string>) =>
    [...items].sort((a, b) =>
      b.weight - a.weight || (names.owned.get(b.key) ?? 0) - (names.owned.get(a.key) ?? 0) ||
      (a.key < b.key ? -1 : 1)
    ).slice(0, 3).map((x) => map.get(x.key) ?? x.key).join(", ");
  if (c.shared.artist.length > 0) {
    parts.push(
      `${c.shared.artist.length} artist${c.shared.artist.length === 1 ? "" : "s"} in common ` +
        `(${top(c.shared.artist, names.artists)})`,
    );
  }
  if (c.shared.label.length > 0) {
    parts.push(
      `${c.shared.label.length} label${c.shared.label.length === 1 ? "" : "s"} ` +
        `(${top(c.shared.label, names.labels)})`,
    );
  }
  if (shelves.length > 0) parts.push(`shelves you share: ${shelves.join(", ")}`);
  return { reason: parts.join("; ") || "nothing in common", examples };
}

/**
 * Your shelves the shared records sit on: the recommend stage's taste shelves when stored
 * (`shelf_members`), else the styles of the shared records. Strongest first, with counts.
 */
async function sharedShelves(
  db: Database,
  records: readonly TwinRecord[],
  comparisons: readonly Comparison[],
): Promise<Map<string, string[]>> {
  const mine = records.filter((r) => r.collection === YOU && r.list === "collection");
  let shelfOf = new Map<number, string>();
  if ((await db.tableExists("shelf_members")) && (await db.tableExists("shelves"))) {
    const rows = await db.all<{ release_id: number; name: string }>(
      "SELECT m.release_id, s.name FROM shelf_members m JOIN shelves s USING (shelf_id)",
    );
    shelfOf = new Map(rows.map((r) => [Number(r.release_id), r.name]));
  }
  const out = new Map<string, string[]>();
  for (const c of comparisons) {
    const shared = new Set(c.shared.master.map((x) => x.key));
    const counts = new Map<string, number>();
    for (const r of mine) {
      if (!shared.has(r.masterKey)) continue;
      const names = shelfOf.size > 0
        ? [shelfOf.get(r.releaseId)].filter((s): s is string => !!s)
        : r.styles.slice(0, 2);
      for (const s of names) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    out.set(
      c.name,
      [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3)
        .map(([s, n]) => `${s} (${n})`),
    );
  }
  return out;
}

/** One "they have, you don't" record. */
export interface TwinPick {
  rank: number;
  releaseId: number;
  masterKey: string;
  record: TwinRecord;
  /** Σ similarity of the twins owning it (closeness × count). */
  support: number;
  owners: string[];
  taste: number;
  value: number | null;
  score: number;
  why: string;
}

/** Features of a record for the taste profile (the same fields the recommenders use). */
function featuresOf(r: TwinRecord, key: string): ReleaseFeatures {
  return {
    key,
    artists: r.artist ? [r.artist] : [],
    labels: r.label ? r.label.split(/,\s+/) : [],
    genres: r.genres,
    styles: r.styles,
    year: r.year,
    country: r.country,
    formats: r.format ? [r.format] : [],
  };
}

/**
 * Records the closest twins own that you do not (not the release, not any pressing of its
 * master), with their support: Σ over owning twins of their similarity.
 */
export function twinSupport(
  records: readonly TwinRecord[],
  comparisons: readonly Comparison[],
  twins = PICK_TWINS,
): { record: TwinRecord; support: number; owners: string[] }[] {
  const close = comparisons.filter((c) => c.similarity >= MIN_TWIN_SIMILARITY).slice(0, twins);
  const sim = new Map(close.map((c) => [c.name, c.similarity]));
  const owned = records.filter((r) => r.collection === YOU && r.list === "collection");
  const ownedReleases = new Set(owned.map((r) => r.releaseId));
  const ownedMasters = new Set(owned.map((r) => r.masterKey));
  const byMaster = new Map<
    string,
    { record: TwinRecord; owners: Set<string>; counts: Map<number, number> }
  >();
  for (const r of records) {
    if (r.list !== "collection" || !sim.has(r.collection)) continue;
    if (ownedReleases.has(r.releaseId) || ownedMasters.has(r.masterKey)) continue;
    const entry = byMaster.get(r.masterKey) ??
      { record: r, owners: new Set<string>(), counts: new Map<number, number>() };
    entry.owners.add(r.collection);
    entry.counts.set(r.releaseId, (entry.counts.get(r.releaseId) ?? 0) + 1);
    // The pressing most of them own stands for the album (ties: the one with market data).
    const best = entry.counts.get(entry.record.releaseId) ?? 0;
    const mine = entry.counts.get(r.releaseId)!;
    if (mine > best || (mine === best && entry.record.have === null && r.have !== null)) {
      entry.record = r;
    }
    byMaster.set(r.masterKey, entry);
  }
  return [...byMaster.values()].map((e) => {
    const owners = [...e.owners].sort((a, b) => sim.get(b)! - sim.get(a)! || (a < b ? -1 : 1));
    return {
      record: e.record,
      support: owners.reduce((s, o) => s + sim.get(o)!, 0),
      owners,
    };
  });
}

/** Rank twin picks: support, taste fit to your collection, value (see {@link PICK_WEIGHTS}). */
export function rankTwinPicks(
  records: readonly TwinRecord[],
  supported: ReturnType<typeof twinSupport>,
  similarity: ReadonlyMap<string, number>,
): TwinPick[] {
  const mine = records.filter((r) => r.collection === YOU && r.list === "collection")
    .map((r) => featuresOf(r, `release:${r.releaseId}`));
  const picks = supported.map((s) => featuresOf(s.record, `release:${s.record.releaseId}`));
  const profile = fitTaste(mine, [...mine, ...picks]);
  const fits = picks.map((p) => tasteFit(profile, p));
  const logSupport = supported.map((s) => Math.log(s.support));
  const values = supported.map((s) => {
    const r = s.record;
    if (r.have === null || r.want === null) return null;
    return Math.log(
      valueScore({ want: r.want, have: r.have, lowestPrice: r.lowestPrice, numForSale: null }, 1) +
        1e-6,
    );
  });
  const known = values.filter((v): v is number => v !== null);
  const zs = meanSd(logSupport);
  const zt = meanSd(fits.map((f) => f.score));
  const zv = meanSd(known.length > 0 ? known : [0]);
  const out = supported.map((s, i): TwinPick => {
    const v = values[i];
    const score = PICK_WEIGHTS.support * (logSupport[i] - zs.mean) / zs.sd +
      PICK_WEIGHTS.taste * (fits[i].score - zt.mean) / zt.sd +
      (v === null ? 0 : PICK_WEIGHTS.value * (v - zv.mean) / zv.sd);
    const r = s.record;
    const owners = s.owners.slice(0, 3).map((o) =>
      `${o} (similarity ${(similarity.get(o) ?? 0).toFixed(2)})`
    );
    const fit = fits[i].matches.filter((m) => (profile.collection.get(m.token) ?? 0) > 0)
      .slice(0, 3).map((m) => describeToken(m.token));
    const market: string[] = [];
    if (r.want !== null && r.have !== null) {
      market.push(`${formatCount(r.want)} want / ${formatCount(r.have)} have`);
    }
    if (r.lowestPrice !== null) market.push(`from ${formatPrice(r.lowestPrice, r.currency)}`);
    else if (r.numForSale === 0) market.push("none for sale");
    const why =
      `owned by ${s.owners.length === 1 ? "your twin" : `${s.owners.length} of your twins`} ` +
      owners.join(", ") + (s.owners.length > 3 ? ` and ${s.owners.length - 3} more` : "") +
      (fit.length ? `; fits your taste: ${fit.join(", ")}` : "") +
      (market.length ? `; ${market.join(", ")}` : "");
    return {
      rank: 0,
      releaseId: r.releaseId,
      masterKey: r.masterKey,
      record: r,
      support: s.support,
      owners: s.owners,
      taste: fits[i].score,
      value: v,
      score,
      why,
    };
  });
  out.sort((a, b) => b.score - a.score || a.releaseId - b.releaseId);
  out.forEach((p, i) => (p.rank = i + 1));
  return out;
}

/** One row of the `trades` table. */
export interface TradeRow {
  collection: string;
  /** `offer`: they want what you own; `ask`: you want what they own. */
  direction: "offer" | "ask";
  master_key: string;
  artist: string | null;
  title: string | null;
  wanted_release_id: number;
  owned_release_id: number;
  same_pressing: boolean;
  owned_format: string | null;
  media_condition: string | null;
  sleeve_condition: string | null;
  why: string;
}

function conditionText(r: TwinRecord): string {
  const parts = [
    r.mediaCondition ? `media ${r.mediaCondition}` : null,
    r.sleeveCondition ? `sleeve ${r.sleeveCondition}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/**
 * Trades both ways, by master so any pressing matches: their wantlist against your collection
 * (what you could offer) and your wantlist against their collection (what to ask for), with
 * the conditions of the copy that would change hands where the export carries them.
 */
export function tradesOf(records: readonly TwinRecord[], order: readonly string[]): TradeRow[] {
  const at = (c: string, l: "collection" | "wantlist") =>
    records.filter((r) => r.collection === c && r.list === l);
  const byMaster = (rs: TwinRecord[]) => {
    const m = new Map<string, TwinRecord[]>();
    for (const r of rs) m.set(r.masterKey, [...(m.get(r.masterKey) ?? []), r]);
    return m;
  };
  const mine = byMaster(at(YOU, "collection"));
  const myWants = at(YOU, "wantlist");
  const others = [...new Set(records.map((r) => r.collection).filter((c) => c !== YOU))];
  others.sort((a, b) =>
    (order.indexOf(a) < 0 ? 1e9 : order.indexOf(a)) -
      (order.indexOf(b) < 0 ? 1e9 : order.indexOf(b)) || (a < b ? -1 : 1)
  );
  const out: TradeRow[] = [];
  const row = (
    collection: string,
    direction: "offer" | "ask",
    wanted: TwinRecord,
    copies: TwinRecord[],
  ) => {
    const copy = copies.find((c) => c.releaseId === wanted.releaseId) ?? copies[0];
    const same = copy.releaseId === wanted.releaseId;
    const pressing = same
      ? "the same pressing"
      : `another pressing${copy.format ? ` (${copy.format})` : ""}`;
    out.push({
      collection,
      direction,
      master_key: wanted.masterKey,
      artist: wanted.artist ?? copy.artist,
      title: wanted.title ?? copy.title,
      wanted_release_id: wanted.releaseId,
      owned_release_id: copy.releaseId,
      same_pressing: same,
      owned_format: copy.format,
      media_condition: copy.mediaCondition,
      sleeve_condition: copy.sleeveCondition,
      why: direction === "offer"
        ? `${collection} wants ${titled(wanted)}; you own ${pressing}${conditionText(copy)}`
        : `you want ${titled(wanted)}; ${collection} owns ${pressing}${conditionText(copy)}`,
    });
  };
  for (const c of others) {
    for (const w of at(c, "wantlist")) {
      const copies = mine.get(w.masterKey);
      if (copies) row(c, "offer", w, copies);
    }
    const theirs = byMaster(at(c, "collection"));
    for (const w of myWants) {
      const copies = theirs.get(w.masterKey);
      if (copies) row(c, "ask", w, copies);
    }
  }
  return out;
}

/** Options for {@link buildTwins}. */
export interface TwinsOptions {
  offline: boolean;
  client?: DiscogsClient;
  /** Requests left for pricing the best picks (cached answers are free). */
  priceBudget?: number;
  /** How many of the best picks to price (default 25). */
  priceTop?: number;
  currency?: string;
  info?: (message: string) => void;
}

/** What {@link buildTwins} wrote. */
export interface TwinsSummary {
  twins: TwinRow[];
  picks: TwinPick[];
  trades: TradeRow[];
  skipped: { collection: string; reason: string }[];
  priced: number;
  requests: number;
  tables: Record<string, number>;
}

/** Price the best picks from `GET /releases/{id}` (cached 7 days, like the shortlist). */
async function pricePicks(
  db: Database,
  picks: TwinPick[],
  options: TwinsOptions,
): Promise<{ priced: number; requests: number; dropped: Set<number> }> {
  const currency = options.currency ?? DEFAULT_CURRENCY;
  const budget = options.priceBudget ?? 0;
  let requests = 0;
  let priced = 0;
  const dropped = new Set<number>();
  for (const p of picks.slice(0, options.priceTop ?? 25)) {
    const got = await cachedGet(db, releaseKey(p.releaseId, currency), {
      client: options.offline ? undefined : options.client,
      offline: options.offline,
      maxAgeMs: PRICE_MAX_AGE_MS,
      mayFetch: requests < budget,
    });
    if (got.requested) requests++;
    if (got.status === 404) dropped.add(p.releaseId);
    if (got.status !== 200 || got.body === null) continue;
    const result = normalizeRelease(JSON.parse(got.body), currency, new Date());
    if ("reject" in result) continue;
    const r = result.release;
    Object.assign(p.record, {
      have: r.have ?? p.record.have,
      want: r.want ?? p.record.want,
      lowestPrice: r.lowestPrice,
      numForSale: r.numForSale,
      currency: r.currency ?? currency,
      genres: r.genres.length > 0 ? r.genres : p.record.genres,
      styles: r.styles.length > 0 ? r.styles : p.record.styles,
      year: r.year ?? p.record.year,
      country: r.country ?? p.record.country,
      thumbnailUrl: r.thumbnailUrl ?? p.record.thumbnailUrl,
      masterId: r.masterId ?? p.record.masterId,
    });
    priced++;
  }
  return { priced, requests, dropped };
}

/**
 * Write the community (`twin_collections`, `twin_sources`), then compare, pick and match
 * trades, and write `twins`, `twin_picks` and `trades`, each table swapped in atomically.
 */
export async function buildTwins(
  db: Database,
  community: Community,
  options: TwinsOptions,
): Promise<TwinsSummary> {
  // The community first: every later step reads it with the workspace's release facts.
  await db.run(`CREATE OR REPLACE TEMP TABLE twin_collections_new (${TWIN_COLLECTIONS_DDL})`);
  await db.insertRows("twin_collections_new", community.rows);
  await db.run(`CREATE OR REPLACE TEMP TABLE twin_sources_new (${TWIN_SOURCES_DDL})`);
  await db.insertRows("twin_sources_new", community.sources);
  const tables: Record<string, number> = {};
  tables.twin_collections = await db.replaceTable(
    "twin_collections",
    "SELECT * FROM twin_collections_new",
  );
  tables.twin_sources = await db.replaceTable("twin_sources", "SELECT * FROM twin_sources_new");
  await db.run("DROP TABLE IF EXISTS twin_collections_new; DROP TABLE IF EXISTS twin_sources_new");

  const records = await loadRecords(db);
  let comparisons = compareAll(records);
  const similarity = new Map(comparisons.map((c) => [c.name, c.similarity]));
  let picks = rankTwinPicks(records, twinSupport(records, comparisons), similarity);
  const pricing = await pricePicks(db, picks, options);
  // A priced pick may turn out to be a pressing of an album you own (its master id was unknown).
  const ownedMasters = new Set(
    records.filter((r) => r.collection === YOU && r.list === "collection" && r.masterId !== null)
      .map((r) => r.masterId),
  );
  const kept = picks.filter((p) =>
    !pricing.dropped.has(p.releaseId) &&
    !(p.record.masterId !== null && ownedMasters.has(p.record.masterId))
  );
  if (pricing.priced > 0 || kept.length < picks.length) {
    picks = rankTwinPicks(
      records,
      kept.map((p) => ({ record: p.record, support: p.support, owners: p.owners })),
      similarity,
    );
  }
  const sources = new Map(community.sources.map((s) => [s.collection, s.source]));
  const trades = tradesOf(records, comparisons.map((c) => c.name));
  const mine = new Map<string, TwinRecord>();
  for (const r of records) {
    if (r.collection === YOU && r.list === "collection" && !mine.has(r.masterKey)) {
      mine.set(r.masterKey, r);
    }
  }
  const artists = new Map<string, string>();
  const labels = new Map<string, string>();
  const ownedCounts = new Map<string, number>();
  for (const r of records.filter((r) => r.collection === YOU)) {
    if (r.list === "collection") {
      for (const k of [...artistKeys(r.artist), ...labelKeys(r.label)]) {
        ownedCounts.set(k, (ownedCounts.get(k) ?? 0) + 1);
      }
    }
    for (const { key, name } of artistParts(r.artist)) {
      if (!artists.has(key)) artists.set(key, name);
    }
    for (const l of (r.label ?? "").split(/,\s+/)) {
      const key = foldName(l);
      if (key && !labels.has(key)) labels.set(key, l);
    }
  }
  const shelves = await sharedShelves(db, records, comparisons);
  comparisons = comparisons.filter((c) => c.records > 0);
  const twins = comparisons.map((c, i): TwinRow => {
    const { reason, examples } = reasonOf(
      c,
      mine,
      { artists, labels, owned: ownedCounts },
      shelves.get(c.name) ?? [],
    );
    return {
      rank: i + 1,
      collection: c.name,
      source: sources.get(c.name) ?? "",
      similarity: c.similarity,
      release_similarity: c.components.release,
      master_similarity: c.components.master,
      artist_similarity: c.components.artist,
      label_similarity: c.components.label,
      records: c.records,
      shared: c.sharedRecords,
      shared_rare: c.sharedRare,
      shared_artists: c.shared.artist.length,
      shared_labels: c.shared.label.length,
      rare_examples: examples,
      shelves: shelves.get(c.name) ?? [],
      picks: picks.filter((p) => p.owners.includes(c.name)).length,
      offers: trades.filter((t) => t.collection === c.name && t.direction === "offer").length,
      asks: trades.filter((t) => t.collection === c.name && t.direction === "ask").length,
      reason,
    };
  });
  tables.twins = await writeRows(db, "twins", TWINS_DDL, twins);
  tables.twin_picks = await writeRows(db, "twin_picks", TWIN_PICKS_DDL, picks.map(pickRow));
  tables.trades = await writeRows(db, "trades", TRADES_DDL, trades);
  const skipped = community.sources.filter((s) => s.status === "skipped")
    .map((s) => ({ collection: s.collection, reason: s.reason ?? "" }));
  return {
    twins,
    picks,
    trades,
    skipped,
    priced: pricing.priced,
    requests: pricing.requests,
    tables,
  };
}

const TWINS_DDL = `rank INTEGER, collection VARCHAR, source VARCHAR, similarity DOUBLE,
  release_similarity DOUBLE, master_similarity DOUBLE, artist_similarity DOUBLE,
  label_similarity DOUBLE, records INTEGER, shared INTEGER, shared_rare INTEGER,
  shared_artists INTEGER, shared_labels INTEGER, rare_examples VARCHAR[], shelves VARCHAR[],
  picks INTEGER, offers INTEGER, asks INTEGER, reason VARCHAR`;

/** DDL of `twin_picks`: `pool_key` joins `pool` and `recommendations`. */
export const TWIN_PICKS_DDL = `rank INTEGER, pool_key VARCHAR, release_id BIGINT,
  master_id BIGINT, master_key VARCHAR, artist VARCHAR, title VARCHAR, label VARCHAR,
  format VARCHAR, year INTEGER, country VARCHAR, genres VARCHAR[], styles VARCHAR[],
  have INTEGER, want INTEGER, lowest_price DOUBLE, num_for_sale INTEGER, currency VARCHAR,
  thumbnail_url VARCHAR, discogs_url VARCHAR, owners VARCHAR[], owner_count INTEGER,
  support DOUBLE, taste DOUBLE, log_value DOUBLE, score DOUBLE, why VARCHAR`;

const TRADES_DDL = `collection VARCHAR, direction VARCHAR, master_key VARCHAR, artist VARCHAR,
  title VARCHAR, wanted_release_id BIGINT, owned_release_id BIGINT, same_pressing BOOLEAN,
  owned_format VARCHAR, media_condition VARCHAR, sleeve_condition VARCHAR, why VARCHAR`;

function pickRow(p: TwinPick) {
  const r = p.record;
  return {
    rank: p.rank,
    pool_key: `release:${p.releaseId}`,
    release_id: p.releaseId,
    master_id: r.masterId,
    master_key: p.masterKey,
    artist: r.artist,
    title: r.title,
    label: r.label,
    format: r.format,
    year: r.year,
    country: r.country,
    genres: r.genres,
    styles: r.styles,
    have: r.have,
    want: r.want,
    lowest_price: r.lowestPrice,
    num_for_sale: r.numForSale,
    currency: r.currency,
    thumbnail_url: r.thumbnailUrl,
    discogs_url: `https://www.discogs.com/release/${p.releaseId}`,
    owners: p.owners,
    owner_count: p.owners.length,
    support: p.support,
    taste: p.taste,
    log_value: p.value,
    score: p.score,
    why: p.why,
  };
}

async function writeRows(
  db: Database,
  table: string,
  ddl: string,
  rows: readonly object[],
): Promise<number> {
  const staged = `${table}_new`;
  await db.run(`CREATE OR REPLACE TEMP TABLE ${staged} (${ddl})`);
  await db.insertRows(staged, rows);
  const n = await db.replaceTable(table, `SELECT * FROM ${staged}`);
  await db.run(`DROP TABLE IF EXISTS ${staged}`);
  return n;
}
