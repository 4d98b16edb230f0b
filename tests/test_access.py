"""Sign-in settings and roles (``dashboard.access``): lists, claims, the allow-list, the single-user
default, the network refusal, and every malformed secret named by its key."""

from __future__ import annotations

import pytest

from dashboard import access
from dashboard.access import CURATOR, VIEWER, AccessError, AccessSettings, Roles, identity, read_settings

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "c" * 40,
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}


def settings(**roles) -> AccessSettings:
    return read_settings({"auth": dict(AUTH), "dashboard": {"roles": roles}})


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, **claims}


def test_no_auth_section_is_the_single_user_tool(monkeypatch):
    monkeypatch.setattr(access, "default_who", lambda: "analyst")
    config = read_settings({})
    assert not config.sign_in
    person = identity(config, {"email": "test@example.com"})  # st.user is ignored without sign-in
    assert person == access.Identity(who="analyst", name="analyst", role=CURATOR, signed_in=False)
    assert person.can_curate


def test_signed_out_means_the_sign_in_page():
    config = settings(curators=["c@example.org"])
    assert config.sign_in and config.redirect_uri == AUTH["redirect_uri"]
    assert identity(config, {"is_logged_in": False}) is None
    assert identity(config, {}) is None
    assert identity(config, None) is None
    assert identity(config, {"is_logged_in": "true", "email": "c@example.org"}) is None  # only True counts


def test_curators_by_e_mail_without_regard_to_case():
    config = settings(curators=["A.Curator@Example.org"])
    person = identity(config, signed_in("a.curator@example.ORG", name="A. Curator"))
    assert (person.who, person.name, person.role, person.signed_in) == (
        "a.curator@example.ORG",
        "A. Curator",
        CURATOR,
        True,
    )
    assert person.can_curate
    other = identity(config, signed_in("someone@example.org"))
    assert other.role == VIEWER and not other.can_curate  # no allow-list: anyone who signs in reads


def test_curators_by_claim_as_a_list_or_a_single_value():
    config = settings(curator_claim="groups", curator_value="dashboard-curators")
    assert identity(config, signed_in("x@example.org", groups=["staff", "dashboard-curators"])).can_curate
    assert identity(config, signed_in("x@example.org", groups="dashboard-curators")).can_curate
    assert identity(config, signed_in("x@example.org", groups=["staff"])).role == VIEWER
    assert identity(config, signed_in("x@example.org")).role == VIEWER
    assert identity(config, signed_in("x@example.org", groups={"dashboard-curators": 1})).role == VIEWER


def test_the_allow_list_refuses_whoever_it_leaves_out():
    config = settings(curators=["c@example.org"], viewers=["v@example.org"])
    assert identity(config, signed_in("v@example.org")).role == VIEWER
    assert identity(config, signed_in("c@example.org")).role == CURATOR  # curators need not be listed twice
    refused = identity(config, signed_in("stranger@example.org"))
    assert refused.role is None and not refused.can_curate
    assert "stranger@example.org is not on the list" in refused.refusal
    empty = settings(viewers=[])  # an empty allow-list: nobody but curators (here: nobody)
    assert identity(empty, signed_in("v@example.org")).role is None


def test_a_claim_curator_passes_the_allow_list():
    config = settings(viewers=["v@example.org"], curator_claim="groups", curator_value="cur")
    assert identity(config, signed_in("boss@example.org", groups=["cur"])).role == CURATOR


def test_no_e_mail_or_an_unverified_one_is_refused():
    config = settings(curators=["c@example.org"])
    nameless = identity(config, {"is_logged_in": True, "name": "No Mail"})
    assert nameless.role is None and "'email' claim" in nameless.refusal
    unverified = identity(config, signed_in("c@example.org", email_verified=False))
    assert unverified.role is None and "not verified" in unverified.refusal
    assert identity(config, signed_in("c@example.org", email_verified=True)).can_curate


def test_roles_object_directly():
    roles = Roles(curators=frozenset({"c@example.org"}), viewers=frozenset())
    assert roles.role_of(" C@example.org ", {}) == CURATOR
    assert roles.role_of("v@example.org", {}) is None


