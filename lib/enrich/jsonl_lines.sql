-- Every line of a JSONL file with its line number and what is wrong with it, if anything.
-- DuckDB reads and checks the JSON (fast, in C++); blank lines are skipped silently.
WITH lines AS (
  SELECT
    generate_subscripts(string_split(content, chr(10)), 1) AS line,
    unnest(string_split(content, chr(10))) AS body
  FROM read_text($path)
),
checked AS (
  SELECT
    line,
    rtrim(body, chr(13)) AS body,
    json_valid(rtrim(body, chr(13))) AS valid
  FROM lines
  WHERE trim(body) <> ''
)
SELECT
  line,
  body,
  CASE WHEN valid AND json_type(body) = 'OBJECT' THEN TRY_CAST(json_extract(body, '$.id') AS BIGINT) END AS release_id,
  CASE
    WHEN NOT valid THEN 'not valid JSON'
    WHEN json_type(body) <> 'OBJECT' THEN 'not a JSON object'
    WHEN json_extract(body, '$.id') IS NULL THEN 'no "id" field'
    WHEN TRY_CAST(json_extract(body, '$.id') AS BIGINT) IS NULL
      OR TRY_CAST(json_extract(body, '$.id') AS BIGINT) <= 0 THEN '"id" is not a release id'
  END AS problem
FROM checked
