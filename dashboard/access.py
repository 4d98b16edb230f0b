"""Who may use the dashboard and what they may do: sign-in settings, roles, the signed-in identity.

Sign-in is Streamlit's own (``st.login``, OpenID Connect), configured in Streamlit's secrets as Streamlit
documents it: an ``[auth]`` section with ``redirect_uri``, ``cookie_secret``, ``client_id``,
``client_secret`` and ``server_metadata_url``. The project's own section says who is a curator::

    [dashboard.roles]
    curators = ["a.curator@example.org"]          # e-mail addresses, compared without case
    viewers = ["b.analyst@example.org"]           # optional allow-list; absent: anyone who signs in reads
    curator_claim = "groups"                      # optional: an OIDC claim ...
    curator_value = "dashboard-curators"          # ... whose value (or one of whose values) makes a curator

Two roles: a *viewer* reads, filters and exports; a *curator* also imports, reviews, accepts and
retracts, and every change names the curator's e-mail in the audit log. Without ``[auth]`` the
dashboard is the single-user tool on this machine: its one user is a curator, named as the command
line names the system user.

Nothing here imports Streamlit: the UI layer hands in the secrets and ``st.user`` as plain mappings.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from dashboard.datafolder import default_who

CURATOR = "curator"
VIEWER = "viewer"
#: The keys of ``[auth]`` that sign-in needs (Streamlit's default provider).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
#: Streamlit's own warning threshold is 14 bytes; a cookie secret guards every session, so ask for more.
MIN_COOKIE_SECRET = 32
ROLE_KEYS = ("curators", "viewers", "curator_claim", "curator_value")
#: Set (to 1) by ``serve --allow-unauthenticated-network``: the app then does not refuse network readers.
NETWORK_ENV = "DASHBOARD_ALLOW_UNAUTHENTICATED_NETWORK"


class AccessError(ValueError):
    """The secrets cannot configure sign-in or roles; the message names the file and the key."""


@dataclass(frozen=True)
class Roles:
    """Who is a curator (e-mail list or claim) and who may read at all (``viewers``: None is anyone)."""

    curators: frozenset[str] = frozenset()
    viewers: frozenset[str] | None = None
    curator_claim: str = ""
    curator_value: str = ""

    def role_of(self, email: str, claims: Mapping[str, object]) -> str | None:
        """``CURATOR``, ``VIEWER``, or None when the allow-list leaves this person out."""
        email = email.strip().casefold()
        if email in self.curators or self._claim_says_curator(claims):
            return CURATOR  # curators read too, whether or not the allow-list repeats them
        if self.viewers is None or email in self.viewers:
            return VIEWER
        return None

    def _claim_says_curator(self, claims: Mapping[str, object]) -> bool:
        if not self.curator_claim:
            return False
        value = claims.get(self.curator_claim)
        if isinstance(value, str):
            return value == self.curator_value
        if isinstance(value, list | tuple):
            return self.curator_value in value
        return False


@dataclass(frozen=True)
class AccessSettings:
    """Whether sign-in is configured, and the roles that apply when it is."""

    sign_in: bool = False
    roles: Roles = Roles()
    redirect_uri: str = ""


@dataclass(frozen=True)
class Identity:
    """The person using the app in this session.

    ``who`` is what the audit log records (the signed-in e-mail; the system user when nobody signs in);
    ``role`` is None when the person signed in but may not use this dashboard (``refusal`` says why).
    """

    who: str
    name: str
    role: str | None
    signed_in: bool
    refusal: str = ""

    @property
    def can_curate(self) -> bool:
        """Whether this person may import, review, accept, retract and edit."""
        return self.role == CURATOR


def read_settings(secrets: Mapping[str, object], source: str = "secrets") -> AccessSettings:
    """The sign-in settings and roles in ``secrets`` (Streamlit's secrets as a plain mapping).

    No ``[auth]`` section: sign-in is not configured. Raises ``AccessError`` naming ``source`` and the
    key when ``[auth]`` or ``[dashboard.roles]`` is incomplete or malformed: a half-configured sign-in
    must stop the app, not open it.
    """
    auth = secrets.get("auth")
    sign_in = auth is not None
    redirect_uri = ""
    if sign_in:
        auth = _section(auth, "auth", source)
        for key in AUTH_KEYS:
            _text(auth, key, f"auth.{key}", source)
        for key in ("redirect_uri", "server_metadata_url"):
            _absolute_url(auth[key], f"auth.{key}", source)
        if len(auth["cookie_secret"]) < MIN_COOKIE_SECRET:
            raise AccessError(
                f"{source}: auth.cookie_secret: use a random string of at least {MIN_COOKIE_SECRET} "
                "characters (for example: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        redirect_uri = auth["redirect_uri"]
    dashboard = secrets.get("dashboard")
    roles = Roles()
    if dashboard is not None:
        dashboard = _section(dashboard, "dashboard", source)
        if "roles" in dashboard:
            roles = read_roles(_section(dashboard["roles"], "dashboard.roles", source), source)
    return AccessSettings(sign_in=sign_in, roles=roles, redirect_uri=redirect_uri)


def read_roles(section: Mapping[str, object], source: str = "secrets") -> Roles:
    """The ``[dashboard.roles]`` section as ``Roles``; ``AccessError`` names a bad or unknown key."""
    for key in section:
        if key not in ROLE_KEYS:
            raise AccessError(
                f"{source}: dashboard.roles.{key}: not a setting of this section "
                f"(it has {', '.join(ROLE_KEYS)})"
            )
    curators = _emails(section, "curators", source)
    viewers = _emails(section, "viewers", source) if "viewers" in section else None
    claim = _text(section, "curator_claim", "dashboard.roles.curator_claim", source, required=False)
    value = _text(section, "curator_value", "dashboard.roles.curator_value", source, required=False)
    if bool(claim) != bool(value):
        missing = "curator_value" if claim else "curator_claim"
        raise AccessError(
            f"{source}: dashboard.roles.{missing}: missing; curator_claim names the claim and "
            "curator_value the value that makes a curator, so give both or neither"
        )
    return Roles(frozenset(curators), None if viewers is None else frozenset(viewers), claim, value)


def local_identity() -> Identity:
    """The single user of a dashboard without sign-in: a curator, named as the system user."""
    who = default_who()
    return Identity(who=who, name=who, role=CURATOR, signed_in=False)


def identity(settings: AccessSettings, user: Mapping[str, object] | None) -> Identity | None:
    """The identity of a session whose ``st.user`` is ``user``; None while sign-in is needed.

    Without sign-in configured: the local user (``local_identity``). Signed in: the e-mail (the
    provider must release the ``email`` claim, and not mark it unverified) and its role; someone the
    allow-list leaves out gets ``role`` None and a ``refusal`` that says why.
    """
    if not settings.sign_in:
        return local_identity()
    user = user or {}
    if user.get("is_logged_in") is not True:
        return None
    email = str(user.get("email") or "").strip()
    name = str(user.get("name") or "").strip() or email
    if not email:
        return _refused(
            "",
            name,
            "Your sign-in did not give this dashboard an e-mail address, which it needs to "
            "know your role and to name your changes. Ask the administrator of the sign-in provider to "
            "release the 'email' claim.",
        )
    if user.get("email_verified") is False:
        return _refused(
            email,
            name,
            f"The sign-in provider has not verified the e-mail address {email}; verify it "
            "with the provider, then sign in again.",
        )
    role = settings.roles.role_of(email, user)
    if role is None:
        return _refused(
            email,
            name,
            f"{email} is not on the list of people who may read this dashboard. Ask one of "
            "its curators to add you, or sign out and sign in with another account.",
        )
    return Identity(who=email, name=name, role=role, signed_in=True)


def network_refusal(
    settings: AccessSettings, bound_address: str, client_ip: str | None, env: Mapping[str, str]
) -> str:
    """Why a session must be refused: the server listens beyond this machine (``bound_address``, where
    "" is every interface), this reader came from another machine (``client_ip``; None for loopback),
    and nobody signs in nor did whoever started it consent (``NETWORK_ENV``). Empty: no refusal.
    """
    if settings.sign_in or env.get(NETWORK_ENV) == "1" or client_ip is None or _loopback(client_ip):
        return ""
    if bound_address.strip() and _loopback(bound_address):
        return ""  # a reverse proxy on this machine reaches it; authenticating is the proxy's job
    return (
        "This dashboard has no sign-in configured, so it only serves this machine. Configure sign-in "
        "(an [auth] section in the secrets: see the README's 'Sign-in and roles'), or start it with "
        "'serve --allow-unauthenticated-network' if an open server is really what is wanted."
    )


def _refused(who: str, name: str, why: str) -> Identity:
    return Identity(who=who, name=name, role=None, signed_in=True, refusal=why)


def _loopback(address: str) -> bool:
    if address.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _section(value: object, key: str, source: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise AccessError(f"{source}: {key}: must be a section ([{key}]), not a single value")
    return value


def _text(section: Mapping[str, object], key: str, name: str, source: str, required: bool = True) -> str:
    value = section.get(key)
    if value is None and not required:
        return ""
    if value is None:
        raise AccessError(f"{source}: {name}: missing (sign-in needs {', '.join(AUTH_KEYS)} in [auth])")
    if not isinstance(value, str) or not value.strip():
        raise AccessError(f"{source}: {name}: must be a non-empty text value, not {value!r}")
    return value.strip()


def _absolute_url(value: str, name: str, source: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AccessError(f"{source}: {name}: must be an absolute http or https address, not {value!r}")


def _emails(section: Mapping[str, object], key: str, source: str) -> list[str]:
    values = section.get(key, [])
    if not isinstance(values, list | tuple):
        raise AccessError(f"{source}: dashboard.roles.{key}: must be a list of e-mail addresses")
    emails = []
    for i, value in enumerate(values):
        if not isinstance(value, str) or "@" not in value.strip().strip("@"):
            raise AccessError(f"{source}: dashboard.roles.{key}[{i}]: {value!r} is not an e-mail address")
        emails.append(value.strip().casefold())
    return emails