@pytest.mark.parametrize("key", access.AUTH_KEYS)
def test_a_missing_auth_key_is_named(key):
    auth = {k: v for k, v in AUTH.items() if k != key}
    with pytest.raises(AccessError, match=rf"^my-secrets\.toml: auth\.{key}: missing"):
        read_settings({"auth": auth}, source="my-secrets.toml")


@pytest.mark.parametrize(
    ("secrets", "message"),
    [
        ({"auth": "yes"}, r"auth: must be a section"),
        ({"auth": {**AUTH, "client_id": ""}}, r"auth\.client_id: must be a non-empty text"),
        ({"auth": {**AUTH, "client_secret": 12}}, r"auth\.client_secret: must be a non-empty text"),
        ({"auth": {**AUTH, "redirect_uri": "/oauth2callback"}}, r"auth\.redirect_uri: must be an absolute"),
        (
            {"auth": {**AUTH, "server_metadata_url": "ftp://idp/.well-known"}},
            r"auth\.server_metadata_url: must be an absolute",
        ),
        ({"auth": {**AUTH, "cookie_secret": "short"}}, r"auth\.cookie_secret: use a random string"),
        ({"dashboard": "roles"}, r"dashboard: must be a section"),
        ({"dashboard": {"roles": ["a@b.c"]}}, r"dashboard\.roles: must be a section"),
        ({"dashboard": {"roles": {"curator": ["a@b.c"]}}}, r"dashboard\.roles\.curator: not a setting"),
        ({"dashboard": {"roles": {"curators": "a@b.c"}}}, r"dashboard\.roles\.curators: must be a list"),
        ({"dashboard": {"roles": {"curators": ["a@b.c", "bob"]}}}, r"dashboard\.roles\.curators\[1\]: 'bob'"),
        ({"dashboard": {"roles": {"viewers": ["a@"]}}}, r"dashboard\.roles\.viewers\[0\]: 'a@'"),
        ({"dashboard": {"roles": {"viewers": [3]}}}, r"dashboard\.roles\.viewers\[0\]: 3"),
        ({"dashboard": {"roles": {"curator_claim": "groups"}}}, r"dashboard\.roles\.curator_value: missing"),
        ({"dashboard": {"roles": {"curator_value": "cur"}}}, r"dashboard\.roles\.curator_claim: missing"),
        (
            {"dashboard": {"roles": {"curator_claim": ["groups"], "curator_value": "c"}}},
            r"dashboard\.roles\.curator_claim: must",
        ),
    ],
)
def test_malformed_secrets_are_named(secrets, message):
    with pytest.raises(AccessError, match=rf"^secrets: {message}"):
        read_settings(secrets)


def test_roles_are_checked_even_without_sign_in():
    """A typo in the roles is found when it is written, not when sign-in is switched on later."""
    with pytest.raises(AccessError, match="dashboard.roles.curatorz"):
        read_settings({"dashboard": {"roles": {"curatorz": []}}})
    assert read_settings({"dashboard": {"title": "kept for other settings"}}).roles == Roles()


NO_SIGN_IN = AccessSettings()


@pytest.mark.parametrize(
    ("bound", "client", "env", "refused"),
    [
        ("0.0.0.0", "192.168.1.20", {}, True),  # listening on the network, reader from another machine
        ("", "10.0.0.3", {}, True),  # Streamlit's default address is every interface
        ("192.168.1.10", "192.168.1.20", {access.NETWORK_ENV: "1"}, False),  # serve's loud flag
        ("192.168.1.10", "192.168.1.20", {access.NETWORK_ENV: "yes"}, True),  # only the flag's value
        ("0.0.0.0", None, {}, False),  # Streamlit reports a loopback reader as None
        ("0.0.0.0", "127.0.0.1", {}, False),
        ("127.0.0.1", "203.0.113.9", {}, False),  # a reverse proxy on this machine forwards the reader
    ],
)
def test_network_refusal_without_sign_in(bound, client, env, refused):
    message = access.network_refusal(NO_SIGN_IN, bound, client, env)
    assert bool(message) == refused
    if refused:
        assert "no sign-in configured" in message and "--allow-unauthenticated-network" in message


def test_no_network_refusal_with_sign_in():
    assert access.network_refusal(settings(), "0.0.0.0", "192.168.1.20", {}) == ""
