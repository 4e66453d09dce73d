"""Any OpenID Connect provider (allauth's openid_connect) against the local fake: discovery, JWKS,
an RS256-signed ID token, and the same linking and unlinking rules as Google and GitHub."""

from __future__ import annotations

import copy

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from spotizerr.env import env_oidc_providers
from tests.fakes.oauth_provider import FakeAccount

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def oidc_on(sso_on, settings):
    """An OpenID Connect provider "pocket-id" (display name PocketID) configured against the fake,
    as SPOTIZERR_OIDC_POCKET_ID_* would configure it."""
    client = sso_on.clients["oidc"]
    item = {
        "name": "pocket-id",
        "display_name": "PocketID",
        "issuer": sso_on.oidc_issuer,
        "client_id": client.client_id,
        "secret": client.secret,
    }
    settings.OIDC_PROVIDERS = [item]
    settings.SSO_PROVIDERS = ["google", "github", "pocket-id"]
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = [
        {
            "provider_id": "pocket-id",
            "name": "PocketID",
            "client_id": client.client_id,
            "secret": client.secret,
            "settings": {"server_url": sso_on.oidc_issuer},
        }
    ]
    settings.SOCIALACCOUNT_PROVIDERS = providers
    return sso_on


@pytest.fixture
def ada() -> FakeAccount:
    return FakeAccount(uid="oidc-sub-42", email="ada@example.test", login="ada", name="Ada Lovelace")


def test_the_status_lists_the_provider_like_google_and_github(oidc_on, anon_client) -> None:
    providers = anon_client.get("/api/auth/sso/status").json()["providers"]

    assert [(item["name"], item["display_name"]) for item in providers][-1] == ("pocket-id", "PocketID")
    assert providers[-1]["login_url"] == "/api/auth/sso/login/pocket-id"


def test_a_first_sign_in_discovers_the_provider_and_creates_a_user(oidc_on, sso_browser, ada) -> None:
    oidc_on.sign_in("oidc", ada)

    trip = sso_browser.sign_in("pocket-id")

    assert trip.landed_on == "/"
    user = User.objects.get(email="ada@example.test")
    assert (user.sso_provider, user.is_sso_user) == ("pocket-id", True)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("pocket-id", "oidc-sub-42")
    authorize = oidc_on.authorize_requests[-1]
    assert authorize["provider"] == "oidc" and authorize["code_challenge_method"] == "S256"
    assert authorize["redirect_uri"] == "http://testserver/api/auth/sso/callback/pocket-id"
    assert "openid" in authorize["scope"].split()


def test_a_second_sign_in_finds_the_same_user(oidc_on, sso_browser, ada) -> None:
    oidc_on.sign_in("oidc", ada)
    sso_browser.sign_in("pocket-id")
    sso_browser.client.logout()

    sso_browser.sign_in("pocket-id")

    assert User.objects.filter(email="ada@example.test").count() == 1


def test_a_verified_email_links_an_existing_user(oidc_on, sso_browser, alice) -> None:
    oidc_on.sign_in("oidc", FakeAccount(uid="sub-alice", email=alice.email, name="Alice A"))

    sso_browser.sign_in("pocket-id")

    assert SocialAccount.objects.get(provider="pocket-id").user == alice


def test_a_failed_token_exchange_is_a_bad_gateway_like_the_others(oidc_on, sso_browser, ada) -> None:
    oidc_on.sign_in("oidc", ada)
    oidc_on.token_failure = "http_500"

    trip = sso_browser.sign_in("pocket-id")

    assert trip.response.status_code == 502 and trip.json()["code"] == "sso_provider_error"
    assert not User.objects.filter(email="ada@example.test").exists()


def test_a_provider_whose_discovery_is_down_gives_a_clear_error(oidc_on, sso_browser) -> None:
    oidc_on.oidc_down = True

    response = sso_browser.client.get("/api/auth/sso/login/pocket-id")

    assert response.status_code in (502, 503), response.content
    assert set(response.json()) >= {"error", "code"}


def test_unlinking_the_only_way_in_is_refused_and_with_a_password_allowed(
    oidc_on, sso_browser, ada, client_for
) -> None:
    oidc_on.sign_in("oidc", ada)
    sso_browser.sign_in("pocket-id")
    user = User.objects.get(email="ada@example.test")

    assert client_for(user).post("/api/auth/sso/unlink/pocket-id").status_code == 409
    user.set_password(PASSWORD)
    user.save()
    response = client_for(user).post("/api/auth/sso/unlink/pocket-id")
    assert response.status_code == 200 and response.json()["user"]["sso_provider"] is None


def test_providers_are_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SPOTIZERR_OIDC_AUTHENTIK_ISSUER", "https://auth.example/application/o/spotizerr/")
    monkeypatch.setenv("SPOTIZERR_OIDC_AUTHENTIK_CLIENT_ID", "abc")
    monkeypatch.setenv("SPOTIZERR_OIDC_AUTHENTIK_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("SPOTIZERR_OIDC_MY_KEYCLOAK_ISSUER", "https://kc.example/realms/home")
    monkeypatch.setenv("SPOTIZERR_OIDC_MY_KEYCLOAK_CLIENT_ID", "kc")
    monkeypatch.setenv("SPOTIZERR_OIDC_MY_KEYCLOAK_CLIENT_SECRET", "x")
    monkeypatch.setenv("SPOTIZERR_OIDC_MY_KEYCLOAK_DISPLAY_NAME", "Keycloak at home")

    found = env_oidc_providers()

    assert [(item["name"], item["display_name"]) for item in found] == [
        ("authentik", "Authentik"),
        ("my-keycloak", "Keycloak at home"),
    ]


def test_a_provider_without_its_client_is_a_configuration_error(monkeypatch) -> None:
    monkeypatch.setenv("SPOTIZERR_OIDC_HALF_ISSUER", "https://half.example")

    with pytest.raises(ImproperlyConfigured, match="SPOTIZERR_OIDC_HALF_CLIENT_ID"):
        env_oidc_providers()
