"""Sign-in through AppTest (``st.user`` and the secrets faked): the sign-in page shows nothing of the data,
viewers get no curator control, refused people get a message, curators publish under their e-mail, and a
write re-checks the role even when a control was drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from drafts import read_rows, state
from events_helpers import ACLED_JUNE
from streamlit.testing.v1 import AppTest
from test_access import AUTH

from dashboard.events.store import EventStore
from dashboard.ui import data as ui_data
from dashboard.ui import imported, review, signin

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
ROLES = {"curators": ["curator@example.org"], "viewers": ["viewer@example.org"]}
CURATOR = {"is_logged_in": True, "email": "curator@example.org", "name": "A. Curator"}
VIEWER = {"is_logged_in": True, "email": "viewer@example.org", "name": "B. Viewer"}
ARTICLE = "Clash\n\nBorder guards killed 3 militants near Fayzabad on Monday, the minister said.\n"


@pytest.fixture()
def folders(make_data, monkeypatch):
    data_dir, seeds_dir = make_data()
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(seeds_dir))
    return data_dir, seeds_dir


def app(user: dict, query: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (secrets or {"auth": AUTH, "dashboard": {"roles": ROLES}}).items():
        at.secrets[key] = value
    at.user = user
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def components(at: AppTest) -> list:
    return [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"]


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button} | {b.label for b in at.sidebar.button}


def plain(elements) -> list[str]:
    """Texts as read (Markdown escapes and the word joiner after '@' taken out)."""
    return [e.value.replace("\\", "").replace("\u2060", "") for e in elements]


def captions(at: AppTest, where=None) -> list[str]:
    return plain((where or at).caption)


def shows_nothing_of_the_data(at: AppTest) -> bool:
    return not components(at) and not at.dataframe and not at.tabs and not at.sidebar.multiselect


def test_signed_out_sees_the_sign_in_page_only(folders, monkeypatch):
    at = app({"is_logged_in": False})
    assert [t.value for t in at.title] == [signin.PAGE_TITLE]
    assert labels(at) == {"Sign in"}
    assert shows_nothing_of_the_data(at) and len(at.sidebar) == 0
    called = []
    monkeypatch.setattr(streamlit, "login", lambda provider=None: called.append(provider))
    at.button(key="sign_in").click().run()
    assert called == [None]  # the default provider of [auth]
    at = app({"is_logged_in": False}, query={"mode": "review"})  # no way around it through the URL
    assert labels(at) == {"Sign in"} and not at.text_area


def test_a_viewer_reads_but_has_no_curator_control(folders):
    at = app(VIEWER)
    assert components(at) and at.tabs  # the map and the evidence
    assert "Signed in as B. Viewer (viewer@example.org) · viewer" in captions(at, at.sidebar)
    buttons = labels(at)
    assert "Sign out" in buttons
    assert not buttons & {"Review a new article", "Import", "Publish the reviewed proposals"}
    assert not at.sidebar.file_uploader
    at = app(VIEWER, query={"mode": "review"})
    assert any("Only curators" in i.value for i in at.info)
    assert not at.text_area and "Draft proposals" not in labels(at)


def test_sign_out_calls_streamlit_logout(folders, monkeypatch):
    called = []
    monkeypatch.setattr(streamlit, "logout", lambda: called.append(True))
    at = app(VIEWER)
    at.sidebar.button(key="sign_out").click().run()
    assert called == [True]


def test_someone_off_the_allow_list_is_refused(folders):
    at = app({"is_logged_in": True, "email": "stranger@example.org"})
    assert any("is not on the list of people who may read" in e for e in plain(at.error))
    assert shows_nothing_of_the_data(at)
    assert "Sign out" in labels(at)  # to try another account


def test_a_curator_has_the_controls(folders):
    at = app(CURATOR)
    assert {"Review a new article", "Import", "Sign out"} <= labels(at)
    assert "Signed in as A. Curator (curator@example.org) · curator" in captions(at, at.sidebar)


def _drafted_and_reviewed(user: dict) -> AppTest:
    at = app(user, query={"mode": "review"})
    at.text_area(key="rv_text").set_value(ARTICLE)
    at.text_input(key="rv_title").set_value("Clash")
    at.text_input(key="rv_outlet").set_value("Outlet C")
    at.text_input(key="rv_url").set_value("https://example.org/clash")
    at.text_input(key="rv_published").set_value("2024-03-06")
    next(b for b in at.button if b.label == "Draft proposals").click()
    at.run()
    for _ in range(5):  # decide every proposal as drafted
        save = [b for b in at.button if b.label == "Save as reviewed"]
        if not save:
            break
        save[0].click()
        at.run()
    assert not at.exception, at.exception
    return at


def test_a_curator_publishes_under_the_signed_in_e_mail(folders):
    data_dir, _ = folders
    at = _drafted_and_reviewed(CURATOR)
    assert not any(t.key == "rv_who" for t in at.text_input)  # nobody types a name when signed in
    assert "Published in the audit log as curator@example.org." in captions(at)
    next(b for b in at.button if b.label == "Publish the reviewed proposals").click()
    at.run()
    assert any("Published as document" in s.value for s in at.success), [e.value for e in at.error]
    entries = read_rows(data_dir / "audit.csv")
    assert entries and {e["who"] for e in entries} == {"curator@example.org"}


def test_a_stale_publish_from_a_viewer_writes_nothing(folders):
    """A publish button drawn for a curator, clicked once the session is a viewer's: never drawn again."""
    data_dir, seeds_dir = folders
    at = _drafted_and_reviewed(CURATOR)
    before = state(data_dir, seeds_dir)
    publish = next(b for b in at.button if b.label == "Publish the reviewed proposals")
    at.user = VIEWER
    publish.click()
    at.run()
    assert state(data_dir, seeds_dir) == before
    assert not any("Published as document" in s.value for s in at.success)


