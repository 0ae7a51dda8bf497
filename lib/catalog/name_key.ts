/**
 * Name keys of the catalogue's artists and labels as SQL macros, shared by the release index
 * (`release_index.ts`, which stores their hashes) and the queries that match names
 * (`lib/pool/sources/catalog.ts`): lower case, Discogs' `(2)` suffix and `*` ANV marker stripped
 * — the embedder's tokens have them so. Changing a key changes what the index holds: bump
 * `RELEASE_INDEX_VERSION` with it, so indexes built before are rebuilt.
 *
 * @module
 */

/** `catalog_display_name(s)` (names as the collector reads them) and `catalog_name_key(s)`. */
export const NAME_KEY_MACROS_SQL = `
  CREATE OR REPLACE TEMP MACRO catalog_display_name(s) AS
    regexp_replace(regexp_replace(s, ' \\(\\d+\\)$', ''), '\\*$', '');
  CREATE OR REPLACE TEMP MACRO catalog_name_key(s) AS
    trim(lower(catalog_display_name(s)))`;
