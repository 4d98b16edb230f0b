"""Sign-in through a real OpenID Connect provider (``oidc-provider-mock`` on loopback) and Chromium: the
app started by ``dashboard.server.start`` with a secrets file shows a sign-in page only; a viewer finds no
curator control on any tab or view; a curator (by an OIDC claim) has them, and publishing an article
writes audit entries that carry the curator's e-mail."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import factory
import pytest
from conftest import Watched, free_port
from test_review_browser import draft

from dashboard import server
from dashboard.server import ServeOptions, wait_until_answering

VIEWER = "viewer@example.org"
LEAD = "lead@example.org"  # a curator through the provider's "groups" claim, not by e-mail
CURATOR_CONTROLS = ("Review a new article", "Import", "Draft proposals", "Publish the reviewed proposals")
TABS = ("Evidence", "Compare estimates", "Timeline", "Documents", "What changed", "Export")
ARTICLE = (
    "Clash on the border\n\nBorder guards killed 3 militants near Fayzabad on Monday, the minister said.\n"
)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The OIDC provider on a loopback port; LEAD is predefined with the curators' group claim."""
    port = free_port()
    log = tmp_path_factory.mktemp("idp") / "idp.log"
    lead = {"sub": LEAD, "email": LEAD, "name": "A. Lead", "groups": ["staff", "dashboard-curators"]}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
            + ["--user-claims", json.dumps(lead)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/.well-known/openid-configuration", proc, log)
        yield base
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    """The app with sign-in, started as ``serve --secrets`` would, from a folder with no .streamlit/."""
    root = tmp_path_factory.mktemp("signin")
    data_dir, seeds_dir = factory.make_data(root / "data")
    port = free_port()
    secrets = root / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "browser-test-cookie-secret-0123456789abcdef"\n'
        'client_id = "dashboard"\n'
        'client_secret = "browser-test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n\n'
        "[dashboard.roles]\n"
        'curators = ["curator@example.org"]\n'
        f'viewers = ["{VIEWER}"]\n'
        'curator_claim = "groups"\n'
        'curator_value = "dashboard-curators"\n',
        encoding="utf-8",
    )
    log = root / "app.log"
    with log.open("wb") as out:
        proc = server.start(
            ServeOptions(port=port, data=data_dir, seeds=seeds_dir, secrets=secrets),
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/_stcore/health", proc, log)
        yield f"http://127.0.0.1:{port}", data_dir
    finally:
        _stop(proc)


def _sign_in(watched: Watched, url: str, subject: str | None = None, predefined: str | None = None) -> None:
    """From the app's sign-in page through the provider's authorize page and back, signed in."""
    page = watched.page
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60000)
    assert watched.page.locator("iframe").count() == 0  # nothing of the data before signing in
    watched.screenshot("signin-page.png")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=30000)
    if predefined:
        page.get_by_role("button", name=predefined).click()
    else:
        page.locator("input[name=sub]").fill(subject)
        page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Signed in as").wait_for(timeout=60000)
    watched.settle()


def _buttons(watched: Watched) -> set[str]:
    names = watched.page.locator("button").all_inner_texts()
    return {n.strip() for n in names}


def test_a_viewer_finds_no_curator_control(browser, signed_app):
    url, _ = signed_app
    watched = Watched(browser, height=1400)
    page = watched.page
    _sign_in(watched, url, subject=VIEWER)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "viewer" in sidebar.inner_text() and "example.org" in sidebar.inner_text()
    watched.map_frame()  # the viewer reads the map
    page.get_by_text("Imported events (ACLED, UCDP GED)").click()  # the section that holds the upload
    watched.settle()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        watched.settle()
        assert not _buttons(watched) & set(CURATOR_CONTROLS), tab
    watched.screenshot("signin-viewer.png")
    page.goto(f"{url}/?mode=review")  # the review view by its address: still no curator control
    page.get_by_text("Only curators can review new articles.").wait_for(timeout=60000)
    assert page.get_by_label("Article text").count() == 0
    assert not _buttons(watched) & set(CURATOR_CONTROLS)
    page.get_by_role("button", name="Sign out").click()  # through the provider's end of session
    page.get_by_role("button", name="End session").click(timeout=30000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60000)
    assert watched.dialogs == []
    watched.close()


def test_someone_off_the_allow_list_is_refused(browser, signed_app):
    url, _ = signed_app
    watched = Watched(browser)
    _sign_in(watched, url, subject="stranger@example.org")
    watched.page.get_by_text("is not on the list of people who may read this dashboard").wait_for()
    assert watched.page.locator("iframe").count() == 0
    assert not _buttons(watched) & set(CURATOR_CONTROLS)
    watched.close()


def test_a_curator_publishes_and_the_audit_log_names_them(browser, signed_app):
    url, data_dir = signed_app
    watched = Watched(browser, height=1400)
    page = watched.page
    _sign_in(watched, url, predefined=LEAD)
    assert "curator" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.get_by_text("Imported events (ACLED, UCDP GED)").click()
    page.get_by_role("button", name="Import").wait_for(timeout=30000)
    # The opened expander is still growing (its uploader draws last) and pushes the buttons below it
    # down; a click aimed before it settles lands on whatever moved under the pointer.
    watched.settle()
    page.get_by_role("button", name="Review a new article").click()
    page.get_by_label("Article text").wait_for(timeout=60000)
    draft(page, ARTICLE)
    page.get_by_text("to review").first.wait_for(timeout=60000)
    for _ in range(5):  # each proposal as drafted; the next one is picked after each
        if page.get_by_text(" 0 to review").count():
            break
        page.get_by_role("button", name="Save as reviewed").click()
        watched.settle()
    assert page.get_by_label("Your name, for the audit log").count() == 0  # the sign-in names them
    page.get_by_role("button", name="Publish the reviewed proposals").click()
    page.get_by_text("Published as document d002").wait_for(timeout=60000)
    watched.screenshot("signin-curator-published.png")
    with open(data_dir / "audit.csv", encoding="utf-8", newline="") as fh:
        entries = list(csv.DictReader(fh))
    assert entries and {e["who"] for e in entries} == {LEAD}
    assert watched.dialogs == []
    watched.close()
