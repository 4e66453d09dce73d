from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_it_redirects_to_github_with_our_public_callback_url_and_a_state(sso_browser) -> None:
    response = sso_browser.client.get("/api/auth/sso/login/github")

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{sso_browser.fake.base_url}/github/login/oauth/authorize?")
    query = _query(location)
    assert query["client_id"] == "fake-github-client"
    assert query["redirect_uri"] == "http://testserver/api/auth/sso/callback/github"
    assert query["response_type"] == "code"
    assert set(query["scope"].split()) == {"read:user", "user:email"}
    assert len(query["state"]) >= 16


def test_it_sends_google_a_pkce_s256_challenge(sso_browser) -> None:
    query = _query(sso_browser.client.get("/api/auth/sso/login/google")["Location"])

    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://testserver/api/auth/sso/callback/google"


def test_each_sign_in_gets_a_different_state(sso_browser) -> None:
    first = _query(sso_browser.client.get("/api/auth/sso/login/github")["Location"])["state"]
    second = _query(sso_browser.client.get("/api/auth/sso/login/github")["Location"])["state"]

    assert first != second


@pytest.mark.parametrize(
    "path", ["/api/auth/sso/login/facebook", "/api/auth/sso/callback/facebook?code=x&state=y"]
)
def test_an_unknown_provider_is_a_json_404(sso_browser, path) -> None:
    response = sso_browser.client.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "sso_provider_unknown"


def test_a_provider_without_client_credentials_is_a_json_404(sso_browser, settings) -> None:
    settings.SSO_PROVIDERS = ["google"]

    response = sso_browser.client.get("/api/auth/sso/login/github")

    assert response.status_code == 404
    assert response.json()["code"] == "sso_provider_unknown"
    assert response.json()["details"] == {"available": ["google"]}


def test_no_provider_is_offered_when_sso_is_switched_off(sso_browser, settings) -> None:
    settings.SSO_PROVIDERS = []  # what settings.py computes when SPOTIZERR_SSO_ENABLED=false

    assert sso_browser.client.get("/api/auth/sso/login/google").status_code == 404
