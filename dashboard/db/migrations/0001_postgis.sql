-- PostGIS: imported events and curated places keep real geometries, queryable by analysts' GIS tools.
CREATE EXTENSION IF NOT EXISTS postgis;
