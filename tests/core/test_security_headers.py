from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_api_responses_carry_security_headers(anon_client) -> None:
    response = anon_client.get("/api/schema/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_api_docs_are_served_without_a_cdn(anon_client) -> None:
    response = anon_client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr.net" not in body
    assert "/static/drf_spectacular_sidecar/" in body


def _form_action(response) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["form-action"].split()


@pytest.mark.django_db
def test_forms_may_lead_to_the_default_sso_providers_and_spotify_accounts(anon_client) -> None:
    assert _form_action(anon_client.get("/login/")) == [
        "'self'",
        "https://accounts.google.com",
        "https://github.com",
        "https://accounts.spotify.com",  # "Connect Spotify" on the profile page
    ]


@pytest.mark.django_db
def test_forms_may_lead_to_a_configured_github_enterprise_server(settings, anon_client) -> None:
    """ "Link GitHub" posts to Spotizerr, which redirects to the provider: CSP form-action covers the
    redirect, so a GitHub Enterprise URL missing from it made the button silently do nothing."""
    settings.SSO_GITHUB_URL = "https://github.corp.example:8443/"
    settings.SSO_GOOGLE_AUTHORIZE_URL = "http://127.0.0.1:9999/o/oauth2/v2/auth"
    settings.SPOTIFY_ACCOUNTS_URL = "http://127.0.0.1:9998/"
    assert _form_action(anon_client.get("/login/")) == [
        "'self'",
        "http://127.0.0.1:9999",
        "https://github.corp.example:8443",
        "http://127.0.0.1:9998",
    ]
