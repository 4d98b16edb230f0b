"""An article pasted in the app becomes a published record after review, visible on the map with its quote,
and the audit log names the change."""

from __future__ import annotations

import csv

import factory
from conftest import Server, Watched

from dashboard.ui import data as ui_data

ARTICLE = (
    "Clash on the border\n\n"
    "Border guards killed 3 militants near Fayzabad on Monday, the minister said.\n\n"
    "About 4,500 fighters remain in Badakhshan, A. Minister told TASS.\n"
)
EVENT_QUOTE = "Border guards killed 3 militants near Fayzabad on Monday, the minister said."


def test_a_pasted_article_is_reviewed_published_and_shown_on_the_map(browser, tmp_path):
    data_dir, seeds_dir = factory.make_data(tmp_path / "root")
    server = Server({ui_data.DATA_DIR_ENV: str(data_dir), ui_data.SEEDS_DIR_ENV: str(seeds_dir)})
    try:
        watched = Watched(browser, height=1400)
        page = watched.page
        page.goto(f"{server.url}/?mode=review")
        draft(page, ARTICLE)
        page.get_by_text("3 proposal(s): 3 to review").wait_for(timeout=60000)
        page.locator("mark", has_text="Border guards killed 3 militants").wait_for()
        watched.screenshot("review-proposal.png")
        # 1: the event, as drafted; 2: the casualty figure, rejected; 3: the strength figure, reviewed
        _decide(watched, "Save as reviewed", "2 to review")
        page.get_by_label("Reason (required to reject)").fill("the event row carries it")
        _decide(watched, "Reject", "1 to review")
        _decide(watched, "Save as reviewed", "0 to review")
        page.get_by_label("Your name, for the audit log").fill("Browser Curator")
        page.get_by_label("Why (optional), for the audit log").fill("browser test")
        page.get_by_role("button", name="Publish the reviewed proposals").click()
        page.get_by_text("Published as document d002").wait_for(timeout=60000)
        watched.screenshot("review-published.png")
        entries = _audit(data_dir)
        assert {e["who"] for e in entries} == {"Browser Curator"}
        event = next(e for e in entries if e["action"] == "add" and e["record_kind"] == "event")
        assert event["reason"] == "browser test" and event["draft_row"] == "review of pasted.txt:2"
        reject = next(e for e in entries if e["action"] == "reject")
        assert reject["reason"] == "the event row carries it"
        page.get_by_role("button", name="Show it on the map").click()
        frame = watched.map_frame()
        page.get_by_text(EVENT_QUOTE).first.wait_for(timeout=30000)  # the selection beside the map
        symbols = frame.locator(".leaflet-marker-pane .dm-symbol")
        quoted = False  # one of the map's markers opens a popup with the quote
        for i in range(symbols.count()):
            symbols.nth(i).dispatch_event("click")
            page.wait_for_timeout(500)
            if frame.get_by_text(EVENT_QUOTE).count():
                quoted = True
                break
        watched.screenshot("review-on-the-map.png")
        assert quoted
        assert f"event%3A{event['record_id']}" in page.url or f"event:{event['record_id']}" in page.url
        assert watched.dialogs == []
        watched.close()
    finally:
        server.stop()


def draft(page, article: str) -> None:
    """Paste ``article`` into the review form with its document's details, and ask for proposals."""
    page.get_by_label("Article text").fill(article)
    page.get_by_label("Title").fill("Clash on the border")
    page.get_by_label("Outlet").fill("Outlet C")
    page.get_by_label("Address (http or https)").fill("https://example.org/clash")
    page.get_by_label("Publication date (YYYY, YYYY-MM or YYYY-MM-DD)").fill("2024-03-06")
    page.get_by_role("button", name="Draft proposals").click()


def _decide(watched: Watched, button: str, then: str) -> None:
    watched.page.get_by_role("button", name=button).click()
    watched.page.get_by_text(then).first.wait_for(timeout=30000)
    watched.settle()


def _audit(data_dir):
    with open(data_dir / "audit.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
