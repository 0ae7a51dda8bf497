/**
 * A user's collection (folder 0: every folder) and wantlist through the API, as rows with
 * exactly the columns the CSV ingest produces, formatted the way Discogs' own CSV export writes
 * them (artist credits with their joins, `2xLP, Album, RE` formats, catalog numbers without
 * repeats), so later stages cannot tell an API import from an export.
 *
 * @example
 * ```ts
 * const client = DiscogsClient.fromEnv();
 * const copies = await fetchCollection(client, "example");   // CollectionRow[]
 * const wanted = await fetchWantlist(client, "example");     // WantlistRow[]
 * ```
 *
 * @module
 */

import { type DiscogsClient, DiscogsError } from "./client.ts";
import { asCount, asList, asText, withoutDiscogsSuffix } from "./release.ts";

/** A `collection` table row (see lib/ingest/schema.sql). */
export interface CollectionRow {
  /** `instance:<instance_id>`: one per copy, so a record owned twice is two rows. */
  instance_key: string;
  instance_id: number | null;
  release_id: number;
  /** The credit as Discogs writes it, disambiguation suffixes included: `Orion (2) Featuring …`. */
  artist: string | null;
  /** The same credit without ` (N)` suffixes. */
  artist_display: string | null;
  title: string | null;
  label: string | null;
  catalog_number: string | null;
  /** Discogs' short format, e.g. `2xLP, Album, RE, Gat`. */
  format: string | null;
  /** Null when Discogs says 0 (unknown). */
  released_year: number | null;
  /** The folder id, as text. */
  folder: string | null;
  date_added: Date | null;
  media_condition: string | null;
  sleeve_condition: string | null;
  notes: string | null;
  /** Null when unrated (0). */
  rating: number | null;
  /** Notes fields other than the conditions and Notes, by field name (`field_<id>` if unknown). */
  custom_fields: Record<string, string>;
  /** `discogs:<username>`. */
  source_file: string;
  source_line: number | null;
}

/** A `wantlist` table row. */
export interface WantlistRow {
  release_id: number;
  artist: string | null;
  artist_display: string | null;
  title: string | null;
  label: string | null;
  catalog_number: string | null;
  format: string | null;
  released_year: number | null;
  rating: number | null;
  notes: string | null;
  date_added: Date | null;
  source_file: string;
  source_line: number | null;
}

type Item = Record<string, unknown>;

/** Discogs' default collection notes fields. */
const MEDIA_CONDITION_FIELD = 1;
const SLEEVE_CONDITION_FIELD = 2;
const NOTES_FIELD = 3;

function objects(value: unknown): Item[] {
  return asList(value).filter((v): v is Item => typeof v === "object" && v !== null);
}

/**
 * An artist credit joined the way Discogs writes it: `A & B`, `A Featuring B / C`, `A, B`.
 * `display` drops the ` (N)` disambiguation suffixes.
 *
 * @example
 * ```ts
 * artistCredit([{ name: "Orion (2)", join: "Featuring" }, { name: "Royal (4)", join: "" }]);
 * // { artist: "Orion (2) Featuring Royal (4)", display: "Orion Featuring Royal" }
 * ```
 */
export function artistCredit(artists: unknown): { artist: string | null; display: string | null } {
  const entries = objects(artists).filter((a) => asText(a.name) !== null);
  let artist = "";
  let display = "";
  entries.forEach((a, i) => {
    const name = asText(a.name)!;
    artist += name;
    display += withoutDiscogsSuffix(name);
    if (i < entries.length - 1) {
      const join = asText(a.join);
      const glue = join === null || join === "," ? ", " : ` ${join} `;
      artist += glue;
      display += glue;
    }
  });
  return { artist: artist || null, display: display || null };
}

