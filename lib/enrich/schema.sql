-- Enrichment tables. `releases` is rebuilt from the cache on every run; `price_history` only
-- grows: one market snapshot per real fetch of a release, keyed by (release, fetch time,
-- currency). A replay (the cache, --offline, a JSONL body already imported) keeps the cached
-- fetch time, so it matches an existing key and adds nothing.
CREATE TABLE IF NOT EXISTS price_history (
  release_id BIGINT, fetched_at TIMESTAMPTZ, currency VARCHAR, lowest_price DOUBLE,
  num_for_sale INTEGER, have INTEGER, want INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS price_history_snapshot
  ON price_history (release_id, fetched_at, currency);
CREATE TABLE IF NOT EXISTS enrich_rejects (
  release_id BIGINT, source VARCHAR, line INTEGER, reason VARCHAR
);
CREATE OR REPLACE TEMP TABLE releases_staging (
  release_id BIGINT, master_id BIGINT, title VARCHAR, artists_json VARCHAR, artist VARCHAR,
  year INTEGER, country VARCHAR, genres_json VARCHAR, styles_json VARCHAR, labels_json VARCHAR,
  catalog_numbers_json VARCHAR, formats_json VARCHAR, have INTEGER, want INTEGER,
  rating_average DOUBLE, rating_count INTEGER, lowest_price DOUBLE, num_for_sale INTEGER,
  currency VARCHAR, thumbnail_url VARCHAR, cover_url VARCHAR, discogs_url VARCHAR,
  fetched_at VARCHAR
);
