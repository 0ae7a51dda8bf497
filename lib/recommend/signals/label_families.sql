-- Label families for the gem signal `label_family`: every catalogue label named in the
-- collection or the pool ($names: normalised names, JSON), with its parent label's name.
-- Names are matched as normalizeName does (lower case, no " (2)" suffix, no "*").
SELECT name, parent_name
FROM catalog_labels
WHERE lower(trim(regexp_replace(regexp_replace(name, ' \(\d+\)$', ''), '\*$', '')))
      IN (SELECT unnest($names::JSON::VARCHAR[]))
