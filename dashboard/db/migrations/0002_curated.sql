-- The curated dataset (the data folder and its documents folder) in the schema "curated".
--
-- Every table of the product's contract (dashboard/contract/) is a table of the same name with the
-- contract's columns, in order, each holding the cell's TEXT exactly as written ("NA", "012" and an
-- empty cell stay what they are: the validator and the loader type them), and "position", the row's
-- place in its file. The GeoJSON files are layers of features: a PostGIS geometry in EPSG:4326 (made from
-- the feature's own GeoJSON geometry, which is kept exactly), the feature's id and its properties as
-- jsonb. Places also carry a PostGIS point made from their lat/lon, for analysts' GIS tools. Every other
-- file of the two folders (the source documents, each datapackage.json, the data dictionary) is kept
-- byte for byte in "files". "dataset_state" holds one row, whose version every change moves on: a
-- server reading the data asks for it alone to know whether anything changed.
--
-- Write it only through the dashboard (`db load`, or a change made in the app or on the command line):
-- each change is validated whole before it is committed.

CREATE SCHEMA curated;

CREATE TABLE curated.dataset_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT ''
);
INSERT INTO curated.dataset_state DEFAULT VALUES;

-- How each table's CSV file was written, so that a dump gives back the same bytes.
CREATE TABLE curated.csv_layout (
    table_name text PRIMARY KEY,
    line_end text NOT NULL CHECK (line_end IN (E'\n', E'\r\n')),
    quote_all boolean NOT NULL,
    final_newline boolean NOT NULL
);

-- places.csv
CREATE TABLE curated."places" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "name" text NOT NULL,
    "kind" text NOT NULL,
    "country" text NOT NULL,
    "admin1" text NOT NULL,
    "lat" text NOT NULL,
    "lon" text NOT NULL,
    "location_precision" text NOT NULL,
    "geometry_ref" text NOT NULL,
    "alt_names" text NOT NULL,
    "geonames_id" text NOT NULL,
    "notes" text NOT NULL,
    geom geometry(Point, 4326) GENERATED ALWAYS AS (
        CASE WHEN lat ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' AND lon ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$'
        THEN ST_SetSRID(ST_MakePoint(lon::double precision, lat::double precision), 4326) END
    ) STORED
);

-- groups.csv
CREATE TABLE curated."groups" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "name" text NOT NULL,
    "kind" text NOT NULL,
    "alt_names" text NOT NULL,
    "notes" text NOT NULL
);

-- actors.csv
CREATE TABLE curated."actors" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "name" text NOT NULL,
    "kind" text NOT NULL,
    "role" text NOT NULL,
    "affiliation" text NOT NULL,
    "country" text NOT NULL,
    "source_reliability" text NOT NULL,
    "notes" text NOT NULL
);

-- claims.csv
CREATE TABLE curated."claims" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "topic" text NOT NULL,
    "subject" text NOT NULL,
    "group" text NOT NULL,
    "figure_low" text NOT NULL,
    "figure_best" text NOT NULL,
    "figure_high" text NOT NULL,
    "figure_qualifier" text NOT NULL,
    "unit" text NOT NULL,
    "figure_text" text NOT NULL,
    "figure_coding" text NOT NULL,
    "places" text NOT NULL,
    "date" text NOT NULL,
    "date_end" text NOT NULL,
    "date_precision" text NOT NULL,
    "date_qualifier" text NOT NULL,
    "date_earliest" text NOT NULL,
    "date_latest" text NOT NULL,
    "date_basis" text NOT NULL,
    "said_date" text NOT NULL,
    "said_precision" text NOT NULL,
    "said_earliest" text NOT NULL,
    "said_latest" text NOT NULL,
    "said_basis" text NOT NULL,
    "claimant" text NOT NULL,
    "stance" text NOT NULL,
    "event" text NOT NULL,
    "analyst_confidence" text NOT NULL,
    "notes" text NOT NULL
);

-- events.csv
CREATE TABLE curated."events" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "type" text NOT NULL,
    "event_type" text NOT NULL,
    "sub_event_type" text NOT NULL,
    "title" text NOT NULL,
    "status" text NOT NULL,
    "claimant" text NOT NULL,
    "date" text NOT NULL,
    "date_end" text NOT NULL,
    "date_precision" text NOT NULL,
    "date_qualifier" text NOT NULL,
    "date_earliest" text NOT NULL,
    "date_latest" text NOT NULL,
    "date_basis" text NOT NULL,
    "said_date" text NOT NULL,
    "said_precision" text NOT NULL,
    "said_earliest" text NOT NULL,
    "said_latest" text NOT NULL,
    "said_basis" text NOT NULL,
    "location" text NOT NULL,
    "places" text NOT NULL,
    "participants" text NOT NULL,
    "groups" text NOT NULL,
    "fatalities_low" text NOT NULL,
    "fatalities_best" text NOT NULL,
    "fatalities_high" text NOT NULL,
    "notes" text NOT NULL
);

