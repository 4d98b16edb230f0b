"""Two replicas behind nginx (scripts/replicas.py): each browser stays on one replica, and a change
published through replica A is what replica B, which had loaded the data before, shows next."""

from __future__ import annotations

import importlib.util
import sys
import urllib.request

import factory
import pytest
from conftest import REPO, Watched, free_port
from test_review_browser import ARTICLE, EVENT_QUOTE, _decide, draft

_spec = importlib.util.spec_from_file_location("replicas", REPO / "scripts" / "replicas.py")
replicas = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = replicas  # its dataclasses look their module up there
_spec.loader.exec_module(replicas)


def _replica_for(url: str, route: str | None) -> tuple[str, str]:
    """(replica address, route cookie set) of one request through the proxy with that route cookie."""
    request = urllib.request.Request(url)
    if route is not None:
        request.add_header("Cookie", f"{replicas.ROUTE_COOKIE}={route}")
    with urllib.request.urlopen(request, timeout=30) as answer:
        cookie = answer.headers.get("Set-Cookie", "")
        return answer.headers[replicas.REPLICA_HEADER], cookie.split(";")[0].split("=", 1)[-1]


def _routes(deployment) -> dict[str, str]:
    """A route cookie value for each replica address."""
    found: dict[str, str] = {}
    for n in range(200):
        address, _ = _replica_for(deployment.url, f"route-{n}")
        found.setdefault(address, f"route-{n}")
        if len(found) == len(deployment.replica_ports):
            return found
    raise AssertionError(f"200 routes reached only {sorted(found)}")


@pytest.fixture(params=["one data folder", "PostgreSQL"])
def deployment(request, tmp_path, monkeypatch):
    data_dir, seeds_dir = factory.make_data(tmp_path / "root")
    if request.param == "PostgreSQL":  # the team's set-up: the replicas share the database only
        from dashboard.db.migrate import upgrade
        from dashboard.db.transfer import load_folder

        url = request.getfixturevalue("pg_cluster").new_database()
        upgrade(url)
        load_folder(url, data_dir, seeds_dir, who="test")
        monkeypatch.setenv("DASHBOARD_DB_CACHE_DIR", str(tmp_path / "cache"))
        running = replicas.start(2, port=free_port(), run_dir=tmp_path / "run", database_url=url)
    else:
        running = replicas.start(
            2, port=free_port(), run_dir=tmp_path / "run", data=data_dir, seeds=seeds_dir
        )
    yield running
    running.stop()


def test_a_browser_stays_on_one_replica(deployment):
    addresses = {f"127.0.0.1:{port}" for port in deployment.replica_ports}
    first, route = _replica_for(deployment.url, None)  # no cookie yet: one is set
    assert first in addresses and route
    for path in ("", "/_stcore/health", "/_stcore/host-config"):
        for _ in range(5):
            assert _replica_for(deployment.url + path, route)[0] == first
    assert set(_routes(deployment)) == addresses  # and browsers spread over both


def _open(browser, deployment, route: str) -> Watched:
    watched = Watched(browser, height=1400)
    watched.context.add_cookies([{"name": replicas.ROUTE_COOKIE, "value": route, "url": deployment.url}])
    return watched


def test_a_change_published_through_one_replica_is_shown_by_the_other(browser, deployment):
    route_a, route_b = _routes(deployment).values()
    on_b = _open(browser, deployment, route_b)
    answer = on_b.page.goto(deployment.url + "/")
    served_b = answer.headers[replicas.REPLICA_HEADER.lower()]
    on_b.map_frame(timeout_s=180)  # B has loaded the data as it was (slow on a loaded machine)
    assert on_b.page.get_by_text(EVENT_QUOTE).count() == 0

    on_a = _open(browser, deployment, route_a)
    answer = on_a.page.goto(deployment.url + "/?mode=review")
    assert answer.headers[replicas.REPLICA_HEADER.lower()] != served_b
    page = on_a.page
    draft(page, ARTICLE)
    page.get_by_text("3 proposal(s): 3 to review").wait_for(timeout=60000)
    _decide(on_a, "Save as reviewed", "2 to review")
    page.get_by_label("Reason (required to reject)").fill("the event row carries it")
    _decide(on_a, "Reject", "1 to review")
    _decide(on_a, "Save as reviewed", "0 to review")
    name = page.get_by_label("Your name, for the audit log")
    if name.count():  # without sign-in the curator names themselves
        name.fill("Replica Curator")
    page.get_by_role("button", name="Publish the reviewed proposals").click()
    page.get_by_text("Published as document d002").wait_for(timeout=60000)
    page.get_by_role("button", name="Show it on the map").click()
    page.wait_for_function("!location.search.includes('mode=review')", timeout=60000)
    selection = page.url.split("?", 1)[1]
    assert "event" in selection, selection

    # B had the data as it was; its next page on the same view shows the change.
    on_b.page.goto(deployment.url + "/?" + selection)
    on_b.page.get_by_text(EVENT_QUOTE).first.wait_for(timeout=90000)
    on_b.screenshot("replica-b-shows-change.png")
    assert on_b.dialogs == [] and on_a.dialogs == []
    on_a.close()
    on_b.close()
