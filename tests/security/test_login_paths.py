"""Failed logins are throttled on every login path, with one shared counter: the API, the dashboard's
login form and the Django admin (the API and admin alone are covered in tests/accounts/test_throttle.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _dashboard_login(client: Client, username: str, password: str, address: str = "10.9.8.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _api_login(username: str, password: str, address: str = "10.9.8.7"):
    return Client().post(
        "/api/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_five_failed_dashboard_logins_lock_the_user_name_with_429(auth_on, alice) -> None:
    client = Client()
    for _ in range(5):
        assert _dashboard_login(client, "alice", "wrong-password").status_code == 401
    locked = _dashboard_login(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_ten_failed_dashboard_logins_from_one_address_lock_it(auth_on, alice, bob) -> None:
    client = Client()
    for attempt in range(10):
        assert _dashboard_login(client, f"nobody{attempt}", "wrong-password").status_code == 401
    assert _dashboard_login(client, "bob", PASSWORD).status_code == 429
    assert _dashboard_login(client, "bob", PASSWORD, address="10.9.8.8").status_code != 429


def test_api_failures_lock_the_dashboard_login_too(auth_on, alice) -> None:
    for _ in range(5):
        assert _api_login("alice", "wrong-password").status_code == 401
    assert _dashboard_login(Client(), "alice", PASSWORD, address="10.1.1.1").status_code == 429


def test_dashboard_failures_lock_the_api_and_the_django_admin(auth_on, admin_user) -> None:
    client = Client()
    for _ in range(5):
        _dashboard_login(client, "admin", "wrong-password")
    assert _api_login("admin", PASSWORD, address="10.2.2.2").status_code == 429
    admin = Client().post(
        "/admin/login/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.3.3.3"
    )
    assert admin.status_code == 429


def test_a_forged_forwarded_for_does_not_escape_the_dashboard_lock(auth_on, alice, settings) -> None:
    settings.TRUSTED_PROXIES = []
    client = Client()
    for attempt in range(10):
        _dashboard_login(client, f"nobody{attempt}", "wrong-password")
    response = client.post(
        "/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="10.9.8.7",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 429
