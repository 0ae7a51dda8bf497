-- The top `n` of one ranking, with what a collector needs to recognise the record.
SELECT
  rank,
  artist_display,
  title,
  year,
  why
FROM (
  SELECT
    CASE $ranking
      WHEN 'value' THEN value_rank WHEN 'smart_buy' THEN smart_buy_rank
      WHEN 'essential' THEN essential_rank ELSE deep_cut_rank END AS rank,
    artist_display, title, year,
    CASE $ranking
      WHEN 'value' THEN value_why WHEN 'smart_buy' THEN smart_buy_why
      WHEN 'essential' THEN essential_why ELSE deep_cut_why END AS why
  FROM scores
)
WHERE rank <= $n
ORDER BY rank
