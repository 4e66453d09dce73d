"""Every way ``/api/auth/sso/callback/{provider}`` can refuse: a JSON error saying why, never a 500,
and nobody logged in or created."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from accounts.models import User
from tests.fakes.oauth_provider import FakeAccount


def _nobody_signed_in(browser) -> bool:
    return "_auth_user_id" not in browser.client.session and not User.objects.filter(is_system=False).exists()


def test_a_forged_state_is_refused(browser, octocat):
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")

    response = browser.client.get(f"/api/auth/sso/callback/github?{urlencode({**params, 'state': 'forged'})}")

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"
    assert _nobody_signed_in(browser)


def test_a_callback_without_state_is_refused(browser, octocat):
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")
    del params["state"]

    response = browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"


def test_a_callback_started_in_another_browser_is_refused(browser, octocat):
    """GIVEN an attacker who started a sign-in in their own browser
    WHEN the victim's browser is sent to the callback with the attacker's code and state
    THEN the victim is not signed in to the attacker's account (login CSRF)."""
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")

    response = Client().get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"


def test_a_state_cannot_be_used_twice(browser, octocat):
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")
    assert browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}").status_code == 302

    replay = browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert replay.status_code == 400


def test_a_state_for_one_provider_does_not_work_for_the_other(browser, octocat):
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")

    response = browser.client.get(f"/api/auth/sso/callback/google?{urlencode(params)}")

    assert response.status_code == 400


def test_denied_consent_says_access_was_denied(browser, octocat):
    browser.fake.sign_in("github", octocat)
    browser.fake.deny_consent = True

    trip = browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "sso_access_denied"
    assert "declined" in trip.json()["error"]
    assert _nobody_signed_in(browser)


def test_an_error_reported_by_the_provider_is_a_bad_gateway(browser, octocat):
    browser.fake.sign_in("google", octocat)
    params = browser.callback_params("google")
    query = urlencode({"state": params["state"], "error": "server_error", "error_description": "Try later"})

    response = browser.client.get(f"/api/auth/sso/callback/google?{query}")

    assert response.status_code == 502
    assert response.json()["code"] == "sso_provider_error"
    assert response.json()["details"] == {"error": "server_error", "description": "Try later"}


@pytest.mark.parametrize("provider", ["github", "google"])
@pytest.mark.parametrize("failure", ["http_500", "invalid_grant"])
def test_a_failed_token_exchange_is_a_bad_gateway(browser, provider, failure):
    browser.fake.sign_in(provider, FakeAccount(uid="12", email="x@example.test", login="x"))
    browser.fake.token_failure = failure

    trip = browser.sign_in(provider)

    assert trip.response.status_code == 502
    assert trip.json()["code"] == "sso_provider_error"
    assert _nobody_signed_in(browser)


def test_a_failing_profile_endpoint_is_a_bad_gateway(browser, octocat):
    browser.fake.sign_in("github", octocat)
    browser.fake.profile_failure = True

    trip = browser.sign_in("github")

    assert trip.response.status_code == 502
    assert trip.json()["code"] == "sso_provider_error"


def test_an_unreachable_provider_is_a_bad_gateway(browser, octocat, settings):
    browser.fake.sign_in("github", octocat)
    params = browser.callback_params("github")
    settings.SSO_GITHUB_URL = "http://127.0.0.1:9"  # discard port: connection refused

    response = browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 502


def test_an_unverified_email_is_not_linked_to_the_user_with_that_email(browser, alice):
    browser.fake.sign_in("google", FakeAccount(uid="g1", email="alice@example.test", email_verified=False))

    trip = browser.sign_in("google")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "sso_email_unverified"
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in browser.client.session


def test_an_unverified_email_does_not_register_a_new_user(browser):
    browser.fake.sign_in(
        "github", FakeAccount(uid="5", email="new@example.test", email_verified=False, login="new")
    )

    trip = browser.sign_in("github")

    assert trip.json()["code"] == "sso_email_unverified"
    assert _nobody_signed_in(browser)


def test_closed_registration_refuses_a_stranger_clearly(browser, settings, octocat):
    settings.REGISTRATION_ENABLED = False
    browser.fake.sign_in("github", octocat)

    trip = browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "registration_disabled"
    assert "registration is disabled" in trip.json()["error"]
    assert _nobody_signed_in(browser)


def test_closed_registration_still_links_an_existing_user_by_verified_email(browser, settings, alice):
    settings.REGISTRATION_ENABLED = False
    browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    assert browser.sign_in("github").landed_on == "/"


def test_a_deactivated_user_is_refused(browser, alice):
    alice.is_active = False
    alice.save()
    browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    trip = browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "account_disabled"
    assert not SocialAccount.objects.exists()


def test_two_users_with_the_verified_email_are_not_guessed_between(browser, alice, bob):
    bob.email = alice.email
    bob.save()
    browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    trip = browser.sign_in("github")

    assert trip.response.status_code == 409
    assert trip.json()["code"] == "sso_email_ambiguous"
