"""The content-security policies of docs/deployment.md, served with the app: nothing the app needs is
blocked, so the policy the documentation gives a reverse proxy is one the app runs under.

The policies are read from the nginx snippet in the documentation (one for the page, one for the map's
``/component/`` frame) and added to every document the browser loads, as the proxy would add them.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import CHROMIUM_FLAGS, REPO, Watched

DEPLOYMENT = REPO / "docs" / "deployment.md"

#: Records every policy violation in the page and its frames (some are only reported, never logged).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + location.pathname);
});
"""


def documented_headers() -> dict[str, dict[str, str]]:
    """{"page": headers, "component": headers} as the nginx snippet of docs/deployment.md sets them."""
    text = DEPLOYMENT.read_text()
    maps = {}
    for name in ("dashboard_csp", "dashboard_frame_options"):
        block = re.search(r"map \$uri \$" + name + r" \{(.*?)\n\}", text, re.S).group(1)
        maps[name] = dict(re.findall(r'^\s*(default|~\^/component/)\s+"?(.*?)"?;$', block, re.M))
    fixed = dict(re.findall(r"add_header ([\w-]+) (nosniff|no-referrer) always;", text))
    assert fixed == {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    return {
        where: {
            "Content-Security-Policy": maps["dashboard_csp"][key],
            "X-Frame-Options": maps["dashboard_frame_options"][key],
            **fixed,
        }
        for where, key in (("page", "default"), ("component", "~^/component/"))
    }


def test_the_documented_policies_are_strict_where_they_can_be():
    headers = documented_headers()
    page, component = (
        headers["page"]["Content-Security-Policy"],
        headers["component"]["Content-Security-Policy"],
    )
    assert "frame-ancestors 'none'" in page and headers["page"]["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in component and headers["component"]["X-Frame-Options"] == "SAMEORIGIN"
    assert "'unsafe-eval'" not in page and "'unsafe-eval'" in component
    for policy in (page, component):
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "*" not in policy and "http" not in policy  # nothing from another host


@pytest.fixture(scope="module")
def lan_browser(browser):
    """A second Chromium (same Playwright) that lets a page the test serves itself reach 127.0.0.1.

    A document fulfilled by the test has no address of its own, so Chromium's local-network checks
    would block its websocket to 127.0.0.1; behind a real proxy the page and the socket share one host.
    """
    lan = browser.browser_type.launch(
        executable_path=shutil.which("chromium"),
        args=[*CHROMIUM_FLAGS, "--disable-features=LocalNetworkAccessChecks"],
    )
    yield lan
    lan.close()


def test_the_app_runs_under_the_documented_policies(lan_browser, app_server):
    headers = documented_headers()
    watched = Watched(lan_browser)
    served = []

    def add_headers(route, request):
        if request.resource_type != "document":
            route.continue_()
            return
        where = "component" if "/component/" in request.url else "page"
        served.append(where)
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, **headers[where]})

    watched.context.add_init_script(RECORD_VIOLATIONS)
    watched.context.route("**/*", add_headers)
    watched.page.goto(f"{app_server.url}/?select=event:e001")
    frame = watched.map_frame()
    frame.locator(".leaflet-marker-pane .dm-symbol:not(.dm-vague)").first.dispatch_event("click")
    frame.locator(".leaflet-popup-content").wait_for(timeout=10000)
    for tab in ("Compare estimates", "Timeline", "Documents", "Export"):
        watched.page.get_by_role("tab", name=tab).click()  # each tab runs when opened: its charts draw
        settle(watched)
        if tab in ("Compare estimates", "Timeline"):
            panel = watched.page.get_by_role("tabpanel", name=tab)
            panel.locator('[data-testid="stVegaLiteChart"]').first.wait_for(state="attached", timeout=15000)
    assert set(served) == {"page", "component"}
    violations = [v for f in watched.page.frames for v in f.evaluate("window.__violations || []")]
    assert violations == []
    assert [e for e in watched.errors if "Content Security Policy" in e] == []
    watched.close()


def settle(watched: Watched) -> None:
    """Wait for Streamlit's rerun without ``wait_for_function``, whose string predicate the policy blocks."""
    watched.page.wait_for_timeout(500)
    watched.page.locator('[data-stale="true"]').first.wait_for(state="detached", timeout=30000)
    watched.page.wait_for_timeout(500)
