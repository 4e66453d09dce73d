from __future__ import annotations

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-long-unusual-passphrase-7"


def register(client, username: str = "carol", password: str = GOOD_PASSWORD, **extra):
    return client.post(
        "/api/auth/register", {"username": username, "password": password, **extra}, format="json"
    )


def test_the_first_person_to_register_becomes_admin(auth_on, anon_client) -> None:
    response = register(anon_client)
    assert response.status_code == 201
    assert response.json()["user"]["role"] == "admin"


def test_the_system_user_does_not_count_as_the_first_user(auth_off, anon_client) -> None:
    anon_client.get("/api/auth/status")  # creates the system user
    assert register(anon_client).json()["user"]["role"] == "admin"


def test_later_registrations_are_ordinary_users(auth_on, admin_user, anon_client) -> None:
    assert register(anon_client).json()["user"]["role"] == "user"


def test_register_answers_like_login_with_working_tokens(auth_on, alice, anon_client, bearer) -> None:
    body = register(anon_client, email="carol@example.test").json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "carol@example.test"
    assert bearer(body["access_token"]).get("/api/auth/profile").json()["username"] == "carol"


def test_registration_disabled_gives_403(auth_on, anon_client, settings) -> None:
    settings.REGISTRATION_ENABLED = False
    response = register(anon_client)
    assert response.status_code == 403
    assert response.json()["code"] == "registration_disabled"
    assert not User.objects.filter(username="carol").exists()


def test_a_taken_user_name_gives_409(auth_on, alice, anon_client) -> None:
    response = register(anon_client, "alice")
    assert response.status_code == 409
    assert response.json()["code"] == "username_taken"


def test_user_names_differing_only_in_case_are_taken(auth_on, alice, anon_client) -> None:
    assert register(anon_client, "ALICE").status_code == 409


def test_the_system_user_name_is_reserved(auth_on, anon_client) -> None:
    assert register(anon_client, "system").status_code == 409


def test_a_weak_password_gives_400_with_the_validator_messages(auth_on, anon_client) -> None:
    response = register(anon_client, password="12345")
    assert response.status_code == 400
    messages = response.json()["details"]["password"]
    assert any("too short" in message for message in messages)
    assert any("entirely numeric" in message for message in messages)


def test_a_password_like_the_user_name_is_refused(auth_on, anon_client) -> None:
    response = register(anon_client, "carolinewashere", password="carolinewashere")
    assert response.status_code == 400
    assert any("similar" in message for message in response.json()["details"]["password"])


def test_a_user_name_with_spaces_gives_400(auth_on, anon_client) -> None:
    response = register(anon_client, "carol smith")
    assert response.status_code == 400
    assert "username" in response.json()["details"]


def test_an_over_long_email_gives_400_not_a_database_error(auth_on, anon_client) -> None:
    response = register(anon_client, email=f"{'x' * 250}@example.test")
    assert response.status_code == 400
    assert "email" in response.json()["details"]


def test_a_malformed_email_gives_400(auth_on, anon_client) -> None:
    response = register(anon_client, email="not-an-email")
    assert response.status_code == 400
    assert "email" in response.json()["details"]
