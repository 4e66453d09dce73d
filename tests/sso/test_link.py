"""Linking a provider to the signed-in account from the dashboard's profile page: the same callback
as a sign-in, with the link bound to the user who started it in this browser."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount

from accounts.models import User
from tests.dashboard.conftest import post
from tests.fakes.oauth_provider import FakeAccount

# another email than alice@example.test: linking from the profile does not rest on the email
_ALICE_AT_GITHUB = FakeAccount(uid="7007", email="a.liddell@elsewhere.test", login="wonderland")


def _start_link(sso_browser, user: User, provider: str = "github") -> str:
    """Sign the browser in as ``user`` and press the profile's Link button: the provider's URL."""
    sso_browser.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = post(sso_browser.client, f"/profile/sso/{provider}/link/")
    assert response.status_code == 302, response
    assert response["Location"].startswith(sso_browser.fake.base_url)
    return response["Location"]


def test_a_signed_in_user_links_github_from_the_profile_and_stays_signed_in(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)

    trip = sso_browser.visit(_start_link(sso_browser, alice))

    assert trip.landed_on == "/profile/"
    account = SocialAccount.objects.get(provider="github", uid="7007")
    assert account.user == alice
    alice.refresh_from_db()
    assert alice.sso_provider == "github" and alice.has_usable_password()
    assert alice.email == "alice@example.test"  # the provider's email is not taken over
    assert sso_browser.client.session["_auth_user_id"] == str(alice.pk)
    assert "Linked GitHub." in sso_browser.client.get("/profile/").content.decode()


def test_after_linking_a_github_sign_in_opens_that_account(sso_browser, alice, sso_on) -> None:
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    sso_browser.visit(_start_link(sso_browser, alice))
    sso_browser.client.logout()

    trip = sso_browser.sign_in("github")

    assert trip.landed_on == "/"
    assert sso_browser.client.session["_auth_user_id"] == str(alice.pk)
    assert User.objects.count() == 1


def test_a_provider_account_linked_to_someone_else_is_refused(sso_browser, alice, bob) -> None:
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    sso_browser.visit(_start_link(sso_browser, bob))

    trip = sso_browser.visit(_start_link(sso_browser, alice))

    assert trip.response.status_code == 409
    assert trip.json()["code"] == "sso_account_taken"
    assert SocialAccount.objects.get(uid="7007").user == bob


def test_a_second_account_of_a_linked_provider_is_refused(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    sso_browser.visit(_start_link(sso_browser, alice))
    sso_browser.fake.sign_in("github", FakeAccount(uid="8008", email="other@elsewhere.test", login="other"))

    trip = sso_browser.visit(_start_link(sso_browser, alice))

    assert trip.response.status_code == 409
    assert trip.json()["code"] == "sso_already_linked"
    assert list(SocialAccount.objects.filter(user=alice).values_list("uid", flat=True)) == ["7007"]


def test_linking_again_the_same_account_changes_nothing(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    sso_browser.visit(_start_link(sso_browser, alice))

    trip = sso_browser.visit(_start_link(sso_browser, alice))

    assert trip.landed_on == "/profile/"
    assert SocialAccount.objects.filter(user=alice).count() == 1


def test_a_link_finished_after_signing_out_is_refused(sso_browser, alice, bob) -> None:
    """Signing out (or in as someone else) ends the session, and the link's state with it."""
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    provider_url = _start_link(sso_browser, alice)
    sso_browser.client.force_login(bob, backend="django.contrib.auth.backends.ModelBackend")

    trip = sso_browser.visit(provider_url)

    assert trip.response.status_code == 400
    assert trip.json()["code"] == "sso_state_invalid"
    assert not SocialAccount.objects.exists()


def test_a_link_whose_user_no_longer_signs_in_is_refused(sso_browser, alice) -> None:
    """Deactivated meanwhile: the session stays, but no longer holds a signed-in user."""
    sso_browser.fake.sign_in("github", _ALICE_AT_GITHUB)
    provider_url = _start_link(sso_browser, alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)

    trip = sso_browser.visit(provider_url)

    assert trip.response.status_code == 403
    assert trip.json()["code"] == "sso_link_signed_out"
    assert not SocialAccount.objects.exists()


def test_the_link_button_is_a_csrf_checked_post(sso_browser, alice) -> None:
    sso_browser.client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    assert sso_browser.client.get("/profile/sso/github/link/").status_code == 405
    assert sso_browser.client.post("/profile/sso/github/link/").status_code == 403
    assert not SocialAccount.objects.exists()


def test_the_profile_offers_a_link_button_per_configured_provider_not_linked(
    sso_browser, alice, settings
) -> None:
    settings.SSO_PROVIDERS = ["github"]
    sso_browser.client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    page = sso_browser.client.get("/profile/").content.decode()

    assert 'action="/profile/sso/github/link/"' in page
    assert 'action="/profile/sso/google/link/"' not in page


def test_a_provider_not_configured_here_is_not_linked(sso_browser, alice, settings) -> None:
    settings.SSO_PROVIDERS = ["google"]
    sso_browser.client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    response = post(sso_browser.client, "/profile/sso/github/link/")

    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert "not enabled" in sso_browser.client.get("/profile/").content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(sso_browser) -> None:
    response = post(sso_browser.client, "/profile/sso/github/link/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not SocialAccount.objects.exists()
