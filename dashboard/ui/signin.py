"""Sign-in in the app: the sign-in page, who is signed in (sidebar), and the curator check that every
control which changes the data asks for twice: once to draw itself, once again before it writes.

The rules (sign-in configured or not, roles, refusals) are ``dashboard.access``'s; this module only
reads Streamlit's secrets, ``st.user`` and the connection, and draws. The identity is worked out again
on every run from ``st.user``, which Streamlit fills from its signed cookie: nothing a browser sends as
a widget value can change it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard import access
from dashboard.access import AccessError, AccessSettings, Identity
from dashboard.ui.text import md_format

PAGE_TITLE = "Northern Afghanistan: who reports what"


def settings() -> AccessSettings:
    """The sign-in settings in Streamlit's secrets; ``AccessError`` when they are malformed.

    No secrets file at all is the single-user tool. A secrets file that exists but cannot be read is an
    error, never "no sign-in": a broken configuration must close the app, not open it to everyone.
    """
    try:
        secrets = st.secrets.to_dict()
    except StreamlitSecretNotFoundError as exc:
        present = [f for f in st.get_option("secrets.files") if Path(f).exists()]
        if present:
            raise AccessError(f"{present[0]}: cannot be read: {exc}") from exc
        return AccessSettings()
    return access.read_settings(secrets)


def current() -> Identity | None:
    """Who uses the app in this session (None: sign-in configured, nobody signed in yet)."""
    return access.identity(settings(), st.user.to_dict())


def current_curator() -> Identity | None:
    """This session's person if they are a curator; None otherwise (or on any configuration problem)."""
    try:
        person = current()
    except AccessError:
        return None
    return person if person is not None and person.can_curate else None


def can_curate() -> bool:
    """Whether this session's person is a curator (False on any configuration problem)."""
    return current_curator() is not None


def curator(action: str) -> Identity | None:
    """The curator about to ``action`` (e.g. "publish"), checked again on the server just before a
    write; otherwise an error is shown and None returned, and the caller writes nothing."""
    person = current_curator()
    if person is None:
        st.error(md_format("Only curators can {}; nothing was changed.", action))
    return person


def gate() -> Identity:
    """Run before the page: returns who may use it, or draws the sign-in page (or a refusal) and stops.

    Signed in, the sidebar names the person and role and offers "Sign out".
    """
    try:
        config = settings()
        refusal = access.network_refusal(config, *_connection(), os.environ)
    except AccessError as exc:
        _stop_with("The dashboard's sign-in settings have a problem; its administrator must fix them.", exc)
    if refusal:
        _stop_with(refusal)
    person = access.identity(config, st.user.to_dict())
    if person is None:
        _sign_in_page()
    if person.signed_in:
        _signed_in_sidebar(person)
    if person.role is None:
        _stop_with(person.refusal)
    return person


def _connection() -> tuple[str, str | None]:
    """The address the server listens on ("" is every interface) and this reader's (None: loopback)."""
    return st.get_option("server.address") or "", st.context.ip_address


def _sign_in_page() -> NoReturn:
    st.set_page_config(page_title=PAGE_TITLE, layout="centered")
    st.title(PAGE_TITLE)
    st.write("Sign in to see the map and its sources.")
    if st.button("Sign in", key="sign_in", type="primary"):
        st.login()
    st.stop()


def _signed_in_sidebar(person: Identity) -> None:
    role = person.role or "no access"
    if person.name and person.name != person.who:
        st.sidebar.caption(md_format("Signed in as {} ({}) · {}", person.name, person.who, role))
    else:
        st.sidebar.caption(md_format("Signed in as {} · {}", person.who, role))
    if st.sidebar.button("Sign out", key="sign_out"):
        st.logout()


def _stop_with(message: str, detail: Exception | None = None) -> NoReturn:
    st.set_page_config(page_title=PAGE_TITLE, layout="centered")
    st.error(md_format("{}", message))
    if detail is not None:
        st.code(str(detail), language=None)
    st.stop()
