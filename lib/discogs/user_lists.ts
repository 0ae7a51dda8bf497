/**
 * A user's collection (folder 0, every folder) and wantlist through the API, as rows with
 * exactly the columns the CSV ingest produces — later stages cannot tell the two apart.
 *
 * @module
 */

import { type DiscogsClient, DiscogsError } from "./client.ts";
import { asCount, asList, asText, withoutDiscogsSuffix } from "./release.ts";

/** A `collection` table row (see lib/ingest/schema.sql). */
export interface CollectionRow {
  instance_key: string;
  instance_id: number | null;
  release_id: number;
  artist: string | null;
  artist_display: string | null;
  title: string | null;
  label: string | null;
  catalog_number: string | null;
  format: string | null;
  released_year: number | null;
  folder: string | null;
  date_added: string | null;
  media_condition: string | null;
  sleeve_condition: string | null;
  notes: string | null;
  rating: number | null;
  custom_fields: Record<string, string>;
  source_file: string;
  source_line: number | null;
}

/** A `wantlist` table row. */
export type WantlistRow = Pick<
  CollectionRow,
  | "release_id"
  | "artist"
  | "artist_display"
  | "title"
  | "label"
  | "catalog_number"
  | "format"
  | "released_year"
  | "rating"
  | "notes"
  | "date_added"
  | "source_file"
  | "source_line"
>;

type Item = Record<string, unknown>;

/** Discogs' default collection note fields. */
const MEDIA_CONDITION = "Media Condition";
const SLEEVE_CONDITION = "Sleeve Condition";
const NOTES = "Notes";

function privateMessage(username: string, what: string, error: DiscogsError): Error {
  if (error.kind === "unauthorized") {
    return new DiscogsError(
      "private",
      `the ${what} of ${username} is private; set DISCOGS_TOKEN of its owner`,
      error.status,
      error.path,
    );
  }
  if (error.kind === "not_found") {
    return new DiscogsError("not_found", `no Discogs user ${username}`, error.status, error.path);
  }
  return error;
}

/** Shared identity columns from `basic_information`, formatted like the CSV export. */
function identity(
  info: Item,
): Omit<WantlistRow, "rating" | "notes" | "date_added" | "source_file" | "source_line"> & {
  release_id: number;
} {
  const artists = asList(info.artists).filter((a): a is Item =>
    typeof a === "object" && a !== null
  );
  let artist = "";
  artists.forEach((a, i) => {
    artist += asText(a.name) ?? "";
    if (i < artists.length - 1) {
      const join = asText(a.join);
      artist += join === null || join === "," ? ", " : ` ${join} `;
    }
  });
  const labels = asList(info.labels).filter((l): l is Item => typeof l === "object" && l !== null);
  const formats = asList(info.formats).filter((f): f is Item =>
    typeof f === "object" && f !== null
  );
  const year = asCount(info.year);
  return {
    release_id: asCount(info.id) ?? 0,
    artist: artist || null,
    artist_display:
      artists.map((a) => withoutDiscogsSuffix(asText(a.name) ?? "")).filter(Boolean).join(", ") ||
      null,
    title: asText(info.title),
    label: labels.map((l) => asText(l.name)).filter(Boolean).join(", ") || null,
    catalog_number: labels.map((l) => asText(l.catno)).filter(Boolean).join(", ") || null,
    format:
      formats.map((f) =>
        [asText(f.name), ...asList(f.descriptions).map(asText), asText(f.text)].filter(Boolean)
          .join(", ")
      ).join(" + ") || null,
    released_year: year === 0 ? null : year,
  };
}

function isoDate(value: unknown): string | null {
  const text = asText(value);
  if (!text) return null;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Field id → name of a user's collection fields (defaults when the call is refused). */
async function collectionFieldNames(
  client: DiscogsClient,
  username: string,
): Promise<Map<number, string>> {
  const names = new Map<number, string>([[1, MEDIA_CONDITION], [2, SLEEVE_CONDITION], [3, NOTES]]);
  try {
    const { json } = await client.collectionFields(username);
    for (const field of asList((json as Item).fields)) {
      const f = field as Item;
      const id = asCount(f.id);
      const name = asText(f.name);
      if (id !== null && name !== null) names.set(id, name);
    }
  } catch (error) {
    if (!(error instanceof DiscogsError)) throw error;
  }
  return names;
}

/** Every copy in `username`'s collection (folder 0), as `collection` rows. */
export async function fetchCollection(
  client: DiscogsClient,
  username: string,
): Promise<CollectionRow[]> {
  const rows: CollectionRow[] = [];
  try {
    const fields = await collectionFieldNames(client, username);
    for await (
      const items of client.paginate<Item>((n) => client.collectionPage(username, n), "releases")
    ) {
      for (const item of items) {
        const info = (item.basic_information ?? {}) as Item;
        const notes = new Map<string, string>();
        for (const note of asList(item.notes)) {
          const n = note as Item;
          const name = fields.get(asCount(n.field_id) ?? -1) ?? `field_${asText(n.field_id)}`;
          const value = asText(n.value);
          if (value !== null) notes.set(name, value);
        }
        const custom = Object.fromEntries(
          [...notes].filter(([name]) => ![MEDIA_CONDITION, SLEEVE_CONDITION, NOTES].includes(name)),
        );
        const instanceId = asCount(item.instance_id);
        const base = identity(info);
        const releaseId = base.release_id || asCount(item.id) || 0;
        if (releaseId === 0) continue;
        const rating = asCount(item.rating);
        rows.push({
          instance_key: instanceId !== null
            ? `instance:${instanceId}`
            : `${releaseId}#${rows.length + 1}`,
          instance_id: instanceId,
          ...base,
          release_id: releaseId,
          folder: asText(item.folder_id),
          date_added: isoDate(item.date_added),
          media_condition: notes.get(MEDIA_CONDITION) ?? null,
          sleeve_condition: notes.get(SLEEVE_CONDITION) ?? null,
          notes: notes.get(NOTES) ?? null,
          rating: rating === 0 ? null : rating,
          custom_fields: custom,
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    if (error instanceof DiscogsError) throw privateMessage(username, "collection", error);
    throw error;
  }
  return rows;
}

/** Every release in `username`'s wantlist, as `wantlist` rows. */
export async function fetchWantlist(
  client: DiscogsClient,
  username: string,
): Promise<WantlistRow[]> {
  const rows: WantlistRow[] = [];
  try {
    for await (
      const items of client.paginate<Item>((n) => client.wantsPage(username, n), "wants")
    ) {
      for (const item of items) {
        const base = identity((item.basic_information ?? {}) as Item);
        const releaseId = base.release_id || asCount(item.id) || 0;
        if (releaseId === 0) continue;
        const rating = asCount(item.rating);
        rows.push({
          ...base,
          release_id: releaseId,
          rating: rating === 0 ? null : rating,
          notes: asText(item.notes),
          date_added: isoDate(item.date_added),
          source_file: `discogs:${username}`,
          source_line: null,
        });
      }
    }
  } catch (error) {
    if (error instanceof DiscogsError) throw privateMessage(username, "wantlist", error);
    throw error;
  }
  return rows;
}