/** How the export abbreviates format descriptions (checked against real export/API pairs). */
const ABBREVIATIONS: Record<string, string> = {
  "Compilation": "Comp",
  "Reissue": "RE",
  "Remastered": "RM",
  "Repress": "RP",
  "Limited Edition": "Ltd",
  "White Label": "W/Lbl",
  "Unofficial Release": "Unofficial",
  "Sampler": "Smplr",
  "Etched": "Etch",
  "Record Store Day": "RSD",
  "Maxi-Single": "Maxi",
  "Numbered": "Num",
  "Special Edition": "S/Edition",
  "Single Sided": "S/Sided",
  "Test Pressing": "TP",
  "Deluxe Edition": "Dlx",
  "Picture Disc": "Pic",
  "Mini-Album": "MiniAlbum",
  "Quadraphonic": "Quad",
  "Enhanced": "Enh",
  "Club Edition": "Club",
};

/** Descriptions the export leaves out: speeds, and stereo (the default). */
const OMITTED = new Set(["16 ⅔ RPM", "33 ⅓ RPM", "45 RPM", "78 RPM", "Stereo"]);

/** Descriptions that keep their place up front; the rest are sorted. */
const LEADING = new Set([
  "Album",
  "Mini-Album",
  "EP",
  "Single",
  "Maxi-Single",
  "Compilation",
  "Record Store Day",
  "Single Sided",
  "Sampler",
]);

/** A vinyl entry is named by its size or type instead of "Vinyl". */
const VINYL_SIZES = new Set(["LP", '12"', '10"', '7"']);

/** Format names the export shortens; `null` drops the name. */
const NAMES: Record<string, string | null> = {
  "All Media": null,
  "Cassette": "Cass",
  "Box Set": "Box",
};

/**
 * Discogs' short format string, as in the `Format` column of a collection export: one part per
 * format entry joined with ` + `; each part the quantity and size (`2xLP`) or name (`CD`), the
 * abbreviated descriptions, and the first three letters of the free text (`Gat` for Gatefold).
 *
 * @example
 * ```ts
 * shortFormat([{ name: "Vinyl", qty: "2", descriptions: ["LP", "Album", "Reissue"], text: "Gatefold" }]);
 * // "2xLP, Album, RE, Gat"
 * ```
 */
export function shortFormat(formats: unknown): string | null {
  const parts = objects(formats).map((f) => {
    const name = asText(f.name);
    const qty = asCount(f.qty) ?? 1;
    let descriptions = asList(f.descriptions).map(asText).filter((d): d is string => d !== null);
    let head: string | null = name === null ? null : name in NAMES ? NAMES[name] : name;
    if (name === "Vinyl") {
      const size = descriptions.find((d) => VINYL_SIZES.has(d));
      if (size !== undefined) {
        head = size;
        descriptions = descriptions.filter((d) => d !== size);
      }
    }
    descriptions = descriptions.filter((d) => !OMITTED.has(d));
    const leading = descriptions.filter((d) => LEADING.has(d)).map((d) => ABBREVIATIONS[d] ?? d);
    const rest = descriptions.filter((d) => !LEADING.has(d)).map((d) => ABBREVIATIONS[d] ?? d)
      .sort();
    const text = asText(f.text);
    return [
      head === null ? null : qty > 1 ? `${qty}x${head}` : head,
      ...leading,
      ...rest,
      text === null ? null : text.slice(0, 3),
    ].filter((p): p is string => p !== null && p !== "").join(", ");
  }).filter((p) => p !== "");
  return parts.length > 0 ? parts.join(" + ") : null;
}

function distinctJoined(values: (string | null)[]): string | null {
  const seen = [...new Set(values.filter((v): v is string => v !== null))];
  return seen.length > 0 ? seen.join(", ") : null;
}

/** The columns both lists share, from an item's `basic_information`. */
function identity(
  item: Item,
): Omit<WantlistRow, "rating" | "notes" | "source_file" | "source_line"> {
  const info =
    (typeof item.basic_information === "object" && item.basic_information !== null
      ? item.basic_information
      : {}) as Item;
  const labels = objects(info.labels);
  const { artist, display } = artistCredit(info.artists);
  const year = asCount(info.year);
  return {
    release_id: asCount(info.id) || asCount(item.id) || 0,
    artist,
    artist_display: display,
    title: asText(info.title),
    // The export lists every label (a label twice when it has two catalog numbers) but each
    // catalog number once.
    label: labels.map((l) => asText(l.name)).filter((n) => n !== null).join(", ") || null,
    catalog_number: distinctJoined(labels.map((l) => asText(l.catno))),
    format: shortFormat(info.formats),
    released_year: year === 0 ? null : year,
    date_added: dateOf(item.date_added),
  };
}

