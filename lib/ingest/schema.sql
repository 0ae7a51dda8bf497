-- The ingest tables, empty. Both exports are optional, so each table always exists for the
-- stages that read it, with these exact types (the API import fills the same columns).
CREATE OR REPLACE TEMP TABLE ingest_collection (
  instance_key VARCHAR, instance_id BIGINT, release_id BIGINT, artist VARCHAR, artist_display VARCHAR,
  title VARCHAR, label VARCHAR, catalog_number VARCHAR, format VARCHAR, released_year INTEGER,
  folder VARCHAR, date_added TIMESTAMP, media_condition VARCHAR, sleeve_condition VARCHAR,
  notes VARCHAR, rating INTEGER, custom_fields JSON, source_file VARCHAR, source_line INTEGER
);
CREATE OR REPLACE TEMP TABLE ingest_wantlist (
  release_id BIGINT, artist VARCHAR, artist_display VARCHAR, title VARCHAR, label VARCHAR,
  catalog_number VARCHAR, format VARCHAR, released_year INTEGER, rating INTEGER, notes VARCHAR,
  date_added TIMESTAMP, source_file VARCHAR, source_line INTEGER
);
CREATE OR REPLACE TEMP TABLE ingest_reject_rows (
  source_file VARCHAR, kind VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR
);
