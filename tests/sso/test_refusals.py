"""Every way ``/api/auth/sso/callback/{provider}`` can refuse: a JSON error saying why, never a 500,
and nobody logged in or created."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from accounts.models import User
from tests.fakes.oauth_provider import FakeAccount


def _nobody_signed_in(sso_browser) -> bool:
    return (
        "_auth_user_id" not in sso_browser.client.session
        and not User.objects.filter(is_system=False).exists()
    )


def test_a_forged_state_is_refused(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")

    response = sso_browser.client.get(
        f"/api/auth/sso/callback/github?{urlencode({**params, 'state': 'forged'})}"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"
    assert _nobody_signed_in(sso_browser)


def test_a_callback_without_state_is_refused(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")
    del params["state"]

    response = sso_browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"


def test_a_callback_started_in_another_browser_is_refused(sso_browser, octocat) -> None:
    """GIVEN an attacker who started a sign-in in their own browser
    WHEN the victim's browser is sent to the callback with the attacker's code and state
    THEN the victim is not signed in to the attacker's account (login CSRF)."""
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")

    response = Client().get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 400
    assert response.json()["code"] == "sso_state_invalid"


def test_a_state_cannot_be_used_twice(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")
    assert sso_browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}").status_code == 302

    replay = sso_browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert replay.status_code == 400


def test_a_state_for_one_provider_does_not_work_for_the_other(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")

    response = sso_browser.client.get(f"/api/auth/sso/callback/google?{urlencode(params)}")

    assert response.status_code == 400


def test_denied_consent_says_access_was_denied(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    sso_browser.fake.deny_consent = True

    trip = sso_browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "sso_access_denied"
    assert "declined" in trip.json()["error"]
    assert _nobody_signed_in(sso_browser)


def test_an_error_reported_by_the_provider_is_a_bad_gateway(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("google", octocat)
    params = sso_browser.callback_params("google")
    query = urlencode({"state": params["state"], "error": "server_error", "error_description": "Try later"})

    response = sso_browser.client.get(f"/api/auth/sso/callback/google?{query}")

    assert response.status_code == 502
    assert response.json()["code"] == "sso_provider_error"
    assert response.json()["details"] == {"error": "server_error", "description": "Try later"}


@pytest.mark.parametrize("provider", ["github", "google"])
@pytest.mark.parametrize("failure", ["http_500", "invalid_grant"])
def test_a_failed_token_exchange_is_a_bad_gateway(sso_browser, provider, failure) -> None:
    sso_browser.fake.sign_in(provider, FakeAccount(uid="12", email="x@example.test", login="x"))
    sso_browser.fake.token_failure = failure

    trip = sso_browser.sign_in(provider)

    assert trip.response.status_code == 502
    assert trip.json()["code"] == "sso_provider_error"
    assert _nobody_signed_in(sso_browser)


def test_a_failing_profile_endpoint_is_a_bad_gateway(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    sso_browser.fake.profile_failure = True

    trip = sso_browser.sign_in("github")

    assert trip.response.status_code == 502
    assert trip.json()["code"] == "sso_provider_error"


def test_an_unreachable_provider_is_a_bad_gateway(sso_browser, octocat, settings) -> None:
    sso_browser.fake.sign_in("github", octocat)
    params = sso_browser.callback_params("github")
    settings.SSO_GITHUB_URL = "http://127.0.0.1:9"  # discard port: connection refused

    response = sso_browser.client.get(f"/api/auth/sso/callback/github?{urlencode(params)}")

    assert response.status_code == 502


def test_an_unverified_email_is_not_linked_to_the_user_with_that_email(sso_browser, alice) -> None:
    sso_browser.fake.sign_in(
        "google", FakeAccount(uid="g1", email="alice@example.test", email_verified=False)
    )

    trip = sso_browser.sign_in("google")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "sso_email_unverified"
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in sso_browser.client.session


def test_an_unverified_email_does_not_register_a_new_user(sso_browser) -> None:
    sso_browser.fake.sign_in(
        "github", FakeAccount(uid="5", email="new@example.test", email_verified=False, login="new")
    )

    trip = sso_browser.sign_in("github")

    assert trip.json()["code"] == "sso_email_unverified"
    assert _nobody_signed_in(sso_browser)


def test_closed_registration_refuses_a_stranger_clearly(sso_browser, settings, octocat) -> None:
    settings.REGISTRATION_ENABLED = False
    sso_browser.fake.sign_in("github", octocat)

    trip = sso_browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "registration_disabled"
    assert "registration is disabled" in trip.json()["error"]
    assert _nobody_signed_in(sso_browser)


def test_closed_registration_still_links_an_existing_user_by_verified_email(
    sso_browser, settings, alice
) -> None:
    settings.REGISTRATION_ENABLED = False
    sso_browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    assert sso_browser.sign_in("github").landed_on == "/"


def test_a_deactivated_user_is_refused(sso_browser, alice) -> None:
    alice.is_active = False
    alice.save()
    sso_browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    trip = sso_browser.sign_in("github")

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "account_disabled"
    assert not SocialAccount.objects.exists()


def test_two_users_with_the_verified_email_are_not_guessed_between(sso_browser, alice, bob) -> None:
    bob.email = alice.email
    bob.save()
    sso_browser.fake.sign_in("github", FakeAccount(uid="8", email="alice@example.test", login="al"))

    trip = sso_browser.sign_in("github")

    assert trip.response.status_code == 409
    assert trip.json()["code"] == "sso_email_ambiguous"
