"""Logging in, out and registering through the dashboard, with the API's failed-login throttle."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD
from tests.dashboard.conftest import post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_it_logs_in_with_the_right_password_and_goes_where_it_was_asked(alice) -> None:
    response = post(Client(), "/login/", {"username": "alice", "password": PASSWORD, "next": "/queue/"})
    assert response.status_code == 302
    assert response["Location"] == "/queue/"


def test_it_never_redirects_to_another_site_after_login(alice) -> None:
    response = post(
        Client(), "/login/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_says_why_a_wrong_password_is_refused(alice) -> None:
    response = post(Client(), "/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 401
    assert b"Invalid user name or password." in response.content


def test_it_shows_field_errors_for_an_empty_form(alice) -> None:
    response = post(Client(), "/login/", {"username": "", "password": ""})
    assert response.status_code == 400
    assert b"This field is required." in response.content


def test_it_shares_the_failed_login_throttle_with_the_api(alice, settings, anon_client) -> None:
    settings.LOGIN_FAILURES_PER_USERNAME = 2
    for _ in range(2):
        post(Client(), "/login/", {"username": "alice", "password": "wrong"})
    response = post(Client(), "/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    api = anon_client.post("/api/auth/login", {"username": "alice", "password": PASSWORD}, format="json")
    assert api.status_code == 429


def test_it_offers_the_configured_sso_providers(settings) -> None:
    settings.SSO_PROVIDERS = ["github"]
    body = Client().get("/login/").content.decode()
    assert 'href="/api/auth/sso/login/github"' in body


def test_it_registers_the_first_person_as_admin_and_logs_them_in(db) -> None:
    response = post(Client(), "/register/", {"username": "carol", "password": PASSWORD, "email": ""})
    assert response.status_code == 302
    assert User.objects.get(username="carol").role == User.Role.ADMIN


def test_it_shows_the_password_rules_next_to_the_field(db) -> None:
    response = post(Client(), "/register/", {"username": "carol", "password": "123", "email": ""})
    assert response.status_code == 400
    assert b'class="field-error" id="id_password_error">This password is too short.' in response.content


def test_it_reports_a_taken_user_name_in_the_apis_words(alice) -> None:
    response = post(Client(), "/register/", {"username": "alice", "password": PASSWORD, "email": ""})
    assert response.status_code == 409
    assert b"The user name &#x27;alice&#x27; is taken." in response.content


def test_it_closes_the_register_page_when_registration_is_disabled(settings) -> None:
    settings.REGISTRATION_ENABLED = False
    response = Client().get("/register/")
    assert response.status_code == 302
    assert b"Register" not in Client().get("/login/").content


def test_it_logs_out_only_by_post(page_for, alice) -> None:
    client = page_for(alice)
    assert client.get("/logout/").status_code == 405
    response = post(client, "/logout/")
    assert response.status_code == 302
    assert client.get("/queue/").status_code == 302
