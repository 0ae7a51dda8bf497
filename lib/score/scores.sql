-- The `scores` table: the inputs each score used, the four scores with their ranks and reasons.
-- `score_values` is the staging table the TypeScript formulas filled (lib/score/formulas.ts).
SELECT
  i.release_id, i.artist, i.artist_display, i.title, i.label, i.format, i.year, i.copies,
  i.master_id, i.genres, i.styles,
  i.want, i.have, i.lowest_price, i.num_for_sale, i.currency, i.rating_average,
  i.thumbnail_url, i.cover_url, i.discogs_url, i.enriched,
  CASE WHEN s.imputed = '' THEN []::VARCHAR[] ELSE string_split(s.imputed, ',') END AS imputed,
  s.rankable,
  s.held_out, s.suspect_price, s.suspect_reason, s.ranking_rules, s.price_model,
  s.price_weight,
  s.artist_mean_want,
  s.value_score, s.value_rank, s.value_why,
  s.smart_buy_score, s.smart_buy_rank, s.smart_buy_why,
  s.essential_score, s.essential_rank, s.essential_why,
  s.deep_cut_score, s.deep_cut_rank, s.deep_cut_why
FROM score_inputs i
JOIN score_values s USING (release_id)
ORDER BY s.value_rank NULLS LAST, i.release_id
