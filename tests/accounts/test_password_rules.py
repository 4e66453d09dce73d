"""A password that contains the user name (or the email's local part) is refused on every path that
sets one, also when it is long enough to slip under Django's similarity ratio."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CONTAINS_NAME = "Alice-in-chains-77"  # similarity to "alice" is ~0.43: Django's validator lets it pass


def _refused_for_the_name(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content[:300]
    messages = response.json()["details"][field]
    assert any("contains your user name" in message for message in messages), messages


def test_registering_with_the_user_name_inside_the_password_is_refused(auth_on, anon_client) -> None:
    body = {"username": "alice", "password": CONTAINS_NAME, "email": "a@example.test"}
    _refused_for_the_name(anon_client.post("/api/auth/register", body, format="json"), "password")
    assert not User.objects.filter(username="alice").exists()


def test_an_admin_creating_such_a_user_is_refused(auth_on, admin_client) -> None:
    body = {"username": "alice", "password": CONTAINS_NAME, "email": "", "role": "user"}
    _refused_for_the_name(admin_client.post("/api/auth/users/create", body, format="json"), "password")


def test_changing_your_own_password_to_one_with_your_name_is_refused(auth_on, alice, alice_client) -> None:
    body = {"current_password": PASSWORD, "new_password": CONTAINS_NAME}
    _refused_for_the_name(alice_client.put("/api/auth/profile/password", body, format="json"), "new_password")


def test_an_admin_resetting_a_password_to_one_with_the_name_is_refused(auth_on, alice, admin_client) -> None:
    body = {"new_password": CONTAINS_NAME}
    _refused_for_the_name(
        admin_client.put("/api/auth/users/alice/password", body, format="json"), "new_password"
    )


def test_the_email_local_part_inside_the_password_is_refused(auth_on, anon_client) -> None:
    body = {"username": "carol", "password": "rockstar-fan-1999", "email": "rockstar@example.test"}
    response = anon_client.post("/api/auth/register", body, format="json")
    assert response.status_code == 400
    assert any("email address" in message for message in response.json()["details"]["password"])


def test_a_password_with_an_unrelated_short_name_inside_is_accepted(auth_on, anon_client) -> None:
    """Names under three characters are part of too many words to refuse."""
    body = {"username": "al", "password": "totally-alright-77", "email": ""}
    assert anon_client.post("/api/auth/register", body, format="json").status_code == 201
