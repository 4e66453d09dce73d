"""Responses that carry a JWT pair or a stream ticket say ``Cache-Control: no-store`` so no browser or
proxy cache keeps them (RFC 6749 section 5.1). The SSO token exchange is checked in
``tests/sso/test_token.py``."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-horse-battery-7"


def _assert_no_store(response: Any, status_code: int) -> None:
    assert response.status_code == status_code, response.content[:200]
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_login_answers_no_store(auth_on, alice, anon_client) -> None:
    body = {"username": "alice", "password": PASSWORD}
    _assert_no_store(anon_client.post("/api/auth/login", body, format="json"), 200)


def test_a_failed_login_answers_no_store_too(auth_on, alice, anon_client) -> None:
    body = {"username": "alice", "password": "wrong-horse"}
    _assert_no_store(anon_client.post("/api/auth/login", body, format="json"), 401)


def test_register_answers_no_store(auth_on, anon_client) -> None:
    body = {"username": "carol", "password": NEW_PASSWORD, "email": "carol@example.test"}
    _assert_no_store(anon_client.post("/api/auth/register", body, format="json"), 201)


def test_refresh_answers_no_store(auth_on, alice, anon_client) -> None:
    login = anon_client.post("/api/auth/login", {"username": "alice", "password": PASSWORD}, format="json")
    body = {"refresh_token": login.json()["refresh_token"]}
    _assert_no_store(anon_client.post("/api/auth/refresh", body, format="json"), 200)


def test_changing_your_password_answers_no_store(auth_on, alice_client) -> None:
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    _assert_no_store(alice_client.put("/api/auth/profile/password", body, format="json"), 200)


def test_a_stream_ticket_answers_no_store(auth_on, alice_client) -> None:
    _assert_no_store(alice_client.post("/api/prgs/stream/ticket"), 201)


CHECKED = {
    "auth_login",
    "auth_register",
    "auth_refresh",
    "auth_profile_change_password",
    "auth_sso_token",
    "progress_stream_ticket",
}


def test_every_operation_that_returns_a_token_is_checked_here() -> None:
    """A new endpoint answering with ``access_token`` or ``ticket`` must join the list above."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    returning_tokens = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                ref = response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                properties = components[ref.rsplit("/", 1)[-1]].get("properties", {}) if ref else {}
                if {"access_token", "ticket"} & set(properties):
                    returning_tokens.add(operation["operationId"])
    assert returning_tokens == CHECKED