function dateOf(value: unknown): Date | null {
  const text = asText(value);
  if (!text) return null;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time) : null;
}

/** A Discogs error with the user's name in it where that helps. */
function forUser(username: string, error: unknown): unknown {
  if (error instanceof DiscogsError && error.kind === "not_found") {
    return new DiscogsError(
      "not_found",
      `no Discogs user ${JSON.stringify(username)} (or the list is gone): check the username`,
      error.status,
      error.path,
    );
  }
  return error; // "private" already names the user and the token to set
}

/** Field id → name of a user's custom collection fields; empty when Discogs will not say. */
async function fieldNames(client: DiscogsClient, username: string): Promise<Map<number, string>> {
  try {
    const { json } = await client.collectionFields(username);
    const names = new Map<number, string>();
    for (const f of objects((json as Item).fields)) {
      const id = asCount(f.id);
      const name = asText(f.name);
      if (id !== null && name !== null) names.set(id, name);
    }
    return names;
  } catch (error) {
    if (error instanceof DiscogsError) return new Map(); // fall back to field_<id> keys
    throw error;
  }
}

/**
 * Every copy in `username`'s collection (folder 0), as `collection` rows, 100 per request.
 * A private collection without its owner's token is a {@link DiscogsError} of kind `private`.
 */
export async function fetchCollection(
  client: DiscogsClient,
  username: string,
): Promise<CollectionRow[]> {
  const rows: CollectionRow[] = [];
  // Names of custom fields cost one more request: asked only when a copy has such a field.
  let names: Map<number, string> | undefined;
  try {
    for await (
      const items of client.paginate<Item>((n) => client.collectionPage(username, n), "releases")
    ) {
      for (const item of objects(items)) {
        const base = identity(item);
        if (base.release_id === 0) continue;
        const notes = new Map<number, string>();
        for (const note of objects(item.notes)) {
          const id = asCount(note.field_id);
          const value = asText(note.value);
          if (id !== null && value !== null) notes.set(id, value);
        }
        const custom: Record<string, string> = {};
        for (const [id, value] of notes) {
          if ([MEDIA_CONDITION_FIELD, SLEEVE_CONDITION_FIELD, NOTES_FIELD].includes(id)) continue;
          names ??= await fieldNames(client, username);
          custom[names.get(id) ?? `field_${id}`] = value;
        }
        const instanceId = asCount(item.instance_id);
        const rating = asCount(item.rating);
        rows.push({
          instance_key: instanceId !== null
            ? `instance:${instanceId}`
            : `${base.release_id}#${rows.length + 1}`,
          instance_id: instanceId,
          release_id: base.release_id,
          artist: base.artist,
          artist_display: base.artist_display,
          title: base.title,
          label: base.label,
          catalog_number: base.catalog_number,
          format: base.format,
          released_year: base.released_year,
          folder: asText(item.folder_id),
          date_added: base.date_added,
          media_condition: notes.get(MEDIA_CONDITION_FIELD) ?? null,
          sleeve_condition: notes.get(SLEEVE_CONDITION_FIELD) ?? null,
          notes: notes.get(NOTES_FIELD) ?? null,
          rating: rating === 0 ? null : rating,
          custom_fields: custom,
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    throw forUser(username, error);
  }
  return rows;
}

/** Every release in `username`'s wantlist, as `wantlist` rows, 100 per request. */
export async function fetchWantlist(
  client: DiscogsClient,
  username: string,
): Promise<WantlistRow[]> {
  const rows: WantlistRow[] = [];
  try {
    for await (
      const items of client.paginate<Item>((n) => client.wantsPage(username, n), "wants")
    ) {
      for (const item of objects(items)) {
        const base = identity(item);
        if (base.release_id === 0) continue;
        const rating = asCount(item.rating);
        rows.push({
          ...base,
          rating: rating === 0 ? null : rating,
          notes: asText(item.notes),
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    throw forUser(username, error);
  }
  return rows;
}
