-- The `evaluation` table, typed, from the harness's rows (passed as one JSON array).
-- `path`: "file pool" (hidden records inside a pool file) or "real user" (what sourcing fetched
-- from the fake Discogs). `recall_at_hidden` is recall in the top `recall_k` = max(50, hidden).
SELECT
  j ->> 'collection' AS collection,
  j ->> 'path' AS path,
  j ->> 'recommender' AS recommender,
  (j ->> 'folds')::INTEGER AS folds,
  (j ->> 'hidden_per_fold')::INTEGER AS hidden_per_fold,
  (j ->> 'candidates')::INTEGER AS candidates,
  (j ->> 'hit_at_10')::DOUBLE AS hit_at_10,
  (j ->> 'hit_at_50')::DOUBLE AS hit_at_50,
  (j ->> 'recall_at_50')::DOUBLE AS recall_at_50,
  (j ->> 'recall_at_hidden')::DOUBLE AS recall_at_hidden,
  (j ->> 'recall_k')::INTEGER AS recall_k,
  (j ->> 'ndcg_at_50')::DOUBLE AS ndcg_at_50,
  (j ->> 'mrr')::DOUBLE AS mrr,
  (j ->> 'coverage')::DOUBLE AS coverage,
  (j ->> 'diversity')::DOUBLE AS diversity
FROM (SELECT unnest($rows::JSON[]) AS j)
