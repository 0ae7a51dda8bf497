-- Discogs' `basic_information` of every release a username import (--username, --wantlist-of)
-- has seen: what `releases` needs except the market figures, plus the artists' and labels'
-- Discogs ids. The enrich stage builds a `releases` row from it for every release whose market
-- body has not been fetched yet, so taste, embeddings and recommendations need not wait for the
-- one-request-per-release enrichment. Release facts are the same whoever owns the record, so a
-- later import only adds or refreshes rows.
CREATE TABLE IF NOT EXISTS release_info (
  release_id BIGINT PRIMARY KEY, master_id BIGINT, title VARCHAR, artist VARCHAR,
  artists VARCHAR[], artist_credits STRUCT(id BIGINT, name VARCHAR)[],
  labels VARCHAR[], label_credits STRUCT(id BIGINT, name VARCHAR, catno VARCHAR)[],
  catalog_numbers VARCHAR[], formats VARCHAR[], year INTEGER, genres VARCHAR[], styles VARCHAR[],
  thumbnail_url VARCHAR, cover_url VARCHAR, source VARCHAR, fetched_at TIMESTAMPTZ
);
