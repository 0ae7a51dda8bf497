/**
 * The shapes Complete the Set works with: which sets to look at, what a listing (API or
 * catalogue) says is in them, and the pressings of their albums.
 *
 * @module
 */

/** What a set is: an artist's discography, a label's catalogue, or every pressing of an album. */
export type SetKind = "artist" | "label" | "master";

/** One set to complete. */
export interface SetSpec {
  kind: SetKind;
  id: number;
  /** Known from the collection or the flag; else from Discogs. */
  name: string | null;
  /** Copies of the collection credited to it (0 for a set named on the command line only). */
  ownedCopies: number;
  /** Named with `--artist`, `--label` or `--master` (not found automatically). */
  asked: boolean;
}

/** `artist:123`, the key of a set in maps and messages. */
export const setKey = (s: { kind: SetKind; id: number }): string => `${s.kind}:${s.id}`;

/** One item of a set's listing: a release, or a Discogs master (an album) standing for its pressings. */
export interface ListedItem {
  type: "master" | "release";
  /** The release, or a master's main release. */
  releaseId: number | null;
  masterId: number | null;
  title: string;
  artist: string | null;
  year: number | null;
  /** Listing format text (`12"`, `LP, Album`, `CD, Album`); null for a master item. */
  format: string | null;
  /** The artist's role (`Main`, `Appearance`, `TrackAppearance`, `UnofficialRelease`, …). */
  role: string;
  label: string | null;
  catno: string | null;
  /** Community have, for choosing which pressings to price first. */
  have: number | null;
}

/** One pressing of an album (`GET /masters/{id}/versions` or the catalogue). */
export interface Pressing {
  releaseId: number;
  title: string;
  format: string | null;
  /** `Vinyl`, `CD`, … as Discogs lists them for versions. */
  majorFormats: string[];
  year: number | null;
  label: string | null;
  catno: string | null;
  country: string | null;
  have: number | null;
}

/** What was gathered for the sets, from the API or a catalogue. */
export interface Gathered {
  /** Listing items by set key. */
  items: Map<string, ListedItem[]>;
  /** Set names learnt on the way (entity bodies, the catalogue). */
  names: Map<string, string>;
  /** Pressings by master id, for the masters whose versions were read. */
  pressings: Map<number, Pressing[]>;
  /** Sets Discogs (or the catalogue) does not know. */
  notFound: Set<string>;
  /** Sets whose listing could not be read within the budget (or offline, not cached). */
  unread: Set<string>;
  /** Sets whose listing has more pages than were read. */
  partial: Set<string>;
  /** Sub-label ids added to a label set, by set key. */
  sublabels: Map<string, { id: number; name: string }[]>;
}

/** Request counters of one phase. */
export interface RequestReport {
  /** Pages or bodies the plan read (cached ones included). */
  planned: number;
  requests: number;
  fromCache: number;
  failed: number;
}

/** A fresh {@link RequestReport}. */
export const emptyRequests = (): RequestReport => ({
  planned: 0,
  requests: 0,
  fromCache: 0,
  failed: 0,
});

/** A fresh {@link Gathered}. */
export function emptyGathered(): Gathered {
  return {
    items: new Map(),
    names: new Map(),
    pressings: new Map(),
    notFound: new Set(),
    unread: new Set(),
    partial: new Set(),
    sublabels: new Map(),
  };
}
