-- Artist relations for the gem signal `artist_kin`: every catalogue artist named in the
-- collection or the pool ($names: normalised names, JSON), with the names of its aliases, the
-- groups it is in and its members. Names are matched as normalizeName does.
SELECT
  name,
  [a.name FOR a IN coalesce(aliases, [])] AS aliases,
  [g.name FOR g IN coalesce(groups, [])] AS groups,
  [m.name FOR m IN coalesce(members, [])] AS members
FROM catalog_artists
WHERE lower(trim(regexp_replace(regexp_replace(name, ' \(\d+\)$', ''), '\*$', '')))
      IN (SELECT unnest($names::JSON::VARCHAR[]))