def test_the_write_checks_the_role_again_even_when_the_control_is_drawn(folders, monkeypatch):
    """Should a drawing check ever let a viewer's control through, the write itself refuses."""
    data_dir, seeds_dir = folders
    at = _drafted_and_reviewed(CURATOR)
    before = state(data_dir, seeds_dir)
    monkeypatch.setattr(review, "can_curate", lambda: True)  # the drawing check fooled
    at.user = VIEWER
    at.run()
    next(b for b in at.button if b.label == "Publish the reviewed proposals").click()
    at.run()
    assert any("Only curators can publish" in e for e in plain(at.error))
    assert state(data_dir, seeds_dir) == before


def test_an_import_checks_the_role_again_before_it_writes(folders, monkeypatch):
    data_dir, _ = folders
    monkeypatch.setattr(signin, "current_curator", lambda: None)

    class Upload:
        name = "acled.csv"

        def getvalue(self) -> bytes:
            raise AssertionError("a viewer's upload must not even be read")

    ds = type("Ds", (), {"data_dir": data_dir})()
    result = imported._import_upload(ds, "acled", Upload(), None)
    assert result == {"error": "only curators can import; nothing was changed"}
    assert not (data_dir / "events").exists()


def test_a_curators_import_is_recorded_under_their_e_mail(folders):
    data_dir, _ = folders
    at = app(CURATOR)
    next(b for b in at.sidebar.button if b.label == "Import")  # drawn for a curator
    at.sidebar.file_uploader(key="ev_file").upload(ACLED_JUNE.name, ACLED_JUNE.read_bytes(), "text/csv")
    next(b for b in at.sidebar.button if b.label == "Import").click()
    at.run()
    assert not at.exception and at.success, [e.value for e in at.error]
    (entry,) = EventStore(data_dir).manifest("acled")["imports"]
    assert entry["who"] == "curator@example.org" and entry["source_file"] == ACLED_JUNE.name
    at = app(CURATOR)  # the next session's sidebar says who imported it
    assert any("by curator@example.org" in c for c in captions(at, at.sidebar))


def test_malformed_sign_in_settings_close_the_app(folders):
    at = app(CURATOR, secrets={"auth": {**AUTH, "client_secret": ""}})
    assert any("sign-in settings have a problem" in e for e in plain(at.error))
    assert any("auth.client_secret" in c.value for c in at.code)
    assert shows_nothing_of_the_data(at) and not labels(at)


def test_without_sign_in_a_reader_from_the_network_is_refused(folders, monkeypatch):
    monkeypatch.setattr(signin, "_connection", lambda: ("0.0.0.0", "192.0.2.7"))
    at = app({}, secrets={"dashboard": {"roles": {}}})
    assert any("no sign-in configured" in e for e in plain(at.error))
    assert shows_nothing_of_the_data(at)
    monkeypatch.setenv("DASHBOARD_ALLOW_UNAUTHENTICATED_NETWORK", "1")  # serve's loud flag
    at = app({}, secrets={"dashboard": {"roles": {}}})
    assert components(at) and "Review a new article" in labels(at)


def test_without_sign_in_the_local_user_curates_as_before(folders):
    at = app({}, secrets={"dashboard": {"roles": {}}})
    assert {"Review a new article", "Import"} <= labels(at)
    assert "Sign out" not in labels(at) and not any("Signed in" in c for c in captions(at, at.sidebar))
