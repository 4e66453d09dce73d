from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_with_auth_off_the_caller_is_the_system_admin(auth_off, anon_client) -> None:
    body = anon_client.get("/api/auth/status").json()
    assert body["auth_enabled"] is False
    assert body["authenticated"] is True
    assert body["user"]["username"] == "system"
    assert body["user"]["role"] == "admin"


def test_with_auth_on_an_anonymous_caller_is_not_authenticated(auth_on, anon_client) -> None:
    response = anon_client.get("/api/auth/status")
    assert response.status_code == 200
    assert response.json()["auth_enabled"] is True
    assert response.json()["authenticated"] is False
    assert response.json()["user"] is None


def test_with_auth_on_a_token_holder_sees_themself(auth_on, alice_client) -> None:
    body = alice_client.get("/api/auth/status").json()
    assert body["authenticated"] is True
    assert body["user"] == {
        "username": "alice",
        "email": "alice@example.test",
        "role": "user",
        "created_at": body["user"]["created_at"],
        "last_login": None,
        "sso_provider": None,
        "is_sso_user": False,
    }


def test_a_bad_token_reads_as_anonymous_instead_of_401(auth_on, bearer) -> None:
    response = bearer("not-a-jwt").get("/api/auth/status")
    assert response.status_code == 200
    assert response.json()["authenticated"] is False


def test_it_reports_registration_and_sso_settings(auth_on, anon_client, settings) -> None:
    settings.REGISTRATION_ENABLED = False
    settings.SSO_ENABLED = True
    settings.SSO_PROVIDERS = ["github"]
    body = anon_client.get("/api/auth/status").json()
    assert body["registration_enabled"] is False
    assert body["sso_enabled"] is True
    assert body["sso_providers"] == ["github"]
