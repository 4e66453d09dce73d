from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-7"


def _change(client, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return client.put(
        "/api/auth/profile/password", {"current_password": current, "new_password": new}, format="json"
    )


def test_the_profile_is_the_callers_account(auth_on, alice_client) -> None:
    response = alice_client.get("/api/auth/profile")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["role"] == "user"


def test_the_profile_needs_a_login(auth_on, anon_client) -> None:
    assert anon_client.get("/api/auth/profile").status_code == 401


def test_with_auth_off_the_profile_is_the_system_admin(auth_off, anon_client) -> None:
    assert anon_client.get("/api/auth/profile").json()["username"] == "system"


def test_changing_the_password_returns_new_working_tokens(auth_on, alice_client, bearer, login) -> None:
    response = _change(alice_client)
    assert response.status_code == 200
    assert bearer(response.json()["access_token"]).get("/api/auth/profile").status_code == 200
    assert login("alice", NEW_PASSWORD).status_code == 200


def test_changing_the_password_ends_the_old_tokens(auth_on, alice_client) -> None:
    _change(alice_client)
    assert alice_client.get("/api/auth/profile").status_code == 401


def test_a_wrong_current_password_is_400(auth_on, alice_client, login) -> None:
    response = _change(alice_client, current="not-my-password")
    assert response.status_code == 400
    assert response.json()["code"] == "wrong_password"
    assert login("alice").status_code == 200


def test_a_weak_new_password_is_400_with_the_messages(auth_on, alice_client) -> None:
    response = _change(alice_client, new="password")
    assert response.status_code == 400
    assert any("too common" in message for message in response.json()["details"]["new_password"])


def test_changing_the_password_needs_a_login(auth_on, anon_client) -> None:
    assert _change(anon_client).status_code == 401


def test_a_cookie_session_survives_its_own_password_change(auth_on, alice, client) -> None:
    client.force_login(alice)
    response = client.put(
        "/api/auth/profile/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get("/api/auth/profile").status_code == 200
