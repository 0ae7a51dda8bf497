-- Raw Discogs responses, one row per request key, committed as each response arrives so an
-- interrupted enrichment loses nothing. `url` is the request path and query relative to the API
-- base (e.g. `/releases/249504?curr_abbr=USD`), so recordings, the fake server and the real API
-- share one cache. The token is never part of a key or a body.
CREATE TABLE IF NOT EXISTS http_cache (
  url        VARCHAR PRIMARY KEY,
  status     INTEGER NOT NULL,
  body       VARCHAR,
  fetched_at TIMESTAMPTZ NOT NULL,
  source     VARCHAR NOT NULL  -- 'api' or 'jsonl:<file name>'
);
