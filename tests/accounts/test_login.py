from __future__ import annotations

import pytest

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_returns_the_seed_shape_plus_a_refresh_token(auth_on, alice, login) -> None:
    response = login("alice")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "user"}
    assert body["token_type"] == "bearer"
    assert set(body["user"]) == {
        "username",
        "email",
        "role",
        "created_at",
        "last_login",
        "sso_provider",
        "is_sso_user",
    }
    assert body["user"]["username"] == "alice"


def test_login_records_last_login(auth_on, alice, login) -> None:
    body = login("alice").json()
    alice.refresh_from_db()
    assert alice.last_login is not None
    assert body["user"]["last_login"] is not None


def test_the_access_token_from_login_opens_the_profile(auth_on, alice, login, bearer) -> None:
    token = login("alice").json()["access_token"]
    response = bearer(token).get("/api/auth/profile")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_login_also_works_while_auth_is_off(auth_off, alice, login) -> None:
    assert login("alice").status_code == 200


def test_a_wrong_password_gets_401_in_the_error_shape(auth_on, alice, login) -> None:
    response = login("alice", "wrong-password")
    assert response.status_code == 401
    assert response.json() == {
        "error": "Invalid user name or password.",
        "details": None,
        "code": "invalid_credentials",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_user_gets_the_same_401_as_a_wrong_password(auth_on, login) -> None:
    assert login("nobody").json()["code"] == "invalid_credentials"


def test_an_inactive_user_cannot_log_in(auth_on, alice, login) -> None:
    alice.is_active = False
    alice.save()
    assert login("alice").status_code == 401


def test_the_system_user_cannot_log_in(auth_off, anon_client, login) -> None:
    anon_client.get("/api/auth/status")  # with auth off this creates the system user
    assert User.objects.filter(username="system", is_system=True).exists()
    assert login("system", "anything-at-all").status_code == 401


def test_login_without_a_password_is_400_naming_the_field(auth_on, anon_client) -> None:
    response = anon_client.post("/api/auth/login", {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()["details"]


def test_login_with_malformed_json_is_400(auth_on, anon_client) -> None:
    response = anon_client.post("/api/auth/login", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_login_ignores_a_stale_bearer_header(auth_on, alice, bearer) -> None:
    response = bearer("expired.or.garbage").post(
        "/api/auth/login", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
