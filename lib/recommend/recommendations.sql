-- The `recommendations` table: each pick with what a collector needs to find it, lists in the
-- order of the `recommendation_kinds` table (the registry's), each by rank.
SELECT
  r.kind, r.rank, r.pool_key, p.release_id, coalesce(p.artist_display, p.artist) AS artist, p.title,
  p.year, p.label, p.styles, p.have, p.want, p.lowest_price, p.num_for_sale, p.currency,
  r.score, r.components::JSON AS components, r.why,
  p.discogs_url, p.thumbnail_url, p.sources
FROM recommendation_rows r
JOIN pool p USING (pool_key)
LEFT JOIN recommendation_kinds k USING (kind)
ORDER BY k.kind_order NULLS LAST, r.kind, r.rank
