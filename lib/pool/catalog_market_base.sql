-- The catalogue-wide part of the market (see catalog_market.sql), which does not depend on the
-- collection: releases per style, genre, decade and country, and the catalogue's size (token
-- ''). Counted once per catalogue and kept in the workspace (`catalog_market_base`, keyed by the
-- catalogue's files), because it scans whole tables.
SELECT 'style:' || lower(trim(style)) AS token, count(DISTINCT release_id) AS n
FROM catalog_release_styles GROUP BY 1
UNION ALL
SELECT 'genre:' || lower(trim(genre)), count(DISTINCT release_id)
FROM catalog_release_genres GROUP BY 1
UNION ALL
SELECT 'decade:' || ((year // 10) * 10) || 's', count(*)
FROM catalog_releases WHERE year BETWEEN 1800 AND 2100 GROUP BY 1
UNION ALL
SELECT 'country:' || lower(trim(country)), count(*)
FROM catalog_releases WHERE country IS NOT NULL GROUP BY 1
UNION ALL
SELECT '', count(*) FROM catalog_releases
