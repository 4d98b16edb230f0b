"""The running app over time, in headless Chromium: "as known on" from the link, the "What changed" tab."""

from __future__ import annotations

import pytest
from conftest import Watched

from dashboard.filters import apply_filters, known_by
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters


@pytest.fixture(scope="module")
def flat():
    return flat_reports(load_dataset())


def first_published(flat, record_ids) -> dict[str, int]:
    """Record id -> the year its first report was published."""
    rows = flat[flat["id"].isin(record_ids)]
    return {rid: min(known_by(p) for p in group["published"]).year for rid, group in rows.groupby("id")}


def table_ids(watched: Watched, rows: int) -> set[str]:
    """The "Id" cells of every row of the evidence table, scrolling it: the grid keeps only the rows in
    sight in its accessible table."""
    watched.settle()  # a rerun still drawing would redraw the grid under the scroll
    grid = watched.page.locator('[data-testid="stDataFrame"]').first
    read = (
        "g => [...g.querySelectorAll('table[aria-rowcount] tbody tr[aria-rowindex]')].map("
        "r => [r.getAttribute('aria-rowindex'),"
        " (r.querySelector('td[aria-colindex=\"2\"]') || {}).textContent])"
    )
    scroll = "g => { const s = g.querySelector('.dvn-scroller'); s.scrollTop += s.clientHeight / 2; }"
    seen: dict[str, str] = {}
    for _ in range(4 * rows):
        seen.update({index: text for index, text in grid.evaluate(read) if text})
        if len(seen) >= rows:
            break
        grid.evaluate(scroll)
        watched.page.wait_for_timeout(200)
    assert len(seen) == rows, f"read {len(seen)} of {rows} rows"
    return set(seen.values())


def test_known_on_from_the_link_shows_nothing_published_later(browser, app_server, flat):
    watched = Watched(browser)
    watched.page.goto(f"{app_server.url}/?known_on=2023-12-31")
    frame = watched.map_frame()
    expected = apply_filters(flat, Filters(known_on="2023-12-31"))
    later = {rid for rid, year in first_published(flat, set(flat["id"])).items() if year >= 2024}
    assert later and not later & set(expected["id"])
    sidebar = watched.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(f"{len(expected)} of {len(flat)} reports match").wait_for(timeout=20000)
    grid = watched.page.locator('[data-testid="stDataFrame"] table[aria-rowcount]').first
    grid.wait_for(state="attached", timeout=20000)
    assert int(grid.get_attribute("aria-rowcount")) - 1 == len(expected)
    title = frame.locator(".dm-title").inner_text()
    assert "Information cutoff: November 2023" in title and "As known on: 31 December 2023" in title
    sources = frame.locator(".dm-attribution").inner_text()
    assert "2024" not in sources and "2025" not in sources and "November 2023" in sources
    # The evidence table holds exactly the records known by then: none first published in 2024-2025.
    shown = table_ids(watched, len(expected))
    assert shown == set(expected["id"]) and not shown & later
    watched.screenshot("known-on-2023-12-31.png")
    assert watched.errors == []
    watched.close()


def test_the_what_changed_tab_lists_what_the_june_2024_article_added(browser, app_server, flat):
    added = flat[flat["document_id"] == "d003"]
    new = sorted(set(added["id"]) - set(flat.loc[flat["document_id"].isin(["d000", "d001", "d002"]), "id"]))
    watched = Watched(browser)
    watched.page.goto(f"{app_server.url}/?known_on=2024-06-30")
    watched.map_frame()
    watched.page.get_by_role("tab", name="What changed").click()
    panel = watched.page.get_by_role("tabpanel", name="What changed")
    panel.get_by_text("What changed after 31 March 2024, up to 30 June 2024").wait_for(timeout=20000)
    watched.settle()  # the tab runs when opened: read it once that run has finished
    text = panel.inner_text()
    for record in new:
        assert f"New {'claim' if record.startswith('c') else 'event'} {record}" in text, record
    assert "about 23,000 fighters" in text and "10,000 fighters → about 23,000 fighters" in text
    assert "Izvestia" not in text and "2025" not in text
    assert panel.get_by_text("Download as Markdown").count() == 1
    watched.screenshot("what-changed-june-2024.png")
    assert watched.errors == []
    watched.close()
