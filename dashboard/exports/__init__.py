"""Briefing exports of the filtered reports: tables, GeoJSON, standalone HTML, PNG, slide and PDF.

Every format starts from the same inputs: the dataset, the flat report table (all rows and the
filtered rows) and a :class:`~dashboard.exports.briefing.Briefing` (filters, title, caveat, framing).
The map formats draw the map with :mod:`dashboard.mapping` (the builder the app uses) and add the
briefing's decorations; only the no-browser fallback draws it again, with the same style constants.
Functions return bytes, so the app can hand them to a download button and the CLI can write them
through :mod:`dashboard.exports.paths`.
"""
