-- The missing records of nearly-complete sets, one row per set and record (a record missing from
-- an artist's discography and a label's catalogue is in two): what the `sets` candidate source
-- adds to the pool and the set-gap recommender serves. The copy to buy is the cheapest pressing
-- pricing found, else the entry's own release (an album's main release). A set read in part
-- (listing budget, pages) is left out: its share complete is not known; so is one you own
-- nothing of, however short (a catalogue's set where no owned copy is in the format).
SELECT
  s.set_kind, s.set_id, s.set_name, s.owned, s.total, s.pct, s.missing AS set_missing_count,
  s.why AS set_why, s.currency AS set_currency, s.counted_by,
  coalesce(m.cheapest_release_id, m.release_id) AS buy_release_id,
  m.master_id, m.title, m.year, m.format, m.label, m.catno, m.lowest_price, m.num_for_sale,
  m.currency, m.in_wantlist,
  coalesce(m.artist, CASE WHEN s.set_kind = 'artist' THEN s.set_name END, '') AS artist,
  m.discogs_url
FROM set_completion s
JOIN set_missing m USING (set_kind, set_id)
WHERE NOT coalesce(s.partial, false) AND s.missing > 0 AND s.owned > 0
  AND (s.pct >= {min_pct} OR s.missing <= {max_missing})
  AND coalesce(m.cheapest_release_id, m.release_id) IS NOT NULL
