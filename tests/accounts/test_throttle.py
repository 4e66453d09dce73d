"""Failed-login throttling: per user name, per address, shared by every login path."""

from __future__ import annotations

import time

import pytest
from django.core.checks import run_checks
from django.test import Client, RequestFactory

from accounts.throttle import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-7"


def _fail(login, username: str, times: int, address: str = "127.0.0.1", **extra: str) -> None:
    for _ in range(times):
        assert login(username, "wrong-password", address, **extra).status_code == 401


# ---------------------------------------------------------------- per user name


def test_five_failures_for_a_user_name_lock_it_with_429(auth_on, alice, login) -> None:
    _fail(login, "alice", 5)
    response = login("alice", "wrong-password")
    assert response.status_code == 429
    assert response.json()["code"] == "login_throttled"
    assert 0 < int(response["Retry-After"]) <= 300
    assert response.json()["details"] == {"retry_after": int(response["Retry-After"])}


def test_a_locked_user_name_refuses_even_the_right_password(auth_on, alice, login) -> None:
    _fail(login, "alice", 5)
    assert login("alice").status_code == 429


def test_the_user_name_lock_holds_from_any_address(auth_on, alice, login) -> None:
    for number in range(5):
        _fail(login, "alice", 1, address=f"10.0.0.{number + 1}")
    assert login("alice", address="10.9.9.9").status_code == 429


def test_user_names_differing_in_case_share_a_counter(auth_on, alice, login) -> None:
    _fail(login, "ALICE", 5)
    assert login("alice").status_code == 429


def test_four_failures_do_not_lock(auth_on, alice, login) -> None:
    _fail(login, "alice", 4)
    assert login("alice").status_code == 200


def test_a_successful_login_resets_the_user_name_counter(auth_on, alice, login) -> None:
    _fail(login, "alice", 4)
    assert login("alice").status_code == 200
    _fail(login, "alice", 4)
    assert login("alice").status_code == 200


def test_another_users_failures_do_not_lock_alice(auth_on, alice, bob, login) -> None:
    _fail(login, "bob", 5, address="10.0.0.1")
    assert login("alice", address="10.0.0.2").status_code == 200


def test_the_lock_lifts_after_the_cool_off(auth_on, alice, login, settings) -> None:
    settings.LOGIN_COOLOFF_SECONDS = 2
    _fail(login, "alice", 5)
    locked = login("alice")
    assert locked.status_code == 429
    time.sleep(int(locked["Retry-After"]) + 0.05)
    assert login("alice").status_code == 200


# ---------------------------------------------------------------- per address


def test_ten_failures_from_one_address_lock_the_address(auth_on, alice, login) -> None:
    for number in range(10):
        _fail(login, f"guess{number}", 1, address="10.0.0.7")
    assert login("alice", address="10.0.0.7").status_code == 429
    assert login("alice", address="10.0.0.8").status_code == 200


def test_a_success_does_not_reset_the_address_counter(auth_on, alice, login) -> None:
    for number in range(9):
        _fail(login, f"guess{number}", 1, address="10.0.0.7")
    assert login("alice", address="10.0.0.7").status_code == 200
    _fail(login, "guess-last", 1, address="10.0.0.7")
    assert login("alice", address="10.0.0.7").status_code == 429


def test_a_forged_forwarded_for_changes_nothing_without_a_trusted_proxy(auth_on, alice, login) -> None:
    for number in range(10):
        _fail(login, f"guess{number}", 1, address="10.0.0.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert login("alice", address="10.0.0.7", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_counter(
    auth_on, alice, login, settings
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(10):
        _fail(login, f"guess{number}", 1, address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66")
    assert login("alice", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66").status_code == 429
    assert login("alice", address="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 200


# ---------------------------------------------------------------- client address


def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_the_client_address_is_remote_addr_by_default(settings) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_trusted_proxy_passes_on_the_hop_it_saw(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("10.0.0.1", "6.6.6.6, 198.51.100.1")) == "198.51.100.1"


def test_trusted_proxies_may_be_networks_and_chain(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.1", "198.51.100.1, 10.2.3.4")) == "198.51.100.1"


def test_a_garbage_forwarded_hop_falls_back_to_the_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("10.0.0.1", "not-an-ip")) == "10.0.0.1"


def test_a_bad_trusted_proxy_entry_fails_the_system_check(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    assert "accounts.E001" in [message.id for message in run_checks()]


# ---------------------------------------------------------------- other login paths


def _admin_login(password: str, address: str = "127.0.0.1"):
    return Client().post("/admin/login/", {"username": "admin", "password": password}, REMOTE_ADDR=address)


def test_the_django_admin_login_still_works(admin_user) -> None:
    response = _admin_login(PASSWORD)
    assert response.status_code == 302


def test_the_django_admin_login_is_throttled_with_429(admin_user) -> None:
    for _ in range(5):
        assert _admin_login("wrong-password").status_code == 200  # the form again, with an error
    response = _admin_login(PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many failed login attempts" in response.content


def test_api_failures_lock_the_django_admin_login_too(auth_on, admin_user, login) -> None:
    _fail(login, "admin", 5)
    assert _admin_login(PASSWORD).status_code == 429


def test_wrong_current_passwords_count_as_failed_logins(auth_on, alice, alice_client, login) -> None:
    for _ in range(5):
        alice_client.put(
            "/api/auth/profile/password",
            {"current_password": "guess", "new_password": NEW_PASSWORD},
            format="json",
        )
    response = alice_client.put(
        "/api/auth/profile/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 429
    assert login("alice").status_code == 429
