"""What a simulated analyst does on the dashboard, one step at a time, through ``stream_client``.

Each step is what one gesture in the browser sends: a filter changed in the sidebar (the report-date
preset, the Province filter, or a source: outlet or document), the map panned and zoomed (the value
``st_folium`` reports), a record selected (a row of the evidence table, or a province clicked on the
map), and an export (the format's button pressed, which makes the file in that run, then the download
button that appears fetched). Widgets are found by the keys the
app gives them (``dashboard/ui``), their choices read from what the server last sent, as a browser does.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from stream_client import (
    RunResult,
    StreamSession,
    json_state,
    multiselect_state,
    string_state,
    trigger_state,
)

from dashboard.ui.page import TAB_KEY

MAP_COMPONENT = "streamlit_folium.st_folium"
#: The region the simulated analyst pans over (lat, lon ranges) and the zooms they use.
REGION = ((35.5, 39.0), (66.5, 73.5))
ZOOMS = (5, 6, 7, 8, 9, 10)
#: Formats exported in turn (the export panel's buttons: ``export_make_<format>`` makes the file, then
#: the download button ``export_<format>`` holds it).
EXPORT_FORMATS = ("csv", "xlsx", "geojson", "png", "html")
#: Query strings the sessions open the page with (one each, in turn): links an analyst would share.
QUERIES = (
    "",
    "province=Badakhshan",
    "start=2023-01&end=2024-12",
    "type=border+incident",
    "zoom=7&lat=37.0&lon=70.0",
    "province=Kunduz&province=Takhar",
)
#: The gestures, in the order a session repeats them; "filter" takes its three kinds in turn.
CYCLE = ("filter", "zoom/pan", "select", "export")
FILTERS = ("filter: dates", "filter: province", "filter: source")


def province_ids(data_dir: Path) -> list[str]:
    """The ids of the provinces in ``data_dir/places.csv`` (what a map click on a province reports)."""
    with (data_dir / "places.csv").open(encoding="utf-8", newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle) if row["kind"] == "province"]


@dataclass
class Analyst:
    """One simulated analyst: a seeded random source, the map's memory and where they are in the cycle."""

    seed: int
    provinces: list[str]
    step: int = 0
    map_value: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def next_action(self) -> str:
        """The next gesture's name (a filter names its kind)."""
        action = CYCLE[self.step % len(CYCLE)]
        if action == "filter":
            action = FILTERS[(self.step // len(CYCLE)) % len(FILTERS)]
        self.step += 1
        return action

    async def act(self, session: StreamSession, action: str) -> RunResult:
        """Do ``action`` on ``session``; an export returns its download time as ``seconds``."""
        if action == "export":
            formats = EXPORT_FORMATS
            name = formats[(self.step // len(CYCLE)) % len(formats)]
            if f"export_make_{name}" not in session.widgets:  # only the open tab is drawn: open Export
                opened = await session.rerun(string_state(session.widget(TAB_KEY), "Export"))
                if opened.exceptions or opened.error_alerts:
                    return opened
            made = await session.rerun(trigger_state(session.widget(f"export_make_{name}")))
            if made.exceptions or made.error_alerts:
                return made  # counted as errors by the caller
            seconds, size = await session.download(f"export_{name}")
            if size == 0:
                raise RuntimeError(f"export_{name}: an empty file")
            return RunResult(made.seconds + seconds)
        move = {
            "filter: dates": self._dates,
            "filter: province": self._province,
            "filter: source": self._source,
            "zoom/pan": self._pan,
            "select": self._select,
        }[action]
        return await session.rerun(move(session))

    def _dates(self, session: StreamSession):
        widget = session.widget("f_date_preset")
        choices = [o for o in widget.proto.options if o not in (widget.proto.raw_value, "Custom")]
        return string_state(widget, self.rng.choice(choices))

    def _province(self, session: StreamSession):
        return self._pick(session.widget("f_province"), 2)

    def _source(self, session: StreamSession):
        key = ("f_outlet", "f_document")[self.rng.randrange(2)]
        return self._pick(session.widget(key), 1)

    def _pick(self, widget, most: int):
        """A multiselect's new value: up to ``most`` of its options, other than the value it was sent
        with (when the app set one)."""
        options, held = list(widget.proto.options), list(widget.proto.raw_values)
        if not options:
            raise ValueError(f"{widget.key}: no options to choose from")
        for _ in range(20):  # a few draws find a value other than the one held
            chosen = self.rng.sample(options, self.rng.randint(0, min(most, len(options))))
            if chosen != held:
                break
        return multiselect_state(widget, chosen)

    def _pan(self, session: StreamSession):
        (lat0, lat1), (lon0, lon1) = REGION
        lat, lon, zoom = self.rng.uniform(lat0, lat1), self.rng.uniform(lon0, lon1), self.rng.choice(ZOOMS)
        half = 180 / 2**zoom  # about half the width of a 700 px map at this zoom, in degrees
        self.map_value.update(
            center={"lat": lat, "lng": lon},
            zoom=zoom,
            bounds={
                "_southWest": {"lat": lat - half / 2, "lng": lon - half},
                "_northEast": {"lat": lat + half / 2, "lng": lon + half},
            },
        )
        return self._map_state(session)

    def _select(self, session: StreamSession):
        table = session.widgets.get("evidence")
        rows = table_rows(table.proto) if table is not None else 0
        if rows and self.rng.random() < 0.5:
            row = self.rng.randrange(rows)
            selection = {"selection": {"rows": [row], "columns": [], "cells": []}}
            return string_state(table, json.dumps(selection))
        # A click on a province: the feature's properties, where the click fell.
        (lat0, lat1), (lon0, lon1) = REGION
        point = {"lat": self.rng.uniform(lat0, lat1), "lng": self.rng.uniform(lon0, lon1)}
        feature = {
            "type": "Feature",
            "properties": {"kind": "province", "id": self.rng.choice(self.provinces)},
        }
        self.map_value.update(last_active_drawing=feature, last_object_clicked=point)
        return self._map_state(session)

    def _map_state(self, session: StreamSession):
        value = {
            "last_active_drawing": None,
            "last_object_clicked": None,
            "center": {"lat": 37.0, "lng": 70.0},
            "zoom": 6,
            "bounds": None,
            **self.map_value,
        }
        (component,) = session.components(MAP_COMPONENT)
        return json_state(component, json.dumps(value))


def table_rows(proto) -> int:
    """The number of rows of a dataframe element."""
    if proto.HasField("lazy_data"):
        return proto.lazy_data.row_count
    import pyarrow as pa

    return pa.ipc.open_stream(proto.arrow_data.data).read_all().num_rows
