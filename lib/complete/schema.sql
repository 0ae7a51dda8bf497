-- Complete the Set's tables. `set_completion`: one row per set (artist discography, label
-- catalogue, or every pressing of one album), nearest to complete first (`rank`). `set_missing`:
-- one row per missing entry of a set, with its cheapest known copy. The columns the issue lists
-- come first, in its order; the reason, link and counters after them.
CREATE OR REPLACE TEMP TABLE set_completion_staging (
  set_kind VARCHAR, set_id BIGINT, set_name VARCHAR, owned INTEGER, total INTEGER, pct DOUBLE,
  missing INTEGER, in_wantlist INTEGER, priced INTEGER, cost_to_complete DOUBLE, currency VARCHAR,
  no_copy_for_sale INTEGER, unpriced INTEGER, format VARCHAR, counted_by VARCHAR, rank INTEGER,
  partial BOOLEAN, discogs_url VARCHAR, why VARCHAR
);
CREATE OR REPLACE TEMP TABLE set_missing_staging (
  set_kind VARCHAR, set_id BIGINT, release_id BIGINT, master_id BIGINT, title VARCHAR,
  year INTEGER, format VARCHAR, cheapest_release_id BIGINT, lowest_price DOUBLE,
  currency VARCHAR, num_for_sale INTEGER, in_wantlist BOOLEAN, set_name VARCHAR, artist VARCHAR,
  label VARCHAR, catno VARCHAR, pressings_priced INTEGER, format_checked BOOLEAN,
  discogs_url VARCHAR, why VARCHAR
);
