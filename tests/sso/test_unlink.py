"""``POST /api/auth/sso/unlink/{provider}``: never leaves an account without a way to log in."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount, SocialToken

from accounts.models import User
from tests.fakes.oauth_provider import FakeAccount

_ALICE_AT_GITHUB = FakeAccount(uid="1001", email="alice@example.test", login="alice-gh")
_ALICE_AT_GOOGLE = FakeAccount(uid="g-1001", email="alice@example.test", name="Alice A")


def _link(sso_browser, provider: str, account: FakeAccount) -> None:
    sso_browser.fake.sign_in(provider, account)
    assert sso_browser.sign_in(provider).landed_on == "/"


def test_a_user_with_a_password_can_unlink_their_only_provider(sso_browser, alice, client_for) -> None:
    _link(sso_browser, "github", _ALICE_AT_GITHUB)

    response = client_for(alice).post("/api/auth/sso/unlink/github")

    assert response.status_code == 200
    assert response.json()["user"]["sso_provider"] is None
    assert response.json()["user"]["is_sso_user"] is False
    assert not SocialAccount.objects.filter(user=alice).exists()
    assert not SocialToken.objects.exists()


def test_unlinking_the_only_way_to_log_in_is_refused(sso_browser, octocat, client_for) -> None:
    _link(sso_browser, "github", octocat)
    user = User.objects.get(username="octocat")

    response = client_for(user).post("/api/auth/sso/unlink/github")

    assert response.status_code == 409
    assert response.json()["code"] == "sso_last_login_method"
    assert SocialAccount.objects.filter(user=user).exists()


def test_a_user_without_password_may_unlink_one_of_two_providers(sso_browser, client_for) -> None:
    _link(sso_browser, "github", FakeAccount(uid="3", email="sam@example.test", login="sam"))
    _link(sso_browser, "google", FakeAccount(uid="g3", email="sam@example.test", name="Sam S"))
    sam = User.objects.get(username="sam")

    response = client_for(sam).post("/api/auth/sso/unlink/google")

    assert response.status_code == 200
    assert response.json()["user"]["sso_provider"] == "github"
    assert list(SocialAccount.objects.filter(user=sam).values_list("provider", flat=True)) == ["github"]


def test_a_provider_that_is_no_longer_configured_does_not_count_as_a_way_in(
    sso_browser, settings, client_for
) -> None:
    _link(sso_browser, "github", FakeAccount(uid="3", email="sam@example.test", login="sam"))
    _link(sso_browser, "google", FakeAccount(uid="g3", email="sam@example.test", name="Sam S"))
    settings.SSO_PROVIDERS = ["github"]

    response = client_for(User.objects.get(username="sam")).post("/api/auth/sso/unlink/github")

    assert response.status_code == 409


def test_unlinking_a_provider_that_is_not_linked_is_404(sso_on, alice_client) -> None:
    response = alice_client.post("/api/auth/sso/unlink/google")

    assert response.status_code == 404
    assert response.json()["code"] == "sso_not_linked"


def test_unlinking_an_unknown_provider_is_404(sso_on, alice_client) -> None:
    response = alice_client.post("/api/auth/sso/unlink/myspace")

    assert response.status_code == 404
    assert response.json()["code"] == "sso_provider_unknown"


def test_unlinking_requires_login(sso_on, anon_client) -> None:
    assert anon_client.post("/api/auth/sso/unlink/github").status_code == 401


def test_one_user_cannot_unlink_another(sso_browser, alice, bob_client) -> None:
    _link(sso_browser, "github", _ALICE_AT_GITHUB)

    assert bob_client.post("/api/auth/sso/unlink/github").status_code == 404
    assert SocialAccount.objects.filter(user=alice).exists()


def test_the_dashboard_session_can_unlink_with_csrf(sso_browser, alice) -> None:
    _link(sso_browser, "google", _ALICE_AT_GOOGLE)

    response = sso_browser.client.post(
        "/api/auth/sso/unlink/google",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=sso_browser.client.cookies["csrftoken"].value,
    )

    assert response.status_code == 200
