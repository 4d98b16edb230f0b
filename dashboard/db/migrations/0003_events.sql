-- Imported events (ACLED, UCDP GED) in the shared store: the same columns as the embedded store's
-- Parquet files (dashboard/events/datasets.py STORED_COLUMNS), a PostGIS point for analysts' GIS tools
-- and the map's bounds, and each dataset's manifest. They live in a schema of their own, "imported",
-- so that their "events" never meet the curated tables' names.

-- lower() and LIKE on names must fold non-ASCII letters the way the embedded engine does.
DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'imported events need a UTF8 database (this one is %)', current_setting('server_encoding');
    END IF;
END
$$;

CREATE SCHEMA imported;

CREATE TABLE imported.events (
    -- "C": ids sort byte by byte, as the embedded engine sorts them (tables list events in that order).
    dataset text COLLATE "C" NOT NULL CHECK (dataset IN ('acled', 'ucdp')),
    event_id text COLLATE "C" NOT NULL,
    date_start date NOT NULL,
    date_end date NOT NULL,
    time_precision smallint,
    event_type text,
    sub_event_type text,
    disorder_type text,
    conflict_name text,
    actor1 text,
    assoc_actor_1 text,
    actor2 text,
    assoc_actor_2 text,
    country text,
    admin1 text,
    admin2 text,
    admin3 text,
    location text,
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    geo_precision smallint,
    fatalities integer,
    fatalities_low integer,
    fatalities_high integer,
    deaths_a integer,
    deaths_b integer,
    deaths_civilians integer,
    deaths_unknown integer,
    source text,
    source_scale text,
    notes text,
    tags text,
    source_timestamp text,
    -- resolved at import (PostgreSQL has no H3: the cells are computed by the importer, as for Parquet)
    province_id text,
    province text,
    country_iso3 text,
    place_basis text,
    h3_r3 bigint,
    h3_r4 bigint,
    h3_r5 bigint,
    h3_r6 bigint,
    -- the living dataset
    status text NOT NULL CHECK (status IN ('current', 'withdrawn')),
    first_seen date NOT NULL,
    changed_on date,
    withdrawn_on date,
    -- the row's place in the dataset's Parquet file, so that a dump writes the rows in the order loaded
    ord bigint NOT NULL,
    geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    PRIMARY KEY (dataset, event_id)
);

-- The map's view (geom && envelope), the date window, the dataset with its status, and provinces.
CREATE INDEX events_geom ON imported.events USING gist (geom);
CREATE INDEX events_dates ON imported.events (date_start, date_end);
CREATE INDEX events_dataset_status ON imported.events (dataset, status);
CREATE INDEX events_province ON imported.events (province_id);

-- Bumped by every change of a dataset: a reader's cache key (one cheap query says whether to re-read).
CREATE SEQUENCE imported.revision;

CREATE TABLE imported.manifests (
    dataset text COLLATE "C" PRIMARY KEY CHECK (dataset IN ('acled', 'ucdp')),
    -- json, not jsonb: the manifest's keys keep their order, so a dump writes the file that was loaded
    manifest json NOT NULL,
    revision bigint NOT NULL DEFAULT nextval('imported.revision'),
    changed_at timestamptz NOT NULL DEFAULT now()
);
