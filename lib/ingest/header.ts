/**
 * Recognising a Discogs export's header. Discogs has shipped several layouts over the years and
 * spreadsheets re-save them with their own spelling, so columns are matched on a folded name
 * (lower case, letters, digits and `#` only): `Catalog#`, `Catalognum` and `Catalog Number` are
 * one column; `Date Added` and `DateAdded` another.
 *
 * @module
 */

/** The export columns Next Spin reads. */
export type ExportField =
  | "catalog_number"
  | "artist"
  | "title"
  | "label"
  | "format"
  | "rating"
  | "released"
  | "release_id"
  | "folder"
  | "date_added"
  | "media_condition"
  | "sleeve_condition"
  | "notes";

/** Which export a file is. */
export type ExportKind = "collection" | "wantlist";

/** The header of a current Discogs collection export. */
export const COLLECTION_HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes";

/** The header of a Discogs wantlist export. */
export const WANTLIST_HEADER =
  "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,Notes";

const FIELD_NAMES: Record<string, ExportField> = {
  "catalog#": "catalog_number",
  catalognum: "catalog_number",
  catalognumber: "catalog_number",
  catno: "catalog_number",
  artist: "artist",
  title: "title",
  label: "label",
  format: "format",
  rating: "rating",
  released: "released",
  releaseid: "release_id",
  collectionfolder: "folder",
  folder: "folder",
  dateadded: "date_added",
  collectionmediacondition: "media_condition",
  mediacondition: "media_condition",
  collectionsleevecondition: "sleeve_condition",
  sleevecondition: "sleeve_condition",
  collectionnotes: "notes",
  notes: "notes",
};

/** Fold a header cell for matching: `\uFEFFDate Added ` → `dateadded`. */
export function foldHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, "").toLowerCase().replace(/[^a-z0-9#]/g, "");
}

/** Where each field sits in a file, plus custom collection fields by their display name. */
export interface HeaderMap {
  fields: Partial<Record<ExportField, number>>;
  /** `Collection Purchased At` → `{ name: "Purchased At", index }`. */
  custom: { name: string; index: number }[];
  /** Columns read as nothing (a pandas index column, unknown extras). */
  ignored: number[];
}

/**
 * Map a header row to fields. Unnamed columns are resolved by position: a leading one is a pandas
 * index; a later one, when no date column is named, is the wantlist export's unnamed date added.
 */
export function mapHeader(cells: readonly (string | null)[]): HeaderMap {
  const map: HeaderMap = { fields: {}, custom: [], ignored: [] };
  const unnamed: number[] = [];
  cells.forEach((raw, index) => {
    const cell = (raw ?? "").replace(/^\uFEFF/, "").trim();
    if (cell === "") return unnamed.push(index);
    const field = FIELD_NAMES[foldHeader(cell)];
    if (field && map.fields[field] === undefined) map.fields[field] = index;
    else if (/^collection\s+/i.test(cell)) {
      map.custom.push({ name: cell.replace(/^collection\s+/i, ""), index });
    } else map.ignored.push(index);
  });
  for (const index of unnamed) {
    const afterReleaseId = map.fields.release_id !== undefined && index > map.fields.release_id;
    if (index > 0 && afterReleaseId && map.fields.date_added === undefined) {
      map.fields.date_added = index;
    } else map.ignored.push(index);
  }
  return map;
}

/** The header as found, for error messages (`(blank)` for unnamed cells). */
export function describeHeader(cells: readonly (string | null)[]): string {
  return cells.map((c) => (c ?? "").replace(/^\uFEFF/, "").trim() || "(blank)").join(",");
}