-- reports.csv
CREATE TABLE curated."reports" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "document" text NOT NULL,
    "record_kind" text NOT NULL,
    "record_id" text NOT NULL,
    "quote" text NOT NULL,
    "relayed_by" text NOT NULL,
    "info_credibility" text NOT NULL,
    "figure_low" text NOT NULL,
    "figure_best" text NOT NULL,
    "figure_high" text NOT NULL,
    "figure_qualifier" text NOT NULL,
    "unit" text NOT NULL,
    "figure_text" text NOT NULL,
    "figure_coding" text NOT NULL,
    "date" text NOT NULL,
    "date_end" text NOT NULL,
    "date_precision" text NOT NULL,
    "date_qualifier" text NOT NULL,
    "date_earliest" text NOT NULL,
    "date_latest" text NOT NULL,
    "date_basis" text NOT NULL,
    "said_date" text NOT NULL,
    "said_precision" text NOT NULL,
    "said_earliest" text NOT NULL,
    "said_latest" text NOT NULL,
    "said_basis" text NOT NULL,
    "notes" text NOT NULL
);

-- country_bounds.csv
CREATE TABLE curated."country_bounds" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "name" text NOT NULL,
    "min_lon" text NOT NULL,
    "min_lat" text NOT NULL,
    "max_lon" text NOT NULL,
    "max_lat" text NOT NULL
);

-- audit.csv
CREATE TABLE curated."audit" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "at" text NOT NULL,
    "who" text NOT NULL,
    "action" text NOT NULL,
    "record_kind" text NOT NULL,
    "record_id" text NOT NULL,
    "field" text NOT NULL,
    "old" text NOT NULL,
    "new" text NOT NULL,
    "reason" text NOT NULL,
    "draft_row" text NOT NULL
);

-- retractions.csv
CREATE TABLE curated."retractions" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "target" text NOT NULL,
    "target_kind" text NOT NULL,
    "kind" text NOT NULL,
    "date" text NOT NULL,
    "reason" text NOT NULL,
    "notes" text NOT NULL
);

-- documents.csv
CREATE TABLE curated."documents" (
    position integer PRIMARY KEY,
    "id" text NOT NULL,
    "file" text NOT NULL,
    "sha256" text NOT NULL,
    "title" text NOT NULL,
    "outlet" text NOT NULL,
    "author" text NOT NULL,
    "url" text NOT NULL,
    "published" text NOT NULL,
    "published_precision" text NOT NULL,
    "published_basis" text NOT NULL,
    "language" text NOT NULL,
    "translation_note" text NOT NULL
);

CREATE INDEX places_geom ON curated.places USING gist (geom);

-- One GeoJSON file (its name without .geojson) and its FeatureCollection's members other than
-- "type" and "features", in their order (json keeps it).
CREATE TABLE curated.layers (
    name text PRIMARY KEY,
    members json NOT NULL
);

CREATE TABLE curated.features (
    layer text NOT NULL REFERENCES curated.layers (name) ON DELETE CASCADE,
    position integer NOT NULL,
    id text,                      -- the feature's id: its id member, else its id property
    id_member jsonb,              -- [the id member as written], null when the feature has none
    properties jsonb,
    property_names text[],        -- the properties' order in the file (jsonb does not keep it)
    geometry_json jsonb,          -- the geometry exactly as written
    extra json,                   -- any other member of the feature
    geom geometry(Geometry, 4326) GENERATED ALWAYS AS (
        ST_SetSRID(ST_GeomFromGeoJSON(geometry_json::text), 4326)
    ) STORED,
    PRIMARY KEY (layer, position)
);
CREATE INDEX features_geom ON curated.features USING gist (geom);
CREATE INDEX features_id ON curated.features (layer, id);

-- Every other file of the data folder ('data') and of the documents folder ('seeds'), byte for byte.
CREATE TABLE curated.files (
    folder text NOT NULL CHECK (folder IN ('data', 'seeds')),
    name text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (folder, name)
);
