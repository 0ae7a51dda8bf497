-- One row per play kept from a listening history (export file or live account): only the
-- fields Next Spin uses. weight: 1 for a full play, 0.25 for a weak one (see formats.ts).
CREATE TABLE IF NOT EXISTS listening (
  played_at TIMESTAMP,
  artist VARCHAR,
  album VARCHAR,
  track VARCHAR,
  ms_played BIGINT,
  source VARCHAR,
  weight DOUBLE
)
